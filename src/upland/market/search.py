"""How opportunities are found by free text, in Polish or English.

The same tokens as the registry's search (`upland.textkit.analysis`: surface form, Polish lemma,
English stem) in the derived columns `search_title` and `search_text`; SQLite looks them up in
the FTS5 table `opportunity_fts`, PostgreSQL in `opportunity_search` (migration 0022), a narrow
copy of the titles' vector and of every text's under GIN indexes, so neither reads a
description or a wide row to find its matches. A reader who sees only a teaser is matched by
the title alone, the only words a teaser shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, bindparam, column, select, table, text
from sqlalchemy.orm import Session

from upland.market.models import Opportunity
from upland.organisations.search import fts5_match, query_terms, tsquery, vector_matches

__all__ = ["query_terms", "text_condition", "text_plan"]

EVERY_COLUMN = "{search_title search_text}"
TITLE_COLUMN = "search_title"
# PostgreSQL: the narrow copy kept by triggers from `search_title` and `search_vector` (0023).
SEARCH_COPY = table(
    "opportunity_search",
    column("opportunity_id"),
    column("title_vector"),
    column("text_vector"),
)


def text_condition(dialect: str, q: str, *, titles_only: bool) -> ColumnElement[bool] | None:
    """Opportunities whose index holds every word of `q` (in their titles, if `titles_only`);
    None when `q` holds no word to look for."""
    words = query_terms(q)
    if not words:
        return None
    if dialect == "sqlite":
        match = fts5_match(words, TITLE_COLUMN if titles_only else EVERY_COLUMN)
        ids = text("SELECT rowid FROM opportunity_fts WHERE opportunity_fts MATCH :m")
        return Opportunity.id.in_(ids.bindparams(bindparam("m", match, unique=True)))
    vector: ColumnElement[Any] = (
        SEARCH_COPY.c.title_vector if titles_only else SEARCH_COPY.c.text_vector
    )
    matches = vector_matches(tsquery(words), vector)
    return Opportunity.id.in_(select(SEARCH_COPY.c.opportunity_id).where(matches))


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
