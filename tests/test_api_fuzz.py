"""Property-based fuzzing of the JSON API from its own OpenAPI schema (schemathesis).

Every operation, reads and writes, gets generated requests, valid and invalid, as an anonymous
visitor and as a cluster coordinator with a bearer token: no request may produce a 5xx, and
every response must match what the schema promises (status code, content type, body).

All requests of this module share one connection whose transaction is rolled back at the end,
so fuzzed writes see each other (deletes, conflicts) but never outlive the module.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from tests import factories
from upland.accounts.actor import SYSTEM
from upland.accounts.service import issue_token
from upland.app import create_app
from upland.settings import get_settings
from upland.web.deps import get_session

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# Not expressible in the schema, by design: requests valid by the schema may still break a
# domain rule (NIP check digit, unknown TERYT or PKD code: 422), and pydantic's lax mode accepts
# a superset of the schema ("5" for 5, 0 for false). Everything about responses is checked.
REQUEST_SIDE_CHECKS = [positive_data_acceptance, negative_data_rejection]


@pytest.fixture(scope="module")
def fuzz_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


def _session(connection: Connection) -> Session:
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


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


@pytest.fixture(scope="module", autouse=True)
def _requests_on_the_fuzz_connection(
    fuzz_connection: Connection, coordinator_token: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    def session_on_the_fuzz_connection() -> Iterator[Session]:
        with _session(fuzz_connection) as session:
            yield session

    app.dependency_overrides[get_session] = session_on_the_fuzz_connection
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("UPLAND_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()
    app.dependency_overrides.clear()


@pytest.fixture(scope="module")
def coordinator_headers(coordinator_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {coordinator_token}"}


# Loaded at import: schemathesis.pytest.from_fixture needs Node._nodeid, gone in pytest 9.
# Reading the schema touches no database; the fixture above binds requests to the test's.
app = create_app()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
# An anonymous write is refused (403) before its body is read, so the coverage phase's hundreds
# of boundary bodies would test nothing more than the fuzzing phase's requests already do.
anonymous_schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json",
    app,
    config=schemathesis.Config.from_dict(
        {
            "operations": [
                {
                    "include-method-regex": "^(POST|PUT|PATCH|DELETE)$",
                    "phases": {"coverage": {"enabled": False}},
                }
            ]
        }
    ),
)


@FUZZ
@anonymous_schema.parametrize()
def test_api_as_anonymous_visitor(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=REQUEST_SIDE_CHECKS)


@FUZZ
@schema.parametrize()
def test_api_as_coordinator(case: schemathesis.Case, coordinator_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=coordinator_headers, excluded_checks=REQUEST_SIDE_CHECKS)


# --- what the fuzzer found, pinned as plain examples ----------------------------------------------


@pytest.fixture(scope="module")
def api_client() -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_with_a_bad_filter_is_a_422_before_streaming(
    api_client: TestClient, fmt: str
) -> None:
    response = api_client.get(
        "/api/v1/organisations/export", params={"city": "Nowhere", "format": fmt}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "city"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/organisations/2147483648"),
        ("POST", "/api/v1/organisations/99999999999999999999/people"),
        ("DELETE", "/api/v1/sites/99999999999999999999"),
        ("GET", "/api/v1/pkd/99999999999999999999/25.62.Z"),
        ("GET", "/api/v1/organisations/0"),
    ],
)
def test_out_of_range_ids_are_422_not_500(
    api_client: TestClient, coordinator_headers: dict[str, str], method: str, path: str
) -> None:
    body = {"full_name": "Jan"} if method == "POST" else None
    response = api_client.request(method, path, headers=coordinator_headers, json=body)
    assert response.status_code == 422


def test_audit_paging_parameters_are_accepted(
    api_client: TestClient, coordinator_headers: dict[str, str]
) -> None:
    first = api_client.get("/api/v1/audit", params={"limit": 2}, headers=coordinator_headers)
    assert first.status_code == 200
    assert len(first.json()) == 2
    older = api_client.get(
        "/api/v1/audit",
        params={"limit": 2, "before": first.json()[-1]["id"], "action": "organisations."},
        headers=coordinator_headers,
    )
    assert older.status_code == 200
    assert all(e["id"] < first.json()[-1]["id"] for e in older.json())
    assert api_client.get("/api/v1/audit", params={"bogus": 1}).status_code == 422
    page = api_client.get(
        "/audit", params={"before": first.json()[-1]["id"]}, headers=coordinator_headers
    )
    assert page.status_code == 200


def test_method_not_allowed_names_every_method_of_the_resource(api_client: TestClient) -> None:
    response = api_client.put("/api/v1/organisations/1")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) >= {"GET", "PATCH", "DELETE"}
    export = api_client.patch("/api/v1/organisations/export")
    assert export.status_code == 405
    assert "GET" in export.headers["allow"]


def test_unparsable_body_is_a_documented_400(
    api_client: TestClient, coordinator_headers: dict[str, str]
) -> None:
    response = api_client.post(
        "/api/v1/organisations",
        content=b"\xff\xfe not json",
        headers={**coordinator_headers, "content-type": "application/json"},
    )
    assert response.status_code in {400, 422}
    assert isinstance(response.json()["detail"], str)
    documented = app.openapi()["paths"]["/api/v1/organisations"]["post"]["responses"]
    assert {"400", "403", "404", "409", "422"} <= set(documented)


def test_control_characters_are_refused_so_exports_can_always_be_written(
    api_client: TestClient, coordinator_headers: dict[str, str]
) -> None:
    org_id = api_client.get("/api/v1/organisations", headers=coordinator_headers).json()["items"][
        0
    ]["id"]
    path = f"/api/v1/organisations/{org_id}"
    for field, value in [("legal_name", "Firma\x1c sp. z o.o."), ("description_pl", "a\x00b")]:
        refused = api_client.patch(path, json={field: value}, headers=coordinator_headers)
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == field
    multiline = api_client.patch(
        path, json={"description_pl": "Wiersz 1\r\nWiersz 2\tkolumna"}, headers=coordinator_headers
    )
    assert multiline.status_code == 200
    export = api_client.get(
        "/api/v1/organisations/export", params={"format": "xlsx"}, headers=coordinator_headers
    )
    assert export.status_code == 200
