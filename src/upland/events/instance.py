"""An event's scheduling problem read from the database (`scheduling.Instance`): participants
are the confirmed registrations (a delegation meets together), available in the slots of the
sessions they attend; requests are the accepted ones between confirmed participants, weighed
by priority; locked meetings stay, the others are the previous schedule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.events.models import Event, EventMeeting, EventRegistration, MeetingRequest
from upland.events.scheduling import Instance, Meeting, Participant, Request, Slot
from upland.events.slots import SessionSpec, TimeSlot, event_slots, parse_clock
from upland.events.vocab import WEIGHTS, RegistrationStatus, RequestStatus


def time_slots(event: Event) -> list[TimeSlot]:
    return event_slots(
        SessionSpec(
            s.id,
            s.day,
            s.starts,
            s.ends,
            s.slot_minutes,
            tuple((parse_clock(a), parse_clock(b)) for a, b in s.breaks),
        )
        for s in event.sessions
    )


def participant_id(registration_id: int) -> str:
    return f"r{registration_id}"


def build_instance(session: Session, event: Event) -> Instance:
    slots = time_slots(event)
    confirmed = list(
        session.scalars(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.status == RegistrationStatus.CONFIRMED.value,
            )
        )
    )
    participants = tuple(
        Participant(
            id=participant_id(r.id),
            available=frozenset(s.id for s in slots if r.attends(s.session)),
            cap=event.meeting_cap,
            delegation=f"o{r.organisation_id}" if r.organisation_id else None,
            type=r.participant_type,
        )
        for r in confirmed
    )
    ids = {r.id for r in confirmed}
    accepted = session.scalars(
        select(MeetingRequest)
        .where(
            MeetingRequest.event_id == event.id,
            MeetingRequest.status == RequestStatus.ACCEPTED.value,
        )
        .order_by(MeetingRequest.id)
    )
    requests = tuple(
        Request(
            id=str(m.id),
            requester=participant_id(m.requester_id),
            receiver=participant_id(m.receiver_id),
            weight=WEIGHTS[m.priority],
        )
        for m in accepted
        if m.requester_id in ids and m.receiver_id in ids
    )
    wanted = {r.id for r in requests}
    slot_ids = {s.id for s in slots}
    held = [
        m
        for m in session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id))
        if str(m.request_id) in wanted and m.slot in slot_ids
    ]
    reserved = frozenset(t - 1 for t in event.reserved_tables)
    return Instance(
        participants=participants,
        slots=tuple(Slot(s.id, str(s.session), event.table_count) for s in slots),
        requests=requests,
        locked=tuple(Meeting(str(m.request_id), m.slot, m.table_no - 1) for m in held if m.locked),
        previous=tuple(
            Meeting(str(m.request_id), m.slot, m.table_no - 1) for m in held if not m.locked
        ),
        reserved_tables={s.id: reserved for s in slots} if reserved else {},
    )
