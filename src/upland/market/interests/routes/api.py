"""The JSON API of interests, introductions, outcomes and bookings under /api/v1, over the same
services and queries as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from upland.db import RowId
from upland.market.interests import presenters, queries, service
from upland.market.interests.routes.common import introduction_read, month_of
from upland.market.interests.schemas import (
    BookingIn,
    BookingRead,
    CalendarRead,
    DecisionIn,
    InterestIn,
    InterestPage,
    InterestRead,
    IntroductionPage,
    IntroductionRead,
    OutcomeIn,
    OutcomeRead,
    PassIn,
)
from upland.market.interests.vocab import InterestStatus
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.routing import Router

router = Router(
    prefix="/api/v1", tags=["interests"], dependencies=[CsrfChecked], responses=API_ERRORS
)


class InterestParams(BaseModel):
    model_config = {"extra": "forbid"}

    direction: Literal["sent", "received"] | None = None
    organisation_id: RowId | None = None
    status: InterestStatus | None = None
    limit: int = Field(default=100, ge=1, le=200)


class ListParams(BaseModel):
    model_config = {"extra": "forbid"}

    organisation_id: RowId | None = None
    limit: int = Field(default=100, ge=1, le=200)


class MonthParams(BaseModel):
    model_config = {"extra": "forbid"}

    month: Annotated[str | None, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] = None


def _interest(session: SessionDep, actor: ActorDep, interest_id: int) -> InterestRead:
    row = queries.get_interest(session, actor, interest_id)
    return presenters.interest(actor, row, presenters.interest_names(session, [row]))


@router.get("/opportunities/{opportunity_id}/interests", response_model=InterestPage)
def api_list_opportunity_interests(
    opportunity_id: RowId, session: SessionDep, actor: ActorDep
) -> InterestPage:
    """Answers to one opportunity you may see: all of them for its owner's users and staff,
    your organisation's own answer for anyone else."""
    rows = queries.list_interests(session, actor, opportunity_id=opportunity_id)
    names = presenters.interest_names(session, rows)
    return InterestPage(items=[presenters.interest(actor, r, names) for r in rows], total=len(rows))


@router.post(
    "/opportunities/{opportunity_id}/interests", response_model=InterestRead, status_code=201
)
def api_express_interest(
    opportunity_id: RowId, data: InterestIn, session: SessionDep, actor: ActorDep
) -> InterestRead:
    """Express interest on behalf of an organisation you edit (`organisation_id`, or your
    only one), with a message."""
    with unit_of_work(session):
        made = service.express_interest(session, actor, opportunity_id, data)
    return _interest(session, actor, made.id)


@router.post("/opportunities/{opportunity_id}/passes", response_model=InterestRead, status_code=201)
def api_pass_on(
    opportunity_id: RowId, data: PassIn, session: SessionDep, actor: ActorDep
) -> InterestRead:
    """A company passes on a research organisation's offer, with a reason."""
    with unit_of_work(session):
        made = service.pass_on(session, actor, opportunity_id, data)
    return _interest(session, actor, made.id)


@router.get("/interests", response_model=InterestPage)
def api_list_interests(
    session: SessionDep, actor: ActorDep, params: Annotated[InterestParams, Query()]
) -> InterestPage:
    """Answers sent by your organisations (`direction=sent`) or to their opportunities
    (`received`); staff see every one."""
    rows = queries.list_interests(
        session,
        actor,
        organisation_id=params.organisation_id,
        direction=params.direction,
        status=params.status.value if params.status else None,
        limit=params.limit,
    )
    names = presenters.interest_names(session, rows)
    return InterestPage(items=[presenters.interest(actor, r, names) for r in rows], total=len(rows))


@router.get("/interests/{interest_id}", response_model=InterestRead)
def api_get_interest(interest_id: RowId, session: SessionDep, actor: ActorDep) -> InterestRead:
    return _interest(session, actor, interest_id)


@router.post("/interests/{interest_id}/accept", response_model=IntroductionRead)
def api_accept_interest(
    interest_id: RowId, session: SessionDep, actor: ActorDep, data: DecisionIn | None = None
) -> IntroductionRead:
    """The owner's editors accept: the introduction recorded, with the other side's
    consented contacts."""
    with unit_of_work(session):
        made = service.accept_interest(session, actor, interest_id, data)
    return introduction_read(session, actor, made.id)


@router.post("/interests/{interest_id}/decline", response_model=InterestRead)
def api_decline_interest(
    interest_id: RowId, session: SessionDep, actor: ActorDep, data: DecisionIn | None = None
) -> InterestRead:
    with unit_of_work(session):
        service.decline_interest(session, actor, interest_id, data)
    return _interest(session, actor, interest_id)


@router.post("/interests/{interest_id}/withdraw", response_model=InterestRead)
def api_withdraw_interest(interest_id: RowId, session: SessionDep, actor: ActorDep) -> InterestRead:
    with unit_of_work(session):
        service.withdraw_interest(session, actor, interest_id)
    return _interest(session, actor, interest_id)


@router.get("/introductions", response_model=IntroductionPage)
def api_list_introductions(
    session: SessionDep, actor: ActorDep, params: Annotated[ListParams, Query()]
) -> IntroductionPage:
    """Introductions of your organisations (staff: all), newest first, with their outcomes."""
    rows = queries.list_introductions(
        session, actor, organisation_id=params.organisation_id, limit=params.limit
    )
    items = presenters.introductions(session, actor, rows)
    return IntroductionPage(items=items, total=len(items))


@router.get("/introductions/{introduction_id}", response_model=IntroductionRead)
def api_get_introduction(
    introduction_id: RowId, session: SessionDep, actor: ActorDep
) -> IntroductionRead:
    """One introduction with the other side's contact people (as they consented)."""
    return introduction_read(session, actor, introduction_id)


@router.post(
    "/introductions/{introduction_id}/outcomes", response_model=OutcomeRead, status_code=201
)
def api_record_outcome(
    introduction_id: RowId, data: OutcomeIn, session: SessionDep, actor: ActorDep
) -> OutcomeRead:
    with unit_of_work(session):
        report = service.record_outcome(session, actor, introduction_id, data)
    return presenters.outcome(actor, report)


@router.post("/outcomes/{report_id}/confirm", response_model=OutcomeRead)
def api_confirm_outcome(report_id: RowId, session: SessionDep, actor: ActorDep) -> OutcomeRead:
    """The other side, or the coordinator, confirms a reported agreement: it counts."""
    with unit_of_work(session):
        report = service.confirm_outcome(session, actor, report_id)
    return presenters.outcome(actor, report)


def _booking(session: SessionDep, actor: ActorDep, booking_id: int) -> BookingRead:
    row = queries.get_booking(session, actor, booking_id)
    return presenters.booking(actor, row, presenters.names_of(session, [row.organisation_id]))


@router.get("/opportunities/{opportunity_id}/bookings", response_model=list[BookingRead])
def api_list_opportunity_bookings(
    opportunity_id: RowId, session: SessionDep, actor: ActorDep
) -> list[BookingRead]:
    """Bookings of one offer you may see: all for its owner's users, your own otherwise."""
    rows = queries.list_bookings(session, actor, opportunity_id=opportunity_id)
    names = presenters.names_of(session, [r.organisation_id for r in rows])
    return [presenters.booking(actor, r, names) for r in rows]


@router.post(
    "/opportunities/{opportunity_id}/bookings", response_model=BookingRead, status_code=201
)
def api_request_booking(
    opportunity_id: RowId, data: BookingIn, session: SessionDep, actor: ActorDep
) -> BookingRead:
    with unit_of_work(session):
        made = service.request_booking(session, actor, opportunity_id, data)
    return _booking(session, actor, made.id)


@router.get("/opportunities/{opportunity_id}/calendar", response_model=CalendarRead)
def api_calendar(
    opportunity_id: RowId,
    session: SessionDep,
    actor: ActorDep,
    params: Annotated[MonthParams, Query()],
) -> CalendarRead:
    """Accepted bookings touching a month (`YYYY-MM`, this month when left out); who booked
    only for the offer's owner."""
    month = month_of(params.month, dt.datetime.now(dt.UTC).date())
    _opportunity, rows = queries.calendar(session, actor, opportunity_id, month)
    names = presenters.names_of(session, [r.organisation_id for r in rows])
    return CalendarRead(
        opportunity_id=opportunity_id,
        month=month.strftime("%Y-%m"),
        booked=[presenters.booked(actor, r, names) for r in rows],
    )


@router.get("/bookings", response_model=list[BookingRead])
def api_list_bookings(
    session: SessionDep, actor: ActorDep, params: Annotated[ListParams, Query()]
) -> list[BookingRead]:
    rows = queries.list_bookings(
        session, actor, organisation_id=params.organisation_id, limit=params.limit
    )
    names = presenters.names_of(session, [r.organisation_id for r in rows])
    return [presenters.booking(actor, r, names) for r in rows]


@router.post("/bookings/{booking_id}/accept", response_model=BookingRead)
def api_accept_booking(
    booking_id: RowId, session: SessionDep, actor: ActorDep, data: DecisionIn | None = None
) -> BookingRead:
    with unit_of_work(session):
        service.accept_booking(session, actor, booking_id, data)
    return _booking(session, actor, booking_id)


@router.post("/bookings/{booking_id}/decline", response_model=BookingRead)
def api_decline_booking(
    booking_id: RowId, session: SessionDep, actor: ActorDep, data: DecisionIn | None = None
) -> BookingRead:
    with unit_of_work(session):
        service.decline_booking(session, actor, booking_id, data)
    return _booking(session, actor, booking_id)


@router.post("/bookings/{booking_id}/cancel", response_model=BookingRead)
def api_cancel_booking(
    booking_id: RowId, session: SessionDep, actor: ActorDep, data: DecisionIn | None = None
) -> BookingRead:
    with unit_of_work(session):
        service.cancel_booking(session, actor, booking_id, data)
    return _booking(session, actor, booking_id)
