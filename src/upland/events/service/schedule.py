"""Scheduling an event's meetings as a job people follow (`upland.jobs.tracked`): the organiser
presses "Schedule"; the task reads the problem (`events.instance`), calls the pure `solve`,
stores each meeting's slot and table, keeps the unplaced requests with their reasons, and
tells people: everybody scheduled that the schedule is ready, both sides of a meeting that
moved. The organiser locks a meeting or moves one by hand, conflicts checked."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import queries as accounts
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Invalid, NotFound
from upland.events import notices
from upland.events.instance import build_instance, time_slots
from upland.events.models import Event, EventMeeting
from upland.events.names import name_of
from upland.events.scheduling import Result, solve
from upland.events.service.events import visible_event
from upland.events.service.requests import party_of
from upland.events.vocab import EventKind
from upland.i18n import N_
from upland.jobs import tracked
from upland.jobs.models import Job
from upland.notifications import service as notifications
from upland.permissions import allowed, require

KIND = "Schedule meetings"


def queue_schedule(session: Session, actor: Actor, event_id: int) -> Job:
    """In the caller's transaction; the job runs after commit."""
    event = visible_event(session, actor, event_id)
    require(actor, "events.event.edit", event)
    if event.kind != EventKind.BROKERAGE:
        raise Conflict("only a brokerage day has meetings", code="request.not_brokerage")
    return tracked.start(
        session, actor, KIND, "upland.events.service.schedule.run_schedule", event_id=event.id
    )


def run_schedule(session: Session, job: tracked.Context, *, event_id: int) -> dict[str, Any]:
    """The task, in the job's one transaction."""
    user = accounts.get_user(session, job.user_id) if job.user_id else None
    actor = accounts.actor_for(session, user)
    event = visible_event(session, actor, event_id)
    require(actor, "events.event.edit", event)
    job.report(0, 3)
    instance = build_instance(session, event)
    job.report(1)
    result = solve(instance)
    job.report(2)
    moved = store_schedule(session, actor, event, result)
    job.report(3)
    figures = result.figures
    return {
        "meetings": figures.meetings,
        "unplaced": figures.unplaced,
        "moved": moved,
        "weight": figures.weight,
        "bound": figures.bound,
    }


def _when(event: Event, slot: str) -> str:
    found = {s.id: s for s in time_slots(event)}.get(slot)
    return f"{found.day.isoformat()} {found.starts:%H:%M}" if found else slot


def _tell_moved(session: Session, event: Event, meeting: EventMeeting) -> None:
    request = meeting.request
    title = event.title_pl or event.title_en
    for me, other in ((request.requester, request.receiver), (request.receiver, request.requester)):
        if me.user_id is not None:
            params = {
                "who": name_of(session, other),
                "title": title,
                "when": _when(event, meeting.slot),
                "table": meeting.table_no,
            }
            notifications.notify(
                session, [me.user_id], notices.MOVED.code, params, f"/events/{event.id}/agenda"
            )


def store_schedule(session: Session, actor: Actor, event: Event, result: Result) -> int:
    """Write the schedule: meetings placed, moved (SEQUENCE + 1, both sides told) or dropped;
    the report on the event. How many meetings moved."""
    held = {
        m.request_id: m
        for m in session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id))
    }
    placed: set[int] = set()
    moved: list[EventMeeting] = []
    new: list[EventMeeting] = []
    for m in result.meetings:
        request_id, table = int(m.request), m.table + 1
        placed.add(request_id)
        meeting = held.get(request_id)
        if meeting is None:
            meeting = EventMeeting(event_id=event.id, request_id=request_id, slot=m.slot)
            meeting.table_no = table
            session.add(meeting)
            new.append(meeting)
        elif (meeting.slot, meeting.table_no) != (m.slot, table):
            meeting.slot, meeting.table_no = m.slot, table
            meeting.sequence += 1
            meeting.updated_at = utcnow()
            moved.append(meeting)
    for request_id, meeting in held.items():
        if request_id not in placed:
            session.delete(meeting)
    f = result.figures
    event.schedule_report = {
        "at": utcnow().isoformat(),
        "figures": {
            "meetings": f.meetings,
            "weight": f.weight,
            "bound": f.bound,
            "moved": len(moved),
        },
        "unplaced": dict(result.unplaced),
    }
    session.flush()
    audit.record(
        session,
        actor,
        "events.event.schedule",
        "event",
        event.id,
        after={"meetings": f.meetings, "unplaced": f.unplaced, "moved": len(moved)},
    )
    for meeting in moved:
        _tell_moved(session, event, meeting)
    people = {
        r.user_id
        for m in new
        for r in (m.request.requester, m.request.receiver)
        if r.user_id is not None
    }
    if people:
        notifications.notify(
            session,
            people,
            notices.SCHEDULED.code,
            {"title": event.title_pl or event.title_en},
            f"/events/{event.id}/agenda",
        )
    return len(moved)


def _not_found(meeting_id: int) -> NotFound:
    """The one answer for a meeting that does not exist or that the actor may not see."""
    return NotFound("meeting {id} does not exist", code="meeting.not_found", id=meeting_id)


def _seen_meeting(session: Session, actor: Actor, meeting_id: int) -> tuple[EventMeeting, Event]:
    """The meeting and its event, or `meeting.not_found` also when the actor may not see the
    event (a draft's meetings answer like ones that do not exist: no existence leak)."""
    meeting = session.get(EventMeeting, meeting_id)
    if meeting is None:
        raise _not_found(meeting_id)
    try:
        return meeting, visible_event(session, actor, meeting.event_id)
    except NotFound:
        raise _not_found(meeting_id) from None


def _meeting(session: Session, actor: Actor, meeting_id: int) -> EventMeeting:
    meeting, event = _seen_meeting(session, actor, meeting_id)
    if not allowed(actor, "events.event.edit", event):
        raise _not_found(meeting_id)
    return meeting


def meeting_event_id(session: Session, actor: Actor, meeting_id: int) -> int:
    """The event of a meeting the actor organises (NotFound otherwise)."""
    return _meeting(session, actor, meeting_id).event_id


def lock_meeting(session: Session, actor: Actor, meeting_id: int, *, locked: bool) -> EventMeeting:
    """A locked meeting keeps its slot and table when the event is scheduled again."""
    meeting = _meeting(session, actor, meeting_id)
    meeting.locked = locked
    session.flush()
    audit.record(
        session, actor, "events.meeting.lock", "event_meeting", meeting.id, after={"locked": locked}
    )
    return meeting


def _conflicts(
    session: Session, event: Event, meeting: EventMeeting, slot: str, table: int
) -> None:
    slots = {s.id: s for s in time_slots(event)}
    if slot not in slots:
        raise Invalid.one("slot", N_("the event has no such slot"), code="meeting.unknown_slot")
    if not 1 <= table <= event.table_count or table in event.reserved_tables:
        raise Invalid.one(
            "table", N_("no free table of the event has this number"), code="meeting.unknown_table"
        )
    request = meeting.request
    for side in (request.requester, request.receiver):
        if side.sessions and slots[slot].session not in side.sessions:
            raise Conflict("a side does not attend that session", code="meeting.unavailable")
    parties = {party_of(request.requester), party_of(request.receiver)}
    others = session.scalars(
        select(EventMeeting).where(
            EventMeeting.event_id == event.id,
            EventMeeting.slot == slot,
            EventMeeting.id != meeting.id,
        )
    )
    for other in others:
        if other.table_no == table:
            raise Conflict("the table is taken in that slot", code="meeting.table_taken")
        if parties & {party_of(other.request.requester), party_of(other.request.receiver)}:
            raise Conflict("a side has another meeting in that slot", code="meeting.busy")


def move_meeting(
    session: Session, actor: Actor, meeting_id: int, *, slot: str, table: int
) -> EventMeeting:
    """Move a meeting by hand (it is locked there); both sides are told."""
    meeting = _meeting(session, actor, meeting_id)
    event = meeting.request.event
    _conflicts(session, event, meeting, slot, table)
    if (meeting.slot, meeting.table_no) == (slot, table):
        return meeting
    before = {"slot": meeting.slot, "table": meeting.table_no}
    meeting.slot, meeting.table_no, meeting.locked = slot, table, True
    meeting.sequence += 1
    meeting.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "events.meeting.move",
        "event_meeting",
        meeting.id,
        before=before,
        after={"slot": slot, "table": table},
    )
    _tell_moved(session, event, meeting)
    return meeting
