"""Meetings held at brokerage days are ties: a meeting whose outcome a side recorded, or whose
two organisations were both marked present, is a `meeting` relation; an agreement that came
of it a second one. Attending the same event is not a tie, nor is a meeting with a guest who
has no organisation; an agreement counts once confirmed; `upland network rebuild` derives
them from existing meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.events.world import DAY, event, registered

from upland.accounts import queries as accounts
from upland.actor import SYSTEM, Actor
from upland.errors import Conflict
from upland.events import queries as events
from upland.events import service as events_service
from upland.events.models import EventMeeting, EventRegistration
from upland.events.schemas import GuestIn, MeetingOutcomeIn, RequestIn
from upland.events.vocab import Presence
from upland.jobs.tracked import Context
from upland.network import service
from upland.network.models import Relation


def the_day_comes(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The brokerage day has come (registration and scheduling happened before)."""
    monkeypatch.setattr("upland.clock.today", lambda: DAY)
    return DAY


def relations(session: Session) -> list[Relation]:
    return list(session.scalars(select(Relation).order_by(Relation.id)))


def _world(
    session: Session, organiser_id: int | None = None
) -> tuple[Any, list[EventRegistration], EventMeeting, Actor]:
    """A brokerage day (organised by the cluster, or by `organiser_id`) where a meets b; c
    takes part but meets nobody."""
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    day = event(session, organiser_id=organiser_id, request_mode="automatic")
    a, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    c, _ = registered(session, day.id)
    events_service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    events_service.run_schedule(session, Context(1, coordinator.user_id), event_id=day.id)
    [meeting] = events.list_meetings(session, coordinator, day)
    return day, [a, b, c], meeting, alice


agreed: dict[str, Any] = {"outcome": "agreement", "agreement_type": "subcontracting"}


def test_an_outcome_makes_a_meeting_tie_and_an_agreement_a_second(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (a, b, _), meeting, alice = _world(session)
    held_day = the_day_comes(monkeypatch)
    assert relations(session) == []  # scheduled is not held
    events_service.record_outcome(
        session,
        alice,
        meeting.id,
        MeetingOutcomeIn(outcome="agreement", agreement_type="subcontracting"),
    )
    [tie] = relations(session)  # one side's word: no agreement yet
    bob = factories.actor_of(session, accounts.get_user(session, b.user_id))
    events_service.confirm_agreement(session, bob, meeting.id)
    tie, agreement = relations(session)
    assert (tie.type, tie.source, tie.origin, tie.weight) == (
        "meeting",
        "meeting",
        f"meeting:{meeting.id}",
        1.0,
    )
    assert {tie.from_id, tie.to_id} == {a.organisation_id, b.organisation_id}
    assert tie.starts_on == held_day and tie.status == "confirmed"
    assert (agreement.type, agreement.source, agreement.detail) == (
        "agreement",
        "agreement",
        "subcontracting",
    )
    assert agreement.origin == f"meeting-agreement:{meeting.id}"
    events_service.record_outcome(session, alice, meeting.id, MeetingOutcomeIn(**agreed))
    assert len(relations(session)) == 2  # said again: no second tie


def test_both_sides_present_make_the_tie_attending_alone_does_not(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (a, b, c), meeting, _ = _world(session)
    the_day_comes(monkeypatch)
    events_service.mark_attendance(session, SYSTEM, a.id, Presence.PRESENT)
    events_service.mark_attendance(session, SYSTEM, c.id, Presence.PRESENT)
    events_service.mark_attendance(session, SYSTEM, b.id, Presence.NO_SHOW)
    assert relations(session) == []  # b did not come; a and c only attended the same day
    events_service.mark_attendance(session, SYSTEM, b.id, Presence.PRESENT)
    [tie] = relations(session)
    assert tie.origin == f"meeting:{meeting.id}"
    assert {tie.from_id, tie.to_id} == {a.organisation_id, b.organisation_id}


def test_a_meeting_with_a_guest_without_an_organisation_is_no_tie(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    day = event(session, request_mode="automatic")
    _, alice = registered(session, day.id)
    guest = events_service.register_guest(
        session, SYSTEM, day.id, GuestIn(name="Jan Gość", email="jan@example.com")
    )
    events_service.validate_registration(session, SYSTEM, guest.id)
    events_service.send_request(session, alice, day.id, RequestIn(receiver_id=guest.id))
    events_service.run_schedule(session, Context(1, coordinator.user_id), event_id=day.id)
    the_day_comes(monkeypatch)
    [meeting] = events.list_meetings(session, coordinator, day)
    events_service.record_outcome(session, alice, meeting.id, MeetingOutcomeIn(outcome="follow_up"))
    assert events.list_held_meetings(session, event_id=day.id) == []
    assert relations(session) == []


def test_rebuild_derives_the_ties_of_meetings_held(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, meeting, alice = _world(session)
    the_day_comes(monkeypatch)
    events_service.record_outcome(
        session,
        alice,
        meeting.id,
        MeetingOutcomeIn(outcome="agreement", agreement_type="subcontracting"),
    )
    events_service.confirm_agreement(session, SYSTEM, meeting.id)
    session.execute(Relation.__table__.delete())
    made = service.rebuild_relations(session)
    assert (made.meetings, made.agreements) == (1, 1)
    assert service.rebuild_relations(session) == service.Rebuilt(0, 0, 0)
    assert sorted(r.origin or "" for r in relations(session)) == [
        f"meeting-agreement:{meeting.id}",
        f"meeting:{meeting.id}",
    ]


def test_an_agreement_tie_waits_for_the_agreement_to_be_confirmed(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One side's word is no agreement (events: both sides or the organiser confirm it); a
    reported agreement changed before that leaves only the meeting's tie; once confirmed the
    agreement is a tie and is not changed any more."""
    _, _, meeting, alice = _world(session)
    the_day_comes(monkeypatch)
    agreed = MeetingOutcomeIn(outcome="agreement", agreement_type="subcontracting")
    events_service.record_outcome(session, alice, meeting.id, agreed)
    assert [r.origin for r in relations(session)] == [f"meeting:{meeting.id}"]
    events_service.record_outcome(
        session, alice, meeting.id, MeetingOutcomeIn(outcome="no_interest")
    )
    assert [r.origin for r in relations(session)] == [f"meeting:{meeting.id}"]
    events_service.record_outcome(session, alice, meeting.id, agreed)
    events_service.confirm_agreement(session, SYSTEM, meeting.id)
    assert [r.status for r in relations(session)] == ["confirmed", "confirmed"]
    with pytest.raises(Conflict):
        events_service.record_outcome(
            session, alice, meeting.id, MeetingOutcomeIn(outcome="no_interest")
        )
    assert [r.status for r in relations(session)] == ["confirmed", "confirmed"]


def test_unmarked_attendance_withdraws_the_meeting_tie(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (a, b, _), meeting, _ = _world(session)
    the_day_comes(monkeypatch)
    events_service.mark_attendance(session, SYSTEM, a.id, Presence.PRESENT)
    events_service.mark_attendance(session, SYSTEM, b.id, Presence.PRESENT)
    [tie] = relations(session)
    assert tie.status == "confirmed"
    events_service.mark_attendance(session, SYSTEM, b.id, None)  # marked by mistake
    [tie] = relations(session)
    assert tie.status == "withdrawn" and tie.origin == f"meeting:{meeting.id}"
    events_service.mark_attendance(session, SYSTEM, b.id, Presence.PRESENT)
    assert [r.status for r in relations(session)] == ["confirmed"]


def test_a_tie_a_person_withdrew_stays_withdrawn(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (a, b, _), _, _ = _world(session)
    the_day_comes(monkeypatch)
    events_service.mark_attendance(session, SYSTEM, a.id, Presence.PRESENT)
    events_service.mark_attendance(session, SYSTEM, b.id, Presence.PRESENT)
    [tie] = relations(session)
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    service.withdraw_relation(session, coordinator, tie.id)
    events_service.mark_attendance(session, SYSTEM, a.id, Presence.PRESENT)
    service.rebuild_relations(session)
    [tie] = relations(session)
    assert tie.status == "withdrawn" and tie.withdrawn_by_id == coordinator.user_id
