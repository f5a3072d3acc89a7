"""The registry's permission matrix (DESIGN §6): every route × every kind of actor × visibility.

`RULES` restates the rules of `upland.organisations.permissions` by hand, so a change of a rule
shows up here as failing cases, never silently. Each case (visibility × actor) builds one small
world, logs in through the form, then tries every route against it, each inside a savepoint
rolled back afterwards: pages and forms with the session's CSRF token, the API with a bearer
token. It checks the status code, whether the write really happened, that lists, counts and
exports hold exactly the visible rows, and that contact data follows each person's consent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import Caller, caller_for, rolled_back, use_fast_hashing

from upland.accounts.models import Invitation, Membership, User
from upland.jobs.models import Job
from upland.organisations.models import Organisation, OrganisationCapability, Person, Site

HERE = "0663011"  # Lublin: the target organisation's city
ELSEWHERE = "1463011"  # Radom: the other organisation's city
VISIBILITIES = ("public", "members", "restricted")
CONSENTS = ("private", "members", "public")
ALL_CONTACTS = set(CONSENTS)
MEMBER_CONTACTS = {"members", "public"}
STAFF_WRITES = {"create", "edit", "delete", "members", "import"}  # members: its user accounts

# --- The expectation table ---------------------------------------------------------------------
# actor kind: (visibilities of organisations the actor sees,
#              registry writes the actor may do on the target organisation,
#              contact consents under which the actor sees a person's e-mail and phone)
RULES: dict[str, tuple[set[str], set[str], set[str]]] = {
    "anonymous": ({"public"}, set(), {"public"}),
    "outsider": ({"public"}, set(), {"public"}),  # logged in, in no member organisation
    "other_member": ({"public", "members"}, set(), MEMBER_CONTACTS),  # editor elsewhere
    "own_viewer": (set(VISIBILITIES), set(), ALL_CONTACTS),
    "own_editor": (set(VISIBILITIES), {"edit"}, ALL_CONTACTS),
    "own_admin": (set(VISIBILITIES), {"edit", "members"}, ALL_CONTACTS),
    # An officer is no cluster member by office: inside the partner area every record, outside
    # it what the public sees; contact data follows consent everywhere (docs/permissions.md).
    "officer_here": (set(VISIBILITIES), set(), {"public"}),
    "officer_elsewhere": ({"public"}, set(), {"public"}),
    "coordinator": (set(VISIBILITIES), STAFF_WRITES, ALL_CONTACTS),
    "platform_admin": (set(VISIBILITIES), STAFF_WRITES, ALL_CONTACTS),
}
# A write to an organisation the actor may not even see answers 404, as the detail page does,
# so a write never reveals that a hidden organisation exists.
HIDDEN_WRITE = 404


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_hashing(monkeypatch)


# --- The world of one case ---------------------------------------------------------------------


@dataclass
class World:
    target: int
    other: int
    site: int
    capability: int
    people: dict[str, int]  # contact consent -> person id
    member: int  # a user with the viewer role in the target organisation
    job: int  # a job the member started: only they and staff may watch it


def contact_of(consent: str) -> tuple[str, str]:
    return f"{consent}@contact.example", f"+48 81 55{CONSENTS.index(consent)} 77 77"


def build_world(session: Session, visibility: str) -> World:
    target = factories.organisation(
        session,
        short_name="Matrix Cel",
        visibility=visibility,
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
    session.flush()
    return World(
        member=member.id,
        job=job.id,
        target=target.id,
        other=other.id,
        site=target.sites[0].id,
        capability=target.capabilities[0].id,
        people={p.contact_visibility: p.id for p in target.people},
    )


def make_user(session: Session, kind: str, world: World) -> User | None:
    target = session.get(Organisation, world.target)
    other = session.get(Organisation, world.other)
    grants: dict[str, dict[str, Any]] = {
        "outsider": {},
        "other_member": {"role": "editor", "org": other},
        "own_viewer": {"role": "viewer", "org": target},
        "own_editor": {"role": "editor", "org": target},
        "own_admin": {"role": "admin", "org": target},
        "officer_here": {"role": "officer", "teryt": HERE},
        "officer_elsewhere": {"role": "officer", "teryt": ELSEWHERE},
        "coordinator": {"role": "coordinator"},
        "platform_admin": {"role": "platform-admin"},
    }
    return None if kind == "anonymous" else factories.user(session, **grants[kind])


# --- Observations --------------------------------------------------------------------------------


def _count(model: type, where: Callable[[World], list[Any]]) -> Callable[[Session, World], int]:
    def observe(session: Session, world: World) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where(world))) or 0

    return observe


def _value(column: Any, key: Callable[[World], int]) -> Callable[[Session, World], Any]:
    def observe(session: Session, world: World) -> Any:
        return session.scalar(select(column).where(column.table.c.id == key(world)))

    return observe


NEW_NAME = "Nowa Firma Macierzy sp. z o.o."
created = _count(Organisation, lambda w: [Organisation.legal_name == NEW_NAME])
target_exists = _count(Organisation, lambda w: [Organisation.id == w.target])
description = _value(Organisation.description_pl, lambda w: w.target)
sites = _count(Site, lambda w: [Site.organisation_id == w.target])
street = _value(Site.street, lambda w: w.site)
people = _count(Person, lambda w: [Person.organisation_id == w.target])
person_name = _value(Person.full_name, lambda w: w.people["public"])
erased = _value(Person.erased_at, lambda w: w.people["members"])
members = _count(Membership, lambda w: [Membership.organisation_id == w.target])
invited = _count(Invitation, lambda w: [Invitation.organisation_id == w.target])


def member_role(session: Session, world: World) -> str | None:
    return session.scalar(
        select(Membership.role).where(
            Membership.user_id == world.member, Membership.organisation_id == world.target
        )
    )


capabilities = _count(
    OrganisationCapability, lambda w: [OrganisationCapability.organisation_id == w.target]
)


def visible_ids(world: World, actor: str, visibility: str) -> set[int]:
    return {world.other} | ({world.target} if visibility in RULES[actor][0] else set())


def check_list_page(response: Any, world: World, actor: str, visibility: str) -> None:
    shown = visibility in RULES[actor][0]
    assert ("Matrix Cel" in response.text) is shown, "listed" if not shown else "not listed"
    assert f"<strong>{1 + shown}</strong>" in response.text, "wrong count above the results"


def check_csv(response: Any, world: World, actor: str, visibility: str) -> None:
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert {int(r["id"]) for r in rows} == visible_ids(world, actor, visibility)


def check_api_list(response: Any, world: World, actor: str, visibility: str) -> None:
    body = response.json()
    assert {o["id"] for o in body["items"]} == visible_ids(world, actor, visibility)
    assert body["total"] == len(visible_ids(world, actor, visibility)), "wrong total"


def check_api_page_of_one(response: Any, world: World, actor: str, visibility: str) -> None:
    """Filtered by text and by the target's city, one row per page: the count is not paged."""
    body = response.json()
    expected = visible_ids(world, actor, visibility) - {world.other}
    assert {o["id"] for o in body["items"]} == expected
    assert body["total"] == len(expected), "wrong total"
    assert body["next_cursor"] is None


def check_api_export(response: Any, world: World, actor: str, visibility: str) -> None:
    assert {o["id"] for o in response.json()["items"]} == visible_ids(world, actor, visibility)


def check_contacts_html(response: Any, world: World, actor: str, visibility: str) -> None:
    for consent in CONSENTS:
        email, phone = contact_of(consent)
        shown = consent in RULES[actor][2]
        assert f"Osoba {consent}" in response.text, f"{consent} person missing"
        assert (email in response.text) is shown, (
            f"{consent} e-mail {'hidden' if shown else 'shown'}"
        )
        assert (phone in response.text) is shown, (
            f"{consent} phone {'hidden' if shown else 'shown'}"
        )


def check_contacts_api(response: Any, world: World, actor: str, visibility: str) -> None:
    by_name = {p["full_name"]: p for p in response.json()["people"]}
    for consent in CONSENTS:
        shown = consent in RULES[actor][2]
        person = by_name[f"Osoba {consent}"]
        expected = contact_of(consent) if shown else (None, None)
        assert (person["email"], person["phone"]) == expected, f"{consent} contact data"


# --- The routes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    needs: str  # "list", "view", "job" (watch), or the write: "create", "edit", "delete"
    ok: int
    body: dict[str, Any] | None = None
    observe: Callable[[Session, World], Any] | None = None  # changes iff the write happened
    files: dict[str, tuple[str, bytes, str]] | None = None  # a multipart upload instead
    check: Callable[[Any, World, str, str], None] | None = None  # on success
    hides: bool = False  # loads the organisation as the actor first: 404 when it is hidden
    by_role: bool = False  # allowed by a role in the organisation alone: 403 even when hidden

    @property
    def scoped(self) -> bool:
        return "{" in self.path


SITE_FORM = {"teryt": "0617011", "street": "ul. Nowa 2", "postal_code": "21-040"}
PERSON_FORM = {"full_name": "Nowa Osoba", "email": "nowa@contact.example"}
CAPABILITY_FORM = {"kind": "equipment", "label": "Prasa krawędziowa 200 t"}
EDIT_FORM = {"legal_name": "Zakład Macierzy", "description_pl": "Nowy opis", "pkd": "25.62.Z"}
CREATE_FORM = {"legal_name": NEW_NAME, "kind": "company", "teryt": HERE, "pkd": "25.62.Z"}
NEW_MEMBER = {"email": "nowy@matrix.example", "role": "editor"}
IMPORT_FILE = f"kind,legal_name,nip,teryt\ncompany,{NEW_NAME},5260250995,Lublin\n".encode()
ORG = "/organisations/{target}"
API_ORG = "/api/v1/organisations/{target}"

ROUTES = (
    # HTML pages and forms
    Route("list", "GET", "/organisations", "list", 200, check=check_list_page),
    Route("export", "GET", "/organisations/export.csv", "list", 200, check=check_csv),
    Route(
        "search-export", "GET", "/organisations/export.csv?q=Matrix", "list", 200, check=check_csv
    ),
    Route("import-page", "GET", "/organisations/import", "import", 200),
    Route("import-cancel", "POST", "/organisations/import/cancel", "import", 303, {}),
    Route("job", "GET", "/jobs/{job}", "job", 200),
    Route("detail", "GET", ORG, "view", 200, check=check_contacts_html, hides=True),
    Route("new-form", "GET", "/organisations/new", "create", 200),
    Route("create", "POST", "/organisations/new", "create", 303, CREATE_FORM, created),
    Route("edit-form", "GET", ORG + "/edit", "edit", 200, hides=True),
    Route("edit", "POST", ORG + "/edit", "edit", 303, EDIT_FORM, description, hides=True),
    Route("delete", "POST", ORG + "/delete", "delete", 303, {}, target_exists),
    Route("add-site", "POST", ORG + "/sites", "edit", 303, SITE_FORM, sites),
    Route("remove-site", "POST", ORG + "/sites/{site}/delete", "edit", 303, {}, sites),
    Route("add-person", "POST", ORG + "/people", "edit", 303, PERSON_FORM, people),
    Route("remove-person", "POST", ORG + "/people/{private}/delete", "edit", 303, {}, people),
    Route("erase-person", "POST", ORG + "/people/{members}/erase", "edit", 303, {}, erased),
    Route(
        "add-capability", "POST", ORG + "/capabilities", "edit", 303, CAPABILITY_FORM, capabilities
    ),
    Route(
        "remove-capability",
        "POST",
        ORG + "/capabilities/{capability}/delete",
        "edit",
        303,
        {},
        capabilities,
    ),
    Route("members", "GET", ORG + "/members", "members", 200, by_role=True),
    Route(
        "add-member", "POST", ORG + "/members", "members", 303, NEW_MEMBER, invited, by_role=True
    ),
    Route(
        "member-role",
        "POST",
        ORG + "/members/{member}/role",
        "members",
        303,
        {"role": "editor"},
        member_role,
        by_role=True,
    ),
    Route(
        "remove-member",
        "POST",
        ORG + "/members/{member}/remove",
        "members",
        303,
        {},
        members,
        by_role=True,
    ),
    # JSON API
    Route("api-list", "GET", "/api/v1/organisations", "list", 200, check=check_api_list),
    Route(
        "api-import",
        "POST",
        "/api/v1/organisations/import",
        "import",
        202,
        {"mode": "all_or_nothing"},
        created,
        files={"file": ("firms.csv", IMPORT_FILE, "text/csv")},
    ),
    Route("api-job", "GET", "/api/v1/jobs/{job}", "job", 200),
    Route(
        "api-search",
        "GET",
        f"/api/v1/organisations?q=Matrix&city={HERE}&limit=1",
        "list",
        200,
        check=check_api_page_of_one,
    ),
    Route(
        "api-export",
        "GET",
        "/api/v1/organisations/export?format=json",
        "list",
        200,
        check=check_api_export,
    ),
    Route("api-detail", "GET", API_ORG, "view", 200, check=check_contacts_api, hides=True),
    Route(
        "api-create",
        "POST",
        "/api/v1/organisations",
        "create",
        201,
        {"legal_name": NEW_NAME, "kind": "company", "sites": [{"teryt": HERE}]},
        created,
    ),
    Route("api-edit", "PATCH", API_ORG, "edit", 200, {"description_pl": "Nowy opis"}, description),
    Route("api-delete", "DELETE", API_ORG, "delete", 204, None, target_exists),
    Route("api-add-site", "POST", API_ORG + "/sites", "edit", 201, SITE_FORM, sites),
    Route(
        "api-edit-site",
        "PUT",
        "/api/v1/sites/{site}",
        "edit",
        200,
        {"teryt": HERE, "street": "ul. Inna 9"},
        street,
    ),
    Route("api-remove-site", "DELETE", "/api/v1/sites/{site}", "edit", 204, None, sites),
    Route("api-add-person", "POST", API_ORG + "/people", "edit", 201, PERSON_FORM, people),
    Route(
        "api-edit-person",
        "PUT",
        "/api/v1/people/{public}",
        "edit",
        200,
        {"full_name": "Osoba zmieniona"},
        person_name,
    ),
    Route("api-remove-person", "DELETE", "/api/v1/people/{private}", "edit", 204, None, people),
    Route("api-erase-person", "POST", "/api/v1/people/{members}/erase", "edit", 200, None, erased),
    Route(
        "api-add-capability",
        "POST",
        API_ORG + "/capabilities",
        "edit",
        201,
        CAPABILITY_FORM,
        capabilities,
    ),
    Route(
        "api-remove-capability",
        "DELETE",
        "/api/v1/capabilities/{capability}",
        "edit",
        204,
        None,
        capabilities,
    ),
    Route("api-members", "GET", API_ORG + "/members", "members", 200, by_role=True),
    Route(
        "api-add-member",
        "POST",
        API_ORG + "/members",
        "members",
        202,
        NEW_MEMBER,
        invited,
        by_role=True,
    ),
    Route(
        "api-member-role",
        "PATCH",
        API_ORG + "/members/{member}",
        "members",
        200,
        {"role": "editor"},
        member_role,
        by_role=True,
    ),
    Route(
        "api-remove-member",
        "DELETE",
        API_ORG + "/members/{member}",
        "members",
        204,
        None,
        members,
        by_role=True,
    ),
)


def expected_status(route: Route, actor: str, visibility: str) -> int:
    sees_visibilities, writes, _ = RULES[actor]
    sees = visibility in sees_visibilities
    if route.needs == "list":
        return route.ok
    if route.needs == "job":  # another user's job is not found; anonymous: log in first
        if actor in ("coordinator", "platform_admin"):
            return route.ok
        return 404 if actor != "anonymous" else 403 if route.path.startswith("/api/") else 303
    if route.scoped and not sees and not route.by_role:
        return 404 if route.hides or route.needs == "view" else HIDDEN_WRITE
    if route.needs == "view" or route.needs in writes:
        return route.ok
    html_page = route.method == "GET" and not route.path.startswith("/api/")
    return 303 if html_page and actor == "anonymous" else 403  # anonymous: to the log-in page


def check_route(
    route: Route, actor: str, visibility: str, world: World, caller: Caller, session: Session
) -> None:
    path = route.path.format(
        target=world.target,
        site=world.site,
        capability=world.capability,
        member=world.member,
        job=world.job,
        **world.people,
    )
    before = route.observe(session, world) if route.observe else None

    if route.files:
        auth = {"authorization": f"Bearer {caller.bearer}"} if caller.bearer else {}
        response = caller.client.post(path, data=route.body, files=route.files, headers=auth)
    else:
        response = caller.send(route.method, path, route.body)

    status = expected_status(route, actor, visibility)
    assert response.status_code == status, f"{route.method} {path} answered {response.status_code}"
    if route.observe:
        session.expire_all()
        changed = route.observe(session, world) != before
        assert changed is (status == route.ok), "written" if changed else "not written"
    if status == 303 and route.method == "GET":
        assert response.headers["location"] == f"/login?next={path}"
    if route.check and status == route.ok:
        route.check(response, world, actor, visibility)


@pytest.mark.parametrize("actor", RULES)
@pytest.mark.parametrize("visibility", VISIBILITIES)
def test_permission_matrix(
    visibility: str, actor: str, session: Session, connection: Connection, client: Any
) -> None:
    """Every route for one actor and one visibility of the target organisation."""
    world = build_world(session, visibility)
    caller = caller_for(session, client, make_user(session, actor, world))
    wrong = []
    for route in ROUTES:
        if not route.scoped and route.needs != "list" and visibility != "public":
            continue  # creating does not depend on an existing organisation
        with rolled_back(session, connection):
            try:
                check_route(route, actor, visibility, world, caller, session)
            except AssertionError as exc:
                wrong.append(f"{route.name}: {str(exc).splitlines()[0]}")
    assert not wrong, f"{actor} on a {visibility} organisation:\n" + "\n".join(wrong)


def test_writes_to_a_hidden_organisation_answer_like_a_missing_one(
    session: Session, client: Any
) -> None:
    world = build_world(session, "restricted")
    caller = caller_for(session, client, make_user(session, "outsider", world))
    body = {"description_pl": "x"}
    missing = caller.send("PATCH", f"/api/v1/organisations/{world.target + 1000}", body)
    hidden = caller.send("PATCH", f"/api/v1/organisations/{world.target}", body)
    assert missing.status_code == 404
    assert hidden.status_code == missing.status_code


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/organisations/{own}/sites/{site}/delete", {}),
        ("POST", "/organisations/{own}/people/{person}/erase", {}),
        ("POST", "/organisations/{own}/capabilities/{capability}/delete", {}),
        ("DELETE", "/api/v1/sites/{site}", None),
        ("PUT", "/api/v1/people/{person}", {"full_name": "Przejęta"}),
    ],
)
def test_child_writes_check_the_child_s_own_organisation(
    method: str, path: str, body: dict[str, Any] | None, session: Session, client: Any
) -> None:
    """An editor of one organisation cannot reach another's rows through their own URL."""
    world = build_world(session, "public")
    caller = caller_for(session, client, make_user(session, "other_member", world))
    url = path.format(
        own=world.other,
        site=world.site,
        person=world.people["public"],
        capability=world.capability,
    )
    before = (sites(session, world), person_name(session, world), capabilities(session, world))

    response = caller.send(method, url, body)

    assert response.status_code == 403
    session.expire_all()
    after = (sites(session, world), person_name(session, world), capabilities(session, world))
    assert after == before
    target = session.get(Organisation, world.target)
    assert target is not None and target.people[2].erased_at is None


@pytest.mark.parametrize("via", ["form", "api"])
def test_only_staff_change_membership_status_and_kind(
    via: str, session: Session, client: Any
) -> None:
    world = build_world(session, "public")
    caller = caller_for(session, client, make_user(session, "own_editor", world))
    changes = {"membership_status": "former", "kind": "research"}

    if via == "form":
        response = caller.send("POST", f"/organisations/{world.target}/edit", EDIT_FORM | changes)
        assert response.status_code == 303  # the rest of the form is saved
    else:
        response = caller.send("PATCH", f"/api/v1/organisations/{world.target}", changes)
        assert response.status_code == 403

    session.expire_all()
    org = session.get(Organisation, world.target)
    assert org is not None
    assert (org.membership_status, org.kind) == ("member", "company")
