"""The registry's permission matrix (DESIGN §6): every route × every kind of actor × visibility.

The expectation table below restates the rules of `upland.organisations.permissions` by hand,
so a change of a rule shows up here as a failing case, never silently.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from upland.accounts import passwords
from upland.accounts import service as account_service
from upland.accounts.actor import SYSTEM
from upland.organisations.models import Organisation, OrganisationCapability, Person, Site

HERE = "0663011"  # Lublin: the target organisation's city
ELSEWHERE = "1463011"  # Radom: the other organisation's city
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

# --- The expectation table ---------------------------------------------------------------------
ALL = "public", "members", "restricted"
# actor kind: (organisation visibilities the actor sees,
#              registry writes the actor may do,
#              contact consents under which the actor sees a person's e-mail and phone)
RULES: dict[str, tuple[set[str], set[str], set[str]]] = {
    "anonymous": ({"public"}, set(), {"public"}),
    "outsider": ({"public"}, set(), {"public"}),  # logged in, no member organisation
    "other_member": ({"public", "members"}, set(), {"public", "members"}),
    "own_viewer": (set(ALL), set(), {"public", "members", "private"}),
    "own_editor": (set(ALL), {"edit"}, {"public", "members", "private"}),
    "own_admin": (set(ALL), {"edit"}, {"public", "members", "private"}),
    "officer_here": (set(ALL), set(), {"public", "members"}),
    "officer_elsewhere": ({"public", "members"}, set(), {"public", "members"}),
    "coordinator": (set(ALL), {"create", "edit", "delete"}, {"public", "members", "private"}),
    "platform_admin": (set(ALL), {"create", "edit", "delete"}, {"public", "members", "private"}),
}
ACTORS = tuple(RULES)
# Writes on an organisation the actor may not even see should answer 404 like the detail page
# does; the service checks `edit` first and answers 403 (see the xfail test at the end).
HIDDEN_WRITE = 403


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2id parameters: the matrix logs in hundreds of times."""
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", fast)
    monkeypatch.setattr(passwords, "_DUMMY", fast.hash("dummy"))


# --- The world each case runs in ---------------------------------------------------------------


@dataclass
class World:
    target: int
    other: int
    site: int
    capability: int
    people: dict[str, int]  # contact consent -> person id
    visibility: str


def _contact(consent: str) -> dict[str, str]:
    return {"email": f"{consent}@contact.example", "phone": f"+48 81 {len(consent):03d} 77 77"}


def build_world(session: Session, visibility: str) -> World:
    target = factories.organisation(
        session,
        short_name="Matrix Cel",
        visibility=visibility,
        people=[
            {"full_name": f"Osoba {c}", "contact_visibility": c, **_contact(c)}
            for c in ("private", "members", "public")
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
        visibility=visibility,
    )


def make_user(session: Session, kind: str, world: World) -> str | None:
    """The e-mail of a fresh user of `kind`, or None for the anonymous visitor."""
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
    if kind == "anonymous":
        return None
    return factories.user(session, **grants[kind]).email


@dataclass
class Caller:
    """A browser session (cookie + CSRF token) and, for API clients, a bearer token."""

    client: Any
    csrf: str
    bearer: str | None = None

    def html(self, method: str, path: str, form: dict[str, str] | None) -> Any:
        data = None if method == "GET" else {**(form or {}), "csrf_token": self.csrf}
        return self.client.request(method, path, data=data, follow_redirects=False)

    def api(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        headers = (
            {"authorization": f"Bearer {self.bearer}"} if self.bearer else {"x-csrf-token": self.csrf}
        )
        return self.client.request(method, path, json=body, headers=headers)


def csrf_of(response: Any) -> str:
    found = CSRF.search(response.text)
    assert found, f"no CSRF field on {response.url}"
    return found.group(1)


def log_in(client: Any, email: str | None) -> str:
    """Log in through the form like a browser; the CSRF token of the new session."""
    token = csrf_of(client.get("/login"))
    if email is None:
        return token
    response = client.post(
        "/login",
        data={"email": email, "password": factories.PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/account"))


def caller_for(session: Session, client: Any, email: str | None) -> Caller:
    caller = Caller(client, log_in(client, email))
    if email is not None:
        account = account_service.get_user_by_email(session, email) if False else None  # noqa
    return caller
