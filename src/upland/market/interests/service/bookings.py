"""Bookings of research-infrastructure offers: a member asks for some days and says what for;
the owner's editors accept or decline; the requester may cancel, and the owner may cancel an
accepted booking. Accepted bookings of one offer never overlap: acceptance locks the offer's
row (PostgreSQL; SQLite has one writer at a time), checks the days, and holds them as
`booking_day` rows whose unique key refuses a double booking that slips past the check."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upland.actor import Actor, OrgRole
from upland.errors import Conflict, FieldError, Invalid, NotFound
from upland.market.interests import lifecycle
from upland.market.interests.models import Booking, BookingDay
from upland.market.interests.permissions import OnBehalf
from upland.market.interests.schemas import BookingIn, DecisionIn
from upland.market.interests.service.core import (
    acting_for,
    answerable,
    check_live,
    check_open,
    now_utc,
    record,
    title_of,
)
from upland.market.interests.vocab import BOOKABLE_KINDS, BookingAction, BookingStatus
from upland.market.models import Opportunity
from upland.market.signals import BookingDecided, BookingRequested
from upland.permissions import allowed, require
from upland.signals import publish

MAX_DAYS = 92  # one booking spans at most about a quarter of a year
AHEAD_DAYS = 730  # and starts within two years


def visible_booking(session: Session, actor: Actor, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None or not allowed(actor, "market.booking.view", booking):
        raise NotFound("booking {id} does not exist", code="booking.not_found", id=booking_id)
    return booking


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _check_dates(data: BookingIn, today: dt.date) -> None:
    errors = []
    if data.starts_on < today:
        errors.append(FieldError("starts_on", "the first day is in the past", code="date.past"))
    elif data.starts_on > today + dt.timedelta(days=AHEAD_DAYS):
        errors.append(
            FieldError(
                "starts_on",
                "bookings start within {n} days",
                code="booking.too_far",
                n=AHEAD_DAYS,
            )
        )
    if data.ends_on < data.starts_on:
        errors.append(
            FieldError("ends_on", "the last day comes before the first", code="dates.reversed")
        )
    elif (data.ends_on - data.starts_on).days + 1 > MAX_DAYS:
        errors.append(
            FieldError(
                "ends_on", "a booking spans at most {n} days", code="booking.too_long", n=MAX_DAYS
            )
        )
    if errors:
        raise Invalid(errors)


def overlapping(
    session: Session, opportunity_id: int, start: dt.date, end: dt.date
) -> Booking | None:
    """An accepted booking of the offer sharing a day with start..end, if any."""
    return session.scalar(
        select(Booking)
        .where(
            Booking.opportunity_id == opportunity_id,
            Booking.status == BookingStatus.ACCEPTED.value,
            Booking.starts_on <= end,
            Booking.ends_on >= start,
        )
        .limit(1)
    )


def _taken() -> Conflict:
    return Conflict(
        "some of these days are booked already; choose other days", code="booking.overlap"
    )


def request_booking(
    session: Session, actor: Actor, opportunity_id: int, data: BookingIn
) -> Booking:
    opportunity = answerable(session, actor, opportunity_id)
    org = acting_for(actor, data.organisation_id)
    require(actor, "market.booking.request", OnBehalf(opportunity, org))
    if opportunity.kind not in BOOKABLE_KINDS:
        raise Conflict(
            "only research-infrastructure offers can be booked", code="booking.not_bookable"
        )
    today = now_utc().date()
    check_open(session, opportunity, org, today, "booking")
    _check_dates(data, today)
    if overlapping(session, opportunity.id, data.starts_on, data.ends_on) is not None:
        raise _taken()
    booking = Booking(
        opportunity_id=opportunity.id,
        organisation_id=org,
        requested_by_id=actor.user_id,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        purpose=data.purpose,
        status=BookingStatus.PENDING.value,
    )
    session.add(booking)
    session.flush()
    _record(session, actor, booking, "market.booking.request", org, None)
    publish(
        session,
        BookingRequested(
            opportunity.id,
            opportunity.owner_id,
            booking.id,
            org,
            booking.starts_on.isoformat(),
            booking.ends_on.isoformat(),
        ),
    )
    return booking


def _record(
    session: Session, actor: Actor, booking: Booking, action: str, org: int, old: str | None
) -> None:
    record(
        session,
        actor,
        action,
        "booking",
        booking.id,
        org,
        title_of(booking.opportunity),
        before={"status": old} if old else None,
        after={
            "status": booking.status,
            "starts_on": booking.starts_on.isoformat(),
            "ends_on": booking.ends_on.isoformat(),
        },
    )


def _lock(session: Session, opportunity_id: int) -> None:
    """Hold the offer's row until commit, so acceptances of one offer take turns."""
    session.execute(
        select(Opportunity.id).where(Opportunity.id == opportunity_id).with_for_update()
    )


def _hold_days(session: Session, booking: Booking) -> None:
    if overlapping(session, booking.opportunity_id, booking.starts_on, booking.ends_on):
        raise _taken()
    try:
        with session.begin_nested():
            booking.days = [
                BookingDay(opportunity_id=booking.opportunity_id, day=day)
                for day in _days(booking.starts_on, booking.ends_on)
            ]
            session.flush()
    except IntegrityError as exc:  # a concurrent acceptance took a day first
        raise _taken() from exc


def _step(
    session: Session, actor: Actor, booking: Booking, action: BookingAction, org: int, answer: str
) -> None:
    new = lifecycle.next_booking_status(booking.status, action)
    old = booking.status
    if new == BookingStatus.ACCEPTED:
        _lock(session, booking.opportunity_id)
        _hold_days(session, booking)
    if old == BookingStatus.ACCEPTED:
        session.execute(delete(BookingDay).where(BookingDay.booking_id == booking.id))
        session.expire(booking, ["days"])
    booking.status = new.value
    if action != BookingAction.CANCEL or org == booking.opportunity.owner_id:
        booking.answer = answer
        booking.decided_by_id = actor.user_id
    booking.decided_at = now_utc()
    session.flush()
    _record(session, actor, booking, f"market.booking.{action.value}", org, old)
    opportunity = booking.opportunity
    publish(
        session,
        BookingDecided(
            opportunity.id,
            opportunity.owner_id,
            booking.id,
            booking.organisation_id,
            new.value,
            org,
        ),
    )


def accept_booking(
    session: Session, actor: Actor, booking_id: int, data: DecisionIn | None = None
) -> Booking:
    booking = visible_booking(session, actor, booking_id)
    require(actor, "market.booking.decide", booking)
    owner = booking.opportunity.owner_id
    lifecycle.next_booking_status(booking.status, BookingAction.ACCEPT)
    check_live(booking.opportunity, now_utc().date(), "booking")
    _step(session, actor, booking, BookingAction.ACCEPT, owner, data.message if data else "")
    return booking


def decline_booking(
    session: Session, actor: Actor, booking_id: int, data: DecisionIn | None = None
) -> Booking:
    booking = visible_booking(session, actor, booking_id)
    require(actor, "market.booking.decide", booking)
    owner = booking.opportunity.owner_id
    _step(session, actor, booking, BookingAction.DECLINE, owner, data.message if data else "")
    return booking


def cancel_booking(
    session: Session, actor: Actor, booking_id: int, data: DecisionIn | None = None
) -> Booking:
    """The requester cancels a pending or accepted booking; the owner an accepted one (a
    pending one it declines)."""
    booking = visible_booking(session, actor, booking_id)
    require(actor, "market.booking.cancel", booking)
    if lifecycle.booking_over(booking.ends_on, now_utc().date()):
        raise Conflict(
            "the booked days are over; a past booking cannot be cancelled",
            code="booking.over",
        )
    requester = actor.has_role(booking.organisation_id, OrgRole.EDITOR)
    if not requester and booking.status == BookingStatus.PENDING:
        raise Conflict(
            "a booking that waits for you is declined, not cancelled",
            code="booking.decline_instead",
        )
    org = booking.organisation_id if requester else booking.opportunity.owner_id
    _step(session, actor, booking, BookingAction.CANCEL, org, data.message if data else "")
    return booking
