"""Answers that carry personal data or secrets are never stored by browsers or proxies."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.accounts import service
from upland.actor import SYSTEM


def test_personal_and_secret_answers_say_no_store(session: Session, client: Any) -> None:
    org = factories.organisation(session)
    invited = service.add_member(session, SYSTEM, org.id, "nowa@firma.example", "viewer")
    caller = caller_for(session, client, factories.user(session, role="viewer", org=org))
    answers = [
        caller.send("GET", "/account"),
        caller.send("GET", "/account/data.json"),
        caller.send("POST", "/account/tokens", {"name": "laptop"}),
        caller.send("GET", "/api/v1/me/data"),
        client.get(f"/invitations/{invited.token}"),
        client.get("/password/reset/no-such-link"),
    ]
    for answer in answers:
        assert answer.status_code < 500, answer.url
        assert answer.headers["cache-control"] == "no-store", answer.url


def test_static_files_may_be_cached(client: Any) -> None:
    answer = client.get("/static/upland.css")
    assert answer.status_code == 200 and "cache-control" not in answer.headers
