"""Forgotten passwords: the same answer for every address, a one-time link e-mailed to the
account, used up on use, replaced by a newer request, expiring after an hour; rate-limited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in
from tests.mailbox import Mailbox, text_of

from upland.accounts import passwords, service
from upland.accounts.models import PasswordReset, User
from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.db import utcnow
from upland.errors import Gone, Invalid, NotFound, PermissionDenied

NEW_PASSWORD = "nowe-haslo-2026"


def reset_link(message: Any) -> str:
    found = re.search(r"https://upland\.test(/password/reset/[\w-]+)", text_of(message))
    assert found, "no reset link in the e-mail"
    return found.group(1)


def ask(client: TestClient, email: str) -> Any:
    page = client.get("/password/forgot")
    return client.post("/password/forgot", data={"email": email, "csrf_token": csrf_of(page)})


def test_the_log_in_page_offers_a_new_password(client: TestClient):
    assert 'href="/password/forgot"' in client.get("/login").text
    assert "Nie pamiętasz hasła?" in client.get("/login?lang=pl").text


def test_a_reset_works_end_to_end_from_the_e_mail(
    session: Session, client: TestClient, mailbox: Mailbox
):
    user = factories.user(session, email="ewa@firma.example")

    answer = ask(client, "Ewa@Firma.example")

    assert answer.status_code == 200 and 'id="reset-sent"' in answer.text
    [message] = mailbox.to("ewa@firma.example")
    assert message["List-Unsubscribe"] is None  # a security message
    link = reset_link(message)
    page = client.get(link)
    assert page.status_code == 200
    token = csrf_of(page)
    differ = client.post(
        link,
        data={"password": NEW_PASSWORD, "password_repeat": "inne", "csrf_token": token},
    )
    assert differ.status_code == 422
    weak = client.post(
        link, data={"password": "krotkie", "password_repeat": "krotkie", "csrf_token": token}
    )
    assert weak.status_code == 422
    done = client.post(
        link,
        data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD, "csrf_token": token},
    )
    assert done.status_code == 200 and 'id="reset-done"' in done.text
    assert log_in(client, user.email, NEW_PASSWORD).status_code == 303
    client.cookies.clear()
    assert log_in(client, user.email, factories.PASSWORD).status_code == 401
    used = client.get(link)
    assert used.status_code == 410
    changed = mailbox.to("ewa@firma.example")[-1]
    assert changed["Subject"] == "Zmieniono Twoje hasło w Upland"
    assert changed["List-Unsubscribe"] is None


@pytest.mark.parametrize("who", ["unknown", "inactive", "pending"])
def test_the_answer_is_the_same_for_an_address_without_an_active_account(
    session: Session, client: TestClient, mailbox: Mailbox, who: str
):
    known = factories.user(session, email="jest@firma.example")
    email = {"unknown": "nikt@firma.example", "inactive": "off@firma.example"}.get(
        who, "czeka@firma.example"
    )
    if who == "inactive":
        service.deactivate_user(session, SYSTEM, factories.user(session, email=email).id)
    if who == "pending":
        service.add_member(session, SYSTEM, factories.organisation(session).id, email, "admin")

    nothing, something = ask(client, email), ask(client, known.email)

    assert (nothing.status_code, something.status_code) == (200, 200)
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", nothing.text) == strip.sub("", something.text)
    assert [m for m in mailbox.to(email) if "/password/" in text_of(m)] == []
    assert len(mailbox.to(known.email)) == 1


def test_a_new_request_replaces_older_links(session: Session, mailbox: Mailbox):
    user = factories.user(session, email="ewa@firma.example")
    service.request_password_reset(session, user.email, "10.0.0.1")
    session.commit()
    service.request_password_reset(session, user.email, "10.0.0.1")
    session.commit()
    older, newer = (reset_link(m).rsplit("/", 1)[1] for m in mailbox.to(user.email))

    with pytest.raises(Gone, match="replaced"):
        service.reset_password(session, older, NEW_PASSWORD)
    service.reset_password(session, newer, NEW_PASSWORD)
    with pytest.raises(Gone, match="used"):
        service.reset_password(session, newer, "jeszcze-inne-2026")
    with pytest.raises(NotFound):
        service.reset_password(session, newer[:-2] + "xx", NEW_PASSWORD)
    assert service.authenticate(session, user.email, NEW_PASSWORD, "10.0.0.1")


def test_a_link_expires_after_an_hour_and_with_the_account(session: Session, mailbox: Mailbox):
    user = factories.user(session, email="ewa@firma.example")
    other = factories.user(session, email="jan@firma.example")
    for account in (user, other):
        service.request_password_reset(session, account.email, "10.0.0.1")
    session.commit()
    stale, switched_off = (reset_link(m).rsplit("/", 1)[1] for m in mailbox.messages)
    reset = session.scalars(select(PasswordReset).where(PasswordReset.user_id == user.id)).one()
    assert dt.timedelta(minutes=59) < reset.expires_at - utcnow() <= dt.timedelta(hours=1)
    reset.expires_at = utcnow() - dt.timedelta(seconds=1)
    service.deactivate_user(session, SYSTEM, other.id)

    with pytest.raises(Gone, match="expired"):
        service.reset_password(session, stale, NEW_PASSWORD)
    with pytest.raises(NotFound):  # deactivating deletes open links
        service.reset_password(session, switched_off, NEW_PASSWORD)


def test_a_weak_password_leaves_the_link_usable(session: Session):
    user = factories.user(session, email="ewa@firma.example")
    service.request_password_reset(session, user.email, "10.0.0.1")
    stored = session.scalars(select(PasswordReset)).one()
    token = "t" * 43
    stored.token_hash = passwords.digest(token)
    with pytest.raises(Invalid):
        service.reset_password(session, token, "krotkie")
    assert stored.used_at is None


def test_a_client_address_asking_too_often_is_refused(session: Session):
    for n in range(20):
        service.request_password_reset(session, f"nikt{n}@firma.example", "10.0.0.9")
    with pytest.raises(PermissionDenied, match="too many"):
        service.request_password_reset(session, "ktos@firma.example", "10.0.0.9")


def test_nobody_can_refuse_the_owner_a_reset_and_the_last_link_stays_valid(session: Session):
    user = factories.user(session, email="ewa@firma.example")
    for _ in range(3):
        service.request_password_reset(session, "ewa@firma.example", "10.0.0.1")
    [last] = session.scalars(select(PasswordReset).where(PasswordReset.used_at.is_(None))).all()

    service.request_password_reset(session, "EWA@firma.example", "10.0.0.2")  # no refusal

    assert len(session.scalars(select(PasswordReset)).all()) == 3  # nothing more sent
    assert last.used_at is None  # and the e-mailed link still works
    assert session.scalar(select(User.id).where(User.id == user.id)) == user.id


def test_the_page_says_when_there_were_too_many_requests(session: Session, client: TestClient):
    for n in range(20):
        ask(client, f"nikt{n}@firma.example")
    answer = ask(client, "ewa@firma.example")
    assert answer.status_code == 429 and "zbyt wiele próśb o nowe hasło" in answer.text


def test_the_owner_still_gets_the_same_answer_after_others_asked(
    session: Session, client: TestClient
):
    factories.user(session, email="ewa@firma.example")
    for _ in range(4):
        answer = ask(client, "ewa@firma.example")
        assert answer.status_code == 200 and 'id="reset-sent"' in answer.text


def test_known_and_unknown_addresses_do_the_same_database_work(session: Session):
    factories.user(session, email="ewa@firma.example")
    service.request_password_reset(session, "ewa@firma.example", "10.0.0.1")
    service.request_password_reset(session, "nikt@firma.example", "10.0.0.1")
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "accounts.password_reset.request")
    ).all()
    assert len(entries) == 2


@pytest.mark.parametrize("email", ["ewa@firma.example,zly@evil.example", '"a,b"@firma.example'])
def test_a_reset_is_asked_for_one_plain_address(session: Session, email: str):
    factories.user(session, email="ewa@firma.example")
    with pytest.raises(Invalid):
        service.request_password_reset(session, email, "10.0.0.1")
    assert session.scalars(select(PasswordReset)).all() == []


def test_an_unusable_link_says_why(session: Session, client: TestClient):
    assert client.get("/password/reset/" + "x" * 43).status_code == 404
    assert client.get("/password/reset/" + "x" * 201).status_code == 422
    assert session.scalar(select(User.id).where(User.email == "x")) is None


def test_a_hostile_host_header_never_reaches_a_link(
    session: Session, client: TestClient, mailbox: Mailbox
):
    """Links come from UPLAND_PUBLIC_URL only: a forged Host or X-Forwarded-Host changes
    nothing in the e-mail (item 19 of the security issue)."""
    factories.user(session, email="ewa@firma.example")
    page = client.get("/password/forgot")
    forged = {"host": "evil.example:8781", "x-forwarded-host": "evil.example"}

    answer = client.post(
        "/password/forgot",
        data={"email": "ewa@firma.example", "csrf_token": csrf_of(page)},
        headers=forged,
    )

    assert answer.status_code == 200
    [message] = mailbox.to("ewa@firma.example")
    assert "evil.example" not in message.as_string()
    assert reset_link(message).startswith("/password/reset/")
