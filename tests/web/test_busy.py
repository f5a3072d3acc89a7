"""A long write (an import on SQLite) holds the database: reading still works for everyone,
logged in or not, and a write is answered 503 with Retry-After — never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland import db
from upland.errors import Busy

LOCKED = OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))


def test_a_held_writer_lock_becomes_busy_and_other_errors_stay(session: Session) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise LOCKED

    session.commit()
    original = session.connection
    session.connection = locked  # type: ignore[method-assign]
    try:
        with pytest.raises(Busy), db.writing(session):
            pass
        session.connection = lambda *a, **k: (_ for _ in ()).throw(  # type: ignore[method-assign]
            OperationalError("SELECT", {}, Exception("no such table: x"))
        )
        with pytest.raises(OperationalError), db.writing(session):
            pass
    finally:
        session.connection = original  # type: ignore[method-assign]


def _held(session: Session) -> Any:
    """Every unit of work finds the database held, as during a long import on SQLite."""
    raise Busy("the platform is busy with a long task (such as an import); try again in a moment")


def test_logged_in_reading_works_while_the_database_is_busy(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factories.organisation(session)
    user = factories.user(session, role="viewer", org=org)
    caller = caller_for(session, client, user)
    from upland.web import deps

    monkeypatch.setattr(deps, "unit_of_work", _held)

    page = client.get(f"/organisations/{org.id}")
    api = client.get("/api/v1/me", headers={"authorization": f"Bearer {caller.bearer}"})

    assert page.status_code == 200 and user.full_name in page.text  # still logged in
    assert api.status_code == 200 and api.json()["email"] == user.email


def test_a_write_while_the_database_is_busy_is_503_with_retry_after(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factories.organisation(session)
    editor = caller_for(session, client, factories.user(session, role="editor", org=org))
    from upland.organisations.routes import api

    monkeypatch.setattr(api, "unit_of_work", _held)

    answer = client.patch(
        f"/api/v1/organisations/{org.id}",
        json={"description_pl": "Nowy opis"},
        headers={"authorization": f"Bearer {editor.bearer}"},
    )

    assert answer.status_code == 503
    assert answer.headers["retry-after"] == "5"
    assert answer.json()["code"] == "busy"
