"""Security events (issue #6, item 19): what is logged to `upland.security`, and what never."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for, log_in

from upland.accounts import queries, service
from upland.actor import SYSTEM
from upland.logs import JsonFormatter, security_event

WRONG = "wrong-password-1"


def events(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "upland.security"]


def named(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in events(caplog)]


def fields(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter().format(record))


def test_log_ins_and_log_outs_are_security_events(
    session: Session, client: TestClient, caplog: pytest.LogCaptureFixture
):
    account = factories.user(session, email="ola@test.example")
    caplog.set_level(logging.INFO, logger="upland.security")

    for _ in range(10):
        log_in(client, account.email, WRONG)
    log_in(client, account.email, WRONG)
    assert named(caplog) == ["login.failed"] * 10 + ["login.blocked"]
    failed, blocked = fields(events(caplog)[0]), fields(events(caplog)[-1])
    assert (failed["event"], failed["email"], failed["address"]) == (
        "login.failed",
        "ola@test.example",
        "testclient",
    )
    assert failed["user_id"] == account.id
    assert blocked["limit"] == "account-address"

    caplog.clear()
    other = factories.user(session)
    caller = caller_for(session, client, other)
    caller.send("POST", "/logout")
    assert named(caplog) == [
        "login.succeeded",
        "session.started",
        "token.issued",
        "logout",
        "session.ended",
    ]
    assert fields(events(caplog)[-1])["reason"] == "logged out"


def test_role_changes_deactivation_and_tokens_are_security_events(
    session: Session, client: TestClient, caplog: pytest.LogCaptureFixture
):
    org = factories.organisation(session)
    account = factories.user(session)
    caplog.set_level(logging.INFO, logger="upland.security")

    service.grant_role(session, SYSTEM, account.id, "editor", org.id)
    service.grant_role(session, SYSTEM, account.id, "coordinator")
    service.revoke_role(session, SYSTEM, account.id, "coordinator")
    service.revoke_role(session, SYSTEM, account.id, "editor", org.id)
    token, plain = service.issue_token(session, SYSTEM, account.id, "ci")
    client.get("/api/v1/me", headers={"authorization": f"Bearer {plain}"})
    service.revoke_token(session, SYSTEM, token.id)
    client.get("/api/v1/me", headers={"authorization": f"Bearer {plain}"})
    service.deactivate_user(session, SYSTEM, account.id)

    assert named(caplog) == [
        "role.granted",
        "role.granted",
        "role.revoked",
        "role.revoked",
        "token.issued",
        "token.used",
        "token.revoked",
        "token.refused",
        "user.deactivated",
    ]
    granted = fields(events(caplog)[0])
    assert (granted["role"], granted["organisation_id"], granted["by"]) == (
        "editor",
        org.id,
        "system",
    )
    used = fields(events(caplog)[5])
    assert (used["token_id"], used["prefix"]) == (token.id, token.prefix)


def test_no_password_or_token_is_ever_logged(
    session: Session, client: TestClient, caplog: pytest.LogCaptureFixture
):
    account = factories.user(session, email="ola@test.example")
    caplog.set_level(logging.DEBUG)
    log_in(client, account.email, WRONG)
    caller = caller_for(session, client, account)
    caller.send("GET", "/api/v1/me")
    caller.send("POST", "/account/tokens", {"name": "laptop"})
    service.set_password(session, SYSTEM, account.id, "nowe-haslo-2026")

    logged = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    cookie = client.cookies["upland_session"]
    assert "session.ended" in logged  # the password change ended the browser session
    for secret in (WRONG, factories.PASSWORD, "nowe-haslo-2026", caller.bearer, cookie):
        assert secret and secret not in logged


def test_fields_that_clash_with_log_record_attributes_are_kept(
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.INFO, logger="upland.security")
    security_event("probe", name="x", message="y", user_id=1)
    record = fields(events(caplog)[0])
    assert (record["event"], record["field_name"], record["field_message"]) == ("probe", "x", "y")
    assert record["logger"] == "upland.security" and record["user_id"] == 1


def test_a_role_taken_by_accepting_an_invitation_or_offer_is_a_security_event(
    session: Session, caplog: pytest.LogCaptureFixture
):
    org = factories.organisation(session)
    existing = factories.user(session, email="jan@firma.example")
    invited = service.add_member(session, SYSTEM, org.id, "nowa@firma.example", "admin")
    offered = service.add_member(session, SYSTEM, org.id, existing.email, "editor")
    caplog.set_level(logging.INFO, logger="upland.security")

    newcomer = service.accept_invitation(session, invited.token, "Ewa Nowa", "nowe-haslo-2026")
    service.accept_offer(session, queries.actor_for(session, existing), offered.invitation.id)

    granted = [fields(r) for r in events(caplog) if r.getMessage() == "role.granted"]
    assert [(g["user_id"], g["role"], g["organisation_id"]) for g in granted] == [
        (newcomer.id, "admin", org.id),
        (existing.id, "editor", org.id),
    ]
    assert {g["by"] for g in granted} == {newcomer.email, existing.email}
