"""The dashboard's reads: opportunity tallies of the reader's scope (the whole cluster for the
coordinator, the partner area for its officer), and what each reader sees of them through
`permissions.visible_to`, so the figures know which cells to hide.

Drafts are their owners' own and are never counted. An opportunity is dated by its publication
(or, never published, by its submission).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, extract, func, literal, or_, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.i18n import N_, labels_of
from upland.market import permissions
from upland.market.dashboard import engagement
from upland.market.dashboard.engagement import Engagement, PublishedRow
from upland.market.dashboard.figures import (
    OUTSIDE,
    START,
    Grain,
    Opportunities,
    Tally,
    opportunity_figures,
    periods,
)
from upland.market.models import Opportunity
from upland.market.vocab import Status
from upland.permissions import require
from upland.reference import queries as reference
from upland.settings import get_settings

OUTSIDE_LABEL = N_("outside the partner areas")
CLUSTER = "cluster"


@dataclass(frozen=True)
class Dashboard:
    """Everything one reader's dashboard shows."""

    scope: str  # CLUSTER, or the municipality TERYT of the officer's partner area
    scope_name: str  # a msgid for the cluster, a city's name otherwise
    grain: Grain
    span: list[str]
    on: dt.date
    opportunities: Opportunities
    engagement: Engagement | None  # None until interests are kept (`engagement.Source`)


def scope_of(actor: Actor) -> str:
    """What the reader's dashboard covers: the cluster for staff, an officer's partner area."""
    if actor.is_staff or actor.officer_teryt is None:
        return CLUSTER
    return actor.officer_teryt


def _within(units: tuple[str, ...]) -> ColumnElement[bool]:
    return or_(*(Opportunity.teryt.startswith(unit, autoescape=True) for unit in units))


def _in_scope(scope: str) -> list[ColumnElement[bool]]:
    where = [Opportunity.status != Status.DRAFT.value]
    if scope != CLUSTER:
        where.append(_within(get_settings().partner_area(scope)))
    return where


def _partner_areas() -> dict[str, tuple[str, ...]]:
    settings = get_settings()
    return {m: settings.partner_area(m) for m in settings.partner_municipalities}


def _area_column() -> ColumnElement[str]:
    """The partner municipality whose area holds the owner's headquarters, else OUTSIDE."""
    whens = [(_within(units), municipality) for municipality, units in _partner_areas().items()]
    return case(*whens, else_=OUTSIDE) if whens else literal(OUTSIDE)


def _dated(dialect: str) -> ColumnElement[Any]:
    moment: ColumnElement[Any] = func.coalesce(
        Opportunity.published_at, Opportunity.submitted_at, Opportunity.created_at
    )
    # PostgreSQL would extract in the session's time zone; periods are calendar periods in UTC.
    return func.timezone("UTC", moment) if dialect == "postgresql" else moment


def _tally_query(session: Session, scope: str, on: dt.date) -> Select[Any]:
    dated = _dated(session.get_bind().dialect.name)
    keys: list[Any] = [
        extract("year", dated),
        extract("month", dated),
        Opportunity.kind,
        Opportunity.status,
        _area_column(),
        Opportunity.owner_id,
        case((Opportunity.published_at.is_not(None), 1), else_=0),
        case((permissions.live(on), 1), else_=0),
    ]
    return select(*keys, func.count(Opportunity.id)).where(*_in_scope(scope)).group_by(*keys)


def list_tallies(session: Session, actor: Actor, scope: str, on: dt.date) -> list[Tally]:
    """The scope's opportunities grouped, each group with how many of it `actor` sees whole."""
    stmt = _tally_query(session, scope, on)
    seen = {
        tuple(row[:-1]): row[-1] for row in session.execute(permissions.visible_to(actor, stmt, on))
    }
    tallies = []
    for *key, count in session.execute(stmt):
        year, month, kind, status, area, owner, published, live = key
        tallies.append(
            Tally(
                int(year),
                int(month),
                kind,
                status,
                area,
                owner,
                bool(published),
                bool(live),
                count,
                seen.get(tuple(key), 0),
            )
        )
    return tallies


def list_published(session: Session, scope: str) -> list[PublishedRow]:
    """The scope's published opportunities, for the engagement figures."""
    stmt = select(Opportunity.id, Opportunity.owner_id, Opportunity.published_at).where(
        *_in_scope(scope), Opportunity.published_at.is_not(None)
    )
    return [PublishedRow(i, owner, at) for i, owner, at in session.execute(stmt) if at]


def opportunity_ids(scope: str) -> Select[Any]:
    """A SELECT of the ids of the scope's opportunities (for an engagement `Source`)."""
    return select(Opportunity.id).where(*_in_scope(scope))


def _area_labels(session: Session, scope: str) -> tuple[dict[str, str], list[str]]:
    partners = list(_partner_areas()) if scope == CLUSTER else [scope]
    names = {
        m: (found.name if (found := reference.get_municipality(session, m)) else m)
        for m in partners
    }
    if scope == CLUSTER:
        return {**names, OUTSIDE: OUTSIDE_LABEL}, partners
    return names, partners


def get_dashboard(
    session: Session, actor: Actor, grain: Grain = Grain.QUARTER, on: dt.date | None = None
) -> Dashboard:
    """The coordinator's dashboard of the whole cluster, or an officer's of their area."""
    require(actor, "market.dashboard.view")
    day = on or permissions.today()
    scope = scope_of(actor)
    tallies = list_tallies(session, actor, scope, day)
    hide = any(t.seen < t.count for t in tallies)
    span = periods(START, day, grain)
    areas, proper = _area_labels(session, scope)
    figures = opportunity_figures(
        tallies,
        grain=grain,
        span=span,
        kinds=dict(labels_of("opportunity_kind")),
        statuses={s: labels_of("opportunity_status")[s] for s in Status if s != Status.DRAFT},
        areas=areas,
        proper_areas=proper,
        hide=hide,
    )
    reader = engagement.source()
    found = None
    if reader is not None:
        ids = opportunity_ids(scope)
        found = engagement.engagement_figures(
            list_published(session, scope),
            reader.interests(session, ids),
            reader.introductions(session, ids),
            reader.outcomes(session, ids),
            grain=grain,
            span=span,
            hide=hide,
        )
    scope_name = N_("the whole cluster") if scope == CLUSTER else areas[scope]
    return Dashboard(scope, scope_name, grain, span, day, figures, found)
