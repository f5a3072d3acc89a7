"""Shared fixtures: one migrated database per run, one rolled-back transaction per test.

The suite runs on SQLite by default and on PostgreSQL when UPLAND_TEST_DATABASE_URL is set;
in CI an unreachable server fails the run instead of skipping it, and so does any skip whose
reason `tests/skip_policy.py` does not allow.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests import mailbox as mailboxes  # before any test replaces the send dispatch
from tests import workers
from tests.databases import migrate_as_in_production, scratch_database
from tests.skip_policy import pytest_collection_modifyitems, pytest_runtest_makereport
from upland.accounts import ratelimit
from upland.actor import SYSTEM, Actor
from upland.db import make_engine

# The browser fixtures (one Chromium, one live server), the demo database loaded once, and which
# tests the PostgreSQL pass can leave to the SQLite pass.
pytest_plugins = ["tests.browsing", "tests.demo_database", "tests.backend_marks"]

workers.give_each_worker_its_databases()  # before anything reads UPLAND_TEST_*
os.environ.setdefault("UPLAND_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("UPLAND_SMTP_HOST", "127.0.0.1")  # as in production; nothing is sent
os.environ.setdefault("UPLAND_PUBLIC_URL", "https://upland.test")


def _reset_postgres(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("UPLAND_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'upland-test.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        pytest.exit(f"test database {database_url} is unreachable: {exc}", returncode=3)
    if engine.dialect.name == "postgresql":
        _reset_postgres(engine)
    migrate_as_in_production(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits are savepoints inside the test's rolled-back transaction."""
    with Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    ratelimit.reset()
    yield


@pytest.fixture(autouse=True)
def _fresh_kept_results() -> Iterator[None]:
    """Kept results (the home page's figures, the list's municipalities) last seconds; each
    test's registry starts afresh."""
    from upland import kept

    kept.forget_all()
    yield


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with parameters cheap enough for the suite's hundreds of log-ins."""
    from tests.browsing import use_fast_hashing

    use_fast_hashing(monkeypatch)


@pytest.fixture(autouse=True)
def _no_mail_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """E-mails are queued as rows but not sent, unless a test takes the `mailbox`."""
    from upland.mail import service as mail_service

    monkeypatch.setattr(mail_service, "dispatch", lambda message_id: None)


@pytest.fixture(autouse=True)
def _no_market_notices(monkeypatch: pytest.MonkeyPatch) -> None:
    """The marketplace's news is delivered by a job after commit; only tests that take
    `market_notices` (tests/market/conftest.py) have it delivered."""
    from upland.market import notify

    monkeypatch.setattr(notify, "dispatch", lambda news_id: None)


@pytest.fixture(autouse=True)
def _no_matching_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changes queue a refresh of their items' vectors after commit; tests that want it run
    `matching.service.refresh_items` themselves (tests/matching), and no process index
    outlives a test."""
    from upland.matching import engine, subscriptions

    monkeypatch.setattr(subscriptions, "dispatch", lambda kind, ids: None)
    monkeypatch.setattr(subscriptions, "dispatch_all", lambda: None)
    engine.forget_indexes()


@pytest.fixture(autouse=True)
def _no_scheduler_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A served app starts the scheduler of periodic jobs on a thread; in tests it is built but
    not started (a test that needs one starts its own: tests/scheduler)."""
    from upland.scheduler import runner

    monkeypatch.setattr(runner, "start", runner.build)


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch, connection: Connection):
    """A real SMTP server receiving what the app sends after each commit."""
    with mailboxes.smtp_server() as box:
        mailboxes.use_smtp(monkeypatch, box.port)
        mailboxes.send_within(monkeypatch, connection)
        yield box
    monkeypatch.undo()
    _clear_setting_caches()


@pytest.fixture
def system() -> Actor:
    return SYSTEM


@pytest.fixture
def gus_data_dir() -> Path:
    """The official GUS files live beside the checkout, never in the repository."""
    configured = os.environ.get("UPLAND_GUS_DATA_DIR")
    path = (
        Path(configured) if configured else Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not path.is_dir():
        pytest.skip(f"GUS data directory {path} is missing")  # a failure in CI: skip_policy
    return path


_APPS: list[tuple[Any, Any]] = []  # (settings, app) built so far in this run


def _app_for(settings: Any) -> Any:
    """One app per distinct settings for the whole run. FastAPI builds each route's request
    and response models on an app's first requests (about a second for every route), which the
    suite paid again in each of its thousand-odd tests that take `client`."""
    from upland.app import create_app

    for known, application in _APPS:
        if known == settings:
            return application
    application = create_app(settings)
    _APPS.append((settings, application))
    return application


@pytest.fixture
def app(session: Session, connection: Connection, monkeypatch: pytest.MonkeyPatch):
    """The real app, its request sessions (and the jobs it queues) bound to the test's
    transaction. Shared by every test of the same settings: a test that adds routes or
    middleware takes `private_app`."""
    from tests.jobrunner import run_jobs_within
    from upland.settings import get_settings
    from upland.web.deps import get_session

    run_jobs_within(monkeypatch, connection)
    application = _app_for(get_settings())
    application.dependency_overrides = {get_session: lambda: session}
    routes = len(application.routes)
    yield application
    application.dependency_overrides = {}
    assert len(application.routes) == routes, "a test that adds routes takes `private_app`"


@pytest.fixture
def private_app(session: Session, connection: Connection, monkeypatch: pytest.MonkeyPatch):
    """An app of this test's own, bound like `app`, that the test may add routes to."""
    from tests.jobrunner import run_jobs_within
    from upland.app import create_app
    from upland.web.deps import get_session

    run_jobs_within(monkeypatch, connection)
    application = create_app()
    application.dependency_overrides[get_session] = lambda: session
    return application


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def _clear_setting_caches() -> None:
    from upland import db, settings

    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    db.get_sessionmaker.cache_clear()


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database of this run's backend that the `upland` CLI (its own transactions)
    works on."""
    with scratch_database("upland_cli", tmp_path) as url:
        monkeypatch.setenv("UPLAND_DATABASE_URL", url)
        monkeypatch.setenv("UPLAND_CACHE_DIR", str(tmp_path / "cache"))
        _clear_setting_caches()
        yield url
        from upland.db import get_engine

        get_engine().dispose()
        monkeypatch.undo()
        _clear_setting_caches()


__all__ = ["pytest_collection_modifyitems", "pytest_runtest_makereport"]
