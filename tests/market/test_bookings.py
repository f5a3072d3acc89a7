"""Bookings of research-infrastructure offers: dates checked, only infrastructure offers,
accepted bookings never overlap (the service's check, the database's unique days, and two
acceptances racing on separate connections), and the calendar hides who booked."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for, migrate_as_in_production, scratch_database
from tests.market.interest_world import Pair, editor, pair

from upland import clock
from upland.errors import Conflict, Invalid, UplandError
from upland.market.interests import presenters, queries, service
from upland.market.interests.models import Booking, BookingDay
from upland.market.interests.schemas import BookingIn
from upland.market.interests.service import bookings as booking_service

TODAY = dt.datetime.now(dt.UTC).date()


def _lab(session: Session) -> Pair:
    return pair(
        session,
        owner_kind="research",
        kind="infrastructure_offer",
        equipment="Hamownia podwoziowa",
        visibility="members",
    )


def _ask(session: Session, world: Pair, start: int, end: int, who=None) -> Booking:
    return service.request_booking(
        session,
        who or world.other_editor,
        world.opportunity.id,
        BookingIn(
            starts_on=TODAY + dt.timedelta(days=start),
            ends_on=TODAY + dt.timedelta(days=end),
            purpose="Testy <b>homologacyjne</b>",
        ),
    )


@pytest.mark.parametrize(
    ("start", "end", "field", "code"),
    [
        (-1, 2, "starts_on", "date.past"),
        (5, 3, "ends_on", "dates.reversed"),
        (1, 200, "ends_on", "booking.too_long"),
        (900, 901, "starts_on", "booking.too_far"),
    ],
)
def test_dates_are_checked(session: Session, start: int, end: int, field: str, code: str):
    world = _lab(session)
    with pytest.raises(Invalid) as refused:
        _ask(session, world, start, end)
    assert {e.field: e.code for e in refused.value.errors}[field] == code


def test_only_infrastructure_offers_are_booked(session: Session):
    world = pair(session)
    with pytest.raises(Conflict) as refused:
        _ask(session, world, 1, 2)
    assert refused.value.code == "booking.not_bookable"


def test_accepted_bookings_never_overlap(session: Session):
    world = _lab(session)
    first, second = _ask(session, world, 10, 14), _ask(session, world, 12, 16)
    third_org = factories.organisation(session)
    apart = _ask(session, world, 17, 20, editor(session, third_org))
    service.accept_booking(session, world.owner_editor, first.id)
    with pytest.raises(Conflict) as refused:
        service.accept_booking(session, world.owner_editor, second.id)
    assert refused.value.code == "booking.overlap"
    assert second.status == "pending"
    service.accept_booking(session, world.owner_editor, apart.id)
    with pytest.raises(Conflict):  # a new request on booked days is refused at once
        _ask(session, world, 14, 14, editor(session, factories.organisation(session)))
    # Cancelling frees the days.
    service.cancel_booking(session, world.owner_editor, first.id)
    service.accept_booking(session, world.owner_editor, second.id)
    held = session.scalars(
        select(BookingDay.day).where(BookingDay.opportunity_id == world.opportunity.id)
    ).all()
    assert len(held) == len(set(held)) == 5 + 4


def test_the_database_refuses_what_slips_past_the_check(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    world = _lab(session)
    first, second = _ask(session, world, 3, 5), _ask(session, world, 5, 8)
    service.accept_booking(session, world.owner_editor, first.id)
    monkeypatch.setattr(booking_service, "overlapping", lambda *args: None)
    with pytest.raises(Conflict) as refused:
        service.accept_booking(session, world.owner_editor, second.id)
    assert refused.value.code == "booking.overlap"
    session.expire_all()
    assert second.status == "pending" and second.days == []


def test_the_owner_cancels_only_what_it_accepted(session: Session):
    world = _lab(session)
    booking = _ask(session, world, 3, 5)
    with pytest.raises(Conflict) as refused:
        service.cancel_booking(session, world.owner_editor, booking.id)
    assert refused.value.code == "booking.decline_instead"


def test_a_booking_whose_days_are_over_is_not_cancelled(session: Session):
    """The owner's page offered "cancel" on a booking that had already happened."""
    world = _lab(session)
    booking = _ask(session, world, 3, 5)
    service.accept_booking(session, world.owner_editor, booking.id)
    for who in (world.owner_editor, world.other_editor):
        assert "cancel" in presenters.booking_actions(who, booking)
    later = dt.datetime.combine(TODAY + dt.timedelta(days=6), dt.time(9), tzinfo=dt.UTC)
    with clock.replay(later):
        for who in (world.owner_editor, world.other_editor):
            assert "cancel" not in presenters.booking_actions(who, booking)
            with pytest.raises(Conflict) as refused:
                service.cancel_booking(session, who, booking.id)
            assert refused.value.code == "booking.over"
    assert booking.status == "accepted"


def test_the_calendar_hides_who_booked_from_others(session: Session):
    world = _lab(session)
    booking = _ask(session, world, 2, 4)
    service.accept_booking(session, world.owner_editor, booking.id)
    _ask(session, world, 6, 7)  # pending: not on the calendar
    reader = editor(session, factories.organisation(session), role="viewer")
    month = booking.starts_on
    for actor, shows in ((reader, False), (world.owner_editor, True)):
        _opportunity, rows = queries.calendar(session, actor, world.opportunity.id, month)
        names = {world.other.id: "X"}
        shown = [presenters.booked(actor, r, names) for r in rows]
        assert [(b.starts_on, b.ends_on) for b in shown] == [(booking.starts_on, booking.ends_on)]
        assert (shown[0].organisation is not None) is shows


def test_two_acceptances_racing_on_separate_connections(tmp_path: Path):
    """Committed data on a database of this run's backend; two owners' editors accept two
    overlapping bookings at the same moment: exactly one wins, the other is told why."""
    with scratch_database("upland_bookings", tmp_path) as url:
        migrate_as_in_production(url)
        with engine_for(url) as engine:
            with Session(engine) as setup, setup.begin():
                world = _lab(setup)
                one, two = _ask(setup, world, 20, 24), _ask(setup, world, 22, 26)
                ids = (one.id, two.id)
                owners = (world.owner_editor, editor(setup, world.owner))
                opportunity_id = world.opportunity.id
            from upland.db import writing

            barrier = threading.Barrier(2)
            outcome: dict[int, str] = {}

            def accept(index: int) -> None:
                with Session(engine) as session:
                    try:
                        barrier.wait(timeout=10)
                        with writing(session):
                            service.accept_booking(session, owners[index], ids[index])
                        outcome[index] = "accepted"
                    except UplandError as exc:
                        outcome[index] = exc.code

            threads = [threading.Thread(target=accept, args=(i,)) for i in (0, 1)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert sorted(outcome.values()) == ["accepted", "booking.overlap"], outcome
            with Session(engine) as check:
                statuses = check.scalars(
                    select(Booking.status).where(Booking.opportunity_id == opportunity_id)
                ).all()
                assert sorted(statuses) == ["accepted", "pending"]
