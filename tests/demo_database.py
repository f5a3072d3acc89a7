"""The demo world with its marketplace history, loaded once per run into a database of its own.

Loading it goes through every service and replays eight years of the marketplace: about a
minute, which the suite used to pay in every test that reads the demo. Tests that only read it
take `demo_session` (or, for a module whose every test reads it, override `connection` with
`demo_connection`), and run in a transaction rolled back at the end, as every other test does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from tests.databases import migrate_as_in_production, scratch_database
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


@pytest.fixture(scope="session")
def demo_database(
    tmp_path_factory: pytest.TempPathFactory, demo_world: World, market: MarketWorld
) -> Iterator[DemoDatabase]:
    """The demo world and its market history, committed inside the replay as `upland demo`
    does (so signals are delivered while the clock still replays the past)."""
    from upland.demo.brokerage import load_brokerage_days
    from upland.demo.history import load_market
    from upland.demo.load import load_world
    from upland.demo.opportunities.timeline import LETTER, day_start
    from upland.demo.relations import build_relations, load_relations

    with scratch_database("upland_demo", tmp_path_factory.mktemp("demo")) as url:
        migrate_as_in_production(url)
        engine = make_engine(url)
        try:
            with pytest.MonkeyPatch.context() as patch:
                _silent_dispatch(patch)
                with clock.replay(day_start(LETTER)) as replay, Session(engine) as session:
                    counts = load_world(session, demo_world)
                    counts |= load_market(session, market, replay)
                    counts |= load_brokerage_days(session, demo_world)
                    counts |= load_relations(session, build_relations(demo_world))
                    session.commit()
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
