"""Refusing to start: the public development key, a missing public URL, missing front-end
packages, a database that is behind or empty, an unreachable Redis; and which proxies'
forwarded headers the app believes."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests import factories
from tests.browsing import log_in
from tests.databases import engine_for, reset_settings_and_engine, scratch_database
from upland import migrate, settings, startup
from upland.app import create_app
from upland.cli import app as cli_app
from upland.settings import DEVELOPMENT_SECRET_KEY, Settings
from upland.startup import StartupError

PRODUCTION = {
    "secret_key": "tK3w9-Qz_Lr8bXa2VnJ7yHc4MdPe6FgSu1o5",
    "public_url": "https://upland.example.org",
    "smtp_host": "smtp.upland.example.org",
}
runner = CliRunner()


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **{**PRODUCTION, **values})


# --- the secret key (issue #6, item 2) -----------------------------------------------------------


def test_refuses_the_development_key_outside_development_mode() -> None:
    with pytest.raises(StartupError, match=r"UPLAND_SECRET_KEY .*`upland secret-key`") as exc:
        create_app(_settings(secret_key=DEVELOPMENT_SECRET_KEY))
    assert len(exc.value.problems) == 1
    assert "\n" not in exc.value.problems[0]


def test_refuses_a_short_key_outside_development_mode() -> None:
    with pytest.raises(StartupError, match="shorter than 32"):
        create_app(_settings(secret_key="only-twenty-chars-ok"))


@pytest.mark.parametrize("key", [" " * 40, "a" * 40, "abcdefgh" * 5])
def test_refuses_a_key_of_few_different_characters(key: str) -> None:
    with pytest.raises(StartupError, match="fewer than 16 different characters") as exc:
        create_app(_settings(secret_key=key))
    assert len(exc.value.problems) == 1


def test_refuses_to_serve_without_smtp_outside_development_mode() -> None:
    with pytest.raises(StartupError, match="UPLAND_SMTP_HOST is not set") as exc:
        create_app(_settings(smtp_host=None))
    assert len(exc.value.problems) == 1
    create_app(_settings(smtp_host=None, dev_mode=True))


def test_development_mode_allows_the_development_key() -> None:
    create_app(_settings(secret_key=DEVELOPMENT_SECRET_KEY, dev_mode=True, public_url=None))


def _forged_cookie(user_id: int, key: str) -> str:
    """A session cookie as Starlette's SessionMiddleware signs it."""
    payload = base64.b64encode(json.dumps({"user_id": user_id}).encode())
    return TimestampSigner(key).sign(payload).decode()


def test_a_cookie_forged_with_the_development_key_is_worthless(session: Session) -> None:
    from upland.web.deps import get_session

    coordinator = factories.user(session, role="coordinator")
    app = create_app(_settings())
    app.dependency_overrides[get_session] = lambda: session
    with TestClient(app, base_url="https://testserver") as client:
        client.cookies.set("upland_session", _forged_cookie(coordinator.id, DEVELOPMENT_SECRET_KEY))
        forged = client.get("/api/v1/me")
    with TestClient(app, base_url="https://testserver") as client:
        assert log_in(client, coordinator.email).status_code == 303
        genuine = client.get("/api/v1/me")
    assert forged.status_code in (401, 403)
    assert genuine.status_code == 200
    assert genuine.json()["id"] == coordinator.id


# --- public URL and front-end packages -----------------------------------------------------------


def test_refuses_without_a_public_url_outside_development_mode() -> None:
    with pytest.raises(StartupError, match="UPLAND_PUBLIC_URL is not set"):
        create_app(_settings(public_url=None))


def test_node_modules_are_found_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = create_app(_settings())
    with TestClient(app) as client:
        assert client.get("/vendor/htmx/htmx.min.js").status_code == 200
        assert client.get("/static/upland.css").status_code == 200


def test_missing_node_modules_stop_the_start(tmp_path: Path) -> None:
    with pytest.raises(StartupError, match=r"front-end packages are missing.*npm ci"):
        create_app(_settings(node_modules=str(tmp_path / "nowhere")))


# --- proxies -------------------------------------------------------------------------------------


def _client_host_app(**values: Any) -> FastAPI:
    app = create_app(_settings(**values))

    def whoami(request: Request) -> dict[str, str | None]:
        return {
            "host": request.client.host if request.client else None,
            "scheme": request.url.scheme,
        }

    app.add_api_route("/_probe/whoami", whoami)
    return app


SPOOFED = {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}


@pytest.mark.parametrize("peer", ["127.0.0.1", "10.0.0.5"])
def test_forwarded_headers_are_ignored_without_trusted_proxies(peer: str) -> None:
    with TestClient(_client_host_app(), client=(peer, 40000)) as client:
        seen = client.get("/_probe/whoami", headers=SPOOFED).json()
    assert seen == {"host": peer, "scheme": "http"}


def test_forwarded_headers_are_believed_from_a_trusted_proxy() -> None:
    app = _client_host_app(trusted_proxies=["10.0.0.0/24"])
    with TestClient(app, client=("10.0.0.5", 40000)) as client:
        seen = client.get("/_probe/whoami", headers=SPOOFED).json()
    assert seen == {"host": "203.0.113.9", "scheme": "https"}
    with TestClient(app, client=("192.0.2.1", 40000)) as client:
        direct = client.get("/_probe/whoami", headers=SPOOFED).json()
    assert direct == {"host": "192.0.2.1", "scheme": "http"}


# --- `upland serve` ------------------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Production settings; uvicorn.run (and, for several workers, `web.serving`'s process
    manager) replaced by a recorder of its arguments."""
    import uvicorn

    from upland.web import serving

    calls: list[dict[str, Any]] = []

    def serve_workers(config: Any, host: str, port: int) -> None:
        calls.append({"workers": config.workers, "proxy_headers": config.proxy_headers})

    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(serving, "serve_workers", serve_workers)
    monkeypatch.setenv("UPLAND_SECRET_KEY", PRODUCTION["secret_key"])
    monkeypatch.setenv("UPLAND_PUBLIC_URL", PRODUCTION["public_url"])
    monkeypatch.delenv("UPLAND_DEV_MODE", raising=False)
    monkeypatch.delenv("UPLAND_TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("UPLAND_REDIS_URL", raising=False)
    yield calls
    reset_settings_and_engine()


def _serve_on(url: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    monkeypatch.setenv("UPLAND_DATABASE_URL", url)
    reset_settings_and_engine()
    return runner.invoke(cli_app, ["serve", *args])


def test_serve_passes_workers_and_no_uvicorn_proxy_trust(
    served: list[dict[str, Any]], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _serve_on(database_url, monkeypatch, "--workers", "3")
    assert result.exit_code == 0, result.output
    [options] = served
    assert options["workers"] == 3
    # uvicorn would trust 127.0.0.1 by default; the app decides from UPLAND_TRUSTED_PROXIES.
    assert options["proxy_headers"] is False
    assert settings.get_settings().trusted_proxies == []


def test_serve_proxy_option_sets_the_trusted_proxies(
    served: list[dict[str, Any]], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _serve_on(database_url, monkeypatch, "--forwarded-allow-ips", "10.0.0.1,10.1.0.0/16")
    assert result.exit_code == 0, result.output
    assert settings.get_settings().trusted_proxies == ["10.0.0.1", "10.1.0.0/16"]


def test_serve_refuses_the_development_key(
    served: list[dict[str, Any]], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPLAND_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    result = _serve_on(database_url, monkeypatch)
    assert result.exit_code == 1
    assert "UPLAND_SECRET_KEY is the public development key" in result.output
    assert "Traceback" not in result.output
    assert served == []


def test_serve_refuses_a_database_behind_head(
    served: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scratch_database("upland_serve_behind", tmp_path) as url:
        with engine_for(url) as engine:
            migrate.upgrade(engine, "0003")
        result = _serve_on(url, monkeypatch)
        reset_settings_and_engine()
    assert result.exit_code == 1
    assert "the database is at migration 0003" in result.output
    assert "upland db upgrade" in result.output
    assert served == []


def test_serve_refuses_a_database_without_reference_data(
    served: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scratch_database("upland_serve_empty", tmp_path) as url:
        with engine_for(url) as engine:
            migrate.upgrade(engine)
        result = _serve_on(url, monkeypatch)
        reset_settings_and_engine()
    assert result.exit_code == 1
    assert "no reference data (municipalities, capability vocabulary, PKD 2007, PKD 2025)" in (
        result.output
    )
    assert served == []


def test_serve_refuses_an_unreachable_redis(
    served: list[dict[str, Any]], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPLAND_REDIS_URL", "redis://:pw@127.0.0.1:1/0")
    result = _serve_on(database_url, monkeypatch)
    assert result.exit_code == 1
    assert "cannot reach Redis at redis://:***@127.0.0.1:1/0" in result.output
    assert "pw@" not in result.output
    assert served == []


def test_serve_refuses_an_unreachable_database(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _serve_on("postgresql+psycopg://nobody:pw@127.0.0.1:1/nothing", monkeypatch)
    assert result.exit_code == 1
    assert "cannot use the database" in result.output
    assert served == []


def test_database_label_hides_the_password() -> None:
    label = startup.database_label("postgresql+psycopg://upland:s3cret@db.example/upland")
    assert label == "PostgreSQL postgresql+psycopg://upland:***@db.example/upland"


# --- HTTPS, the public URL, development mode on a network (fix round, item 5) --------------------


def test_an_https_public_url_makes_cookies_secure_and_sends_hsts() -> None:
    assert _settings().https is True
    assert _settings(public_url="http://127.0.0.1:8000", dev_mode=True).https is False
    with TestClient(create_app(_settings()), base_url="https://testserver") as client:
        response = client.get("/login")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert "secure" in response.headers["set-cookie"].lower()
    plain = _settings(public_url="http://127.0.0.1:8000", dev_mode=True)
    with TestClient(create_app(plain)) as client:
        assert "strict-transport-security" not in client.get("/login").headers


@pytest.mark.parametrize(
    ("public_url", "https"), [("https://upland.example.org", False), ("http://a.example", True)]
)
def test_https_contradicting_the_public_url_is_refused(public_url: str, https: bool) -> None:
    with pytest.raises(ValueError, match="contradicts UPLAND_PUBLIC_URL"):
        _settings(public_url=public_url, https=https)


@pytest.mark.parametrize("url", ["http://a b", "https://bad_host.example", "http://a.example:x"])
def test_a_public_url_that_is_no_address_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        _settings(public_url=url)


def test_development_mode_is_not_served_on_a_network_interface(
    served: list[dict[str, Any]], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    result = _serve_on(database_url, monkeypatch, "--host", "0.0.0.0")
    assert result.exit_code == 1
    assert "not a loopback address" in result.output
    assert "--expose-dev-mode" in result.output
    assert served == []
    result = _serve_on(database_url, monkeypatch, "--host", "0.0.0.0", "--expose-dev-mode")
    assert result.exit_code == 0, result.output
    assert _serve_on(database_url, monkeypatch, "--host", "::1").exit_code == 0


def test_run_refuses_a_network_interface_before_touching_anything() -> None:
    result = runner.invoke(cli_app, ["run", "--host", "192.0.2.7"])
    assert result.exit_code == 1
    assert "192.0.2.7, which is not a loopback address" in result.output
