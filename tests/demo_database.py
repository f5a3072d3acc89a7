"""The demo world with its marketplace history, loaded once per run into a database of its own.

Loading it goes through every service and replays eight years of the marketplace: about a
minute, which the suite used to pay in every test that reads the demo. Tests that only read it
take `demo_session` (or, for a module whose every test reads it, override `connection` with
`demo_connection`), and run in a transaction rolled back at the end, as every other test does.

The first pytest-xdist worker to need it loads it into a template that the run's workers share
(a file beside their temporary folders, or a PostgreSQL template database), under a lock; every
worker then works on a copy of its own. The template goes with the run (`pytest_sessionfinish`
of the process that started the workers).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.orm import Session

from tests import workers
from tests.databases import (
    maintenance_engine,
    migrate_as_in_production,
    postgres_server_url,
    scratch_database,
)
from upland import clock
from upland.db import make_engine
from upland.demo.opportunities import MarketWorld, build_market
from upland.demo.world import World, build_world


@dataclass(frozen=True)
class DemoDatabase:
    engine: Engine
    world: World
    market: MarketWorld
    counts: dict[str, int]  # what `load_world` and `load_market` reported writing


@pytest.fixture(scope="session")
def demo_world() -> World:
    return build_world()


@pytest.fixture(scope="session")
def market(demo_world: World) -> MarketWorld:
    return build_market(demo_world)


def _silent_dispatch(patch: pytest.MonkeyPatch) -> None:
    """What the suite's autouse fixtures do for each test, here for the one load: no e-mail
    sent, no market news queued (the replay keeps the marketplace silent too)."""
    from upland.mail import service as mail_service
    from upland.market import notify

    patch.setattr(mail_service, "dispatch", lambda message_id: None)
    patch.setattr(notify, "dispatch", lambda news_id: None)


def _load_demo(url: str, world: World, market: MarketWorld) -> dict[str, int]:
    """The demo world and its market history into the empty database at `url`, committed
    inside the replay as `upland demo` does (so signals are delivered while the clock still
    replays the past); what each step reported writing."""
    from upland.demo.brokerage import load_brokerage_days
    from upland.demo.history import load_market
    from upland.demo.load import load_world
    from upland.demo.opportunities.timeline import LETTER, day_start
    from upland.demo.relations import build_relations, load_relations

    migrate_as_in_production(url)
    engine = make_engine(url)
    try:
        with pytest.MonkeyPatch.context() as patch:
            _silent_dispatch(patch)
            with clock.replay(day_start(LETTER)) as replay, Session(engine) as session:
                counts = load_world(session, world)
                counts |= load_market(session, market, replay)
                counts |= load_brokerage_days(session, world)
                counts |= load_relations(session, build_relations(world))
                session.commit()
    finally:
        engine.dispose()
    return counts


def _run_pid() -> int:
    """The process that started this run: xdist's controller for a worker, else this one."""
    return os.getppid() if workers.worker_number() is not None else os.getpid()


def _template_database() -> str:
    return f"upland_demo_template_{_run_pid()}"


@contextmanager
def _only_one_worker(lock: Path) -> Iterator[None]:
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)


def _template(shared: Path, world: World, market: MarketWorld) -> tuple[str, dict[str, int]]:
    """The run's demo template (its URL, what loading it wrote), loaded by whichever worker
    asks first."""
    record = shared / "demo-template.json"
    with _only_one_worker(shared / "demo-template.lock"):
        if record.is_file():
            found = json.loads(record.read_text(encoding="utf-8"))
            return found["url"], found["counts"]
        server = postgres_server_url()
        if server is None:
            url = f"sqlite:///{shared / 'demo-template.db'}"
        else:
            with _maintenance(server) as admin:  # a half-loaded one left by a failed load goes
                admin.execute(
                    text(f'DROP DATABASE IF EXISTS "{_template_database()}" WITH (FORCE)')
                )
                admin.execute(text(f'CREATE DATABASE "{_template_database()}"'))
            url = (
                make_url(server)
                .set(database=_template_database())
                .render_as_string(hide_password=False)
            )
        counts = _load_demo(url, world, market)
        record.write_text(json.dumps({"url": url, "counts": counts}), encoding="utf-8")
        return url, counts


@contextmanager
def _maintenance(server_url: str) -> Iterator[Connection]:
    admin = maintenance_engine(server_url)
    try:
        with admin.connect() as connection:
            yield connection
    finally:
        admin.dispose()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run's PostgreSQL template goes when the run ends (in the process that started it)."""
    server = postgres_server_url()
    if server is None or hasattr(session.config, "workerinput"):
        return
    with _maintenance(server) as admin:
        admin.execute(text(f'DROP DATABASE IF EXISTS "{_template_database()}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def demo_database(
    tmp_path_factory: pytest.TempPathFactory, demo_world: World, market: MarketWorld
) -> Iterator[DemoDatabase]:
    """This worker's copy of the run's demo template."""
    basetemp = tmp_path_factory.getbasetemp()
    shared = basetemp.parent if workers.worker_number() is not None else basetemp
    template, counts = _template(shared, demo_world, market)
    with scratch_database("upland_demo", tmp_path_factory.mktemp("demo"), copy_of=template) as url:
        engine = make_engine(url)
        try:
            yield DemoDatabase(engine, demo_world, market, counts)
        finally:
            engine.dispose()


@pytest.fixture
def demo_connection(demo_database: DemoDatabase) -> Iterator[Connection]:
    with demo_database.engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def demo_session(demo_connection: Connection) -> Iterator[Session]:
    """A session on the demo database whose commits are savepoints, rolled back at the end."""
    with Session(
        bind=demo_connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    ) as session:
        yield session
