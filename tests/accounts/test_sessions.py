"""Server-side sessions: a cookie is worth only as long as its session row lives."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in

from upland.accounts import passwords, queries, service
from upland.accounts.models import SESSION_DAYS, User, UserSession
from upland.accounts.schemas import AuditFilter
from upland.actor import SYSTEM, Actor
from upland.errors import NotFound

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def phone(app: Any) -> Iterator[TestClient]:
    """A second browser of the same person, from another address."""
    with TestClient(
        app,
        base_url="https://testserver",
        headers={"user-agent": IPHONE},
        client=("10.0.0.2", 50000),
    ) as browser:
        yield browser


def logged_in(client: TestClient, account: User, user_agent: str | None = None) -> None:
    if user_agent:
        client.headers["user-agent"] = user_agent
    assert log_in(client, account.email).status_code == 303


def is_logged_in(client: TestClient) -> bool:
    return client.get("/account", follow_redirects=False).status_code == 200


def rows(session: Session, account: User) -> list[UserSession]:
    session.expire_all()
    stmt = select(UserSession).where(UserSession.user_id == account.id).order_by(UserSession.id)
    return list(session.scalars(stmt))


def acting_through(session: Session, account: User, row: UserSession) -> Actor:
    """The actor of a request that came with the browser session `row`."""
    return dataclasses.replace(factories.actor_of(session, account), session_id=row.id)


# --- the review's case: logging out ends the session on the server ----------------------


def test_a_cookie_copied_before_log_out_no_longer_works_after_it(
    session: Session, client: TestClient, app: Any
):
    account = factories.user(session)
    logged_in(client, account)
    copied = dict(client.cookies)
    page = client.get("/account")

    assert client.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 200

    with TestClient(app, base_url="https://testserver", cookies=copied) as thief:
        assert thief.get("/account", follow_redirects=False).status_code == 303
        assert thief.get("/api/v1/me").status_code == 403
    [row] = rows(session, account)
    assert row.ended_at is not None


def test_logging_in_again_ends_the_browser_s_previous_session(
    session: Session, client: TestClient, app: Any
):
    account = factories.user(session)
    logged_in(client, account)
    before = dict(client.cookies)

    logged_in(client, account)

    first, second = rows(session, account)
    assert first.ended_at is not None and second.ended_at is None
    with TestClient(app, base_url="https://testserver", cookies=before) as old:
        assert not is_logged_in(old)
    assert is_logged_in(client)


def test_the_cookie_carries_a_token_whose_hash_only_is_stored(session: Session, client: TestClient):
    account = factories.user(session)
    logged_in(client, account, IPHONE)
    [row] = rows(session, account)
    payload = client.cookies["upland_session"].split(".")[0]
    carried = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))

    assert set(carried) == {"sid", "csrf"}  # no user id
    assert row.token_hash == passwords.digest(carried["sid"]) != carried["sid"]
    assert (row.device, row.address) == ("Mobile Safari · iOS", "testclient")


# --- what ends sessions --------------------------------------------------------------------


def test_a_password_change_ends_the_other_sessions_and_keeps_the_current_one(
    session: Session, client: TestClient, phone: TestClient
):
    account = factories.user(session)
    logged_in(client, account)
    logged_in(phone, account)
    laptop_row, _ = rows(session, account)

    service.set_password(
        session, acting_through(session, account, laptop_row), account.id, "nowe-haslo-2026"
    )

    assert is_logged_in(client)
    assert not is_logged_in(phone)


def test_a_password_set_by_someone_else_ends_every_session(
    session: Session, client: TestClient, phone: TestClient
):
    """A reset by link or by staff: nobody's current session is the user's."""
    account = factories.user(session)
    logged_in(client, account)
    logged_in(phone, account)

    service.set_password(session, SYSTEM, account.id, "nowe-haslo-2026")

    assert not is_logged_in(client) and not is_logged_in(phone)
    assert all(row.ended_at is not None for row in rows(session, account))


def test_deactivation_ends_every_session_for_good(
    session: Session, client: TestClient, phone: TestClient
):
    account = factories.user(session)
    logged_in(client, account)
    logged_in(phone, account)

    service.deactivate_user(session, SYSTEM, account.id)

    assert all(row.ended_at is not None for row in rows(session, account))
    assert not is_logged_in(client) and not is_logged_in(phone)
    session.get(User, account.id).is_active = True  # type: ignore[union-attr]
    session.flush()
    assert not is_logged_in(client)  # an old cookie does not come back with the account


def test_erasure_ends_and_deletes_the_sessions(session: Session, client: TestClient):
    account = factories.user(session)
    logged_in(client, account)

    service.erase_user(session, SYSTEM, account.id)

    assert rows(session, account) == []
    assert not is_logged_in(client)


def test_a_session_unused_for_the_cookie_s_lifetime_is_over(session: Session, client: TestClient):
    account = factories.user(session)
    logged_in(client, account)
    [row] = rows(session, account)
    row.last_seen_at = row.last_seen_at - dt.timedelta(days=SESSION_DAYS, minutes=1)
    session.flush()
    assert not is_logged_in(client)


def test_sessions_unused_for_90_days_are_deleted_at_the_next_log_in(session: Session):
    account = factories.user(session)
    old, _ = service.start_session(session, account, FIREFOX, "10.0.0.1", None)
    recent, token = service.start_session(session, account, FIREFOX, "10.0.0.2", None)
    service.log_out(session, token)
    old.last_seen_at -= dt.timedelta(days=91)
    recent.last_seen_at -= dt.timedelta(days=89)
    session.flush()

    service.start_session(session, account, FIREFOX, "10.0.0.3", None)

    assert [r.address for r in rows(session, account)] == ["10.0.0.2", "10.0.0.3"]


def test_last_seen_is_written_at_most_once_a_minute(session: Session):
    account = factories.user(session)
    row, token = service.start_session(session, account, FIREFOX, "10.0.0.1", None)
    seen = row.last_seen_at

    assert service.touch_session(session, token) is row
    assert row.last_seen_at == seen and row not in session.dirty

    row.last_seen_at = seen - dt.timedelta(minutes=2)
    session.flush()
    service.touch_session(session, token)
    assert row.last_seen_at > seen
    assert service.touch_session(session, token + "x") is None


# --- the user ends their sessions ----------------------------------------------------------


def test_the_account_page_lists_sessions_and_ends_one(
    session: Session, client: TestClient, phone: TestClient
):
    account = factories.user(session)
    logged_in(client, account)
    logged_in(phone, account)
    _, phone_row = rows(session, account)

    page = client.get("/account")
    assert "Mobile Safari · iOS" in page.text and "10.0.0.2" in page.text
    assert page.text.count("to urządzenie") == 1  # the badge of the browser looking

    response = client.post(
        f"/account/sessions/{phone_row.id}/end",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=False,
    )

    assert (response.status_code, response.headers["location"]) == (303, "/account#sessions")
    assert not is_logged_in(phone) and is_logged_in(client)
    assert "Mobile Safari" not in client.get("/account").text


def test_ending_all_other_sessions(session: Session, client: TestClient, phone: TestClient, app):
    account = factories.user(session)
    logged_in(client, account)
    logged_in(phone, account)
    with TestClient(app, base_url="https://testserver", client=("10.0.0.3", 50000)) as tablet:
        logged_in(tablet, account)
        page = client.get("/account", params={"lang": "en"})
        assert "End all other sessions" in page.text

        client.post("/account/sessions/end-others", data={"csrf_token": csrf_of(page)})

        assert not is_logged_in(phone) and not is_logged_in(tablet)
    assert is_logged_in(client)
    assert [r.ended_at is None for r in rows(session, account)] == [True, False, False]


def test_sessions_over_the_api(session: Session, client: TestClient, phone: TestClient):
    account = factories.user(session)
    logged_in(client, account)
    logged_in(phone, account)
    csrf = {"x-csrf-token": csrf_of(client.get("/account"))}
    laptop_row, phone_row = rows(session, account)

    listed = client.get("/api/v1/me/sessions").json()

    assert {(s["id"], s["current"], s["address"]) for s in listed} == {
        (laptop_row.id, True, "testclient"),
        (phone_row.id, False, "10.0.0.2"),
    }
    assert all("token" not in key for s in listed for key in s)
    assert client.delete(f"/api/v1/me/sessions/{phone_row.id}", headers=csrf).status_code == 204
    assert not is_logged_in(phone)
    again = client.delete(f"/api/v1/me/sessions/{phone_row.id}", headers=csrf)
    assert again.status_code == 404
    assert again.json()["detail"] == f"session {phone_row.id} is not one of your active sessions"


def test_another_user_s_session_is_not_found(session: Session, client: TestClient):
    mine, theirs = factories.user(session), factories.user(session, role="coordinator")
    their_row, their_token = service.start_session(session, theirs, FIREFOX, "10.0.0.5", None)
    logged_in(client, mine)
    csrf = {"x-csrf-token": csrf_of(client.get("/account"))}

    response = client.delete(f"/api/v1/me/sessions/{their_row.id}", headers=csrf)

    assert response.status_code == 404
    assert service.touch_session(session, their_token) is their_row
    staff = factories.actor_of(session, factories.user(session, role="coordinator"))
    with pytest.raises(NotFound):
        service.end_session(session, staff, their_row.id)


def test_personal_data_lists_the_sessions(session: Session):
    account = factories.user(session)
    _, token = service.start_session(session, account, FIREFOX, "10.0.0.1", None)
    service.log_out(session, token)

    data = queries.personal_data(session, factories.actor_of(session, account), account.id)

    [listed] = data["sessions"]
    assert (listed["device"], listed["address"]) == ("Firefox · Linux", "10.0.0.1")
    assert listed["ended_at"] is not None
    assert token not in str(data)


def test_starting_and_ending_sessions_is_audited(session: Session):
    account = factories.user(session)
    row, _ = service.start_session(session, account, FIREFOX, "10.0.0.1", None)
    service.end_session(session, factories.actor_of(session, account), row.id)
    entries = [
        (e.action, e.actor_user_id)
        for e in queries.list_audit(session, SYSTEM, AuditFilter(action="accounts.session."))
        if e.object_id == str(row.id)
    ]
    assert sorted(entries) == [
        ("accounts.session.end", account.id),
        ("accounts.session.start", account.id),
    ]
