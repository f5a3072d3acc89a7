"""The registry benchmark's data on a few hundred rows: what the service would have written.

No timing assertions: only that the bulk-loaded rows carry the derived columns the service
computes, that the full-text index is complete and still maintained, and that the seed fixes
the data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, selectinload
from tests import factories

from upland.actor import SYSTEM
from upland.bench import registry as bench
from upland.db import make_engine
from upland.organisations import queries, service
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter

ROWS = 300


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = Path(tmp_path_factory.mktemp("bench")) / "registry.db"
    engine = make_engine(f"sqlite:///{path}")
    bench.build(engine, ROWS, lambda _message: None)
    yield engine
    engine.dispose()


def test_bulk_rows_carry_the_derived_columns_of_the_service(engine):
    derived = ("name_key", "size_class", "teryt", "search_text")
    with Session(engine) as session:
        orgs = session.scalars(
            select(Organisation).options(
                selectinload(Organisation.sites), selectinload(Organisation.capabilities)
            )
        ).all()
        assert len(orgs) == ROWS
        loaded = {o.id: tuple(getattr(o, c) for c in derived) for o in orgs}
        for org in orgs:
            service.refresh_derived(session, org)
        assert {o.id: tuple(getattr(o, c) for c in derived) for o in orgs} == loaded
        session.rollback()


def test_full_text_index_is_complete_and_still_maintained(engine):
    flt = OrganisationFilter(q="spaw")
    with Session(engine) as session:
        like = select(func.count(Organisation.id)).where(
            (Organisation.search_text.startswith("spaw"))
            | Organisation.search_text.contains(" spaw")
        )
        expected = session.scalar(like)
        assert expected > 0
        assert queries.count_organisations(session, SYSTEM, flt, bench.TODAY) == expected
        factories.organisation(session, description_pl="Spawalnia")
        assert queries.count_organisations(session, SYSTEM, flt, bench.TODAY) == expected + 1
        session.rollback()


def test_the_seed_fixes_the_data(engine):
    with Session(engine) as session:
        lookups = bench.load_lookups(session)
    first = next(bench.generate(50, lookups))
    again = next(bench.generate(50, lookups))
    other = next(bench.generate(50, lookups, seed=bench.SEED + 1))
    assert first == again
    assert first.organisations != other.organisations
    assert all(o["updated_at"] >= o["created_at"] for o in first.organisations)
    assert all(o["created_at"].tzinfo is dt.UTC for o in first.organisations)
