"""The pages of interests, introductions, outcomes and bookings (Jinja2, forms that keep their
input on error). An opportunity's answers page (`/market/{id}/interests`) holds
the "express interest" and "pass, with a reason" forms and, for its owner, the interests
received with accept and decline; `/market/interests` lists an organisation's answers sent and
received; `/market/introductions` the introductions with contacts and outcome forms; an
offer's bookings page the month calendar, the request form and, for its owner, the requests."""

from __future__ import annotations

import calendar as month_grid
import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from babel.dates import format_date, get_day_names
from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from upland.accounts import flash
from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.i18n import N_, Message
from upland.market.interests import presenters, queries, service
from upland.market.interests.routes.common import month_of
from upland.market.interests.schemas import (
    BookingIn,
    DecisionIn,
    InterestIn,
    OutcomeIn,
    PassIn,
)
from upland.market.interests.vocab import (
    BOOKABLE_KINDS,
    OFFER_KINDS,
    AgreementType,
    DeclineReason,
    OutcomeKind,
)
from upland.market.models import Opportunity
from upland.market.permissions import can_view_opportunity, may_see_owner
from upland.organisations import queries as organisations
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import FormFields, field_errors, validate_form
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _logged_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise PermissionDenied("log in to see this page", code="login_required")


def _edited(session: Session, actor: Actor, but: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the organisations the actor edits, the owner left out."""
    ids = [o for o in actor.org_roles if actor.has_role(o, OrgRole.EDITOR) and o != but]
    return organisations.organisation_choices(session, ids)


def _opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """The opportunity for its answers and bookings pages: to whoever sees it whole, and to
    an organisation that answered or booked it (after it closed, too)."""
    _logged_in(actor)
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is not None and (
        can_view_opportunity(actor, opportunity)
        or queries.list_interests(session, actor, opportunity_id=opportunity_id, limit=1)
        or queries.list_bookings(session, actor, opportunity_id=opportunity_id, limit=1)
    ):
        return opportunity
    raise NotFound(
        "opportunity {id} does not exist", code="opportunity.not_found", id=opportunity_id
    )


def _head(session: Session, actor: Actor, opportunity: Opportunity) -> dict[str, Any]:
    owner = None
    if may_see_owner(actor, opportunity):
        owner = presenters.names_of(session, [opportunity.owner_id]).get(opportunity.owner_id)
    return {
        "opportunity": opportunity,
        "title": opportunity.title_pl or opportunity.title_en,
        "owner_name": owner,
        "is_owner": actor.has_role(opportunity.owner_id, OrgRole.VIEWER),
    }


def _failure(
    exc: Invalid | ValidationError | Conflict, language: str
) -> tuple[dict[str, str], int]:
    if isinstance(exc, Conflict):
        return {"form": describe(exc, language)}, 409
    return field_errors(exc, language), 422


def _act(
    request: Request,
    session: Session,
    write: Callable[[], Message],
    done: str,
    again: Callable[[dict[str, str], int], Response],
) -> Response:
    """Run one write; to `done` saying what changed, or the form again saying why not."""
    try:
        with unit_of_work(session):
            said = write()
    except (Invalid, ValidationError, Conflict) as exc:
        session.rollback()
        errors, status = _failure(exc, language_of(request))
        return again(errors, status)
    flash.flash(request.session, said)
    return RedirectResponse(done, status_code=303)


# --- an opportunity's answers ------------------------------------------------------------------


def _answers_page(
    request: Request,
    session: Session,
    actor: Actor,
    opportunity_id: int,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    opportunity = _opportunity(session, actor, opportunity_id)
    rows = queries.list_interests(session, actor, opportunity_id=opportunity.id)
    names = presenters.interest_names(session, rows)
    mine = [
        presenters.interest(actor, r, names)
        for r in rows
        if actor.has_role(r.organisation_id, OrgRole.VIEWER)
    ]
    received = [
        presenters.interest(actor, r, names)
        for r in rows
        if not actor.has_role(r.organisation_id, OrgRole.VIEWER)
    ]
    answered = {r.organisation_id for r in rows}
    choices = [c for c in _edited(session, actor, opportunity.owner_id) if c[0] not in answered]
    context = _head(session, actor, opportunity) | {
        "mine": mine,
        "received": received,
        "choices": choices,
        "may_pass": opportunity.kind in OFFER_KINDS,
        "reasons": [(r.value, r.value) for r in DeclineReason],
        "errors": errors or {},
        "values": values or {},
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/interests/opportunity.html", context, status)


@router.get("/market/{opportunity_id:int}/interests", response_class=HTMLResponse)
def answers_page(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _answers_page(request, session, actor, opportunity_id)


def _answer_form(
    request: Request,
    session: Session,
    actor: Actor,
    opportunity_id: int,
    raw: dict[str, Any],
    write: Callable[[], Message],
) -> Response:
    return _act(
        request,
        session,
        write,
        f"/market/{opportunity_id}/interests",
        lambda errors, status: _answers_page(
            request, session, actor, opportunity_id, errors, raw, status
        ),
    )


@router.post("/market/{opportunity_id:int}/interests", dependencies=[CsrfChecked])
def express_interest_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    def write() -> Message:
        data = validate_form(InterestIn, raw)
        service.express_interest(session, actor, opportunity_id, data)
        return Message(N_("Your interest was sent to the owner."))

    return _answer_form(request, session, actor, opportunity_id, raw, write)


@router.post("/market/{opportunity_id:int}/passes", dependencies=[CsrfChecked])
def pass_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    def write() -> Message:
        data = validate_form(PassIn, raw)
        service.pass_on(session, actor, opportunity_id, data)
        return Message(N_("You passed on this offer; the owner sees your reason."))

    return _answer_form(request, session, actor, opportunity_id, raw, write)


def _decision(
    request: Request,
    session: Session,
    actor: Actor,
    interest_id: int,
    raw: dict[str, Any],
    step: Callable[[Session, Actor, int, DecisionIn], Any],
    said: str,
) -> Response:
    interest = queries.get_interest(session, actor, interest_id)
    opportunity_id = interest.opportunity_id

    def write() -> Message:
        step(session, actor, interest_id, validate_form(DecisionIn, raw))
        return Message(said)

    return _answer_form(request, session, actor, opportunity_id, raw, write)


@router.post("/market/interests/{interest_id}/accept", dependencies=[CsrfChecked])
def accept_interest_form(
    interest_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _decision(
        request,
        session,
        actor,
        interest_id,
        raw,
        service.accept_interest,
        N_("Accepted: the introduction is recorded and you now see each other's contacts."),
    )


@router.post("/market/interests/{interest_id}/decline", dependencies=[CsrfChecked])
def decline_interest_form(
    interest_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _decision(
        request,
        session,
        actor,
        interest_id,
        raw,
        service.decline_interest,
        N_("The interest was declined."),
    )


@router.post("/market/interests/{interest_id}/withdraw", dependencies=[CsrfChecked])
def withdraw_interest_form(
    interest_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _decision(
        request,
        session,
        actor,
        interest_id,
        {},
        lambda s, a, i, _d: service.withdraw_interest(s, a, i),
        N_("Your interest was withdrawn."),
    )


# --- an organisation's answers, sent and received -----------------------------------------------


@router.get("/market/interests", response_class=HTMLResponse)
def interests_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    _logged_in(actor)
    sent = queries.list_interests(session, actor, direction="sent")
    received = queries.list_interests(session, actor, direction="received")
    names = presenters.interest_names(session, [*sent, *received])
    context = {
        "sent": [presenters.interest(actor, r, names) for r in sent],
        "received": [presenters.interest(actor, r, names) for r in received],
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/interests/mine.html", context)


# --- introductions and their outcomes -----------------------------------------------------------


def _introductions_page(
    request: Request,
    session: Session,
    actor: Actor,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    _logged_in(actor)
    rows = queries.list_introductions(session, actor)
    names = presenters.introduction_names(session, rows)
    items = [presenters.introduction(session, actor, r, names, with_contacts=True) for r in rows]
    context = {
        "items": items,
        "may_report": {
            r.id
            for r in rows
            if any(actor.has_role(o, OrgRole.EDITOR) for o in (r.owner_id, r.interested_id))
        },
        "outcome_kinds": [k.value for k in OutcomeKind],
        "agreement_types": [t.value for t in AgreementType],
        "errors": errors or {},
        "values": values or {},
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/interests/introductions.html", context, status)


@router.get("/market/introductions", response_class=HTMLResponse)
def introductions_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _introductions_page(request, session, actor)


@router.post("/market/introductions/{introduction_id}/outcomes", dependencies=[CsrfChecked])
def record_outcome_form(
    introduction_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    raw: FormFields,
) -> Response:
    queries.get_introduction(session, actor, introduction_id)

    def write() -> Message:
        service.record_outcome(session, actor, introduction_id, validate_form(OutcomeIn, raw))
        return Message(N_("The outcome was recorded."))

    return _act(
        request,
        session,
        write,
        f"/market/introductions#introduction-{introduction_id}",
        lambda errors, status: _introductions_page(
            request,
            session,
            actor,
            {k if k == "form" else f"{introduction_id}.{k}": v for k, v in errors.items()},
            {"introduction": introduction_id, **raw},
            status,
        ),
    )


@router.post("/market/outcomes/{report_id}/confirm", dependencies=[CsrfChecked])
def confirm_outcome_form(
    report_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    def write() -> Message:
        service.confirm_outcome(session, actor, report_id)
        return Message(N_("The agreement is confirmed and counts."))

    return _act(
        request,
        session,
        write,
        "/market/introductions",
        lambda errors, status: _introductions_page(request, session, actor, errors, {}, status),
    )


# --- bookings and the calendar ------------------------------------------------------------------


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
    opportunity = _opportunity(session, actor, opportunity_id)
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
    days = get_day_names("abbreviated", locale=language)
    context = _head(session, actor, opportunity) | {
        "month_name": format_date(month, "LLLL yyyy", locale=language),
        "weekdays": [(days[i], get_day_names("wide", locale=language)[i]) for i in range(7)],
        "weeks": _weeks(month, booked_days),
        "booked": shown,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "bookings": [presenters.booking(actor, r, names) for r in rows],
        "choices": _edited(session, actor, opportunity.owner_id),
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

    return _act(
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

    return _act(
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
