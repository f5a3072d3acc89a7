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
from upland.bench import registry_data as data
from upland.db import make_engine
from upland.organisations import queries, service
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter

ROWS = 300


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = Path(tmp_path_factory.mktemp("bench")) / "registry.db"
    engine = make_engine(f"sqlite:///{path}")
    data.build(engine, ROWS, lambda _message: None)
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
        lookups = data.load_lookups(session)
    first = next(data.generate(50, lookups))
    again = next(data.generate(50, lookups))
    other = next(data.generate(50, lookups, seed=data.SEED + 1))
    assert first == again
    assert first.organisations != other.organisations
    assert all(o["updated_at"] >= o["created_at"] for o in first.organisations)
    assert all(o["created_at"].tzinfo is dt.UTC for o in first.organisations)


@pytest.mark.parametrize("filter_name", list(bench.FILTERS))
@pytest.mark.parametrize("actor_name", list(bench.ACTORS))
def test_the_hand_written_baseline_does_the_same_work(engine, filter_name, actor_name):
    """Each figure's baseline returns the project's page and exact total, first and later pages."""
    flt, actor = bench.FILTERS[filter_name], bench.ACTORS[actor_name]
    where = bench.baseline_where(engine.dialect.name, filter_name, actor_name)
    first = bench.project_call(engine, actor, flt, None, True)()
    assert first.total and first.total > bench.PAGE_SIZE
    baseline_ids, baseline_total = bench.baseline_call(engine, where, None, True)()
    assert ([o.id for o in first.items], first.total) == (baseline_ids, baseline_total)
    last = first.items[-1]
    after = queries.encode_cursor([last.name_key, last.id])
    second = bench.project_call(engine, actor, flt, after, False)()
    keyset = (last.name_key, last.id)
    assert [o.id for o in second.items] == bench.baseline_call(engine, where, keyset, False)()[0]
    assert bench.baseline_call(engine, where, keyset, False)()[1] is None


def test_markdown_tables_replace_their_marked_section(tmp_path):
    from upland.bench.harness import Report, write_section

    page = tmp_path / "performance.md"
    prose = "# Performance\n\nhand-written text quoting `<!-- bench:registry-sqlite -->`\n"
    page.write_text(prose, encoding="utf-8")
    report = Report("SQLite", ("figure", "p50 ms"), out=lambda _line: None)
    report.line("[sqlite] unfiltered  p50 1.00 ms", "unfiltered", "1.00")
    write_section(page, "registry-sqlite", report.markdown())
    report.rows[0] = ("unfiltered", "2.00")
    write_section(page, "registry-sqlite", report.markdown())
    text = page.read_text(encoding="utf-8")
    assert text.startswith(prose)
    assert text.count("\n<!-- bench:registry-sqlite -->\n") == 1
    assert "| unfiltered | 2.00 |" in text and "1.00" not in text


def test_postgresql_only_needs_a_postgresql_url():
    with pytest.raises(SystemExit, match="--postgresql-only needs --database-url"):
        bench.main(rows=10, quiet=True, repeat=1, postgresql_only=True)
