"""Property-based fuzzing of the JSON API from its own OpenAPI schema (schemathesis).

Every operation, reads and writes, gets generated requests, valid and invalid, as an anonymous
visitor, as a cluster coordinator and as an organisation's admin (bearer tokens), with every
check enabled: no request may produce a 5xx, every response must match what the schema promises
(status code, content type, body), a request the schema calls valid must not be refused as
invalid, and one it calls invalid must be refused. So the schema states every rule the API
enforces.

The module runs on a scratch database of the run's backend, migrated as in production, and the
app commits as it does in production: fuzzed writes see each other (deletes, conflicts) and are
dropped with the database at the end. (Thousands of requests inside one rolled-back
transaction exhausted PostgreSQL's lock table: each request's savepoint kept a transaction-id
lock until the end.)

CI runs a sample: the fuzzing phase with 10 examples per operation and actor. `make fuzz` runs
the deep sweep: 200 examples and schemathesis's coverage phase (every boundary value of every
parameter, several thousand requests per actor).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from sqlalchemy.orm import Session

from tests import factories
from tests.databases import migrate_as_in_production, reset_settings_and_engine, scratch_database
from tests.mailbox import Inline
from upland import jobs
from upland.accounts import ratelimit
from upland.accounts.service import issue_token
from upland.actor import SYSTEM
from upland.app import create_app
from upland.controls import LINE_PATTERN, TEXT_PATTERN
from upland.db import get_engine

FUZZ = settings(
    max_examples=int(os.environ.get("UPLAND_FUZZ_EXAMPLES", "10")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
COVERAGE_PHASE = os.environ.get("UPLAND_FUZZ_COVERAGE") == "1"


@pytest.fixture(scope="module", autouse=True)
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated scratch database the app (and the jobs it queues, run at once) commits to."""
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with scratch_database("upland_fuzz", tmp) as url, pytest.MonkeyPatch.context() as patch:
        migrate_as_in_production(url)
        patch.setenv("UPLAND_DATABASE_URL", url)
        patch.setenv("UPLAND_CACHE_DIR", str(tmp / "cache"))
        patch.setattr(jobs, "background", Inline())
        # Hundreds of guests' sign-ups from the one test client: the limit (429, documented)
        # has tests of its own (tests/events/test_events_web.py).
        patch.setattr(ratelimit, "GUEST_REGISTRATIONS_PER_ADDRESS", "1000000/hour")
        reset_settings_and_engine()
        try:
            yield url
        finally:
            reset_settings_and_engine()


@pytest.fixture(scope="module")
def tokens(fuzz_database: str) -> dict[str, str]:
    """A few organisations of every visibility, their people, and API tokens of a coordinator
    and of the first organisation's admin."""
    with Session(get_engine(), expire_on_commit=False) as session, session.begin():
        orgs = [
            factories.organisation(session, visibility=visibility)
            for visibility in ("public", "public", "members", "restricted")
        ]
        factories.organisation(session, kind="research", membership_status="none", sites=[])
        member = factories.user(session, role="admin", org=orgs[0])
        factories.user(session, role="viewer", org=orgs[2])
        coordinator = factories.user(session, role="coordinator")
        return {
            "coordinator": issue_token(session, SYSTEM, coordinator.id, "fuzz")[1],
            "member": issue_token(session, SYSTEM, member.id, "fuzz")[1],
        }


@pytest.fixture(scope="module")
def coordinator_headers(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['coordinator']}"}


@pytest.fixture(scope="module")
def member_headers(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['member']}"}


# Loaded at import: schemathesis.pytest.from_fixture needs Node._nodeid, gone in pytest 9.
# Reading the schema touches no database; requests reach the fixture's scratch database.
app = create_app()
WRITES = "^(POST|PUT|PATCH|DELETE)$"


def _config(*, anonymous: bool) -> schemathesis.Config:
    """The coverage phase only in the deep sweep; never for anonymous writes, which are refused
    (403) before their body is read, so its hundreds of boundary bodies would test nothing the
    fuzzing phase does not."""
    operations = [{"include-method-regex": WRITES, "phases": {"coverage": {"enabled": False}}}]
    return schemathesis.Config.from_dict(
        {
            "phases": {"coverage": {"enabled": COVERAGE_PHASE}},
            "operations": operations if anonymous else [],
        }
    )


schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json", app, config=_config(anonymous=False)
)
anonymous_schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json", app, config=_config(anonymous=True)
)


# The rules a JSON Schema cannot state, documented in the fields' descriptions: check digits,
# whether a PKD code or a vocabulary term exists (the vocabulary grows at run time), the order
# of two dates or of a TRL range, that a saved search filters on something, that a page cursor
# is one the API gave out, that an e-mail address is one plain address by email-validator's
# rules, and the marketplace's rules across an opportunity's fields and on an attachment's
# content. A schema-valid request refused for these alone is no finding; any other refusal of
# one is.
BEYOND_THE_SCHEMA = re.compile(
    r"(Value error, )?(NIP|REGON) \S+ has a wrong check digit"
    r"|\S+ is not a PKD \d{4} class or subclass|\S+ is a PKD \d{4} code[;,] .+"
    r"|unknown capability term .+|.+ is an? \w+, not an? \w+"
    r"|the page cursor is damaged; start from the first page"
    r"|(Value error, )?valid_until is before valid_from"
    r"|(Value error, )?enter an e-mail address like name@firm\.example"
    # the marketplace: rules across an opportunity's fields, and files checked by content
    r"|write a title and a description in Polish, in English, or in both"
    r"|a description needs its title|a .+ has no such field"
    r"|only technology offers and requests have this field, not an? .+"
    r"|a patent number goes with a granted or pending patent|give the patent's number"
    r"|the end of availability comes before its start|the expiry date is in the past"
    r"|only a restricted opportunity names organisations|no organisation [0-9, ]+"
    r"|\S+ is no TERYT unit of the register|say what should change"
    r"|only PDF, PNG, JPEG and WebP files can be attached|the file is empty"
    r"|the file is larger than \d+ MB|an opportunity has at most \d+ attachments"
    # saved searches: a filter with something in it, a TRL range the right way round
    r"|choose at least one filter or words to search for before saving the search"
    r"|the highest TRL is below the lowest"
    # events and the network: rules across an event's or a relation's fields, stored ids
    r"|give the event a title|name the venue or make the event online"
    r"|the session ends before it starts|a break must lie within its session"
    r"|the session is shorter than one slot|registration closes before it opens"
    r"|more table names than tables|admit at least one type of participant"
    r"|a reserved table must be one of the event's tables \(1 to \d+\)"
    r"|a rule names a type of participant the event does not admit"
    r"|no such organisation|the end is before the start"
    r"|no organisation has the id \d+|a relation needs another organisation"
)


def _only_beyond_the_schema(response: Any) -> bool:
    if response.status_code != 422:
        return False
    errors = response.json().get("errors") or [{"message": ""}]
    return all(BEYOND_THE_SCHEMA.fullmatch(e["message"]) for e in errors)


def _file_of_another_type(case: schemathesis.Case) -> bool:
    """A file part whose value the fuzzer made a number, a list…: on the wire it is still a file
    (bytes, whatever they are), which the API takes and the import job then reports on."""
    body = case.body
    return isinstance(body, dict) and "file" in body and not isinstance(body["file"], str | bytes)


def check(case: schemathesis.Case, headers: dict[str, str] | None = None) -> None:
    """Every check, except that a refusal for a rule beyond the schema is not 'valid data
    rejected', and a file part of another JSON type accepted is not 'invalid data accepted'."""
    # The first PKD suggestion embeds the catalogue, which takes long on a busy machine.
    response = case.call(headers=headers, timeout=120)
    excluded = [positive_data_acceptance] if _only_beyond_the_schema(response) else []
    if _file_of_another_type(case):
        excluded.append(negative_data_rejection)
    case.validate_response(response, headers=headers, excluded_checks=excluded)


@FUZZ
@anonymous_schema.parametrize()
def test_api_as_anonymous_visitor(case: schemathesis.Case) -> None:
    check(case)


@FUZZ
@schema.parametrize()
def test_api_as_coordinator(case: schemathesis.Case, coordinator_headers: dict[str, str]) -> None:
    check(case, coordinator_headers)


@FUZZ
@schema.parametrize()
def test_api_as_organisation_admin(case: schemathesis.Case, member_headers: dict[str, str]) -> None:
    check(case, member_headers)


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


def _parameter(path: str, name: str) -> dict:
    (found,) = [p for p in app.openapi()["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found["schema"]


def _texts(schema: dict) -> list[dict]:
    return [s for s in [schema, *schema.get("anyOf", [])] if s.get("type") == "string"]


def test_the_schema_states_the_rules_the_api_enforces() -> None:
    """Control characters, known municipalities, term or label, PKD versions (issue #6, 16)."""
    for path, name in [
        ("/api/v1/users", "q"),
        ("/api/v1/audit", "action"),
        ("/api/v1/audit", "actor"),
        ("/api/v1/pkd/{version}/{code}", "code"),
        ("/api/v1/organisations", "q"),
    ]:
        assert [s["pattern"] for s in _texts(_parameter(path, name))] == [LINE_PATTERN]
    components = app.openapi()["components"]["schemas"]
    site = components["SiteIn"]["properties"]
    assert "0663011" in site["teryt"]["enum"]
    assert site["locality"]["pattern"] == LINE_PATTERN
    assert "Lublin" in _parameter("/api/v1/organisations", "city")["enum"]
    capability = components["CapabilityIn"]
    assert [branch["required"] for branch in capability["anyOf"]] == [["term"], ["label"]]
    assert capability["properties"]["notes"]["pattern"] == TEXT_PATTERN
    assert components["PkdIn"]["properties"]["version"]["enum"] == [2007, 2025]


def test_every_schema_keeps_its_own_name() -> None:
    """Two models of one name make FastAPI qualify both by module, breaking clients' names."""
    qualified = [n for n in app.openapi()["components"]["schemas"] if n.startswith("upland__")]
    assert qualified == []


@pytest.mark.parametrize(
    "body",
    [
        {"employees": False},
        {"member_since": 0},
        {"pkd_codes": [{"code": "29.32.Z", "is_primary": 0}]},
        {"pkd_codes": [{"code": "29.32.Z", "version": "2025"}]},
    ],
)
def test_json_types_the_schema_refuses_are_refused(
    api_client: TestClient, coordinator_headers: dict[str, str], body: dict
) -> None:
    org_id = api_client.get("/api/v1/organisations", headers=coordinator_headers).json()["items"][
        0
    ]["id"]
    response = api_client.patch(
        f"/api/v1/organisations/{org_id}", json=body, headers=coordinator_headers
    )
    assert response.status_code == 422
