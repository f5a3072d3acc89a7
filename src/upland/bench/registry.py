"""`upland bench registry`: latency of one registry list/search page with 100 000 organisations.

Generates the registry with a fixed seed straight into a fresh, migrated database
(`registry_data`), then measures `queries.list_organisations` (a keyset page, with or without
its exact total) for page 1 and page 500, unfiltered, filtered by city + PKD division and by
free text, as anonymous and as coordinator. Every total is counted afresh at every call; on
PostgreSQL, "page + kept total" figures add the same page with the total kept from an earlier
call (text and facet totals are kept per committed version of the search copy).

Baseline: each figure's same work written by hand in SQL on the raw DB-API connection — the
same filter and visibility rule, the same keyset page (`(name_key, id) > (…)`) and, for
"page + total", the same `count(*)` — so a ratio compares like with like. Before measuring,
the baseline's page and count are checked against the project's. SQLite always; PostgreSQL
too when a server URL is given (scratch database). `--markdown` writes the tables into
docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS, Actor
from upland.bench.harness import Figure, LatencyBenchmark, Report, latency_benchmark, number
from upland.bench.registry_data import LUBLIN, SEED, build
from upland.organisations import queries, text_totals
from upland.organisations.cursors import encode_cursor
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter
from upland.organisations.search import fts5_match, query_terms, tsquery

ROWS = 100_000
PAGE_SIZE = 25
FAR_PAGE = 500
REPEAT = 200
TODAY = dt.date(2026, 11, 27)
COORDINATOR = Actor(user_id=1, label="coordinator", is_cluster_member=True, is_coordinator=True)
ACTORS = {"anonymous": ANONYMOUS, "coordinator": COORDINATOR}
FILTERS = {
    "unfiltered": OrganisationFilter(sort="name"),
    "city+PKD 29": OrganisationFilter(city="Lublin", pkd="29", sort="name"),
    "text 'spaw'": OrganisationFilter(q="spaw", sort="name"),
}
TEXT = query_terms("spaw")
KEPT_TOTALS = ("city+PKD 29", "text 'spaw'")  # counted from the search copy on PostgreSQL


# --- the hand-written baseline -------------------------------------------------------------------


def baseline_where(dialect: str, filter_name: str, actor_name: str) -> str:
    """The WHERE clause a developer would write for this filter and reader, by hand."""
    conditions = ["TRUE"]
    if actor_name == "anonymous":
        conditions.append("o.visibility = 'public'")  # staff (the coordinator) see every row
    if filter_name == "city+PKD 29":
        conditions.append(
            f"EXISTS (SELECT 1 FROM site s WHERE s.organisation_id = o.id AND s.teryt = '{LUBLIN}')"
        )
        prefix = "p.code >= '29' AND p.code < '29~'" if dialect == "sqlite" else "p.code LIKE '29%'"
        conditions.append(
            f"EXISTS (SELECT 1 FROM organisation_pkd p WHERE p.organisation_id = o.id AND {prefix})"
        )
    elif filter_name == "text 'spaw'":
        # The analyser's look-up of "spaw" (its tokens), matched by hand in each index.
        if dialect == "sqlite":
            match = fts5_match(TEXT).replace("'", "''")
            conditions.append(
                "o.id IN (SELECT rowid FROM organisation_fts "
                f"WHERE organisation_fts MATCH '{match}')"
            )
        else:
            conditions.append(f"o.search_vector @@ to_tsquery('simple', '{tsquery(TEXT)}')")
    return " AND ".join(conditions)


def baseline_call(
    engine: Engine, where: str, after: tuple[str, int] | None, with_total: bool
) -> Callable[[], tuple[list[int], int | None]]:
    """One request's worth of hand-written SQL: the keyset page, and its count if asked."""
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    keyset = f" AND (o.name_key, o.id) > ({mark}, {mark})" if after else ""
    page_where = where.replace("%", "%%") if after and mark == "%s" else where
    page = (
        f"SELECT o.id, o.* FROM organisation o WHERE {page_where}{keyset} "
        f"ORDER BY o.name_key, o.id LIMIT {PAGE_SIZE}"
    )
    count = f"SELECT count(*) FROM organisation o WHERE {where}"

    def call() -> tuple[list[int], int | None]:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            if after:
                cursor.execute(page, after)
            else:
                cursor.execute(page)
            ids = [row[0] for row in cursor.fetchall()]
            total = None
            if with_total:
                cursor.execute(count)
                total = int(cursor.fetchone()[0])  # type: ignore[index]
            cursor.close()
            return ids, total
        finally:
            connection.close()

    return call


# --- the project ---------------------------------------------------------------------------------


def far_page_start(engine: Engine, actor: Actor, flt: OrganisationFilter) -> tuple[str, int]:
    """The last row before page FAR_PAGE (sort key and id), found once."""
    with Session(engine) as session:
        stmt = queries.filtered(session, actor, flt, TODAY).order_by(
            Organisation.name_key, Organisation.id
        )
        last = session.scalars(stmt.offset(PAGE_SIZE * (FAR_PAGE - 1) - 1).limit(1)).first()
        if last is None:
            raise SystemExit(f"fewer than {FAR_PAGE} pages for {flt!r}; raise --rows")
        return last.name_key, last.id


def project_call(
    engine: Engine,
    actor: Actor,
    flt: OrganisationFilter,
    after: str | None,
    with_total: bool,
    kept: bool = False,
) -> Callable[[], queries.Page]:
    """One request's worth of work: a fresh session, one keyset page (and its exact total).

    The total is counted at every call unless `kept`: then it is the total kept from the first
    call (PostgreSQL keeps text and facet totals per committed version of the search copy),
    as for the next page of the same search or the next reader of the same kind."""

    def call() -> queries.Page:
        if not kept:
            text_totals.forget_kept_totals()
        with Session(engine) as session:
            return queries.list_organisations(
                session,
                actor,
                flt,
                today=TODAY,
                limit=PAGE_SIZE,
                after=after,
                with_total=with_total,
            )

    return call


def _same_work(project: queries.Page, baseline: tuple[list[int], int | None], name: str) -> None:
    """The baseline returns the project's page and total, or its figure would mean nothing."""
    ids, total = baseline
    if [o.id for o in project.items] != ids or (total is not None and project.total != total):
        raise RuntimeError(f"the hand-written baseline differs from the project for {name}")


# --- running -----------------------------------------------------------------------------------


def _rows(counted: bool, project: queries.Page) -> str:
    return number(project.total) if counted else ""


def figures(engine: Engine) -> Iterator[Figure]:
    """Every filter for every reader, page 1 and page FAR_PAGE, with and without the total."""
    dialect = engine.dialect.name
    for filter_name, flt in FILTERS.items():
        for actor_name, actor in ACTORS.items():
            where = baseline_where(dialect, filter_name, actor_name)
            start = far_page_start(engine, actor, flt)
            cursor = encode_cursor(list(start))
            for with_total, kind in ((True, "page + total"), (False, "page only")):
                for page, after, keyset in ((1, None, None), (FAR_PAGE, cursor, start)):
                    name = f"{filter_name}, {actor_name}, page {page}, {kind}"
                    yield Figure(
                        name,
                        project_call(engine, actor, flt, after, with_total),
                        baseline_call(engine, where, keyset, with_total),
                        partial(_same_work, name=name),
                        partial(_rows, with_total),
                    )
            if dialect == "postgresql" and filter_name in KEPT_TOTALS:
                for page, after, keyset in ((1, None, None), (FAR_PAGE, cursor, start)):
                    name = f"{filter_name}, {actor_name}, page {page}, page + kept total"
                    yield Figure(
                        name,
                        project_call(engine, actor, flt, after, True, kept=True),
                        baseline_call(engine, where, keyset, True),
                        partial(_same_work, name=name),
                        partial(_rows, True),
                    )


BENCHMARK = LatencyBenchmark("registry", "organisations", SEED, build, figures)


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    repeat: int = REPEAT,
    markdown: Path | None = None,
    postgresql_only: bool = False,
) -> dict[str, Report]:
    """Run the benchmark on SQLite, and on PostgreSQL when `database_url` is given; with
    `markdown`, write each backend's table into that file's `bench:registry-<backend>` section."""
    size = rows or ROWS
    print(
        f"registry list/search: {size} organisations (seed {SEED}), page size {PAGE_SIZE}, "
        f"{repeat} repetitions per figure; x = p50 / p50 of the same work in hand-written SQL"
    )
    return latency_benchmark(
        BENCHMARK, size, database_url, quiet, repeat, markdown, postgresql_only
    )
