"""Scheduling as a job: the instance read from the database (delegations, availability,
accepted requests, weights, locked and previous meetings), the meetings stored with the
unplaced requests and their reasons, people told; locking and moving by hand with conflicts
checked; re-scheduling keeps locked meetings and counts moves in SEQUENCE."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from tests.jobrunner import run_jobs_within
from upland.accounts import queries as accounts
from upland.errors import Conflict, Invalid, NotFound
from upland.events import queries, service
from upland.events.instance import build_instance
from upland.events.models import EventMeeting
from upland.events.schemas import RequestIn
from upland.jobs.tracked import Context
from upland.notifications.models import Notification


def _world(session: Session, **overrides: Any):
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    day = event(session, request_mode="automatic", **overrides)
    firm = factories.organisation(session)
    a, alice = registered(session, day.id, firm)
    a2, _ = registered(session, day.id, firm)
    b, _ = registered(session, day.id)
    c, _ = registered(session, day.id)
    ab = service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id, priority=1))
    ac = service.send_request(session, alice, day.id, RequestIn(receiver_id=c.id, priority=3))
    return coordinator, day, (a, a2, b, c), (ab, ac)


def _kinds(session: Session, user_id: int | None) -> list[str]:
    rows = session.scalars(select(Notification.kind).where(Notification.recipient_id == user_id))
    return list(rows)


def test_the_instance_reads_delegations_availability_and_weights(session: Session):
    _, day, (a, a2, _, _), (ab, ac) = _world(session)
    instance = build_instance(session, day)
    parties = {p.id: p.party for p in instance.participants}
    assert parties[f"r{a.id}"] == parties[f"r{a2.id}"] == f"o{a.organisation_id}"
    assert {r.id: r.weight for r in instance.requests} == {str(ab.id): 3.0, str(ac.id): 1.0}
    assert len(instance.slots) == 5 and instance.reserved_tables[instance.slots[0].id] == {4}


def test_schedule_lock_move_and_reschedule(session: Session):
    coordinator, day, (_, _, b, _), (ab, ac) = _world(session)
    result = service.run_schedule(session, Context(1, coordinator.user_id), event_id=day.id)
    assert result["meetings"] == 2 and result["unplaced"] == 0
    meetings = {m.request_id: m for m in queries.list_meetings(session, coordinator, day)}
    assert meetings[ab.id].slot != meetings[ac.id].slot  # Alice's delegation meets once a slot
    assert "events.schedule_ready" in _kinds(session, b.user_id)
    first = meetings[ab.id]
    other = meetings[ac.id]
    with pytest.raises(Conflict) as busy:  # Alice's delegation is in the other meeting then
        service.move_meeting(session, coordinator, first.id, slot=other.slot, table=3)
    assert busy.value.code == "meeting.busy"
    with pytest.raises(Invalid) as reserved:
        service.move_meeting(session, coordinator, first.id, slot=first.slot, table=5)
    assert reserved.value.errors[0].code == "meeting.unknown_table"
    free = next(s.id for s in queries.slots_of_event(day) if s.id not in {first.slot, other.slot})
    service.move_meeting(session, coordinator, first.id, slot=free, table=2)
    assert (first.slot, first.table_no, first.locked, first.sequence) == (free, 2, True, 1)
    assert "events.meeting_moved" in _kinds(session, b.user_id)
    service.run_schedule(session, Context(2, coordinator.user_id), event_id=day.id)
    session.refresh(first)
    assert (first.slot, first.table_no) == (free, 2)  # locked: kept
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(NotFound):
        service.lock_meeting(session, stranger, first.id, locked=False)
    assert [m.request_id for m in queries.list_meetings(session, stranger, day)] == []
    assert {
        m.request_id
        for m in queries.list_meetings(
            session, factories.actor_of(session, factories.user(session)), day
        )
    } == set()


def test_unplaced_requests_keep_their_reason(session: Session):
    coordinator, day, _, (ab, ac) = _world(session, meeting_cap=1)
    service.run_schedule(session, Context(1, coordinator.user_id), event_id=day.id)
    assert day.schedule_report["unplaced"] == {str(ac.id): "one_side_full"}
    assert session.scalar(select(EventMeeting.request_id)) == ab.id


def test_the_organiser_schedules_through_the_page_and_participants_see_their_agenda(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch, connection: Any
):
    run_jobs_within(monkeypatch, connection)
    agency = factories.organisation(session, kind="business_support")
    boss = factories.user(session, role="editor", org=agency)
    day = event(session, organiser_id=agency.id, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id, offer="Frezowanie 5-osiowe")
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    session.commit()
    organiser = caller_for(session, client, boss)
    queued = organiser.send("POST", f"/events/{day.id}/schedule", {})
    assert queued.status_code == 303 and queued.headers["location"].startswith("/jobs/")
    plan = organiser.send("GET", f"/events/{day.id}/schedule?lang=en")
    assert plan.text.count('id="meeting-') == 1
    api = organiser.send("GET", f"/api/v1/events/{day.id}/meetings").json()
    assert api["items"][0]["table"] == 1 and api["unplaced"] == {}
    user = accounts.get_user(session, alice.user_id)
    mine = caller_for(session, client, user)
    agenda = mine.send("GET", f"/events/{day.id}/agenda?lang=en")
    assert "Frezowanie 5-osiowe" in agenda.text and "data-print" in agenda.text


def test_outcomes_after_the_event_emit_a_signal(session: Session, monkeypatch: Any):
    from upland import signals
    from upland.events.schemas import MeetingOutcomeIn
    from upland.events.signals import MeetingOutcomeRecorded

    coordinator, day, (_, _, b, _), (ab, _) = _world(session)
    service.run_schedule(session, Context(1, coordinator.user_id), event_id=day.id)
    meeting = next(
        m for m in queries.list_meetings(session, coordinator, day) if m.request_id == ab.id
    )
    bob = factories.actor_of(session, accounts.get_user(session, b.user_id))
    with pytest.raises(Conflict) as early:
        service.record_outcome(session, bob, meeting.id, MeetingOutcomeIn(outcome="follow_up"))
    assert early.value.code == "meeting.not_held"
    published: list[Any] = []
    monkeypatch.setattr(signals, "publish", lambda s, signal: published.append(signal))
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    with pytest.raises(Invalid):
        service.record_outcome(session, bob, meeting.id, MeetingOutcomeIn(outcome="agreement"))
    service.record_outcome(
        session,
        bob,
        meeting.id,
        MeetingOutcomeIn(outcome="agreement", agreement_type="subcontracting"),
    )
    assert (meeting.outcome, meeting.agreement_type) == ("agreement", "subcontracting")
    (signal,) = published
    assert isinstance(signal, MeetingOutcomeRecorded) and signal.outcome == "agreement"
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(NotFound):
        service.record_outcome(
            session, stranger, meeting.id, MeetingOutcomeIn(outcome="no_interest")
        )
