"""Exact totals of a free-text search on PostgreSQL, from the narrow search copy.

A GIN index finds the matches, but PostgreSQL 15 still visits each matching heap page for a
count; on the wide organisation rows that is ~15 000 pages for 20 000+ matches (150–600 ms).
`organisation_search` (migration 0014_perf) holds the same vector and the visibility in
~40-byte rows, so the same count visits ~750 pages and never reads a vector.

Visibility stays the one rule (`upland.visibility`), split as the SQLite facet count splits
it: matches at the levels the actor sees are counted in the copy alone; the actor's own and
partner-area organisations at other levels (usually few) through the rule's SQL.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upland import visibility
from upland.actor import Actor
from upland.organisations import permissions
from upland.organisations.models import Organisation
from upland.organisations.search import (
    SEARCH_COPY,
    QueryWord,
    index_scan_for_text,
    tsquery,
    vector_matches,
)


def count_text_matches(session: Session, actor: Actor, words: list[QueryWord]) -> int:
    """How many organisations `actor` may see hold every query word (PostgreSQL only)."""
    copy = SEARCH_COPY
    matches = vector_matches(tsquery(words), copy.c.search_vector)
    count = select(func.count()).select_from(copy).where(matches)
    if visibility.condition(actor, permissions.COLUMNS) is None:
        with index_scan_for_text(session):
            return session.scalar(count) or 0
    levels = [str(level) for level in visibility.levels_seen(actor)]
    with index_scan_for_text(session):
        total = session.scalar(count.where(copy.c.visibility.in_(levels))) or 0
    beyond = visibility.beyond_levels(actor, permissions.COLUMNS)
    if beyond is not None:
        # Materialised, so the matches come from the bitmap scan too; else the planner walks
        # the copy in id order to join it and unpacks every vector on the way (~1 s).
        others = (
            select(copy.c.organisation_id)
            .where(matches, copy.c.visibility.not_in(levels))
            .cte("text_matches_unseen")
            .prefix_with("MATERIALIZED")
        )
        rest = select(func.count(Organisation.id)).where(
            Organisation.id.in_(select(others.c.organisation_id)), beyond
        )
        with index_scan_for_text(session):
            total += session.scalar(rest) or 0
    return total
