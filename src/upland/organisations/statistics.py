"""What later areas may count in the registry: raw tallies and short lists for figures.

The tallies are over every organisation, whatever its visibility: whoever shows them to people
who cannot see the rows (the public home page) must suppress small cells (DOMAIN.md, "Who sees
what"; `upland.home.figures`). The short lists go through `visible_to`, like every list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from upland import visibility
from upland.actor import Actor
from upland.organisations import permissions
from upland.organisations.models import Organisation, OrganisationPkd
from upland.organisations.vocab import MembershipStatus


@dataclass(frozen=True)
class Tally:
    """How many cluster members share a headquarters municipality, primary PKD and kind."""

    teryt: str | None
    primary_pkd: str | None
    kind: str
    count: int


@dataclass(frozen=True)
class Listed:
    """An organisation in a short list (newest members, newest entries)."""

    id: int
    short_name: str
    kind: str
    teryt: str | None
    member_since: dt.date | None
    created_at: dt.datetime


def _within(units: tuple[str, ...]) -> ColumnElement[bool]:
    """The headquarters lies in one of these TERYT units (figures count an organisation once,
    where its headquarters is)."""
    return or_(*(Organisation.teryt.startswith(unit, autoescape=True) for unit in units))


def member_tallies(
    session: Session, units: tuple[str, ...] | None = None, seen_by: Actor | None = None
) -> list[Tally]:
    """Cluster members grouped by headquarters, primary PKD code and kind; within `units` when
    given, only those `seen_by` may see when given (what a list shows them, to know what
    subtracting it from the figures would reveal). The caller groups these into cities and
    sectors."""
    primary = and_(OrganisationPkd.organisation_id == Organisation.id, OrganisationPkd.is_primary)
    stmt = (
        select(Organisation.teryt, OrganisationPkd.code, Organisation.kind, func.count())
        .outerjoin(OrganisationPkd, primary)
        .where(Organisation.membership_status == MembershipStatus.MEMBER)
        .group_by(Organisation.teryt, OrganisationPkd.code, Organisation.kind)
    )
    if units is not None:
        stmt = stmt.where(_within(units))
    if seen_by is not None:
        stmt = visibility.visible_to(seen_by, stmt, permissions.COLUMNS)  # type: ignore[arg-type]
    # The service keeps at most one primary code per organisation, so each counts once.
    rows = session.execute(stmt).all()
    return [Tally(teryt, code, kind, count) for teryt, code, kind, count in rows]


def count_organisations(
    session: Session, units: tuple[str, ...] | None = None, seen_by: Actor | None = None
) -> int:
    """Every registry entry (members or not), within `units` when given, only those `seen_by`
    may see when given."""
    stmt = select(func.count()).select_from(Organisation)
    if units is not None:
        stmt = stmt.where(_within(units))
    if seen_by is not None:
        stmt = visibility.visible_to(seen_by, stmt, permissions.COLUMNS)
    return int(session.scalar(stmt) or 0)


def _listed(stmt: Select[Any], session: Session) -> list[Listed]:
    return [
        Listed(o.id, o.short_name, o.kind, o.teryt, o.member_since, o.created_at)
        for o in session.scalars(stmt)
    ]


def newest_members(
    session: Session, actor: Actor, limit: int = 5, units: tuple[str, ...] | None = None
) -> list[Listed]:
    """The members who joined last, among the organisations `actor` may see."""
    stmt = (
        select(Organisation)
        .where(
            Organisation.membership_status == MembershipStatus.MEMBER,
            Organisation.member_since.is_not(None),
        )
        .order_by(Organisation.member_since.desc(), Organisation.id.desc())
        .limit(limit)
    )
    if units is not None:
        stmt = stmt.where(_within(units))
    return _listed(visibility.visible_to(actor, stmt, permissions.COLUMNS), session)


def newest_entries(
    session: Session, actor: Actor, limit: int = 5, units: tuple[str, ...] | None = None
) -> list[Listed]:
    """The organisations added to the registry last, among those `actor` may see."""
    stmt = (
        select(Organisation)
        .order_by(Organisation.created_at.desc(), Organisation.id.desc())
        .limit(limit)
    )
    if units is not None:
        stmt = stmt.where(_within(units))
    return _listed(visibility.visible_to(actor, stmt, permissions.COLUMNS), session)
