"""Exact totals of a free-text search on PostgreSQL, from the narrow search copy.

A GIN index finds the matches, but PostgreSQL 15 still visits each matching heap page for a
count; on the wide organisation rows that is ~15 000 pages for 20 000+ matches (150–600 ms).
`organisation_search` (migration 0014_perf) holds the same vector, the visibility level and
the places (TERYT codes of the headquarters and every site) in rows of ~100 bytes, so the same
count visits ~1 400 pages and never reads a vector. It also holds the facet tokens
(0025_search_facets, under a GIN index of their own), so a filtered total ("city Lublin and
PKD 29", with or without words) is counted the same way instead of scanning the wide rows.

Visibility stays the one rule (`upland.visibility`): the copy describes itself to the rule
(`COPY_COLUMNS`: level, owner, located in a partner area) as `permissions.COLUMNS` describes
the organisation table, and the rule's own SQL restricts the count. So an officer's partner
area and a member's own organisations are checked in the same scan of the copy, not joined
back to the wide rows. `tests/organisations/test_text_totals.py` holds the totals to the rows
of the visible list for every kind of actor.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, func, literal, or_, select
from sqlalchemy.orm import Session

from upland import visibility
from upland.actor import Actor
from upland.organisations.search import (
    SEARCH_COPY,
    QueryWord,
    index_scan_for_text,
    tsquery,
    vector_matches,
)


def _copy_in_area(area: tuple[str, ...]) -> ColumnElement[bool]:
    """One of the copy's places (headquarters or a site) lies in one of the TERYT units."""
    places = func.unnest(SEARCH_COPY.c.places).table_valued("teryt").render_derived()
    return exists(
        select(literal(1))
        .select_from(places)
        .where(or_(*(places.c.teryt.startswith(unit, autoescape=True) for unit in area)))
    )


# The copy's row is its organisation's: the same owner, level and places as the rule reads
# from `organisation` and `site` (permissions.COLUMNS).
COPY_COLUMNS = visibility.Columns(
    level=SEARCH_COPY.c.visibility,
    owner=SEARCH_COPY.c.organisation_id,
    located_in=_copy_in_area,
)


def count_text_matches(
    session: Session, actor: Actor, words: list[QueryWord], facets: Sequence[str] = ()
) -> int:
    """How many organisations `actor` may see hold every query word and every facet token
    (PostgreSQL only)."""
    count = select(func.count()).select_from(SEARCH_COPY)
    if words:
        count = count.where(vector_matches(tsquery(words), SEARCH_COPY.c.search_vector))
    if facets:
        count = count.where(SEARCH_COPY.c.facets.contains(list(facets)))
    with index_scan_for_text(session):
        return session.scalar(visibility.visible_to(actor, count, COPY_COLUMNS)) or 0
