"""Matrix rows of the registry (folded in from its own matrix), in one world per visibility of
the target organisation.

`RULES` restates the rules of `upland.organisations.permissions` by hand, so a change of a rule
shows up as failing cases, never silently. Lists, counts and exports must hold exactly the
visible rows; a contact person is listed only as far as their consent allows; a write to an
organisation the actor may not even see answers 404, as its page does, so a write never
reveals that it exists.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import (
    ACTORS,
    ELSEWHERE,
    HERE,
    Caller,
    Fields,
    Row,
    World,
    denial,
    make_accounts,
)

from upland.accounts.models import Invitation, Membership
from upland.jobs.models import Job
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    Person,
    RemovedRecord,
    Site,
)

VARIANTS = ("public", "members", "restricted")
CONSENTS = ("private", "members", "public")
ALL_CONTACTS = set(CONSENTS)
MEMBER_CONTACTS = {"members", "public"}
STAFF_WRITES = {"create", "edit", "delete", "members", "import"}  # members: its user accounts
EVERY = set(VARIANTS)

# actor: (visibilities of organisations the actor sees,
#         registry writes the actor may do on the target organisation,
#         contact consents under which the actor sees a person at all: name, title, e-mail, phone)
RULES: dict[str, tuple[set[str], set[str], set[str]]] = {
    "anonymous": ({"public"}, set(), {"public"}),
    "outsider": ({"public"}, set(), {"public"}),
    "other_viewer": ({"public", "members"}, set(), MEMBER_CONTACTS),
    "own_viewer": (EVERY, set(), ALL_CONTACTS),
    "own_editor": (EVERY, {"edit"}, ALL_CONTACTS),
    "own_admin": (EVERY, {"edit", "members"}, ALL_CONTACTS),
    # An officer is no cluster member by office: inside the partner area every record, outside
    # it what the public sees; `members` contacts are shown to officers too, `private` ones
    # never (docs/permissions.md, "Contact people").
    "officer_here": (EVERY, set(), MEMBER_CONTACTS),
    "officer_elsewhere": ({"public"}, set(), MEMBER_CONTACTS),
    "coordinator": (EVERY, STAFF_WRITES, ALL_CONTACTS),
    "platform_admin": (EVERY, STAFF_WRITES, ALL_CONTACTS),
}
assert set(RULES) == set(ACTORS)
HIDDEN_WRITE = 404


def contact_of(consent: str) -> tuple[str, str]:
    return f"{consent}@contact.example", f"+48 81 55{CONSENTS.index(consent)} 77 77"


def build_world(session: Session, variant: str) -> World:
    target = factories.organisation(
        session,
        short_name="Matrix Cel",
        visibility=variant,
        people=[
            {
                "full_name": f"Osoba {consent}",
                "email": contact_of(consent)[0],
                "phone": contact_of(consent)[1],
                "contact_visibility": consent,
            }
            for consent in CONSENTS
        ],
    )
    other = factories.organisation(
        session,
        short_name="Matrix Inny",
        sites=[{"teryt": ELSEWHERE, "locality": "Radom", "is_headquarters": True}],
        people=[],
    )
    member = factories.user(session, email="czlonek@matrix.example", role="viewer", org=target)
    job = Job(kind="Import organisations", task="x", params={}, started_by_id=member.id)
    session.add(job)
    removed = OrganisationCapability(kind="equipment", label="Suwnica 10 t")
    target.capabilities.append(removed)
    session.flush()
    removal = RemovedRecord(
        organisation_id=target.id,
        kind="capabilities",
        row={c.key: getattr(removed, c.key) for c in removed.__table__.columns},
    )
    target.capabilities.remove(removed)
    session.add(removal)
    session.flush()
    shared = {
        "job": job.id,  # a job the member started: only they and staff may watch it
        "target": target.id,
        "other": other.id,
        "site": target.sites[0].id,
        "capability": target.capabilities[0].id,
        "member": member.id,
        "removal": removal.token,  # a capability removed a moment ago, which Undo brings back
        **{p.contact_visibility: p.id for p in target.people},
    }
    return World(make_accounts(session, target.id, other.id), shared)


# --- observations -------------------------------------------------------------------------------


def _count(model: type, where: Callable[[Fields], list[Any]]) -> Callable[[Session, Fields], int]:
    def observe(session: Session, f: Fields) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where(f))) or 0

    return observe


def _value(column: Any, key: str) -> Callable[[Session, Fields], Any]:
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(column).where(column.table.c.id == f[key]))

    return observe


NEW_NAME = "Nowa Firma Macierzy sp. z o.o."
IMPORTED = "Firma z Importu Macierzy sp. z o.o."
created = _count(Organisation, lambda f: [Organisation.legal_name == NEW_NAME])
imported = _count(Organisation, lambda f: [Organisation.legal_name == IMPORTED])
target_exists = _count(Organisation, lambda f: [Organisation.id == f["target"]])
description = _value(Organisation.description_pl, "target")
sites = _count(Site, lambda f: [Site.organisation_id == f["target"]])
street = _value(Site.street, "site")
people = _count(Person, lambda f: [Person.organisation_id == f["target"]])
person_name = _value(Person.full_name, "public")
erased = _value(Person.erased_at, "members")
members = _count(Membership, lambda f: [Membership.organisation_id == f["target"]])
invited = _count(Invitation, lambda f: [Invitation.organisation_id == f["target"]])
capabilities = _count(
    OrganisationCapability, lambda f: [OrganisationCapability.organisation_id == f["target"]]
)


def member_role(session: Session, f: Fields) -> str | None:
    return session.scalar(
        select(Membership.role).where(
            Membership.user_id == f["member"], Membership.organisation_id == f["target"]
        )
    )


# --- checks of a success ------------------------------------------------------------------------


def visible_ids(f: Fields, actor: str, variant: str) -> set[int]:
    return {f["other"]} | ({f["target"]} if variant in RULES[actor][0] else set())


def check_list_page(response: Any, f: Fields, actor: str, variant: str) -> None:
    shown = variant in RULES[actor][0]
    assert ("Matrix Cel" in response.text) is shown, "listed" if not shown else "not listed"
    assert f"<strong>{1 + shown}</strong>" in response.text, "wrong count above the results"


def check_city_options(response: Any, f: Fields, actor: str, variant: str) -> None:
    """The same municipalities for everyone (the filter's choices), never an organisation."""
    assert 'value="0663011"' in response.text  # Lublin, a partner city
    assert "Matrix" not in response.text


def check_csv(response: Any, f: Fields, actor: str, variant: str) -> None:
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert {int(r["id"]) for r in rows} == visible_ids(f, actor, variant)


def check_api_list(response: Any, f: Fields, actor: str, variant: str) -> None:
    body = response.json()
    assert {o["id"] for o in body["items"]} == visible_ids(f, actor, variant)
    assert body["total"] == len(visible_ids(f, actor, variant)), "wrong total"


def check_api_page_of_one(response: Any, f: Fields, actor: str, variant: str) -> None:
    """Filtered by text and by the target's city, one row per page: the count is not paged."""
    body = response.json()
    expected = visible_ids(f, actor, variant) - {f["other"]}
    assert {o["id"] for o in body["items"]} == expected
    assert body["total"] == len(expected), "wrong total"
    assert body["next_cursor"] is None


def check_api_export(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert {o["id"] for o in response.json()["items"]} == visible_ids(f, actor, variant)


def check_contacts_html(response: Any, f: Fields, actor: str, variant: str) -> None:
    for consent in CONSENTS:
        email, phone = contact_of(consent)
        shown = consent in RULES[actor][2]
        assert (f"Osoba {consent}" in response.text) is shown, f"{consent} person's name"
        assert (email in response.text) is shown, f"{consent} e-mail"
        assert (phone in response.text) is shown, f"{consent} phone"


def check_contacts_api(response: Any, f: Fields, actor: str, variant: str) -> None:
    by_name = {p["full_name"]: p for p in response.json()["people"]}
    for consent in CONSENTS:
        shown = consent in RULES[actor][2]
        person = by_name.get(f"Osoba {consent}")
        assert (person is not None) is shown, f"{consent} person listed"
        if person is not None:
            assert (person["email"], person["phone"]) == contact_of(consent), f"{consent} contact"


def check_import_report(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert re.search(r'action="/organisations/import/[0-9a-f]+"', response.text)


# --- the expectation of one route ---------------------------------------------------------------


def expect(
    method: str, path: str, needs: str, ok: int, *, hides: bool = False, by_role: bool = False
):
    """`needs`: "list", "view", or the write: "create", "edit", "delete", "members", "import".

    `hides`: loads the organisation as the actor first (404 when hidden); `by_role`: allowed by a
    role in the organisation alone, so 403 even when hidden.
    """
    scoped = "{target}" in path or re.search(r"\{(site|capability|public|private|members)\}", path)

    def status(actor: str, variant: str) -> int:
        sees, writes, _ = RULES[actor]
        if needs == "list":
            return ok
        if scoped and variant not in sees and not by_role:
            return 404 if hides or needs == "view" else HIDDEN_WRITE
        if needs == "view" or needs in writes:
            return ok
        return denial(method, path, actor)

    return status


def route(name: str, method: str, path: str, needs: str, ok: int, **more: Any) -> Row:
    flags = {k: more.pop(k) for k in ("hides", "by_role") if k in more}
    if "{" not in path and needs not in {"list", "view"}:
        more.setdefault("variants", ("public",))  # creating needs no existing organisation
    return Row(name, method, path, expect(method, path, needs, ok, **flags), ok, **more)


def restoring(actor: str, variant: str) -> int:
    """The API's undo names no organisation: a removal the actor may not undo is not found."""
    sees, writes, _ = RULES[actor]
    return 200 if "edit" in writes and variant in sees else 404


def watching_a_job(method: str, path: str) -> Callable[[str, str], int]:
    """Another user's job is not found (only its starter and staff see it); anonymous: log in."""

    def status(actor: str, variant: str) -> int:
        if actor in ("coordinator", "platform_admin"):
            return 200
        return denial(method, path, actor) if actor == "anonymous" else 404

    return status


def job_route(name: str, path: str) -> Row:
    return Row(name, "GET", path, watching_a_job("GET", path), 200, variants=("public",))


def _upload(caller: Caller, f: Fields) -> Fields:
    """Check a file first (step 1), as the import's second step needs; its token, if any."""
    response = caller.client.post(
        "/organisations/import",
        data={"csrf_token": caller.csrf},
        files={"file": ("firms.csv", IMPORT_CSV)},
    )
    found = re.search(r'action="/organisations/import/([0-9a-f]+)"', response.text)
    return {"upload": found.group(1) if found else "0" * 32}


SITE_FORM = {"teryt": "0617011", "street": "ul. Nowa 2", "postal_code": "21-040"}
PERSON_FORM = {"full_name": "Nowa Osoba", "email": "nowa@contact.example"}
CAPABILITY_FORM = {"kind": "equipment", "label": "Prasa krawędziowa 200 t"}
EDIT_FORM = {"legal_name": "Zakład Macierzy", "description_pl": "Nowy opis", "pkd": "25.62.Z"}
CREATE_FORM = {"legal_name": NEW_NAME, "kind": "company", "teryt": HERE, "pkd": "25.62.Z"}
NEW_MEMBER = {"email": "nowy@matrix.example", "role": "editor"}
IMPORT_CSV = (
    f"kind,legal_name,nip,teryt,pkd\ncompany,{IMPORTED},5260250995,Lublin,29.32.Z\n".encode()
)
ORG = "/organisations/{target}"
API_ORG = "/api/v1/organisations/{target}"
HIDDEN_ONLY = ("members", "restricted")  # the accounts rows cover a public organisation

ROWS: tuple[Row, ...] = (
    # HTML pages and forms
    route("list", "GET", "/organisations", "list", 200, check=check_list_page),
    route(
        "city-options",
        "GET",
        "/organisations/city-options?city=Lubl",
        "list",
        200,
        check=check_city_options,
    ),
    route("export", "GET", "/organisations/export.csv", "list", 200, check=check_csv),
    route(
        "search-export", "GET", "/organisations/export.csv?q=Matrix", "list", 200, check=check_csv
    ),
    route("import-page", "GET", "/organisations/import", "import", 200),
    route(
        "import-check",
        "POST",
        "/organisations/import",
        "import",
        200,
        body={},
        files={"file": ("firms.csv", IMPORT_CSV)},
        check=check_import_report,  # a dry run: nothing is written yet
    ),
    route("import-cancel", "POST", "/organisations/import/cancel", "import", 303, body={}),
    route(
        "import-commit",
        "POST",
        "/organisations/import/{upload}",
        "import",
        303,
        body={"mode": "valid_only"},
        prepare=_upload,
        observe=imported,  # the import runs as a job; the answer leads to its page
        variants=("public",),
    ),
    route(
        "api-import",
        "POST",
        "/api/v1/organisations/import",
        "import",
        202,
        body={"mode": "valid_only"},
        files={"file": ("firms.csv", IMPORT_CSV)},
        observe=imported,
        variants=("public",),
    ),
    job_route("job", "/jobs/{job}"),
    job_route("api-job", "/api/v1/jobs/{job}"),
    route("detail", "GET", ORG, "view", 200, check=check_contacts_html, hides=True),
    route("print", "GET", ORG + "/print", "view", 200, check=check_contacts_html, hides=True),
    route("new-form", "GET", "/organisations/new", "create", 200),
    route("create", "POST", "/organisations/new", "create", 303, body=CREATE_FORM, observe=created),
    route("edit-form", "GET", ORG + "/edit", "edit", 200, hides=True),
    route(
        "edit", "POST", ORG + "/edit", "edit", 303, body=EDIT_FORM, observe=description, hides=True
    ),
    route("delete", "POST", ORG + "/delete", "delete", 303, body={}, observe=target_exists),
    route("add-site", "POST", ORG + "/sites", "edit", 303, body=SITE_FORM, observe=sites),
    route("remove-site", "POST", ORG + "/sites/{site}/delete", "edit", 303, body={}, observe=sites),
    route("add-person", "POST", ORG + "/people", "edit", 303, body=PERSON_FORM, observe=people),
    route(
        "remove-person",
        "POST",
        ORG + "/people/{private}/delete",
        "edit",
        303,
        body={},
        observe=people,
    ),
    route(
        "erase-person",
        "POST",
        ORG + "/people/{members}/erase",
        "edit",
        303,
        body={},
        observe=erased,
    ),
    route(
        "add-capability",
        "POST",
        ORG + "/capabilities",
        "edit",
        303,
        body=CAPABILITY_FORM,
        observe=capabilities,
    ),
    route(
        "remove-capability",
        "POST",
        ORG + "/capabilities/{capability}/delete",
        "edit",
        303,
        body={},
        observe=capabilities,
    ),
    # asking first, undoing, and the GET of every address a profile form posts to
    route("delete-confirm", "GET", ORG + "/delete", "delete", 200, hides=True),
    route("remove-site-confirm", "GET", ORG + "/sites/{site}/delete", "edit", 200, hides=True),
    route(
        "remove-person-confirm", "GET", ORG + "/people/{private}/delete", "edit", 200, hides=True
    ),
    route(
        "remove-capability-confirm",
        "GET",
        ORG + "/capabilities/{capability}/delete",
        "edit",
        200,
        hides=True,
    ),
    route("erase-person-confirm", "GET", ORG + "/people/{members}/erase", "edit", 200, hides=True),
    route("sites-reloaded", "GET", ORG + "/sites", "view", 200, hides=True),
    route("people-reloaded", "GET", ORG + "/people", "view", 200, hides=True),
    route("capabilities-reloaded", "GET", ORG + "/capabilities", "view", 200, hides=True),
    route(
        "undo-removal",
        "POST",
        ORG + "/removals/{removal}/restore",
        "edit",
        303,
        body={},
        observe=capabilities,
    ),
    route("undo-reloaded", "GET", ORG + "/removals/{removal}/restore", "view", 200, hides=True),
    route("members", "GET", ORG + "/members", "members", 200, by_role=True, variants=HIDDEN_ONLY),
    route(
        "add-member",
        "POST",
        ORG + "/members",
        "members",
        303,
        body=NEW_MEMBER,
        observe=invited,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
    route(
        "member-role",
        "POST",
        ORG + "/members/{member}/role",
        "members",
        303,
        body={"role": "editor"},
        observe=member_role,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
    route(
        "remove-member",
        "POST",
        ORG + "/members/{member}/remove",
        "members",
        303,
        body={},
        observe=members,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
    # JSON API
    route("api-list", "GET", "/api/v1/organisations", "list", 200, check=check_api_list),
    route(
        "api-search",
        "GET",
        f"/api/v1/organisations?q=Matrix&city={HERE}&limit=1",
        "list",
        200,
        check=check_api_page_of_one,
    ),
    route(
        "api-export",
        "GET",
        "/api/v1/organisations/export?format=json",
        "list",
        200,
        check=check_api_export,
    ),
    route("api-detail", "GET", API_ORG, "view", 200, check=check_contacts_api, hides=True),
    route(
        "api-create",
        "POST",
        "/api/v1/organisations",
        "create",
        201,
        body={"legal_name": NEW_NAME, "kind": "company", "sites": [{"teryt": HERE}]},
        observe=created,
    ),
    route(
        "api-edit",
        "PATCH",
        API_ORG,
        "edit",
        200,
        body={"description_pl": "Nowy opis"},
        observe=description,
    ),
    route("api-delete", "DELETE", API_ORG, "delete", 204, observe=target_exists),
    route("api-add-site", "POST", API_ORG + "/sites", "edit", 201, body=SITE_FORM, observe=sites),
    route(
        "api-edit-site",
        "PUT",
        "/api/v1/sites/{site}",
        "edit",
        200,
        body={"teryt": HERE, "street": "ul. Inna 9"},
        observe=street,
    ),
    route("api-remove-site", "DELETE", "/api/v1/sites/{site}", "edit", 204, observe=sites),
    route(
        "api-add-person", "POST", API_ORG + "/people", "edit", 201, body=PERSON_FORM, observe=people
    ),
    route(
        "api-edit-person",
        "PUT",
        "/api/v1/people/{public}",
        "edit",
        200,
        body={"full_name": "Osoba zmieniona"},
        observe=person_name,
    ),
    route("api-remove-person", "DELETE", "/api/v1/people/{private}", "edit", 204, observe=people),
    route(
        "api-erase-person", "POST", "/api/v1/people/{members}/erase", "edit", 200, observe=erased
    ),
    route(
        "api-add-capability",
        "POST",
        API_ORG + "/capabilities",
        "edit",
        201,
        body=CAPABILITY_FORM,
        observe=capabilities,
    ),
    route(
        "api-remove-capability",
        "DELETE",
        "/api/v1/capabilities/{capability}",
        "edit",
        204,
        observe=capabilities,
    ),
    Row(
        "api-undo-removal",
        "POST",
        "/api/v1/removals/{removal}/restore",
        restoring,
        200,
        observe=capabilities,
    ),
    route(
        "api-members",
        "GET",
        API_ORG + "/members",
        "members",
        200,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
    route(
        "api-add-member",
        "POST",
        API_ORG + "/members",
        "members",
        202,
        body=NEW_MEMBER,
        observe=invited,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
    route(
        "api-member-role",
        "PATCH",
        API_ORG + "/members/{member}",
        "members",
        200,
        body={"role": "editor"},
        observe=member_role,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
    route(
        "api-remove-member",
        "DELETE",
        API_ORG + "/members/{member}",
        "members",
        204,
        observe=members,
        by_role=True,
        variants=HIDDEN_ONLY,
    ),
)
