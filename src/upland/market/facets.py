"""The browse list's PKD and city-of-interest filters, and their exact totals, from
`opportunity_facet` (migration 0025).

In SQL such a total built the set of every opportunity with a matching child row (45 000 ids
for PKD division 25 at 100 000 opportunities) and probed it for each live entry of the browse
index. The facet rows hold, per opportunity and filter value (`pkd:25`, `place:0663011`), the
status, visibility, expiry and kind of the opportunity, so the total is a range of one index.

Visibility stays the one rule (`upland.visibility`): rows at the levels the reader sees are
counted from the index alone; the reader's own, named and partner-area opportunities beyond
those levels (few) through the rule's own SQL over the opportunity. The two parts are disjoint
(a row has one level), so their sum is the total. `tests/market/test_facets.py` holds it
to the rows of the list for every kind of reader.

A page reads the same rows (`holds`): as a set of ids when the filter matches few, or, when it
matches many, probed for each row of the newest-first walk, which then stops after a page
instead of first building a set of tens of thousands of ids.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    String,
    column,
    exists,
    func,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from upland import visibility
from upland.actor import Actor
from upland.market import permissions
from upland.market.models import Opportunity
from upland.market.vocab import Status

FACETS = table(
    "opportunity_facet",
    column("token", String),
    column("opportunity_id", Integer),
    column("status", String),
    column("visibility", String),
    column("expires_on", Date),
    column("kind", String),
)


def pkd(value: str) -> str:
    """The facet of a PKD filter value (a section letter or a code's prefix, upper-cased)."""
    return f"pkd:{value}"


def place(teryt: str) -> str:
    """The facet of a place of interest (a TERYT unit)."""
    return f"place:{teryt}"


def holds(tokens: list[str], *, probe: bool) -> ColumnElement[bool]:
    """Opportunities holding one of `tokens`: probed row by row (`probe`, for a walk that
    stops early) or as a set of ids built once."""
    token = FACETS.c.token.in_(tokens)
    if probe:
        return exists().where(FACETS.c.opportunity_id == Opportunity.id, token)
    return Opportunity.id.in_(select(FACETS.c.opportunity_id).where(token))


def count(
    session: Session,
    actor: Actor,
    tokens: list[str],
    on: dt.date,
    *,
    teasers: bool,
    kind: str | None = None,
) -> int:
    """How many live opportunities hold one of `tokens` (and are of `kind`) that `actor` sees
    whole, or also as a teaser (`teasers`: a restricted one is counted whatever the rule)."""
    levels = set(visibility.levels_seen(actor))
    if teasers:
        levels.add(visibility.Level.RESTRICTED)
    at_levels = FACETS.c.visibility.in_(sorted(levels))
    total = _count(session, tokens, on, kind, at_levels)
    beyond = None
    if len(levels) < len(visibility.Level):
        beyond = visibility.beyond_levels(actor, permissions.COLUMNS)
    if beyond is not None:
        # The few live ones beyond the levels, from the browse index (owner and id are in
        # it), then their facet rows by key (SQLite: the token read as `+token`, or it would
        # walk the token's range of the count index and probe the few for each entry).
        others = sorted(set(visibility.Level) - levels)
        ids = select(Opportunity.id).where(
            permissions.live(on), Opportunity.visibility.in_(others), beyond
        )
        sqlite = session.get_bind().dialect.name == "sqlite"
        token = unindexed(FACETS.c.token) if sqlite else FACETS.c.token
        total += _count(session, tokens, on, kind, FACETS.c.opportunity_id.in_(ids), token)
    return total


def unindexed(expression: ColumnElement[Any]) -> ColumnElement[Any]:
    """`+expression`: SQLite reads the value but uses no index for it (a planner hint)."""
    return UnaryExpression(expression, operator=custom_op("+"), type_=expression.type)


def _count(
    session: Session,
    tokens: list[str],
    on: dt.date,
    kind: str | None,
    where: ColumnElement[bool],
    token: ColumnElement[Any] = FACETS.c.token,
) -> int:
    matched = FACETS.c.opportunity_id
    # One opportunity may hold several of the tokens (places 06 and 0663011): counted once.
    counted = func.count(matched.distinct()) if len(tokens) > 1 else func.count()
    stmt = (
        select(counted)
        .select_from(FACETS)
        .where(
            token.in_(tokens),
            FACETS.c.status == Status.PUBLISHED.value,
            or_(FACETS.c.expires_on.is_(None), FACETS.c.expires_on >= on),
            where,
        )
    )
    if kind is not None:
        stmt = stmt.where(FACETS.c.kind == kind)
    return session.scalar(stmt) or 0
