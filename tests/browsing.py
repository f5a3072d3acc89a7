"""Acting through the web UI as a browser does: log-in form, CSRF tokens, bearer tokens.

Also `rolled_back`, which lets one test try many writes against the same world, and cheap
argon2id parameters for tests that create and log in many users.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from tests import factories
from upland.accounts import passwords
from upland.accounts import service as account_service
from upland.accounts.models import User
from upland.actor import SYSTEM

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def use_fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with parameters cheap enough for hundreds of log-ins."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def csrf_of(response: Any) -> str:
    """The CSRF token of a page's first form."""
    found = CSRF_FIELD.search(response.text)
    assert found, f"no CSRF field on {response.url}"
    return found.group(1)


@dataclass
class Caller:
    """A browser (session cookie and the CSRF token from its pages) and an API client."""

    client: Any
    csrf: str
    bearer: str | None = None

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Forms for pages; JSON with the bearer token (else the CSRF header) for the API."""
        if not path.startswith("/api/"):
            form = None if method == "GET" else {**(body or {}), "csrf_token": self.csrf}
            return self.client.request(method, path, data=form, follow_redirects=False)
        headers = (
            {"authorization": f"Bearer {self.bearer}"}
            if self.bearer
            else {"x-csrf-token": self.csrf}
        )
        return self.client.request(method, path, json=body, headers=headers)

    @contextmanager
    def keeping_cookies(self) -> Iterator[None]:
        """Put the session cookie back after a request that logs out or switches users."""
        saved = dict(self.client.cookies)
        try:
            yield
        finally:
            self.client.cookies.clear()
            for name, value in saved.items():
                self.client.cookies.set(name, value)


def log_in(client: Any, email: str, password: str = factories.PASSWORD) -> Any:
    """Post the log-in form with the token from the log-in page; the response."""
    token = csrf_of(client.get("/login"))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def caller_for(session: Session, client: Any, account: User | None) -> Caller:
    """A logged-in browser with a bearer token for `account`, or an anonymous visitor."""
    if account is None:
        return Caller(client, csrf_of(client.get("/login")))
    response = log_in(client, account.email)
    assert response.status_code == 303, response.text
    _, bearer = account_service.issue_token(session, SYSTEM, account.id, "tests")
    return Caller(client, csrf_of(client.get("/account")), bearer)


@contextmanager
def rolled_back(session: Session, connection: Connection) -> Iterator[None]:
    """Undo everything done inside, so each of several writes meets the same world."""
    session.commit()
    checkpoint = connection.begin_nested()
    try:
        yield
    finally:
        session.close()
        checkpoint.rollback()
