"""The marketplace benchmark on a few hundred rows: what the service would have written, and a
hand-written baseline that returns the project's page and total for every figure.

No timing assertions: only that the bulk-loaded rows carry the derived columns the service
computes, that the full-text index is complete, that the seed fixes the data and that each
baseline does the project's work.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, selectinload

from upland.bench import market as bench
from upland.bench import market_data as data
from upland.db import make_engine
from upland.market.derived import TEXT_FIELDS, derive
from upland.market.models import Opportunity, OpportunityCapability
from upland.organisations.models import Organisation
from upland.reference import queries as reference

ROWS = 400
ORGANISATIONS = 60


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = Path(tmp_path_factory.mktemp("bench")) / "market.db"
    engine = make_engine(f"sqlite:///{path}")
    data.build(engine, ROWS, lambda _message: None, organisations=ORGANISATIONS)
    yield engine
    engine.dispose()


def test_bulk_rows_carry_the_derived_columns_of_the_service(engine):
    with Session(engine) as session:
        terms = {t.id: t for t in reference.list_capability_terms(session)}
        headquarters = dict(session.execute(select(Organisation.id, Organisation.teryt)).all())
        stmt = select(Opportunity).options(selectinload(Opportunity.capabilities))
        for opportunity in session.scalars(stmt.limit(50)):
            names = [
                f"{terms[c.term_id].name_pl} {terms[c.term_id].name_en}"
                for c in opportunity.capabilities
            ]
            expected = derive(
                [opportunity.title_pl, opportunity.title_en],
                [getattr(opportunity, f) for f in TEXT_FIELDS],
                names,
            )
            assert opportunity.search_title == expected.search_title
            assert opportunity.search_text == expected.search_text
            assert opportunity.teryt == headquarters[opportunity.owner_id]


def test_every_kind_and_state_is_generated_and_indexed(engine):
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Opportunity)) == ROWS
        kinds = set(session.scalars(select(Opportunity.kind).distinct()))
        statuses = set(session.scalars(select(Opportunity.status).distinct()))
        indexed = session.scalar(text("SELECT count(*) FROM opportunity_fts"))
        capabilities = session.scalar(select(func.count()).select_from(OpportunityCapability))
    assert len(kinds) == 8
    assert {"published", "expired", "draft"} <= statuses
    assert indexed == ROWS
    assert capabilities >= ROWS


def test_the_seed_fixes_the_data(engine):
    with Session(engine) as session:
        lookups = data.load_lookups(session)
    owners = [data.Owner(i, None) for i in range(1, ORGANISATIONS + 1)]
    first = next(data.generate(20, owners, lookups))
    again = next(data.generate(20, owners, lookups))
    other = next(data.generate(20, owners, lookups, seed=1))
    assert first.opportunities == again.opportunities
    assert first.opportunities != other.opportunities


@pytest.mark.parametrize("filter_name", list(bench.FILTERS))
@pytest.mark.parametrize("actor_name", list(bench.ACTORS))
def test_each_baseline_does_the_projects_work(engine, filter_name, actor_name):
    project = bench.project_call(engine, bench.ACTORS[actor_name], bench.FILTERS[filter_name])()
    where = bench.baseline_where(engine.dialect.name, filter_name, actor_name)
    walks = bench.baseline_walks(actor_name)
    count = bench.baseline_count(engine.dialect.name, filter_name, actor_name)
    baseline = bench.baseline_call(engine, where, walks, count)()
    bench._same_work(project, baseline, filter_name)
    assert project.total == baseline[1]


FACETS = "SELECT token, opportunity_id, status, visibility, expires_on, kind FROM opportunity_facet"


@pytest.mark.postgres_only
def test_the_postgres_load_fills_the_facets_the_triggers_would_and_turns_them_back_on(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("needs UPLAND_TEST_DATABASE_URL pointing at PostgreSQL")
    import os

    from upland.bench.harness import scratch_postgres

    with scratch_postgres(database_url, f"upland_test_market_facets_{os.getpid()}") as url:
        engine = make_engine(url)
        try:
            data.build(engine, ROWS, lambda _message: None, organisations=ORGANISATIONS)
            with engine.begin() as connection:
                loaded = set(connection.execute(text(FACETS)))
                connection.execute(text("DELETE FROM opportunity_facet"))
                connection.execute(text(data.FACET_FILL))
                rebuilt = set(connection.execute(text(FACETS)))
                off = connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                        "AND tgenabled = 'D' AND tgrelid::regclass::text = ANY(:children)"
                    ),
                    {"children": list(data.FACET_CHILDREN)},
                )
                # The triggers make the facets of a code added after the load.
                opportunity = connection.scalar(text("SELECT min(id) FROM opportunity"))
                code = connection.scalar(
                    text(
                        "INSERT INTO opportunity_pkd (opportunity_id, version, code, section) "
                        "SELECT :id, version, code, section FROM opportunity_pkd WHERE code NOT IN "
                        "(SELECT code FROM opportunity_pkd WHERE opportunity_id = :id) "
                        "LIMIT 1 RETURNING code"
                    ),
                    {"id": opportunity},
                )
                added = connection.scalar(
                    text(
                        "SELECT count(*) FROM opportunity_facet "
                        "WHERE opportunity_id = :id AND token = 'pkd:' || :code"
                    ),
                    {"id": opportunity, "code": code},
                )
        finally:
            engine.dispose()
    assert loaded and loaded == rebuilt
    assert off == 0
    assert added == 1
