"""The demo's history makes the network's ties as it goes: every introduction and confirmed
agreement of the replayed years is a relation dated when it happened, and the declared
supply-chain, R&D and joint-project ties grow from 2018 on, within cities first and more and
more across them, some between science and business; the recommendations find something."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests.demo_database import DemoDatabase

from upland.actor import SYSTEM
from upland.demo.relations import build_relations
from upland.market.interests.models import Introduction
from upland.network.models import Relation
from upland.network.recommendations import queries as recommendations
from upland.organisations.models import Organisation
from upland.settings import get_settings


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


def test_declared_ties_grow_and_cross_city_lines_later(
    session: Session, demo_database: DemoDatabase
) -> None:
    assert build_relations(demo_database.world) == build_relations(demo_database.world)
    declared = list(
        session.scalars(select(Relation).where(Relation.source == "declared").order_by(Relation.id))
    )
    assert 100 <= len(declared) <= 150
    assert demo_database.counts["declared relations"] == len(declared)
    assert {r.status for r in declared} == {"confirmed"}
    settings = get_settings()
    facts = {o.id: o for o in session.scalars(select(Organisation))}
    city = {i: settings.partner_of(o.sites[0].teryt if o.sites else None) for i, o in facts.items()}
    crossing = Counter(
        (r.starts_on.year <= 2021, city[r.from_id] != city[r.to_id]) for r in declared
    )
    early = crossing[(True, True)] / (crossing[(True, True)] + crossing[(True, False)])
    late = crossing[(False, True)] / (crossing[(False, True)] + crossing[(False, False)])
    assert early < 0.35 < late
    kinds = Counter(r.type for r in declared)
    assert kinds["supply"] > kinds["rd_partnership"] > 0 and kinds["joint_project"] > 0
    years = Counter(r.starts_on.year for r in declared)
    assert years[2019] < years[2022] < years[2025]
    assert recommendations.list_recommendations(session, SYSTEM, limit=5)
