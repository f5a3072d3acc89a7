"""Exact totals of a free-text browse page, from the narrow search copy (migration 0029).

A text search finds its matches in the text index (FTS5 on SQLite, the GIN indexes of
`opportunity_search` on PostgreSQL), but its total also needs each match's status, expiry and
visibility. Read from the wide `opportunity` rows (~2 kB), that cost more than the rest of the
request: SQLite looked each match up in its row, PostgreSQL walked the 55 000 live entries of
the browse index and probed the set of matches for each (`upland bench market`, 1 300–9 000
matches at 100 000 opportunities). `opportunity_search` now holds, per opportunity and kept by
triggers whoever writes, what the rule and liveness read: status, expiry, visibility level,
kind, owner and the owner's place (`teryt`); the organisations an opportunity names stay in
`opportunity_named`, read once by the organisations' index. So a total reads the matches and
their narrow rows only: on PostgreSQL one bitmap scan of the text's GIN index over the copy's
narrow heap, on SQLite one look-up of a ~50-byte row per FTS5 match.

Visibility stays the one rule (`upland.visibility`): the copy describes itself to the rule
(`COPY_COLUMNS`, made by `permissions.columns` as `permissions.COLUMNS` is for the
opportunity table), and the rule's own SQL restricts the count; liveness is
`permissions.live` over the copy's columns, judged on the day asked (`on`), so an opportunity
past its expiry date is never counted, whether or not the expiry job has run. A teaser (a
restricted one the reader does not see whole) counts when its titles match, as in the list
(`queries.filtered`). `tests/market/test_text_totals.py` holds the totals to the rows of the
visible list for every kind of reader.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from upland import visibility
from upland.actor import Actor
from upland.market import permissions
from upland.market.schemas import OpportunityFilter
from upland.market.search import (
    SEARCH_COPY,
    copy_matches,
    copy_with_matches,
    query_terms,
    teaser_matches,
)
from upland.market.vocab import Visibility

# The copy's row is its opportunity's: the same level, owner and place as the rule reads from
# `opportunity` (permissions.COLUMNS); the named organisations by the copy's id.
COPY_COLUMNS = permissions.columns(
    SEARCH_COPY.c.visibility,
    SEARCH_COPY.c.owner_id,
    SEARCH_COPY.c.teryt,
    SEARCH_COPY.c.opportunity_id,
)

# The fields of a filter these totals answer: words, and a kind at most (sort is no filter).
_ANSWERED = {"q", "kind", "sort"}


def answers(flt: OpportunityFilter) -> bool:
    """Whether `flt` is words to look for (with a kind at most), which the copy counts."""
    asked = {name for name, value in flt if value not in (None, "")}
    return asked <= _ANSWERED and bool(flt.q and query_terms(flt.q))


def _matching(
    session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date, *what: Any
) -> Select[Any]:
    """SELECT `what` over the copy's rows of live opportunities holding the words that `actor`
    sees whole, or as a teaser whose titles hold them (`queries.filtered` over the copy)."""
    dialect = session.get_bind().dialect.name
    words = query_terms(flt.q or "")
    live = permissions.live(on, SEARCH_COPY.c.status, SEARCH_COPY.c.expires_on)
    stmt = select(*what).select_from(copy_with_matches(dialect, words)).where(live)
    if dialect != "sqlite":  # SQLite's copy is joined to the matches already
        stmt = stmt.where(copy_matches(dialect, words))
    whole = visibility.condition(actor, COPY_COLUMNS)
    if whole is not None:  # staff see every live one whole: no teasers
        teaser: ColumnElement[bool] = and_(
            SEARCH_COPY.c.visibility == Visibility.RESTRICTED.value,
            teaser_matches(dialect, words, SEARCH_COPY.c.opportunity_id),
        )
        stmt = stmt.where(or_(whole, teaser))
    return stmt


def count(session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date) -> int:
    """How many opportunities of the list of `flt` (`answers`) `actor` meets on day `on`.
    On PostgreSQL inside `search.text_plan` (the GIN index, no parallel workers)."""
    stmt = _matching(session, actor, flt, on, func.count())
    if flt.kind:
        stmt = stmt.where(SEARCH_COPY.c.kind == flt.kind.value)
    return session.scalar(stmt) or 0


def count_by_kind(
    session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date
) -> dict[str, int]:
    """The kind facet of that list (its kind filter aside): how many of each kind."""
    kind = SEARCH_COPY.c.kind
    rows = session.execute(_matching(session, actor, flt, on, kind, func.count()).group_by(kind))
    return {kind: number for kind, number in rows}
