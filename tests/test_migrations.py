"""One linear migration history that builds, tears down and rebuilds the schema the models
describe, on the backend of this run (SQLite, or PostgreSQL via UPLAND_TEST_DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.orm import Session

from tests import factories
from tests.databases import engine_for, scratch_database
from upland import migrate
from upland.actor import SYSTEM
from upland.all_models import metadata
from upland.market.saved import service as saved
from upland.market.saved.schemas import SavedSearchCreate
from upland.organisations import queries
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS


@pytest.fixture
def fresh_engine(tmp_path: Path) -> Iterator[Engine]:
    with scratch_database("upland_migrations_test", tmp_path) as url, engine_for(url) as engine:
        yield engine


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _differences(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": migrate.include_name,
                "target_metadata": metadata,
            },
        )
        return list(compare_metadata(context, metadata))


def test_history_is_linear_with_one_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_every_revision_id_fits_the_version_column() -> None:
    """alembic_version.version_num is VARCHAR(32): PostgreSQL refuses a longer id (SQLite
    does not check), so a long name would pass on SQLite and stop production."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert [r.revision for r in script.walk_revisions() if len(r.revision) > 32] == []


def test_upgrade_downgrade_upgrade(fresh_engine: Engine) -> None:
    assert _tables(fresh_engine) == set()
    assert migrate.current_revision(fresh_engine) is None

    migrate.upgrade(fresh_engine)
    assert migrate.is_at_head(fresh_engine)
    assert set(metadata.tables) <= _tables(fresh_engine)

    migrate.downgrade(fresh_engine, "base")
    assert migrate.current_revision(fresh_engine) is None
    assert _tables(fresh_engine) <= {"alembic_version"}
    if fresh_engine.dialect.name == "postgresql":
        inspector = inspect(fresh_engine)
        assert inspector.get_sequence_names() == []
        assert inspector.get_enums() == []

    migrate.upgrade(fresh_engine)
    assert migrate.is_at_head(fresh_engine)
    assert set(metadata.tables) <= _tables(fresh_engine)


def test_each_step_down_and_up_again(fresh_engine: Engine) -> None:
    """Every revision's downgrade undoes exactly its upgrade (step by step from head)."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = [r.revision for r in script.walk_revisions()]  # head first
    migrate.upgrade(fresh_engine)
    for revision in revisions:
        migrate.downgrade(fresh_engine, "-1")
        migrate.upgrade(fresh_engine, revision)
        assert migrate.current_revision(fresh_engine) == revision
        migrate.downgrade(fresh_engine, "-1")
    assert migrate.current_revision(fresh_engine) is None
    migrate.upgrade(fresh_engine)
    assert _differences(fresh_engine) == []


def test_search_index_is_built_by_migrations(fresh_engine: Engine) -> None:
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        if fresh_engine.dialect.name == "sqlite":
            names = connection.scalars(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'organisation_fts%'")
            ).all()
            assert "organisation_fts" in names
        else:
            names = connection.scalars(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'organisation'")
            ).all()
            assert "search_vector_gin" in names  # 0009 replaced the trigram index


def test_models_and_migrations_agree(fresh_engine: Engine) -> None:
    """What autogenerate would write after `upgrade head` must be nothing."""
    migrate.upgrade(fresh_engine)
    assert _differences(fresh_engine) == []


REGISTRY_TABLES = ("organisation", "site", "organisation_pkd", "organisation_capability", "person")


def _registry(engine: Engine) -> tuple[dict[str, int], dict[int, str]]:
    with engine.connect() as connection:
        counts = {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in REGISTRY_TABLES}
        facets = dict(connection.execute(select(Organisation.id, Organisation.facets)).all())
    return counts, facets


def test_rows_survive_migrating_down_and_up_again(fresh_engine: Engine) -> None:
    """Downgrades keep the data they do not own, and upgrades rebuild derived data: a SQLite
    table rebuild must not cascade-delete children, and facets and the text index come back."""
    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        for _ in range(3):
            factories.organisation(
                session, sites=[{"teryt": "0663011", "is_headquarters": True}, {"teryt": "1463011"}]
            )
    before = _registry(fresh_engine)
    assert before[0]["site"] == 6
    migrate.downgrade(fresh_engine, "0001")
    migrate.upgrade(fresh_engine)
    assert _registry(fresh_engine) == before
    with Session(fresh_engine) as session:
        flt = OrganisationFilter(city="Radom", q="spawanie", pkd="25")
        today = dt.date(2026, 11, 27)
        assert queries.count_organisations(session, SYSTEM, flt, today) == 3
        total = session.scalar(
            select(func.count()).select_from(
                queries.filtered(session, SYSTEM, flt, today).subquery()
            )
        )
        assert total == 3


def test_saved_searches_existing_before_their_key_are_filed_as_the_service_files_them(
    fresh_engine: Engine,
) -> None:
    """Migration 0024 fills `match_key` in SQL by the rule `market.saved.keys.key_of` states."""
    migrate.upgrade(fresh_engine)
    searches = [
        dict(capability="cnc-milling", q="frezowanie"),
        dict(q="frezowanie korpusów", pkd="25"),
        dict(pkd="25.62", city="Lublin"),
        dict(city="Radom", kind="business_offer"),
        dict(kind="capacity_offer", owner_kind="company"),
        dict(owner_kind="research", trl_min=4),
        dict(trl_min=3, trl_max=6),
    ]
    with Session(fresh_engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        actor = factories.actor_of(session, factories.user(session))
        for n, fields in enumerate(searches):
            saved.save_search(session, actor, SavedSearchCreate(name=f"s{n}", **fields))
    keys = "SELECT id, match_key FROM saved_search ORDER BY id"
    with fresh_engine.connect() as connection:
        filed = connection.execute(text(keys)).all()
    assert len({key[:2] for _, key in filed}) == len(searches)  # every branch of the rule
    migrate.downgrade(fresh_engine, "0023_market_search")
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        assert connection.execute(text(keys)).all() == filed


def test_meeting_ties_existing_before_their_event_column_get_their_event(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 0042 fills `relation.event_id` of meeting ties (the organiser sees them)."""
    from tests.network.test_meeting_relations import _world, the_day_comes
    from upland.events import service as events_service
    from upland.events.schemas import MeetingOutcomeIn

    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        day, _, meeting, alice = _world(session)
        the_day_comes(monkeypatch)
        events_service.record_outcome(
            session, alice, meeting.id, MeetingOutcomeIn(outcome="follow_up")
        )
        day_id, meeting_id = day.id, meeting.id
    ties = "SELECT origin, event_id FROM relation ORDER BY id"
    with fresh_engine.connect() as connection:
        assert connection.execute(text(ties)).all() == [(f"meeting:{meeting_id}", day_id)]
    migrate.downgrade(fresh_engine, "0041_event_video_generation")
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        assert connection.execute(text(ties)).all() == [(f"meeting:{meeting_id}", day_id)]


def test_matched_items_existing_before_their_public_flag_get_the_anonymous_readers_rule(
    fresh_engine: Engine,
) -> None:
    """Migration 0043 sets `item_vector.public` as an anonymous reader sees each item today:
    a restricted profile's row must not stay counted in BM25's statistics until a rebuild."""
    from tests.matching.web import refresh

    migrate.upgrade(fresh_engine)
    with Session(fresh_engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        shown = factories.organisation(session, description_pl="Spawanie ram.").id
        hidden = factories.organisation(
            session, visibility="restricted", description_pl="Odlewy."
        ).id
        refresh(session)
    flags = "SELECT item_id, public FROM item_vector ORDER BY item_id"
    with fresh_engine.connect() as connection:
        assert [(i, bool(p)) for i, p in connection.execute(text(flags))] == [
            (shown, True),
            (hidden, False),
        ]
    migrate.downgrade(fresh_engine, "0042_relation_event")
    migrate.upgrade(fresh_engine)
    with fresh_engine.connect() as connection:
        assert [(i, bool(p)) for i, p in connection.execute(text(flags))] == [
            (shown, True),
            (hidden, False),
        ]
