"""The whole application's permission matrix (DESIGN §6), generated from the route table.

Every route the app serves (every method and path, pages and API) needs a row in one area's
`matrix_rows` module (listed in `AREAS`); `tests/test_route_matrix.py` fails naming a route
with no row, and a row that matches no route. A row says, for each kind of actor, which status
the route answers, and (for writes) what to observe: a value read before and after the request
that changes exactly when the write was allowed. Each area module provides

- `VARIANTS`: the worlds it is checked in (the registry: one per visibility of its target);
- `build_world(session, variant) -> World`: one world, with an account for each actor;
- `ROWS`: its rows.

Every actor logs in (form, CSRF token, and a bearer token for the API) and tries every row of
the world; each row runs inside a savepoint rolled back afterwards, so writes never leak.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import csrf_of, log_in
from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.organisations.models import Organisation

ACTORS = (
    "anonymous",
    "outsider",  # logged in, with no role anywhere
    "other_viewer",  # a viewer of another (member) organisation
    "own_viewer",
    "own_editor",
    "own_admin",
    "officer_here",  # the officer of the partner area where the world's organisation sits
    "officer_elsewhere",
    "coordinator",
    "platform_admin",
)
EVERYONE = frozenset(ACTORS)
USERS = EVERYONE - {"anonymous"}
STAFF = frozenset({"coordinator", "platform_admin"})
HERE = "0663011"  # Lublin: where the worlds' organisations sit
ELSEWHERE = "1463011"  # Radom

AREAS = (
    "tests.web.matrix_rows",
    "tests.home.matrix_rows",
    "tests.accounts.matrix_rows",
    "tests.organisations.matrix_rows",
    "tests.market.matrix_rows",
    "tests.reference.matrix_rows",
    "tests.notifications.matrix_rows",
    "tests.market.interest_rows",
    "tests.market.dashboard.matrix_rows",
    "tests.market.saved.matrix_rows",
    "tests.matching.matrix_rows",
    "tests.events.matrix_rows",
    "tests.events.registration_rows",
    "tests.events.request_rows",
    "tests.events.schedule_rows",
    "tests.events.report_rows",
    "tests.network.matrix_rows",
    "tests.network.recommendation_rows",
)

Fields = dict[str, Any]
Expect = Callable[[str, str], int]  # (actor, variant) -> status


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str  # a template filled from the world's fields for the actor; may carry a query
    expect: Expect
    ok: int  # the status of success: a write is observed exactly when it is answered
    body: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes]] | None = None
    observe: Callable[[Session, Fields], Any] | None = None  # changes iff the write happened
    check: Callable[[Any, Fields, str, str], None] | None = None  # on success
    prepare: Callable[[Caller, Fields], Fields] | None = None  # extra fields, e.g. an upload
    variants: tuple[str, ...] | None = None  # the worlds it runs in; None: every one


def denial(method: str, path: str, actor: str, denied: int = 403) -> int:
    """The anonymous asking for a page go to the log-in; everybody else gets `denied`."""
    page = method == "GET" and not path.startswith("/api/")
    if actor == "anonymous":
        return 303 if page else 403
    return denied


def row(
    name: str,
    method: str,
    path: str,
    who: frozenset[str] | set[str],
    ok: int,
    *,
    denied: int = 403,
    **more: Any,
) -> Row:
    """A row whose answer depends on the actor only: `ok` for `who`, else the denial."""

    def expect(actor: str, _variant: str) -> int:
        return ok if actor in who else denial(method, path, actor, denied)

    return Row(name, method, path, expect, ok, **more)


@dataclass
class World:
    """Accounts of every actor (id, e-mail) and the values rows fill their paths with."""

    accounts: dict[str, tuple[int, str] | None]
    shared: Fields
    per_actor: dict[str, Fields] = field(default_factory=dict)

    def fields(self, actor: str) -> Fields:
        account = self.accounts[actor]
        mine = {"me": account[0], "email": account[1]} if account else {"me": None, "email": None}
        return {**self.shared, **mine, **self.per_actor.get(actor, {})}


def make_accounts(
    session: Session, own: int, other: int, officer_here: str = HERE
) -> dict[str, tuple[int, str] | None]:
    """One user per actor: roles in `own` (the world's organisation) and `other`."""
    grants: dict[str, dict[str, Any]] = {
        "outsider": {},
        "other_viewer": {"role": "viewer", "org": other},
        "own_viewer": {"role": "viewer", "org": own},
        "own_editor": {"role": "editor", "org": own},
        "own_admin": {"role": "admin", "org": own},
        "officer_here": {"role": "officer", "teryt": officer_here},
        "officer_elsewhere": {"role": "officer", "teryt": ELSEWHERE},
        "coordinator": {"role": "coordinator"},
        "platform_admin": {"role": "platform-admin"},
    }
    accounts: dict[str, tuple[int, str] | None] = {"anonymous": None}
    for actor, grant in grants.items():
        if "org" in grant:
            grant = {**grant, "org": session.get(Organisation, grant["org"])}
        user = factories.user(session, **grant)
        accounts[actor] = (user.id, user.email)
    return accounts


@dataclass
class Caller:
    """One actor's browser (cookie and CSRF token) and API client (bearer token)."""

    client: Any
    csrf: str
    bearer: str | None

    def send(self, row: Row, path: str, body: dict[str, Any] | None) -> Any:
        if not path.startswith("/api/"):
            form = None if row.method == "GET" else {**(body or {}), "csrf_token": self.csrf}
            return self.client.request(
                row.method, path, data=form, files=row.files, follow_redirects=False
            )
        headers = (
            {"authorization": f"Bearer {self.bearer}"}
            if self.bearer
            else {"x-csrf-token": self.csrf}
        )
        if row.files:  # a multipart upload
            return self.client.request(
                row.method, path, data=body, files=row.files, headers=headers
            )
        return self.client.request(row.method, path, json=body, headers=headers)

    @contextmanager
    def keeping_cookies(self) -> Iterator[None]:
        """Put the session cookie back after a request that logs out or switches users."""
        saved = list(self.client.cookies.jar)
        try:
            yield
        finally:
            self.client.cookies.clear()
            for cookie in saved:
                self.client.cookies.jar.set_cookie(cookie)


def caller_for(session: Session, client: Any, account: tuple[int, str] | None) -> Caller:
    client.cookies.clear()
    if account is None:
        return Caller(client, csrf_of(client.get("/login")), None)
    response = log_in(client, account[1])
    assert response.status_code == 303, response.text
    _, bearer = account_service.issue_token(session, SYSTEM, account[0], "tests")
    return Caller(client, csrf_of(client.get("/account")), bearer)


def check_row(
    row: Row, actor: str, variant: str, fields: Fields, caller: Caller, session: Session
) -> None:
    if row.prepare:
        fields = {**fields, **row.prepare(caller, fields)}
    path = row.path.format(**fields)
    body = row.body and {
        k: v.format(**fields) if isinstance(v, str) else v for k, v in row.body.items()
    }
    before = row.observe(session, fields) if row.observe else None

    with caller.keeping_cookies():  # logging in, out or erasing ends the caller's session
        response = caller.send(row, path, body)

    status = row.expect(actor, variant)
    assert response.status_code == status, f"{row.method} {path} answered {response.status_code}"
    if row.observe:
        session.expire_all()
        changed = row.observe(session, fields) != before
        assert changed is (status == row.ok), "written" if changed else "not written"
    if status == 303 and row.method == "GET" and actor == "anonymous" and row.name != "language":
        # Back to the same page, its query included, once logged in (the language switch's
        # 303 is its own: back to the page it names).
        assert response.headers["location"] == "/login?next=" + quote(path, safe="/")
    if row.check and status == row.ok:
        row.check(response, fields, actor, variant)


# --- the route table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Served:
    method: str
    path: str
    regex: re.Pattern[str]


def served_routes(app: FastAPI) -> list[Served]:
    """Every method and path the app answers (mounted static files aside)."""
    found: list[Served] = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if hasattr(route, "effective_route_contexts"):  # an included router
                walk(list(route.effective_route_contexts()))
            elif hasattr(route, "path_regex") and getattr(route, "methods", None):
                for method in route.methods - {"HEAD"}:
                    found.append(Served(method, route.path, route.path_regex))

    walk(list(app.routes))
    return found


def sample_path(template: str) -> str:
    """A row's path with every placeholder filled, to match against the route table."""
    return re.sub(r"\{[^}]+\}", "1", template).split("?")[0]


def route_of(row: Row, served: list[Served]) -> Served | None:
    path = sample_path(row.path)
    for route in served:
        if route.method == row.method and route.regex.match(path):
            return route
    return None
