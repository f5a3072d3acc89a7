"""The application shell: health check, request ids in headers and logs, settings validation
and the choice of UI language."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests import factories
from tests.databases import engine_for, reset_settings_and_engine, scratch_database
from upland import logs, migrate
from upland.accounts.service import issue_token
from upland.actor import SYSTEM
from upland.app import create_app
from upland.settings import Settings

HEX_ID = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture
def app_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """`app_at(url)`: a fresh app whose settings (and so engine) point at `url`."""

    def make(url: str) -> FastAPI:
        monkeypatch.setenv("UPLAND_DATABASE_URL", url)
        reset_settings_and_engine()
        return create_app()

    yield make
    reset_settings_and_engine()


# --- /healthz -----------------------------------------------------------------------------------


def test_healthz_ok_when_migrated_to_head(app_at, database_url: str, engine: Engine) -> None:
    with TestClient(app_at(database_url)) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["migrations"] == "head"
    assert body["database"] == "ok"


def test_healthz_503_when_migrations_are_behind(app_at, tmp_path: Path) -> None:
    with scratch_database("upland_healthz_test", tmp_path) as url:
        with engine_for(url) as behind:
            migrate.upgrade(behind, "0001")
        with TestClient(app_at(url)) as client:
            response = client.get("/healthz")
        reset_settings_and_engine()
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["migrations"] == "behind"


def test_healthz_503_when_the_database_is_unreachable(app_at) -> None:
    with TestClient(app_at("postgresql+psycopg://nobody@127.0.0.1:1/nothing")) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unreachable"  # the reason goes to the log only


def test_healthz_reads_the_migration_stamp_only_until_at_head(
    app_at, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = []
    configure = MigrationContext.configure
    monkeypatch.setattr(
        MigrationContext, "configure", lambda *a, **k: reads.append(1) or configure(*a, **k)
    )
    with TestClient(app_at(database_url)) as client:
        statuses = [client.get("/healthz").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert len(reads) == 1


def test_healthz_503_when_redis_is_unreachable(
    app_at, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPLAND_REDIS_URL", "redis://127.0.0.1:1/0")
    with TestClient(app_at(database_url)) as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert "redis" in response.json()
    assert response.json()["redis"] == "unreachable"  # no address or error text to strangers


def test_a_log_in_while_redis_is_unreachable_is_503_not_500(
    app_at, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis holds the log-in limits; when it goes away after start-up, a log-in is refused
    as unavailable (fail closed, retry later), never an internal error."""
    monkeypatch.setenv("UPLAND_REDIS_URL", "redis://127.0.0.1:1/0")
    from upland.accounts import ratelimit

    ratelimit._limiter.cache_clear()  # the counters now live in that (unreachable) Redis
    try:
        with TestClient(app_at(database_url), base_url="https://testserver") as client:
            page = client.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            answer = client.post(
                "/login",
                data={"email": "nikt@firma.example", "password": "x" * 12, "csrf_token": token[1]},
            )
    finally:
        ratelimit._limiter.cache_clear()
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "5"


def test_healthz_reports_a_reachable_redis(
    app_at, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = os.environ.get("UPLAND_TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("UPLAND_TEST_REDIS_URL is not set; CI must test Redis health")
        pytest.skip("UPLAND_TEST_REDIS_URL is not set")
    monkeypatch.setenv("UPLAND_REDIS_URL", url)
    with TestClient(app_at(database_url)) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["redis"] == "ok"


# --- request ids --------------------------------------------------------------------------------


@pytest.fixture
def settings_at_test_database(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[None]:
    """So that /healthz (which uses the configured engine) checks the test database."""
    monkeypatch.setenv("UPLAND_DATABASE_URL", database_url)
    reset_settings_and_engine()
    yield
    reset_settings_and_engine()


@pytest.fixture
def probed_app(settings_at_test_database: None, private_app: FastAPI) -> FastAPI:
    """The test app plus two probe routes: one that logs, one that fails unexpectedly."""
    app = private_app

    def logs_something() -> dict[str, str]:
        logging.getLogger("upland.probe").info("inside the endpoint")
        return {"ok": "yes"}

    def breaks() -> None:
        raise RuntimeError("probe failure")

    app.add_api_route("/_probe/log", logs_something)
    app.add_api_route("/_probe/boom", breaks)
    app.add_api_route("/api/v1/_probe/boom", breaks)
    return app


@pytest.fixture
def json_log_lines() -> Iterator[list[str]]:
    """Log lines as the production formatter writes them."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/organisations",
        "/api/v1/organisations",
        "/api/v1/organisations/999999",
        "/no/such/page",
        "/static/upland.css",
        "/_probe/boom",
        "/api/v1/_probe/boom",
    ],
)
def test_every_response_has_a_request_id(probed_app: FastAPI, path: str) -> None:
    with TestClient(probed_app, raise_server_exceptions=False) as client:
        fresh = client.get(path)
        given = client.get(path, headers={"x-request-id": "trace-me-42"})
    assert HEX_ID.match(fresh.headers["x-request-id"])
    assert given.headers["x-request-id"] == "trace-me-42"


def test_request_ids_differ(client: TestClient) -> None:
    first = client.get("/static/upland.css").headers["x-request-id"]
    second = client.get("/static/upland.css").headers["x-request-id"]
    assert first != second


@pytest.mark.parametrize(
    "given", ["x" * 65, "has space", "new\\nline", '{"json":1}', "a;b", "a/b", ""]
)
def test_unsafe_client_request_ids_are_replaced(client: TestClient, given: str) -> None:
    """Only short plain ids are echoed and logged; anything else gets a fresh id."""
    answered = client.get("/static/upland.css", headers={"x-request-id": given})
    assert HEX_ID.match(answered.headers["x-request-id"])


def test_plain_client_request_ids_are_kept(client: TestClient) -> None:
    given = "Trace-1.2_3-" + "a" * 52
    assert client.get("/healthz", headers={"x-request-id": given}).headers["x-request-id"] == given


def test_json_log_lines_carry_the_request_id(
    probed_app: FastAPI, json_log_lines: list[str]
) -> None:
    root = logging.getLogger()
    assert any(isinstance(h.formatter, logs.JsonFormatter) for h in root.handlers)
    with TestClient(probed_app) as client:
        response = client.get("/_probe/log", headers={"x-request-id": "log-trace-7"})
    assert response.status_code == 200
    records = [json.loads(line) for line in json_log_lines]
    inside = [r for r in records if r["message"] == "inside the endpoint"]
    access = [r for r in records if r["message"] == "request" and r.get("path") == "/_probe/log"]
    assert [r["request_id"] for r in inside] == ["log-trace-7"]
    assert [r["request_id"] for r in access] == ["log-trace-7"]
    assert access[0]["status"] == 200
    assert access[0]["method"] == "GET"


def test_unexpected_errors_are_logged_with_the_request_id(
    probed_app: FastAPI, json_log_lines: list[str]
) -> None:
    with TestClient(probed_app, raise_server_exceptions=False) as client:
        page = client.get("/_probe/boom", headers={"x-request-id": "boom-1"})
        api = client.get("/api/v1/_probe/boom", headers={"x-request-id": "boom-2"})
    assert page.status_code == 500
    assert api.status_code == 500
    assert "boom-2" in api.json()["detail"]
    assert "probe failure" not in api.text
    records = [json.loads(line) for line in json_log_lines]
    failures = [r for r in records if r["level"] == "ERROR"]
    assert {r["request_id"] for r in failures} >= {"boom-1", "boom-2"}
    assert all("probe failure" in r["exception"] for r in failures)
    access = [r for r in records if r["message"] == "request" and r["status"] == 500]
    assert {r["request_id"] for r in access} == {"boom-1", "boom-2"}


def _request_lines(lines: list[str], path: str) -> list[dict]:
    records = [json.loads(line) for line in lines]
    return [r for r in records if r["message"] == "request" and r["path"] == path]


def test_request_lines_carry_client_address_and_user(
    client: TestClient, session: Session, json_log_lines: list[str]
) -> None:
    user = factories.user(session, role="coordinator")
    _, bearer = issue_token(session, SYSTEM, user.id, "logs")
    client.get("/api/v1/me", headers={"authorization": f"Bearer {bearer}"})
    client.get("/api/v1/organisations")
    [signed_in] = _request_lines(json_log_lines, "/api/v1/me")
    [anonymous] = _request_lines(json_log_lines, "/api/v1/organisations")
    assert signed_in["user_id"] == user.id
    assert signed_in["client"] == "testclient"
    assert anonymous["user_id"] is None


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/invitations/s3cret-token-value", "/invitations/***"),
        ("/password/reset/s3cret-token-value", "/password/reset/***"),
        ("/api/v1/invitations/s3cret-token-value/accept", "/api/v1/invitations/***/accept"),
        ("/notices/s3cret-token-value", "/notices/***"),
    ],
)
def test_secret_path_segments_are_not_logged(
    client: TestClient, json_log_lines: list[str], path: str, logged: str
) -> None:
    client.get(path)
    ours = [line for line in json_log_lines if json.loads(line)["logger"].startswith("upland.")]
    assert ours
    assert "s3cret-token-value" not in "".join(ours)
    assert _request_lines(json_log_lines, logged)


def test_logged_request_ids_are_the_validated_ones(
    client: TestClient, json_log_lines: list[str]
) -> None:
    client.get("/healthz", headers={"x-request-id": "forged\tline"})
    [line] = _request_lines(json_log_lines, "/healthz")
    assert HEX_ID.match(line["request_id"])


# --- settings -----------------------------------------------------------------------------------


def _invalid_fields(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return {".".join(str(p) for p in error["loc"]) for error in exc.value.errors()}


@pytest.mark.parametrize(
    ("variable", "value", "field"),
    [
        ("UPLAND_PARTNER_MUNICIPALITIES", '["123"]', "partner_municipalities"),
        ("UPLAND_PARTNER_MUNICIPALITIES", '["0663011", "06630x1"]', "partner_municipalities"),
        ("UPLAND_DATABASE_URL", "mysql://upland@localhost/upland", "database_url"),
        ("UPLAND_SECRET_KEY", "too-short", "secret_key"),
        ("UPLAND_LOG_LEVEL", "LOUD", "log_level"),
        ("UPLAND_MAX_UPLOAD_MB", "0", "max_upload_mb"),
        ("UPLAND_REDIS_URL", "localhost:6379", "redis_url"),
        ("UPLAND_REDIS_URL", "http://localhost:6379", "redis_url"),
        ("UPLAND_PUBLIC_URL", "upland.example.org", "public_url"),
        ("UPLAND_PUBLIC_URL", "ftp://upland.example.org", "public_url"),
        ("UPLAND_PUBLIC_URL", "https://upland.example.org/app", "public_url"),
        ("UPLAND_PUBLIC_URL", "https://upland.example.org/?a=1", "public_url"),
        ("UPLAND_PUBLIC_URL", "https://upland.example.org/#top", "public_url"),
        ("UPLAND_TRUSTED_PROXIES", "nginx", "trusted_proxies"),
        ("UPLAND_TRUSTED_PROXIES", '["10.0.0.1", "10.0.0.300"]', "trusted_proxies"),
        ("UPLAND_PARTNER_MUNICIPALITIES", "[0663011", "partner_municipalities"),
        ("UPLAND_PARTNER_MUNICIPALITIES", "0663011,123", "partner_municipalities"),
    ],
)
def test_bad_settings_name_the_field(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, field: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as exc:
        Settings(_env_file=None)
    assert _invalid_fields(exc) == {field}


def test_partner_codes_error_lists_the_bad_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", '["0663011", "123"]')
    with pytest.raises(ValidationError, match="123"):
        Settings(_env_file=None)


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("UPLAND_PARTNER_MUNICIPALITIES", "0663011", "partner_municipalities", ["0663011"]),
        (
            "UPLAND_PARTNER_MUNICIPALITIES",
            "0663011, 1463011",
            "partner_municipalities",
            ["0663011", "1463011"],
        ),
        ("UPLAND_TRUSTED_PROXIES", "10.0.0.1", "trusted_proxies", ["10.0.0.1"]),
        (
            "UPLAND_TRUSTED_PROXIES",
            '["10.0.0.0/8", "::1"]',
            "trusted_proxies",
            ["10.0.0.0/8", "::1"],
        ),
        (
            "UPLAND_PUBLIC_URL",
            "https://upland.example.org/",
            "public_url",
            "https://upland.example.org",
        ),
        ("UPLAND_REDIS_URL", "rediss://:pw@cache:6380/2", "redis_url", "rediss://:pw@cache:6380/2"),
        ("UPLAND_REDIS_URL", "unix:///run/redis.sock", "redis_url", "unix:///run/redis.sock"),
    ],
)
def test_plain_values_are_accepted(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, field: str, expected: object
) -> None:
    monkeypatch.setenv(variable, value)
    assert getattr(Settings(_env_file=None), field) == expected


def test_good_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", '["0663011"]')
    monkeypatch.setenv("UPLAND_DATABASE_URL", "postgresql+psycopg://upland@db/upland")
    monkeypatch.setenv("UPLAND_SECRET_KEY", "a-long-enough-secret-value")
    values = Settings(_env_file=None)
    assert values.partner_municipalities == ["0663011"]
    assert not values.is_sqlite
    assert values.sqlite_path() is None


# --- language -----------------------------------------------------------------------------------


def test_accept_language_english(client: TestClient) -> None:
    response = client.get("/organisations", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Organisations" in response.text
    assert "Organizacje" not in response.text


def test_accept_language_polish(client: TestClient) -> None:
    response = client.get("/organisations", headers={"accept-language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert '<html lang="pl">' in response.text
    assert "Organizacje" in response.text


def test_unsupported_language_falls_back_to_the_default(client: TestClient) -> None:
    response = client.get("/organisations", headers={"accept-language": "de-DE"})
    assert '<html lang="pl">' in response.text


def test_lang_parameter_sets_a_cookie_that_wins_over_the_header(client: TestClient) -> None:
    chosen = client.get("/organisations?lang=en", headers={"accept-language": "pl"})
    assert '<html lang="en">' in chosen.text
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("lang=en")
    assert "samesite=lax" in cookie.lower()
    later = client.get("/organisations", headers={"accept-language": "pl"})
    assert '<html lang="en">' in later.text
    assert "set-cookie" not in later.headers or "lang=" not in later.headers["set-cookie"]


def test_unknown_lang_parameter_is_ignored(client: TestClient) -> None:
    response = client.get("/organisations?lang=xx", headers={"accept-language": "en"})
    assert '<html lang="en">' in response.text
    assert "lang=" not in response.headers.get("set-cookie", "")
