"""The demo's history makes the network's ties as it goes: every introduction and confirmed
agreement of the replayed years is a relation dated when it happened, so the graph grows
from 2018 on."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests.demo_database import DemoDatabase

from upland.market.interests.models import Introduction
from upland.network.models import Relation


@pytest.fixture
def connection(demo_connection: Connection) -> Connection:
    return demo_connection


def test_the_demo_history_grows_the_network(session: Session, demo_database: DemoDatabase) -> None:
    introductions = session.scalar(select(func.count()).select_from(Introduction))
    by_source = Counter(
        dict(session.execute(select(Relation.source, func.count()).group_by(Relation.source)).all())
    )
    assert by_source["introduction"] == introductions > 0
    years = Counter(d.year for d in session.scalars(select(Relation.starts_on)))
    assert min(years) == 2018
    assert sum(n for y, n in years.items() if y <= 2020) < sum(years.values())
