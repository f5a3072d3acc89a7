"""Exact totals of the unfiltered browse list and of one kind, kept between requests.

Such a total counted every live entry of `ix_opportunity_browse` at every request (55 000 at
100 000 opportunities: 20–60 ms, `upland bench market`), though most of it is the same for
every reader: how many live opportunities each visibility level and kind has on a day. That
tally is kept in the process, per database and day, under the stamp of the opportunities'
state (`opportunity_stamp`, migration 0037), which triggers change at every write that can
change it, whoever writes (a service, a bulk load, an edit straight on the rows, the expiry
job): a reader whose stamp differs counts afresh. On PostgreSQL the stamp changes at commit
and a transaction's own uncommitted writes are told by a transaction-local setting read with
it, so a reader never takes a tally made from a state other than the one it sees; the tally is
counted in the same statement that reads the stamp (one snapshot). Expiry by date is the day
in the key: an opportunity whose last day is over leaves the next day's tally.

Visibility stays the one rule, as in `market.facets`: the levels the reader sees (and every
restricted one, seen whole or as a teaser) from the tally, and the reader's own, named and
partner-area opportunities beyond those levels through the rule's own SQL (few; disjoint
from the levels' part, a row having one level). `tests/market/test_kept_totals.py` holds the
totals to the rows of the list for every kind of reader, after each kind of write.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    column,
    func,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.orm import Session

from upland import visibility
from upland.actor import Actor
from upland.market import permissions
from upland.market.models import Opportunity
from upland.market.schemas import OpportunityFilter
from upland.market.search import query_terms

STAMP = table("opportunity_stamp", column("stamp", Integer))
# What a PostgreSQL transaction's own writes set (0036); '' elsewhere and when it wrote none.
_WRITTEN = "coalesce(current_setting('upland.opportunity_written', true), '')"

# The fields of a filter these totals answer: a kind at most (sort is no filter).
_ANSWERED = {"kind", "sort"}

Tally = dict[tuple[str, str], int]  # (visibility level, kind) -> live opportunities

_lock = threading.Lock()
_kept: dict[str, tuple[tuple[Any, ...], Tally]] = {}  # database -> (stamp and day, tally)


def answers(flt: OpportunityFilter) -> bool:
    """Whether `flt` is no filter at all, or one kind (words that hold none count as none)."""
    asked = {name for name, value in flt if value not in (None, "")}
    if flt.q and not query_terms(flt.q):
        asked.discard("q")
    return asked <= _ANSWERED


def _written(session: Session) -> ColumnElement[str]:
    """What marks a PostgreSQL transaction's own writes (0036); '' on SQLite."""
    postgres = session.get_bind().dialect.name == "postgresql"
    return literal_column(_WRITTEN if postgres else "''", String)


def _stamp(session: Session) -> tuple[Any, ...]:
    return tuple(session.execute(select(STAMP.c.stamp, _written(session))).one())


def _database(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def tally(session: Session, on: dt.date) -> Tally:
    """How many live opportunities each level and kind has on day `on`, as `session` sees
    the data: kept while the stamp and the day are the same."""
    key, database = (*_stamp(session), on), _database(session)
    with _lock:
        kept = _kept.get(database)
    if kept is not None and kept[0] == key:
        return kept[1]
    stamp, counted = _count(session, on)
    if (*stamp, on) == key:  # else a write came between: use it, keep nothing
        with _lock:
            _kept[database] = (key, counted)
    return counted


def _count(session: Session, on: dt.date) -> tuple[tuple[Any, ...], Tally]:
    """The stamp and the tally read in one statement (one snapshot of the data)."""
    level, kind = Opportunity.visibility, Opportunity.kind
    counts = (
        select(level, kind, func.count().label("n"))
        .where(permissions.live(on))
        .group_by(level, kind)
        .subquery("counts")
    )
    rows = session.execute(
        select(STAMP.c.stamp, _written(session), counts.c.visibility, counts.c.kind, counts.c.n)
        .select_from(STAMP)
        .outerjoin(counts, true())
    ).all()
    stamp = tuple(rows[0][:2])
    return stamp, {(row[2], row[3]): row[4] for row in rows if row[2] is not None}


def count_by_kind(session: Session, actor: Actor, on: dt.date) -> dict[str, int]:
    """The live opportunities `actor` meets on day `on` (whole or as a teaser), by kind."""
    levels = set(visibility.levels_seen(actor)) | {visibility.Level.RESTRICTED}
    found: dict[str, int] = {}
    for (level, kind), number in tally(session, on).items():
        if level in levels:
            found[kind] = found.get(kind, 0) + number
    beyond = None
    if len(levels) < len(visibility.Level):
        beyond = visibility.beyond_levels(actor, permissions.COLUMNS)
    if beyond is not None:  # the few beyond the levels, from the browse index
        others = sorted(set(visibility.Level) - levels)
        rows = session.execute(
            select(Opportunity.kind, func.count())
            .where(permissions.live(on), Opportunity.visibility.in_(others), beyond)
            .group_by(Opportunity.kind)
        )
        for kind, number in rows:
            found[kind] = found.get(kind, 0) + number
    return {kind: number for kind, number in found.items() if number}


def count(session: Session, actor: Actor, flt: OpportunityFilter, on: dt.date) -> int:
    """How many opportunities of the list of `flt` (`answers`) `actor` meets on day `on`."""
    by_kind = count_by_kind(session, actor, on)
    if flt.kind:
        return by_kind.get(flt.kind.value, 0)
    return sum(by_kind.values())


def forget() -> None:
    """Drop every kept tally (not needed for exactness: for tests that start afresh)."""
    with _lock:
        _kept.clear()
