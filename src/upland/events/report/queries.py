"""The reads behind the events' reports: plain rows of registrations, requests and meetings
for `figures`, the organiser's report of one event and a partner area's report across the
events its reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.errors import NotFound
from upland.events.models import Event, EventMeeting, EventRegistration, MeetingRequest
from upland.events.permissions import is_organiser, not_found, visible_to
from upland.events.report.figures import (
    OUTSIDE,
    MeetingRow,
    ParticipantRow,
    Report,
    RequestRow,
    Rows,
    area_report,
    report,
)
from upland.events.service import visible_event
from upland.events.vocab import ParticipantType
from upland.i18n import N_
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.reference import queries as reference
from upland.settings import get_settings

OUTSIDE_LABEL = N_("outside the partner areas")


@dataclass(frozen=True)
class EventReport:
    """One event's report for its organiser: `areas` names each area key (a city's name, or
    the msgid of OUTSIDE_LABEL)."""

    event: Event
    report: Report
    areas: dict[str, str]


@dataclass(frozen=True)
class AreaReport:
    """A partner area's participants' figures across events (or at one): `events` the events
    with participants from the area, soonest first (the report covers them all, or `event`)."""

    area: str
    area_name: str
    events: list[Event]
    event: Event | None  # the one event asked for, if any
    report: Report
    choices: list[tuple[str, str]]  # the areas this reader may choose: (key, name)


def report_rows(session: Session, event_ids: Iterable[int]) -> Rows:
    """The plain rows of these events (no permission check: the callers check)."""
    ids = sorted(set(event_ids))
    if not ids:
        return Rows([], [], [])
    regs = session.execute(
        select(
            EventRegistration.id,
            EventRegistration.event_id,
            EventRegistration.organisation_id,
            EventRegistration.participant_type,
            EventRegistration.status,
            EventRegistration.attendance,
        ).where(EventRegistration.event_id.in_(ids))
    ).all()
    facts = organisations.owner_facts(
        session, {r.organisation_id for r in regs if r.organisation_id}
    )
    settings = get_settings()
    participants = []
    for r in regs:
        known = facts.get(r.organisation_id) if r.organisation_id else None
        party = f"o{r.organisation_id}" if r.organisation_id else f"r{r.id}"
        area = (settings.partner_of(known.teryt) if known else None) or OUTSIDE
        participants.append(
            ParticipantRow(
                r.id, r.event_id, party, party, r.participant_type, area, r.status, r.attendance
            )
        )
    requests = [
        RequestRow(*row)
        for row in session.execute(
            select(
                MeetingRequest.id,
                MeetingRequest.event_id,
                MeetingRequest.requester_id,
                MeetingRequest.receiver_id,
                MeetingRequest.status,
            ).where(MeetingRequest.event_id.in_(ids))
        )
    ]
    meetings = [
        MeetingRow(*row)
        for row in session.execute(
            select(
                EventMeeting.request_id,
                EventMeeting.outcome,
                EventMeeting.agreement_type,
                EventMeeting.agreement_confirmed_at.is_not(None),
            ).where(EventMeeting.event_id.in_(ids))
        )
    ]
    return Rows(participants, requests, meetings)


def area_keys() -> list[str]:
    """The partner municipalities of the deployment, then OUTSIDE."""
    return [*get_settings().partner_municipalities, OUTSIDE]


def area_names(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """A city's name per partner municipality; OUTSIDE_LABEL (a msgid) for OUTSIDE."""
    names = reference.municipality_names(session, [k for k in keys if k != OUTSIDE])
    return {k: OUTSIDE_LABEL if k == OUTSIDE else names.get(k, k) for k in keys}


def _types(event: Event) -> list[str]:
    return list(event.participant_types) or [t.value for t in ParticipantType]


def get_event_report(session: Session, actor: Actor, event_id: int) -> EventReport:
    """The organiser's report of one event: every participant, nothing hidden."""
    event = visible_event(session, actor, event_id)
    require(actor, "events.report.view", event)
    keys = area_keys()
    found = report(report_rows(session, [event.id]), types=_types(event), areas=keys)
    return EventReport(event, found, area_names(session, keys))


def default_area(actor: Actor) -> str:
    """The area a reader's report opens on: an officer's own, the first partner's for staff."""
    return actor.officer_teryt or area_keys()[0]


def get_area_report(
    session: Session, actor: Actor, area: str | None = None, event_id: int | None = None
) -> AreaReport:
    """The figures of the participants from one partner area (or from outside them all),
    across the events the reader sees, or at one of them. Small cells are hidden unless the
    reader organises every event counted (staff do), by one decision over all these reports
    (`figures.hidden_cells`)."""
    require(actor, "events.report.area")
    area = area or default_area(actor)
    keys = area_keys()
    if area not in keys:
        raise not_found_area(area)
    require(actor, "events.report.area", area)
    stmt = visible_to(actor, select(Event)).order_by(Event.starts_on, Event.id)
    visible = list(session.scalars(stmt))
    rows = report_rows(session, [e.id for e in visible])
    with_area = {p.event_id for p in rows.participants if p.area == area}
    options = [e for e in visible if e.id in with_area]
    events = options
    if event_id is not None:
        events = [e for e in visible if e.id == event_id]
        if not events:
            raise not_found(event_id)
    found = area_report(
        rows,
        lambda p: p.area == area,
        [str(e.id) for e in options],
        one=None if event_id is None else str(event_id),
        known={str(e.id) for e in visible if is_organiser(actor, e)},
    )
    allowed_keys = keys if actor.is_staff else [area]
    names = area_names(session, allowed_keys)
    event = events[0] if event_id is not None else None
    return AreaReport(area, names[area], options, event, found, list(names.items()))


def not_found_area(area: str) -> NotFound:
    return NotFound("no partner area {area}", code="events.area_not_found", area=area)
