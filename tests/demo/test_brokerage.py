"""The demo's brokerage days: one held each spring since 2018 with registrations, answered
requests, a schedule, check-in and outcomes, so the reports have figures; one coming up with
registration open and requests waiting for answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.demo_database import DemoDatabase

from upland.accounts import passwords
from upland.accounts import queries as accounts
from upland.accounts.models import User
from upland.actor import SYSTEM
from upland.demo.brokerage import candidates, plan_days
from upland.demo.profiles import AS_OF
from upland.events import queries as events
from upland.events.models import Event, MeetingRequest
from upland.events.report import queries as reports
from upland.events.service import registration_open

RADOM = "1463011"


def test_the_plan_is_one_spring_day_a_year_and_one_to_come(demo_database: DemoDatabase):
    names = candidates(demo_database.world)
    days = plan_days(names, AS_OF)
    assert [d.day.year for d in days] == [*range(2018, 2027), 2026]
    assert all(d.day.weekday() == 3 and d.day.month == 5 for d in days[:-1])
    assert [d.held for d in days] == [True] * 9 + [False]
    assert days[-1].day == AS_OF + dt.timedelta(days=28)
    assert plan_days(names, AS_OF) == days  # seeded: the same plan every time


def test_the_held_days_have_figures_and_the_next_one_is_open(demo_session: Session):
    session = demo_session
    listed = events.list_events(session, SYSTEM)
    assert len(listed) == 10
    past = reports.get_event_report(session, SYSTEM, listed[0].id).report.total
    assert past is not None
    assert past.scheduled > 0 and past.held > 0 and past.checked == past.participants
    assert past.follow_up + past.agreements + past.no_interest > 0
    upcoming = listed[-1]
    assert registration_open(upcoming, AS_OF)
    waiting = session.scalar(
        select(func.count())
        .select_from(MeetingRequest)
        .where(MeetingRequest.event_id == upcoming.id, MeetingRequest.status == "pending")
    )
    assert waiting and waiting > 0
    assert session.scalar(select(func.count()).select_from(Event)) == 10


def test_a_city_officer_sees_each_day_of_their_area(demo_session: Session):
    user = accounts.get_user_by_email(demo_session, "urzednik.radom@upland.example")
    officer = accounts.actor_for(demo_session, user)
    found = reports.get_area_report(demo_session, officer)
    assert found.area == RADOM and len(found.events) == 10
    assert found.report.hidden and found.report.total is not None
    assert all(g.counts is not None for g in found.report.by_event)


def test_the_delegates_share_one_hash_of_the_world_s_password(
    demo_session: Session, demo_database: DemoDatabase
):
    """Hashed once for every delegate (the load's slowest step otherwise); each still logs in."""
    hashes = demo_session.scalars(
        select(User.password_hash).where(User.email.like("delegat.%"))
    ).all()
    assert len(hashes) > 10 and len(set(hashes)) == 1
    assert passwords.verify_password(hashes[0], demo_database.world.password)
