"""Events as the API and the pages show them: titles in the reader's language, the video link
for those who take part (`queries.video_links`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.events.models import Event
from upland.events.queries import slots_of_event
from upland.events.schemas import BreakIn, EventRead, EventSessionRead, RuleIn, SlotRead
from upland.events.vocab import EventKind, EventStatus, ParticipantType, RequestMode
from upland.organisations import queries as organisations


def title_of(event: Event, language: str = "pl") -> str:
    if language == "en":
        return event.title_en or event.title_pl
    return event.title_pl or event.title_en


def organiser_names(session: Session, events: list[Event]) -> dict[int, str]:
    ids = {e.organiser_id for e in events if e.organiser_id is not None}
    return {i: f.name for i, f in organisations.owner_facts(session, ids).items()}


def read_event(
    event: Event, names: dict[int, str], language: str = "en", *, video_link: str | None = None
) -> EventRead:
    """`video_link`: the online event's room, given only to whom may see it."""
    return EventRead(
        id=event.id,
        kind=EventKind(event.kind),
        status=EventStatus(event.status),
        organiser_id=event.organiser_id,
        organiser=names.get(event.organiser_id) if event.organiser_id else None,
        title=title_of(event, language),
        title_pl=event.title_pl,
        title_en=event.title_en,
        description_pl=event.description_pl,
        description_en=event.description_en,
        online=event.online,
        venue=event.venue,
        video_link=video_link,
        languages=event.languages,
        starts_on=event.starts_on,
        registration_opens=event.registration_opens,
        registration_closes=event.registration_closes,
        capacity=event.capacity,
        sessions=[
            EventSessionRead(
                id=s.id,
                day=s.day,
                starts=s.starts.strftime("%H:%M"),
                ends=s.ends.strftime("%H:%M"),
                slot_minutes=s.slot_minutes,
                breaks=[BreakIn(starts=a, ends=b) for a, b in s.breaks],
                capacity=s.capacity,
            )
            for s in event.sessions
        ],
        slots=[
            SlotRead(
                id=t.id, day=t.day, starts=t.starts.strftime("%H:%M"), ends=t.ends.strftime("%H:%M")
            )
            for t in slots_of_event(event)
        ],
        table_count=event.table_count,
        table_names=event.table_names,
        reserved_tables=event.reserved_tables,
        participant_types=event.participant_types,
        request_rules=[
            RuleIn(requester=ParticipantType(a), receiver=ParticipantType(b))
            for a, b in event.request_rules
        ],
        meeting_cap=event.meeting_cap,
        request_mode=RequestMode(event.request_mode),
        url=f"/events/{event.id}",
    )
