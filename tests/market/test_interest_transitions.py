"""Every (state, action) pair of an interest and of a booking, through the services: allowed
ones move to the table's state, the others are a Conflict and change nothing."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy.orm import Session
from tests.market.interest_world import Pair, pair

from upland.errors import Conflict
from upland.market.interests import lifecycle, service
from upland.market.interests.models import Booking, Interest
from upland.market.interests.schemas import BookingIn, DecisionIn, InterestIn, PassIn
from upland.market.interests.vocab import (
    BookingAction,
    BookingStatus,
    InterestAction,
    InterestStatus,
)

TODAY = dt.datetime.now(dt.UTC).date()

INTEREST_EXPECTED = {
    ("pending", "accept"): "accepted",
    ("pending", "decline"): "declined",
    ("pending", "withdraw"): "withdrawn",
}
BOOKING_EXPECTED = {
    ("pending", "accept"): "accepted",
    ("pending", "decline"): "declined",
    ("pending", "cancel"): "cancelled",
    ("accepted", "cancel"): "cancelled",
}


def test_the_interest_table_is_as_written():
    for status, action in itertools.product(InterestStatus, InterestAction):
        expected = INTEREST_EXPECTED.get((status.value, action.value))
        if expected is None:
            with pytest.raises(Conflict) as refused:
                lifecycle.next_interest_status(status, action)
            assert refused.value.code == "interest.transition"
        else:
            assert lifecycle.next_interest_status(status, action) == expected


def test_the_booking_table_is_as_written():
    for status, action in itertools.product(BookingStatus, BookingAction):
        expected = BOOKING_EXPECTED.get((status.value, action.value))
        if expected is None:
            with pytest.raises(Conflict) as refused:
                lifecycle.next_booking_status(status, action)
            assert refused.value.code == "booking.transition"
        else:
            assert lifecycle.next_booking_status(status, action) == expected


def _interest_in(session: Session, world: Pair, status: InterestStatus) -> Interest:
    if status == InterestStatus.PASSED:
        return service.pass_on(
            session, world.other_editor, world.opportunity.id, PassIn(reason="not_strategic")
        )
    made = service.express_interest(
        session, world.other_editor, world.opportunity.id, InterestIn(message="m")
    )
    if status == InterestStatus.ACCEPTED:
        service.accept_interest(session, world.owner_editor, made.id)
    elif status == InterestStatus.DECLINED:
        service.decline_interest(session, world.owner_editor, made.id)
    elif status == InterestStatus.WITHDRAWN:
        service.withdraw_interest(session, world.other_editor, made.id)
    return made


@pytest.mark.parametrize(
    ("status", "action"), list(itertools.product(InterestStatus, InterestAction))
)
def test_every_interest_step_through_the_service(
    session: Session, status: InterestStatus, action: InterestAction
):
    world = pair(session, owner_kind="research", kind="technology_offer")
    interest = _interest_in(session, world, status)
    assert interest.status == status
    run = {
        InterestAction.ACCEPT: lambda: service.accept_interest(
            session, world.owner_editor, interest.id, DecisionIn()
        ),
        InterestAction.DECLINE: lambda: service.decline_interest(
            session, world.owner_editor, interest.id, DecisionIn()
        ),
        InterestAction.WITHDRAW: lambda: service.withdraw_interest(
            session, world.other_editor, interest.id
        ),
    }[action]
    expected = INTEREST_EXPECTED.get((status.value, action.value))
    if expected is None:
        before = (interest.status, interest.decided_at, interest.answer)
        with pytest.raises(Conflict) as refused:
            run()
        assert refused.value.code == "interest.transition"
        session.expire_all()
        assert (interest.status, interest.decided_at, interest.answer) == before
    else:
        run()
        assert interest.status == expected


def _booking_in(session: Session, world: Pair, status: BookingStatus) -> Booking:
    start = TODAY + dt.timedelta(days=10)
    made = service.request_booking(
        session,
        world.other_editor,
        world.opportunity.id,
        BookingIn(starts_on=start, ends_on=start + dt.timedelta(days=2), purpose="Badania"),
    )
    if status == BookingStatus.ACCEPTED:
        service.accept_booking(session, world.owner_editor, made.id)
    elif status == BookingStatus.DECLINED:
        service.decline_booking(session, world.owner_editor, made.id)
    elif status == BookingStatus.CANCELLED:
        service.cancel_booking(session, world.other_editor, made.id)
    return made


@pytest.mark.parametrize(
    ("status", "action"), list(itertools.product(BookingStatus, BookingAction))
)
def test_every_booking_step_through_the_service(
    session: Session, status: BookingStatus, action: BookingAction
):
    world = pair(
        session, owner_kind="research", kind="infrastructure_offer", equipment="Komora klimatyczna"
    )
    booking = _booking_in(session, world, status)
    assert booking.status == status
    run = {
        BookingAction.ACCEPT: lambda: service.accept_booking(
            session, world.owner_editor, booking.id
        ),
        BookingAction.DECLINE: lambda: service.decline_booking(
            session, world.owner_editor, booking.id
        ),
        BookingAction.CANCEL: lambda: service.cancel_booking(
            session, world.other_editor, booking.id
        ),
    }[action]
    expected = BOOKING_EXPECTED.get((status.value, action.value))
    held = len(booking.days)
    if expected is None:
        with pytest.raises(Conflict) as refused:
            run()
        assert refused.value.code == "booking.transition"
        session.expire_all()
        assert booking.status == status and len(booking.days) == held
    else:
        run()
        session.expire_all()
        assert booking.status == expected
        assert len(booking.days) == (3 if expected == "accepted" else 0)
