"""`upland bench market`: latency of one marketplace browse/search page with 100 000
opportunities.

Generates 5 000 organisations and the opportunities with a fixed seed straight into a fresh,
migrated database (`market_data`: bulk Core inserts, bench data only), then measures
`market.queries.list_opportunities` (the first page of 25 with its exact total, as the browse
page and `GET /api/v1/opportunities` ask it) unfiltered, filtered (kind + TRL, city of interest,
PKD division) and by free text in Polish and in English, as an anonymous visitor, a member
organisation's editor and the coordinator.

Baseline: each figure's same work written by hand in SQL on the raw DB-API connection — the
same visibility and teaser rule, the same filter, the same order and page, the same
`count(*)`, and the page's PKD codes, places and named organisations — checked to return the
project's page and total before measuring. SQLite always; PostgreSQL too when a server URL is
given (scratch database). `--markdown` writes the tables into docs/performance.md.

Notification digests for 10 000 people with saved searches (the issue's second figure) are
`upland bench market-digest` (`market_digest`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS, Actor, OrgRole
from upland.bench.harness import Figure, LatencyBenchmark, Report, latency_benchmark, number
from upland.bench.market_data import SEED, TODAY, build
from upland.market import queries
from upland.market.schemas import OpportunityFilter
from upland.market.search import EVERY_COLUMN, TITLE_COLUMN, query_terms
from upland.market.vocab import OpportunityKind
from upland.organisations.search import fts5_match, tsquery

ROWS = 100_000
PAGE_SIZE = 25
REPEAT = 100
TARGET_P95_MS = 50.0
MEMBER_ORG = 1
ACTORS: dict[str, Actor] = {
    "anonymous": ANONYMOUS,
    "member": Actor(
        user_id=2, label="member", org_roles={MEMBER_ORG: OrgRole.EDITOR}, is_cluster_member=True
    ),
    "coordinator": Actor(
        user_id=1, label="coordinator", is_cluster_member=True, is_coordinator=True
    ),
}
FILTERS: dict[str, OpportunityFilter] = {
    "newest": OpportunityFilter(),
    "kind+TRL>=5": OpportunityFilter(kind=OpportunityKind.TECHNOLOGY_OFFER, trl_min=5),
    "city Lublin": OpportunityFilter(city="0663011"),
    "PKD 25": OpportunityFilter(pkd="25"),
    "text pl 'frezowanie'": OpportunityFilter(q="frezowanie"),
    "text pl 'korpusy przekładni'": OpportunityFilter(q="korpusy przekładni"),
    "text en 'laser'": OpportunityFilter(q="laser"),
    "text en 'gear wheels'": OpportunityFilter(q="gear wheels"),
}


# --- the hand-written baseline -------------------------------------------------------------------


def _whole(actor_name: str) -> str:
    """Whom the reader sees whole among live opportunities (`permissions.full_condition`)."""
    if actor_name == "anonymous":
        return "o.visibility = 'public'"
    if actor_name == "member":
        return (
            f"(o.owner_id = {MEMBER_ORG} OR o.visibility IN ('public', 'members') OR o.id IN "
            "(SELECT n.opportunity_id FROM opportunity_named n "
            f"WHERE n.organisation_id = {MEMBER_ORG}))"
        )
    return "1 = 1"


def _text(dialect: str, q: str, titles_only: bool) -> str:
    words = query_terms(q)
    if dialect == "sqlite":
        match = fts5_match(words, TITLE_COLUMN if titles_only else EVERY_COLUMN)
        return (
            "o.id IN (SELECT rowid FROM opportunity_fts "
            f"WHERE opportunity_fts MATCH '{match.replace(chr(39), chr(39) * 2)}')"
        )
    # A teaser's titles: the restricted ones' index (`ix_opportunity_search_teaser`, 0029).
    vector = "visibility = 'restricted' AND s.title_vector" if titles_only else "text_vector"
    return (
        "o.id IN (SELECT s.opportunity_id FROM opportunity_search s "
        f"WHERE s.{vector} @@ to_tsquery('simple', '{tsquery(words)}'))"
    )


def text_count(dialect: str, filter_name: str, actor_name: str) -> str:
    """The total of a text filter by hand over the narrow copy (`opportunity_search`, 0029):
    the matches' copy rows that are live and seen whole, or restricted with matching titles
    (teasers); on SQLite the FTS5 matches joined to the copy by id."""
    words = query_terms(FILTERS[filter_name].q or "")
    live = f"s.status = 'published' AND (s.expires_on IS NULL OR s.expires_on >= '{TODAY}')"
    whole = _whole(actor_name).replace("o.", "s.").replace("s.id IN", "s.opportunity_id IN")
    titles = _text(dialect, FILTERS[filter_name].q or "", True).replace("o.id", "s.opportunity_id")
    seen = (
        ""
        if actor_name == "coordinator"
        else (f" AND ({whole} OR (s.visibility = 'restricted' AND {titles}))")
    )
    if dialect == "sqlite":
        match = fts5_match(words, EVERY_COLUMN).replace("'", "''")
        return (
            "SELECT count(*) FROM (SELECT rowid FROM opportunity_fts "
            f"WHERE opportunity_fts MATCH '{match}') AS m "
            f"JOIN opportunity_search s ON s.opportunity_id = m.rowid WHERE {live}{seen}"
        )
    return (
        "SELECT count(*) FROM opportunity_search s WHERE "
        f"s.text_vector @@ to_tsquery('simple', '{tsquery(words)}') AND {live}{seen}"
    )


def baseline_where(dialect: str, filter_name: str, actor_name: str) -> str:
    """The WHERE clause a developer would write for this filter and reader, by hand."""
    live = f"o.status = 'published' AND (o.expires_on IS NULL OR o.expires_on >= '{TODAY}')"
    whole = _whole(actor_name)
    teaser = f"(o.visibility = 'restricted' AND NOT {whole})"
    flt = FILTERS[filter_name]
    details = []
    if flt.kind:
        details.append(f"o.kind = '{flt.kind.value}'")
    if flt.trl_min:
        details.append(f"o.trl >= {flt.trl_min}")
    if flt.city or flt.pkd:  # every bench filter of these matches thousands: probed
        details.append(
            "EXISTS (SELECT 1 FROM opportunity_facet f WHERE f.opportunity_id = o.id "
            f"AND f.token IN ({_facet_tokens(filter_name)}))"
        )
    if flt.q:
        every, titles = _text(dialect, flt.q, False), _text(dialect, flt.q, True)
        return f"{live} AND (({whole} AND {every}) OR ({teaser} AND {titles}))"
    if flt.trl_min or flt.city or flt.pkd:  # what only a whole opportunity answers
        return f"{live} AND {whole} AND " + " AND ".join(details)
    return " AND ".join([live, f"({whole} OR {teaser})", *details])


def _facet_tokens(filter_name: str) -> str:
    """The `opportunity_facet` tokens of a PKD or city filter (migration 0025), as SQL."""
    flt = FILTERS[filter_name]
    if flt.city:
        return f"'place:{flt.city[:2]}', 'place:{flt.city[:4]}', 'place:{flt.city}'"
    return f"'pkd:{flt.pkd}'"


def baseline_count(dialect: str, filter_name: str, actor_name: str) -> str | None:
    """The total of a PKD or city filter from the facet rows' index, by hand: the rows at the
    levels the reader sees, plus a member's own and named restricted ones; of a text filter
    over the narrow copy (`text_count`); None for the other filters (counted over
    `baseline_where`)."""
    flt = FILTERS[filter_name]
    if flt.q and not (flt.city or flt.pkd):
        return text_count(dialect, filter_name, actor_name)
    if not (flt.city or flt.pkd):
        return None
    token = "+f.token" if dialect == "sqlite" else "f.token"  # as `market.facets.count`
    counted = "count(DISTINCT f.opportunity_id)" if flt.city else "count(*)"
    live = f"o.status = 'published' AND (o.expires_on IS NULL OR o.expires_on >= '{TODAY}')"
    facet = (
        f"f.token IN ({_facet_tokens(filter_name)}) AND f.status = 'published' "
        f"AND (f.expires_on IS NULL OR f.expires_on >= '{TODAY}')"
    )
    levels = {
        "anonymous": "'public'",
        "member": "'public', 'members'",
        "coordinator": "'public', 'members', 'restricted'",
    }[actor_name]
    count = (
        f"SELECT {counted} FROM opportunity_facet f WHERE {facet} AND f.visibility IN ({levels})"
    )
    if actor_name != "member":
        return count
    beyond = (
        f"SELECT {counted} FROM opportunity_facet f WHERE {facet.replace('f.token', token)} "
        "AND f.opportunity_id IN "
        f"(SELECT o.id FROM opportunity o WHERE {live} AND o.visibility = 'restricted' "
        f"AND (o.owner_id = {MEMBER_ORG} OR o.id IN (SELECT n.opportunity_id "
        f"FROM opportunity_named n WHERE n.organisation_id = {MEMBER_ORG})))"
    )
    return f"SELECT ({count}) + ({beyond})"


BY_DATE = "o.published_at DESC, o.id DESC"


def baseline_walks(actor_name: str) -> list[tuple[str, str]]:
    """(condition, order) of each walk a page takes, until it is full: the whole rows newest
    first, then the teasers by title and a scrambled id (`queries._newest_rows`); staff see no
    teasers."""
    if actor_name == "coordinator":
        return [("1 = 1", BY_DATE)]
    whole = _whole(actor_name)
    teasers = "o.title_pl, (CAST(o.id AS BIGINT) * 2654435761) % 4294967296, o.id DESC"
    return [(whole, BY_DATE), (f"NOT {whole}", teasers)]


def baseline_call(
    engine: Engine, where: str, walks: list[tuple[str, str]], count: str | None = None
) -> Callable[[], tuple[list[int], int]]:
    """One request's worth of hand-written SQL: the page, its children and its total."""
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    index_scans = engine.dialect.name == "postgresql" and "opportunity_search" in where + (
        count or ""
    )
    pages = [
        f"SELECT o.id, o.* FROM opportunity o WHERE {where} AND {condition} ORDER BY {order} "
        f"LIMIT {PAGE_SIZE + 1}"
        for condition, order in walks
    ]
    count = count or f"SELECT count(*) FROM opportunity o WHERE {where}"
    children = [
        f"SELECT * FROM {table} WHERE opportunity_id IN ({{marks}})"
        for table in ("opportunity_named", "opportunity_pkd", "opportunity_place")
    ]

    def call() -> tuple[list[int], int]:
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            if index_scans:  # as `market.search.text_plan`: GIN indexes, no parallel workers
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            ids: list[int] = []
            for page in pages:
                cursor.execute(page)
                ids += [row[0] for row in cursor.fetchall()]
                if len(ids) > PAGE_SIZE:
                    break
            ids = ids[:PAGE_SIZE]
            if ids:
                for sql in children:
                    cursor.execute(sql.format(marks=", ".join([mark] * len(ids))), ids)
                    cursor.fetchall()
            cursor.execute(count)
            total = int(cursor.fetchone()[0])  # type: ignore[index]
            cursor.close()
            return ids, total
        finally:
            connection.close()

    return call


# --- the project ---------------------------------------------------------------------------------


def project_call(
    engine: Engine, actor: Actor, flt: OpportunityFilter
) -> Callable[[], queries.Page]:
    """One request's worth of work: a fresh session, the first page and its exact total."""

    def call() -> queries.Page:
        with Session(engine) as session:
            return queries.list_opportunities(session, actor, flt, on=TODAY, limit=PAGE_SIZE)

    return call


def _same_work(project: queries.Page, baseline: tuple[list[int], int], name: str) -> None:
    """The baseline returns the project's page and total, or its figure would mean nothing."""
    ids, total = baseline
    if [s.opportunity.id for s in project.items] != ids or project.total != total:
        raise RuntimeError(
            f"the hand-written baseline differs from the project for {name}: "
            f"{total} vs {project.total} rows"
        )


# --- running -----------------------------------------------------------------------------------


def _rows(project: queries.Page) -> str:
    return number(project.total)


def figures(engine: Engine) -> Iterator[Figure]:
    """Every filter for every reader, with its hand-written baseline."""
    dialect = engine.dialect.name
    for filter_name, flt in FILTERS.items():
        for actor_name, actor in ACTORS.items():
            name = f"{filter_name}, {actor_name}"
            yield Figure(
                name,
                project_call(engine, actor, flt),
                baseline_call(
                    engine,
                    baseline_where(dialect, filter_name, actor_name),
                    baseline_walks(actor_name),
                    baseline_count(dialect, filter_name, actor_name),
                ),
                partial(_same_work, name=name),
                _rows,
            )


BENCHMARK = LatencyBenchmark("market", "opportunities", SEED, build, figures, TARGET_P95_MS)


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    repeat: int = REPEAT,
    markdown: Path | None = None,
    postgresql_only: bool = False,
) -> dict[str, Report]:
    """Run the benchmark on SQLite, and on PostgreSQL when `database_url` is given; with
    `markdown`, write each backend's table into that file's `bench:market-<backend>` section."""
    size = rows or ROWS
    print(
        f"market browse/search: {size} opportunities (seed {SEED}), first page of {PAGE_SIZE} "
        f"with its total, {repeat} repetitions per figure; x = p50 / p50 of the same work in "
        f"hand-written SQL; target p95 <= {TARGET_P95_MS:.0f} ms"
    )
    return latency_benchmark(
        BENCHMARK, size, database_url, quiet, repeat, markdown, postgresql_only
    )
