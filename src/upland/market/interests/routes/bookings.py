"""An offer's bookings page (research infrastructure, free capacity): the month calendar of
accepted bookings, the request form and, for its owner, the requests to accept or decline."""

from __future__ import annotations

import calendar as month_grid
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from babel.dates import format_date, get_day_names
from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from upland.accounts import flash
from upland.actor import Actor
from upland.db import RowId
from upland.errors import NotFound
from upland.i18n import N_, Message
from upland.market.interests import presenters, queries, service
from upland.market.interests.routes.common import month_of
from upland.market.interests.routes.forms import act, edited, head, opportunity_of
from upland.market.interests.schemas import BookingIn, DecisionIn
from upland.market.interests.vocab import BOOKABLE_KINDS
from upland.market.permissions import can_view_opportunity
from upland.web.deps import ActorDep, CsrfChecked, SessionDep
from upland.web.forms import FormFields, validate_form
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _weeks(month: dt.date, booked: set[dt.date]) -> list[list[dict[str, Any] | None]]:
    """The month as weeks (Monday first) of days, each saying whether it is booked."""
    grid = month_grid.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [
        [{"day": d, "booked": d in booked} if d.month == month.month else None for d in week]
        for week in grid
    ]


def _bookings_page(
    request: Request,
    session: Session,
    actor: Actor,
    opportunity_id: int,
    month_text: str | None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    opportunity = opportunity_of(session, actor, opportunity_id)
    if opportunity.kind not in BOOKABLE_KINDS:
        raise NotFound(
            "opportunity {id} does not exist", code="opportunity.not_found", id=opportunity_id
        )
    language = language_of(request)
    today = dt.datetime.now(dt.UTC).date()
    month = month_of(month_text, today)
    booked_days: set[dt.date] = set()
    shown: list[Any] = []
    if can_view_opportunity(actor, opportunity):
        _opportunity_row, accepted = queries.calendar(session, actor, opportunity.id, month)
        names = presenters.names_of(session, [r.organisation_id for r in accepted])
        shown = [presenters.booked(actor, r, names) for r in accepted]
        for b in accepted:
            day = b.starts_on
            while day <= b.ends_on:
                booked_days.add(day)
                day += dt.timedelta(days=1)
    rows = queries.list_bookings(session, actor, opportunity_id=opportunity.id)
    names = presenters.names_of(session, [r.organisation_id for r in rows])
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    days = get_day_names("short", locale=language)  # "niedz." is too wide for a phone
    context = head(session, actor, opportunity, language) | {
        "month_name": format_date(month, "LLLL yyyy", locale=language),
        "weekdays": [(days[i], get_day_names("wide", locale=language)[i]) for i in range(7)],
        "weeks": _weeks(month, booked_days),
        "booked": shown,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "bookings": [presenters.booking(actor, r, names) for r in rows],
        "choices": edited(session, actor, opportunity.owner_id),
        "errors": errors or {},
        "values": values or {},
        "done": flash.take(request.session, language),
    }
    return render(request, "market/interests/bookings.html", context, status)


@router.get("/market/{opportunity_id:int}/bookings", response_class=HTMLResponse)
def bookings_page(
    opportunity_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    month: Month = None,
) -> Response:
    return _bookings_page(request, session, actor, opportunity_id, month)


@router.post("/market/{opportunity_id:int}/bookings", dependencies=[CsrfChecked])
def request_booking_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    def write() -> Message:
        service.request_booking(session, actor, opportunity_id, validate_form(BookingIn, raw))
        return Message(N_("Your booking request was sent to the owner."))

    return act(
        request,
        session,
        write,
        f"/market/{opportunity_id}/bookings",
        lambda errors, status: _bookings_page(
            request, session, actor, opportunity_id, None, errors, raw, status
        ),
    )


def _booking_step(
    request: Request,
    session: Session,
    actor: Actor,
    booking_id: int,
    raw: dict[str, Any],
    step: Callable[[Session, Actor, int, DecisionIn], Any],
    said: str,
) -> Response:
    booking = queries.get_booking(session, actor, booking_id)
    opportunity_id = booking.opportunity_id

    def write() -> Message:
        step(session, actor, booking_id, validate_form(DecisionIn, raw))
        return Message(said)

    return act(
        request,
        session,
        write,
        f"/market/{opportunity_id}/bookings",
        lambda errors, status: _bookings_page(
            request, session, actor, opportunity_id, None, errors, {}, status
        ),
    )


@router.post("/market/bookings/{booking_id}/accept", dependencies=[CsrfChecked])
def accept_booking_form(
    booking_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _booking_step(
        request,
        session,
        actor,
        booking_id,
        raw,
        service.accept_booking,
        N_("The booking is accepted."),
    )


@router.post("/market/bookings/{booking_id}/decline", dependencies=[CsrfChecked])
def decline_booking_form(
    booking_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _booking_step(
        request,
        session,
        actor,
        booking_id,
        raw,
        service.decline_booking,
        N_("The booking is declined."),
    )


@router.post("/market/bookings/{booking_id}/cancel", dependencies=[CsrfChecked])
def cancel_booking_form(
    booking_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _booking_step(
        request,
        session,
        actor,
        booking_id,
        raw,
        service.cancel_booking,
        N_("The booking is cancelled."),
    )
