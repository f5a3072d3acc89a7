"""An event's places: a freed place (a cancellation, a raised capacity) goes at once to the
first on the waiting list by registration time, never past the capacity; the promoted person
hears of it (a notification, or an e-mail for a guest), and so does the event's organiser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import DAY, event, event_data, registered
from upland.accounts import queries as accounts
from upland.actor import ANONYMOUS, SYSTEM
from upland.audit import AuditEntry
from upland.errors import Invalid
from upland.events import service
from upland.events.instance import build_instance
from upland.events.routes import forms
from upland.events.schemas import EventIn, GuestIn
from upland.mail.models import MailMessage
from upland.notifications.models import Notification


def _kinds(session: Session, user_id: int | None) -> list[str]:
    rows = session.scalars(
        select(Notification.kind)
        .where(Notification.recipient_id == user_id)
        .order_by(Notification.id)
    )
    return list(rows)


def _organised(session: Session, **overrides: object):
    """A published event made by an editor of a business-support organisation (its organiser)."""
    agency = factories.organisation(session, kind="business_support")
    editor = factories.actor_of(session, factories.user(session, role="editor", org=agency))
    made = service.create_event(session, editor, event_data(organiser_id=agency.id, **overrides))
    service.publish_event(session, editor, made.id)
    return made, editor


def test_a_cancellation_promotes_the_first_waiting_by_registration_time(session: Session):
    day, organiser = _organised(session, capacity=1)
    first, a = registered(session, day.id)
    later, b = registered(session, day.id)
    earlier, c = registered(session, day.id)
    assert (later.status, earlier.status) == ("waiting", "waiting")
    earlier.created_at = later.created_at - dt.timedelta(minutes=5)  # registered first
    session.flush()
    service.cancel_registration(session, a, first.id)
    assert (first.status, earlier.status, later.status) == ("cancelled", "confirmed", "waiting")
    assert _kinds(session, c.user_id)[-1] == "events.registration_promoted"
    assert "events.registration_promoted" not in _kinds(session, b.user_id)
    told = session.scalars(
        select(Notification).where(Notification.recipient_id == organiser.user_id)
    ).all()
    assert [n.kind for n in told] == ["events.waiting_promoted"]
    assert told[0].link == f"/events/{day.id}/registrations"
    promoted = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "events.registration.promote")
    ).all()
    assert [(e.object_id, e.actor_user_id) for e in promoted] == [(str(earlier.id), a.user_id)]


def test_cancelling_a_waiting_place_promotes_nobody(session: Session):
    day = event(session, capacity=1)
    registered(session, day.id)
    waiting, a = registered(session, day.id)
    other, b = registered(session, day.id)
    service.cancel_registration(session, a, waiting.id)
    assert other.status == "waiting"
    assert _kinds(session, b.user_id) == ["events.registration_waiting"]


def test_raising_the_capacity_promotes_as_many_as_it_frees(session: Session):
    day, organiser = _organised(session, capacity=1)
    registered(session, day.id)
    waiting = [registered(session, day.id) for _ in range(3)]
    assert [r.status for r, _ in waiting] == ["waiting"] * 3
    service.update_event(session, organiser, day.id, event_data(capacity=3))
    assert [r.status for r, _ in waiting] == ["confirmed", "confirmed", "waiting"]
    assert [_kinds(session, a.user_id)[-1] for _, a in waiting] == [
        "events.registration_promoted",
        "events.registration_promoted",
        "events.registration_waiting",
    ]
    # the organiser raised it: the page tells them, no notification to themselves
    assert _kinds(session, organiser.user_id) == []
    service.update_event(session, organiser, day.id, event_data(capacity=3))  # as many: kept
    assert [r.status for r, _ in waiting][-1] == "waiting"
    service.update_event(session, organiser, day.id, event_data(capacity=None))
    assert waiting[-1][0].status == "confirmed"


def test_a_promoted_guest_is_told_by_mail(session: Session):
    day = event(session, capacity=1)
    first, _ = registered(session, day.id)
    guest = service.register_guest(
        session, ANONYMOUS, day.id, GuestIn(name="Ewa Gość", email="ewa@guest.example")
    )
    service.validate_registration(session, SYSTEM, guest.id)
    assert guest.status == "waiting"
    service.cancel_registration(session, SYSTEM, first.id)
    assert guest.status == "confirmed"
    sent = session.scalars(
        select(MailMessage)
        .where(MailMessage.recipient == "ewa@guest.example")
        .order_by(MailMessage.id)
    ).all()
    assert "z listy rezerwowej" in sent[-1].body_text


TWO = [
    {"day": DAY, "starts": "09:00", "ends": "12:00", "capacity": 1},
    {"day": DAY, "starts": "13:00", "ends": "15:00"},
]


def test_a_full_session_is_waited_for_and_freed_places_go_in_order(session: Session):
    day, organiser = _organised(session, capacity=10, sessions=TWO)
    morning, afternoon = (s.id for s in day.sessions)
    first, a = registered(session, day.id)  # all sessions: takes the morning's one place
    second, b = registered(session, day.id, sessions=[morning, afternoon])
    third, _ = registered(session, day.id, sessions=[morning])
    assert first.status == second.status == third.status == "confirmed"
    assert (first.sessions, first.waiting_sessions) == ([], [])
    assert (second.sessions, second.waiting_sessions) == ([afternoon], [morning])
    assert (third.sessions, third.waiting_sessions) == ([], [morning])
    instance = build_instance(session, day)
    available = {p.id: p.available for p in instance.participants}
    assert not available[f"r{third.id}"]  # waits for its only session: no slot yet
    assert all(s.startswith(f"{afternoon}-") for s in available[f"r{second.id}"])
    service.cancel_registration(session, a, first.id)
    assert (second.sessions, second.waiting_sessions) == ([morning, afternoon], [])
    assert third.waiting_sessions == [morning]  # registered later: still waiting
    assert _kinds(session, b.user_id)[-1] == "events.registration_promoted"
    raised = [{**TWO[0], "capacity": 2}, TWO[1]]
    service.update_event(session, organiser, day.id, event_data(capacity=10, sessions=raised))
    assert (third.sessions, third.waiting_sessions) == ([morning], [])


def test_the_event_page_names_the_sessions_waited_for(session: Session, client: Any):
    day = event(session, sessions=TWO)
    registered(session, day.id)
    _, reader = registered(session, day.id)
    user = accounts.get_user(session, reader.user_id)
    session.commit()
    page = caller_for(session, client, user).send("GET", f"/events/{day.id}?lang=en")
    assert "Full, you are on their waiting list: 2030-03-12 09:00–12:00" in page.text


def test_the_form_writes_a_sessions_places():
    data, problems = forms.schema_data({"sessions": "2030-03-12 09:00-12:00 20 places=30"})
    assert not problems and data["sessions"][0]["capacity"] == 30
    made = EventIn.model_validate(
        {**event_data().model_dump(), "sessions": data["sessions"]}
    ).sessions[0]
    assert made.capacity == 30


def test_a_capacity_below_the_people_confirmed_is_refused_naming_how_many(session: Session):
    day, organiser = _organised(session, capacity=5)
    for _ in range(3):
        registered(session, day.id)
    with pytest.raises(Invalid) as refused:
        service.update_event(session, organiser, day.id, event_data(capacity=2))
    (error,) = refused.value.errors
    assert (error.field, error.code) == ("capacity", "event.capacity_taken")
    assert error.message == "3 people are confirmed already: the capacity cannot be lower"
    assert error.msg.render("pl").startswith("3 osoby")
    assert day.capacity == 5
    service.update_event(session, organiser, day.id, event_data(capacity=3))
    assert day.capacity == 3


def test_a_session_capacity_below_its_people_is_refused(session: Session):
    day, organiser = _organised(session, capacity=10, sessions=TWO)
    morning, afternoon = (s.id for s in day.sessions)
    registered(session, day.id, sessions=[afternoon])
    registered(session, day.id, sessions=[afternoon])
    registered(session, day.id, sessions=[morning])
    cut = [TWO[0], {**TWO[1], "capacity": 1}]
    with pytest.raises(Invalid) as refused:
        service.update_event(session, organiser, day.id, event_data(capacity=10, sessions=cut))
    (error,) = refused.value.errors
    assert (error.field, error.code) == ("sessions.1.capacity", "event.capacity_taken")
    assert error.message.startswith("2 people are confirmed already")
    assert [s.capacity for s in day.sessions] == [1, None]


def test_the_edit_form_shows_the_refused_capacity_beside_its_field(session: Session, client: Any):
    from tests.events.test_events_web import FORM

    agency = factories.organisation(session, kind="business_support")
    user = factories.user(session, role="editor", org=agency)
    organiser = factories.actor_of(session, user)
    day = service.create_event(
        session, organiser, event_data(organiser_id=agency.id, participant_types=["company"])
    )
    service.publish_event(session, organiser, day.id)
    for _ in range(2):
        registered(session, day.id)
    session.commit()
    caller = caller_for(session, client, user)
    form = {**FORM, "capacity": "1"}
    page = caller.send("POST", f"/events/{day.id}/edit?lang=en", form)
    assert page.status_code == 422
    assert "2 people are confirmed already: the capacity cannot be lower" in page.text
    session.refresh(day)
    assert day.capacity == 40
