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

A total is kept (`_KEPT`) per stamp of the copy (migration 0036_search_copy_stamp: a new random
number at the commit of every change, whoever writes) and per shape of reader
(`visibility.shape`): the next page of the same search, or the next anonymous visitor asking
the same, reads one row instead of recounting. A transaction that has changed the copy itself
reads its own mark beside the stamp (a random number per writing statement), so what it
counts, which nobody else sees yet, is kept under a key nobody else reads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, func, literal, or_, select, text
from sqlalchemy.orm import Session

from upland import kept, visibility
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


class KeptTotals:
    """Totals by (database, stamp of the copy, reader's shape, words, facets); the oldest are
    dropped beyond `size`. A stamp names one state of the copy, so a kept total is exact for
    whoever reads that stamp."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._totals: OrderedDict[tuple[Any, ...], int] = OrderedDict()

    def get(self, key: tuple[Any, ...]) -> int | None:
        with self._lock:
            total = self._totals.get(key)
            if total is not None:
                self._totals.move_to_end(key)
            return total

    def keep(self, key: tuple[Any, ...], total: int) -> None:
        with self._lock:
            self._totals[key] = total
            while len(self._totals) > self.size:
                self._totals.popitem(last=False)

    def forget(self, _signal: Any = None) -> None:
        with self._lock:
            self._totals.clear()


_KEPT = KeptTotals()
kept.forget_with_the_rest(_KEPT)


def forget_kept_totals() -> None:
    """Drop every kept total (a benchmark measuring the count itself)."""
    _KEPT.forget()


# The stamp is read before the count: a change committed in between is counted under the older
# stamp (a fresher total, never a staler one).
_STAMP = text(
    "SELECT stamp, coalesce(current_setting('upland.search_copy_written', true), '') "
    "FROM organisation_search_stamp"
)


def count_text_matches(
    session: Session, actor: Actor, words: list[QueryWord], facets: Sequence[str] = ()
) -> int:
    """How many organisations `actor` may see hold every query word and every facet token
    (PostgreSQL only); kept per stamp of the search copy."""
    key = (
        session.get_bind().engine.url.render_as_string(hide_password=True),
        *session.execute(_STAMP).one(),
        visibility.shape(actor),
        tuple(words),
        tuple(facets),
    )
    total = _KEPT.get(key)
    if total is None:
        total = _count(session, actor, words, facets)
        _KEPT.keep(key, total)
    return total


def _count(session: Session, actor: Actor, words: list[QueryWord], facets: Sequence[str]) -> int:
    count = select(func.count()).select_from(SEARCH_COPY)
    if words:
        count = count.where(vector_matches(tsquery(words), SEARCH_COPY.c.search_vector))
    if facets:
        count = count.where(SEARCH_COPY.c.facets.contains(list(facets)))
    with index_scan_for_text(session):
        return session.scalar(visibility.visible_to(actor, count, COPY_COLUMNS)) or 0
