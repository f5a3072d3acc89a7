"""Every read of interests, introductions, outcomes and bookings; each list goes through its
`*_visible_to`, so pages, the API, the CLI and later areas (the network, the indicators) never
see a row the actor may not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from upland.actor import Actor
from upland.errors import NotFound
from upland.market.dashboard import engagement
from upland.market.dashboard.engagement import InterestRow, IntroductionRow, OutcomeRow
from upland.market.interests.models import Booking, Interest, Introduction, OutcomeReport
from upland.market.interests.permissions import (
    bookings_visible_to,
    interests_visible_to,
    introductions_visible_to,
)
from upland.market.interests.service.bookings import visible_booking
from upland.market.interests.service.interests import visible_interest
from upland.market.interests.service.outcomes import visible_introduction
from upland.market.interests.vocab import BookingStatus, InterestStatus, OutcomeKind, Response
from upland.market.models import Opportunity
from upland.market.permissions import owner_known
from upland.permissions import allowed

Direction = Literal["sent", "received"]
LIMIT = 200

__all__ = [
    "calendar",
    "count_interests",
    "get_booking",
    "get_interest",
    "get_introduction",
    "list_bookings",
    "list_interests",
    "list_introductions",
]

get_interest = visible_interest
get_introduction = visible_introduction
get_booking = visible_booking


# A filter naming an organisation as the owner matches only rows whose owner the reader knows
# (`permissions.owner_known`): the interested side's own answer to an anonymous opportunity
# coming back for one organisation alone would name its owner.


def _interests(
    actor: Actor,
    organisation_id: int | None,
    direction: Direction | None,
    opportunity_id: int | None,
    status: str | None,
) -> Select[Any]:
    stmt = interests_visible_to(
        actor, select(Interest).join(Opportunity, Opportunity.id == Interest.opportunity_id)
    )
    if opportunity_id is not None:
        stmt = stmt.where(Interest.opportunity_id == opportunity_id)
    if organisation_id is not None:
        if direction == "received":
            stmt = stmt.where(Opportunity.owner_id == organisation_id, owner_known(actor))
        else:
            stmt = stmt.where(Interest.organisation_id == organisation_id)
    elif direction == "received":
        mine = sorted(actor.org_roles)
        stmt = stmt.where(Opportunity.owner_id.in_(mine))
    elif direction == "sent":
        stmt = stmt.where(Interest.organisation_id.in_(sorted(actor.org_roles)))
    if status:
        stmt = stmt.where(Interest.status == status)
    return stmt


def list_interests(
    session: Session,
    actor: Actor,
    *,
    organisation_id: int | None = None,
    direction: Direction | None = None,
    opportunity_id: int | None = None,
    status: str | None = None,
    limit: int = LIMIT,
) -> list[Interest]:
    """Answers the actor may see, newest first: sent by (or received by) an organisation, or
    to one opportunity."""
    stmt = _interests(actor, organisation_id, direction, opportunity_id, status)
    stmt = stmt.options(selectinload(Interest.opportunity))
    return list(
        session.scalars(stmt.order_by(Interest.created_at.desc(), Interest.id.desc()).limit(limit))
    )


def count_interests(
    session: Session,
    actor: Actor,
    *,
    organisation_id: int | None = None,
    direction: Direction | None = None,
    opportunity_id: int | None = None,
    status: str | None = None,
) -> int:
    stmt = _interests(actor, organisation_id, direction, opportunity_id, status)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def list_introductions(
    session: Session,
    actor: Actor,
    *,
    organisation_id: int | None = None,
    limit: int = LIMIT,
) -> list[Introduction]:
    """Introductions the actor may see (of an organisation, either side), newest first; they
    stay after their opportunity expires or is withdrawn."""
    stmt = introductions_visible_to(actor, select(Introduction))
    if organisation_id is not None:
        stmt = stmt.where(
            (Introduction.owner_id == organisation_id)
            | (Introduction.interested_id == organisation_id)
        )
    stmt = stmt.options(
        selectinload(Introduction.outcomes), selectinload(Introduction.opportunity)
    ).order_by(Introduction.created_at.desc(), Introduction.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def list_bookings(
    session: Session,
    actor: Actor,
    *,
    opportunity_id: int | None = None,
    organisation_id: int | None = None,
    limit: int = LIMIT,
) -> list[Booking]:
    """Bookings the actor may see (requested by, or of offers of, its organisations)."""
    stmt = bookings_visible_to(
        actor, select(Booking).join(Opportunity, Opportunity.id == Booking.opportunity_id)
    )
    if opportunity_id is not None:
        stmt = stmt.where(Booking.opportunity_id == opportunity_id)
    if organisation_id is not None:
        stmt = stmt.where(
            (Booking.organisation_id == organisation_id)
            | ((Opportunity.owner_id == organisation_id) & owner_known(actor))
        )
    stmt = stmt.options(selectinload(Booking.opportunity)).order_by(
        Booking.starts_on.desc(), Booking.id.desc()
    )
    return list(session.scalars(stmt.limit(limit)))


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def calendar(
    session: Session, actor: Actor, opportunity_id: int, month: dt.date
) -> tuple[Opportunity, list[Booking]]:
    """The offer and its accepted bookings that touch `month`, for whoever sees the offer
    whole (`market.booking.calendar`); who booked is the presenter's question."""
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None or not allowed(actor, "market.booking.calendar", opportunity):
        raise NotFound(
            "opportunity {id} does not exist", code="opportunity.not_found", id=opportunity_id
        )
    first, last = month_bounds(month)
    rows = session.scalars(
        select(Booking)
        .where(
            Booking.opportunity_id == opportunity_id,
            Booking.status == BookingStatus.ACCEPTED.value,
            Booking.starts_on <= last,
            Booking.ends_on >= first,
        )
        .order_by(Booking.starts_on)
    )
    return opportunity, list(rows)


# --- the dashboard's engagement figures -----------------------------------------------------

# An interest counts from its expression; withdrawn ones and passes are no interest in the end.
COUNTED = (
    InterestStatus.PENDING.value,
    InterestStatus.ACCEPTED.value,
    InterestStatus.DECLINED.value,
)
OUTCOME_NAMES = {
    OutcomeKind.MEETING_HELD.value: "meeting",
    OutcomeKind.AGREEMENT_SIGNED.value: "agreement",
    OutcomeKind.ABANDONED.value: "abandoned",
}


class Engagement:
    """The dashboard's reader of interests, introductions and outcomes (`engagement.Source`)
    for the opportunities it covers. Every row, whoever reads: the dashboard knows which
    readers see aggregates only and hides their small cells by the organisations in the rows."""

    def interests(self, session: Session, opportunities: Select[Any]) -> list[InterestRow]:
        stmt = select(
            Interest.opportunity_id, Interest.organisation_id, Interest.created_at, Interest.status
        ).where(
            Interest.opportunity_id.in_(opportunities),
            Interest.response == Response.INTEREST.value,
            Interest.status.in_(COUNTED),
        )
        return [InterestRow(*row) for row in session.execute(stmt)]

    def introductions(self, session: Session, opportunities: Select[Any]) -> list[IntroductionRow]:
        stmt = select(
            Introduction.id,
            Introduction.opportunity_id,
            Introduction.owner_id,
            Introduction.interested_id,
            Introduction.created_at,
        ).where(Introduction.opportunity_id.in_(opportunities))
        return [
            IntroductionRow(i, opportunity, (owner, other), at)
            for i, opportunity, owner, other, at in session.execute(stmt)
        ]

    def outcomes(self, session: Session, opportunities: Select[Any]) -> list[OutcomeRow]:
        """One row per introduction and kind, dated by its first report; an agreement only
        once confirmed (by the other side or the coordinator), dated by the confirmation."""
        stmt = (
            select(
                OutcomeReport.introduction_id,
                OutcomeReport.kind,
                OutcomeReport.created_at,
                OutcomeReport.confirmed_at,
                Introduction.owner_id,
                Introduction.interested_id,
            )
            .join(Introduction, Introduction.id == OutcomeReport.introduction_id)
            .where(Introduction.opportunity_id.in_(opportunities))
        )
        first: dict[tuple[int, str], OutcomeRow] = {}
        for intro, kind, created, confirmed, owner, other in session.execute(stmt):
            at = confirmed if kind == OutcomeKind.AGREEMENT_SIGNED.value else created
            if kind not in OUTCOME_NAMES or at is None:
                continue
            key = (intro, OUTCOME_NAMES[kind])
            if key not in first or at < first[key].recorded_at:
                first[key] = OutcomeRow(intro, OUTCOME_NAMES[kind], at, (owner, other))
        return list(first.values())


SOURCE = engagement.register_source(Engagement())


@dataclass(frozen=True)
class FollowedUp:
    """An introduction, or a confirmed agreement that came of one: who with whom, from which
    opportunity, since when. What the cooperation network derives its ties from."""

    id: int  # the introduction's, or the agreement report's
    opportunity_id: int
    owner_id: int
    interested_id: int
    on: dt.date
    agreement_type: str | None = None


def list_introduction_records(
    session: Session, ids: Iterable[int] | None = None
) -> list[FollowedUp]:
    """Every introduction (or these), for the system's derivation of ties: no actor."""
    stmt = select(Introduction).order_by(Introduction.id)
    if ids is not None:
        stmt = stmt.where(Introduction.id.in_(sorted(set(ids))))
    return [
        FollowedUp(i.id, i.opportunity_id, i.owner_id, i.interested_id, i.created_at.date())
        for i in session.scalars(stmt)
    ]


def list_confirmed_agreements(
    session: Session, ids: Iterable[int] | None = None
) -> list[FollowedUp]:
    """Every confirmed agreement report (or these), dated by when it was signed (else
    confirmed), for the system's derivation of ties: no actor."""
    stmt = (
        select(OutcomeReport)
        .where(
            OutcomeReport.kind == OutcomeKind.AGREEMENT_SIGNED,
            OutcomeReport.confirmed_at.is_not(None),
        )
        .options(selectinload(OutcomeReport.introduction))
        .order_by(OutcomeReport.id)
    )
    if ids is not None:
        stmt = stmt.where(OutcomeReport.id.in_(sorted(set(ids))))
    found = []
    for report in session.scalars(stmt):
        introduction = report.introduction
        confirmed = (report.confirmed_at or introduction.created_at).date()
        found.append(
            FollowedUp(
                report.id,
                introduction.opportunity_id,
                introduction.owner_id,
                introduction.interested_id,
                report.occurred_on or confirmed,
                report.agreement_type,
            )
        )
    return found
