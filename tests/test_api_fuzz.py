"""Property-based fuzzing of the JSON API from its own OpenAPI schema (schemathesis).

Every operation, reads and writes, gets generated requests, valid and invalid, as an anonymous
visitor and as a cluster coordinator with a bearer token: no request may produce a 5xx, and
every response must match what the schema promises (status code, content type, body).

All requests of this module share one connection whose transaction is rolled back at the end,
so fuzzed writes see each other (deletes, conflicts) but never outlive the module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from tests import factories
from upland.accounts.actor import SYSTEM
from upland.accounts.service import issue_token
from upland.app import create_app
from upland.web.deps import get_session

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def fuzz_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        if connection.dialect.name == "sqlite":
            # pysqlite begins no transaction before the first write, and a SAVEPOINT outside one
            # commits for good when released; BEGIN now keeps every request inside this one.
            connection.exec_driver_sql("BEGIN")
        yield connection
        transaction.rollback()


def _session(connection: Connection) -> Session:
    return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture(scope="module")
def coordinator_token(fuzz_connection: Connection) -> str:
    """A few organisations of every visibility, their people, and a coordinator's API token."""
    with _session(fuzz_connection) as session, session.begin():
        orgs = [
            factories.organisation(session, visibility=visibility)
            for visibility in ("public", "public", "members", "restricted")
        ]
        factories.organisation(session, kind="research", membership_status="none", sites=[])
        factories.user(session, role="admin", org=orgs[0])
        factories.user(session, role="viewer", org=orgs[2])
        coordinator = factories.user(session, role="coordinator")
        _, token = issue_token(session, SYSTEM, coordinator.id, "fuzz")
    return token


@pytest.fixture(scope="module")
def fuzz_app(fuzz_connection: Connection, coordinator_token: str) -> FastAPI:
    application = create_app()

    def session_on_the_fuzz_connection() -> Iterator[Session]:
        with _session(fuzz_connection) as session:
            yield session

    application.dependency_overrides[get_session] = session_on_the_fuzz_connection
    return application


@pytest.fixture(scope="module")
def api_schema(fuzz_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", fuzz_app)


@pytest.fixture(scope="module")
def coordinator_headers(coordinator_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {coordinator_token}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@FUZZ
@schema.parametrize()
def test_api_as_anonymous_visitor(case: schemathesis.Case) -> None:
    case.call_and_validate()


@FUZZ
@schema.parametrize()
def test_api_as_coordinator(case: schemathesis.Case, coordinator_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=coordinator_headers)
