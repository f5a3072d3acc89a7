"""Every write route of the app × every kind of actor: a refusal is a proper page or JSON body,
never a 5xx.

The routes come from the app's route table, so a new write route is swept without being listed.
Unlike the permission matrices, each request gets its own database session that is closed when
the request ends, as in production: error pages then render after the unit of work rolled back
and the session closed, which is where an ORM-bound page header used to fail (issue #6, item 6).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from tests.browsing import caller_for, rolled_back
from tests.matrix import Fields
from tests.organisations.matrix_rows import (
    CAPABILITY_FORM,
    CREATE_FORM,
    EDIT_FORM,
    NEW_MEMBER,
    PERSON_FORM,
    RULES,
    SITE_FORM,
    build_world,
)

from upland.accounts.models import User
from upland.app import create_app
from upland.web.deps import get_session

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

# A plausible body per endpoint, so a request gets past validation to the permission check.
BODIES: dict[str, dict[str, Any]] = {
    "login": {"email": "nikt@test.example", "password": "nie-to-haslo-1"},
    "create_token_form": {"name": "sweep"},
    "add_member_form": NEW_MEMBER,
    "api_add_member": NEW_MEMBER,
    "change_member_role_form": {"role": "editor"},
    "api_change_member_role": {"role": "editor"},
    "accept_invitation_form": {"full_name": "Ktoś", "password": "dobre-haslo-2026"},
    "api_create_organisation": {"legal_name": "Sweep sp. z o.o.", "kind": "company"},
    "api_update_organisation": {"description_pl": "Nowy opis"},
    "api_add_site": SITE_FORM,
    "api_update_site": SITE_FORM,
    "api_add_person": PERSON_FORM,
    "api_update_person": PERSON_FORM,
    "api_add_capability": CAPABILITY_FORM,
    "create_organisation_form": CREATE_FORM,
    "edit_organisation_form": EDIT_FORM,
    "add_site_form": SITE_FORM,
    "add_person_form": PERSON_FORM,
    "add_capability_form": CAPABILITY_FORM,
    "api_suggest_pkd": {"text": "obróbka skrawaniem"},
    "api_pkd_suggestions": {"text": "obróbka skrawaniem"},
    "suggest_form": {"text": "obróbka skrawaniem"},
}


def write_routes(routes: Iterable[Any]) -> Iterator[tuple[str, APIRoute]]:
    """(method, route) for every write route, including those of included routers."""
    for route in routes:
        if hasattr(route, "original_router"):
            yield from write_routes(route.original_router.routes)
        elif isinstance(route, APIRoute):
            for method in sorted(route.methods & WRITES):
                yield method, route


def concrete_path(path: str, world: Fields) -> str:
    ids = {
        "org_id": world["target"],
        "user_id": world["member"],
        "site_id": world["site"],
        "person_id": world["members"],
        "capability_id": world["capability"],
        "child_id": world["site"],
        "kind": "sites",
        "token_id": 1,
        "token": "abc123",
        "session_id": 1,
        "invitation_id": 1,
        "removal": "N0tAnUndoableRemoval1",
        "notification_id": 1,
        "opportunity_id": 1,
        "attachment_id": 1,
        "request_id": 1,
        "step": "publish",
        "interest_id": 1,
        "introduction_id": 1,
        "report_id": 1,
        "booking_id": 1,
        "search_id": 1,
        "proposal_id": 1,
        "decision": "accept",
        "example_id": 1,
        "event_id": 1,
        "registration_id": 1,
        "meeting_id": 1,
        "relation_id": 1,
    }
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), path)


def assert_proper_refusal(response: Any, api: bool) -> None:
    assert response.status_code < 500, response.text[:300]
    if response.status_code < 400:
        return
    if api:
        assert response.headers["content-type"] == "application/json", response.text[:300]
        assert isinstance(response.json()["detail"], str)
    else:
        assert response.headers["content-type"].startswith("text/html"), response.text[:300]
        assert "<h1>" in response.text


@pytest.fixture
def closing_app(connection: Connection) -> FastAPI:
    """The app with one session per request, closed when the request ends (as in production)."""

    def request_session() -> Iterator[Session]:
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            yield session

    app = create_app()
    app.dependency_overrides[get_session] = request_session
    return app


@pytest.mark.parametrize("actor", RULES)
def test_no_write_route_answers_a_server_error(
    actor: str, session: Session, connection: Connection, closing_app: FastAPI
) -> None:
    built = build_world(session, "members")
    world = built.fields(actor)
    account = built.accounts[actor] and session.get(User, built.accounts[actor][0])
    session.commit()
    wrong = []
    with TestClient(closing_app, base_url="https://testserver") as client:
        caller = caller_for(session, client, account)
        session.commit()
        routes = list(write_routes(closing_app.routes))
        assert len(routes) > 30, "found too few write routes"
        for method, route in routes:
            path = concrete_path(route.path, world)
            api = path.startswith("/api/")
            with rolled_back(session, connection), caller.keeping_cookies():
                response = caller.send(method, path, BODIES.get(route.endpoint.__name__))
                try:
                    assert_proper_refusal(response, api)
                except AssertionError as exc:
                    wrong.append(f"{method} {path} → {response.status_code}: {exc}")
    assert not wrong, f"{actor}:\n" + "\n".join(wrong)
