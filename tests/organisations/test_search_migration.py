"""Migration 0009 re-analyses existing organisations with its frozen copy of the analyser: on
the day it ships, the copy must give what the live analyser gives (the service's tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for, scratch_database

from upland import migrate
from upland.actor import SYSTEM
from upland.organisations.models import Organisation
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS


@pytest.fixture
def fresh_engine(tmp_path: Path) -> Iterator[Engine]:
    with (
        scratch_database("upland_search_migration", tmp_path) as url,
        engine_for(url) as engine,
    ):
        yield engine


def _search_columns(engine: Engine) -> dict[int, tuple[str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Organisation.id, Organisation.search_name, Organisation.search_text)
        )
        return {i: (n, t) for i, n, t in rows}


def test_the_migration_indexes_existing_rows_as_the_service_does(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        factories.organisation(
            session,
            legal_name="Obróbka Skrawaniem Jasiński",
            short_name="Rol-Mech",
            description_pl="Spawaniem ram zajmujemy się w Radomiu i Starachowicach.",
            sites=[{"teryt": "1463011", "is_headquarters": True}],
        )
        factories.organisation(session)
    live = _search_columns(fresh_engine)
    migrate.downgrade(fresh_engine, "0008")
    with fresh_engine.begin() as connection:
        connection.execute(text("UPDATE organisation SET search_text = 'stale'"))
    migrate.upgrade(fresh_engine)
    assert _search_columns(fresh_engine) == live
    with Session(fresh_engine) as session:
        import datetime as dt

        from upland.organisations import queries
        from upland.organisations.schemas import OrganisationFilter

        page = queries.list_organisations(
            session, SYSTEM, OrganisationFilter(q="obróbki skrawaniem"), today=dt.date(2026, 12, 3)
        )
        assert [o.legal_name for o in page.items] == ["Obróbka Skrawaniem Jasiński"]
