"""How opportunities are found by free text, in Polish or English.

The same tokens as the registry's search (`upland.textkit.analysis`: surface form, Polish lemma,
English stem) in the derived columns `search_title` and `search_text`; SQLite looks them up in
the FTS5 table `opportunity_fts`, PostgreSQL in `opportunity_search` (migration 0023), a narrow
copy of the titles' vector and of every text's under GIN indexes, so neither reads a
description or a wide row to find its matches. A reader who sees only a teaser is matched by
the title alone, the only words a teaser shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Integer,
    SQLColumnExpression,
    String,
    TextClause,
    bindparam,
    column,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from upland.market.models import Opportunity
from upland.market.vocab import Visibility
from upland.organisations.search import (
    QueryWord,
    fts5_match,
    query_terms,
    tsquery,
    vector_matches,
)

__all__ = ["query_terms", "text_condition", "text_plan"]

EVERY_COLUMN = "{search_title search_text}"
TITLE_COLUMN = "search_title"
# The narrow copy kept by triggers: on PostgreSQL the vectors of `search_title` and
# `search_vector` (0023); on both databases what the visibility rule and liveness read
# (0029, `market.text_totals`). SQLite's words are in `opportunity_fts`.
SEARCH_COPY = table(
    "opportunity_search",
    column("opportunity_id", Integer),
    column("title_vector"),
    column("text_vector"),
    column("status", String),
    column("visibility", String),
    column("expires_on", Date),
    column("kind", String),
    column("owner_id", Integer),
    column("teryt", String),
)


def text_condition(
    dialect: str, q: str, *, titles_only: bool, teasers: bool = False
) -> ColumnElement[bool] | None:
    """Opportunities whose index holds every word of `q` (in their titles, if `titles_only`);
    None when `q` holds no word to look for. `teasers`: asked of restricted ones only (a
    teaser's titles), which PostgreSQL reads from an index of the restricted ones' titles."""
    words = query_terms(q)
    if not words:
        return None
    if titles_only and teasers:
        return teaser_matches(dialect, words, Opportunity.id)
    if dialect == "sqlite":
        return Opportunity.id.in_(_fts5_ids(words, titles_only))
    matches = copy_matches(dialect, words)
    return Opportunity.id.in_(select(SEARCH_COPY.c.opportunity_id).where(matches))


def copy_matches(dialect: str, words: list[QueryWord]) -> ColumnElement[bool]:
    """Rows of `SEARCH_COPY` whose opportunity holds every word in any text: their own vector
    on PostgreSQL, their id among the FTS5 matches on SQLite."""
    if dialect == "sqlite":
        return SEARCH_COPY.c.opportunity_id.in_(_fts5_ids(words, titles_only=False))
    return vector_matches(tsquery(words), SEARCH_COPY.c.text_vector)


def teaser_matches(
    dialect: str, words: list[QueryWord], opportunity_id: SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """`opportunity_id` among the restricted opportunities whose titles hold every word (or
    among every title match on SQLite, whose FTS5 index has no level: the caller asks for
    restricted ones too). PostgreSQL reads them from `ix_opportunity_search_teaser` (0029), the
    titles of restricted ones only, instead of every title's match (3 550 for "laser")."""
    if dialect == "sqlite":
        return opportunity_id.in_(_fts5_ids(words, titles_only=True))
    restricted = SEARCH_COPY.c.visibility == Visibility.RESTRICTED.value
    matches = vector_matches(tsquery(words), SEARCH_COPY.c.title_vector)
    return opportunity_id.in_(select(SEARCH_COPY.c.opportunity_id).where(restricted, matches))


def copy_with_matches(dialect: str, words: list[QueryWord]) -> FromClause:
    """`SEARCH_COPY` as a count should read it: on SQLite joined to the FTS5 matches of every
    word, so it walks the matches and looks each copy row up by id (an `IN (…)` built a sorted
    list of the matches first: 85 → 34 ms for the 16 600 matches of "laser" at load 5); on
    PostgreSQL the copy itself (`copy_matches` then finds the rows in the GIN index)."""
    if dialect != "sqlite":
        return SEARCH_COPY
    matched = _fts5_ids(words, titles_only=False).columns(rowid=Integer).subquery("matched")
    return matched.join(SEARCH_COPY, SEARCH_COPY.c.opportunity_id == matched.c.rowid)


def _fts5_ids(words: list[QueryWord], titles_only: bool) -> TextClause:
    match = fts5_match(words, TITLE_COLUMN if titles_only else EVERY_COLUMN)
    ids = text("SELECT rowid FROM opportunity_fts WHERE opportunity_fts MATCH :m")
    return ids.bindparams(bindparam("m", match, unique=True))


# Read before set: PostgreSQL computes a plain SELECT's columns from left to right.
_PLAN = text(
    "SELECT current_setting('enable_seqscan'), current_setting('max_parallel_workers_per_gather'),"
    " set_config('enable_seqscan', 'off', true),"
    " set_config('max_parallel_workers_per_gather', '0', true)"
)
_RESTORE = text(
    "SELECT set_config('enable_seqscan', :seqscan, true),"
    " set_config('max_parallel_workers_per_gather', :workers, true)"
)


@contextmanager
def text_plan(session: Session) -> Iterator[None]:
    """How PostgreSQL should run a text search's statements: through the GIN indexes of
    `opportunity_search` (it overestimates prefix matches several times over and would scan
    the copy: the registry's `index_scan_for_text`), and without parallel workers, each of
    which built the hashed sets of matches again (a member's "laser" total 175 → 47 ms at
    100 000 opportunities, load 7). One statement sets both, one restores them."""
    seqscan, workers, *_ = session.execute(_PLAN).one()
    try:
        yield
    finally:
        session.execute(_RESTORE, {"seqscan": seqscan, "workers": workers})
