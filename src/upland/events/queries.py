"""Every read of events: lists go through `permissions.visible_to`; one event through the
`events.event.view` rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session, selectinload

from upland import clock
from upland.accounts import queries as accounts
from upland.actor import Actor
from upland.errors import PermissionDenied
from upland.events.ical import CalendarMeeting
from upland.events.models import (
    Event,
    EventMeeting,
    EventRegistration,
    FeedToken,
    MeetingRequest,
)
from upland.events.names import name_of
from upland.events.names import registration_names as registration_names
from upland.events.permissions import Organiser, is_organiser, is_own, visible_to
from upland.events.service import visible_event
from upland.events.service.feeds import token_hash
from upland.events.service.requests import may_browse, participant_of, party_of
from upland.events.slots import SessionSpec, TimeSlot, event_slots, parse_clock
from upland.events.video import meeting_room_link, room_link
from upland.events.vocab import (
    ACTIVE,
    AGREEMENT_REPORTED,
    EventStatus,
    MeetingOutcome,
    Presence,
    RegistrationStatus,
)
from upland.organisations import queries as organisations
from upland.permissions import allowed
from upland.reference import queries as reference

LIMIT = 200


def list_events(
    session: Session, actor: Actor, *, upcoming_from: dt.date | None = None
) -> list[Event]:
    """Events the actor sees, soonest first (undated drafts last); `upcoming_from`: those
    starting that day or later only."""
    stmt = visible_to(actor, select(Event)).options(selectinload(Event.sessions))
    if upcoming_from is not None:
        stmt = stmt.where(Event.starts_on >= upcoming_from)
    stmt = stmt.order_by(Event.starts_on.is_(None), Event.starts_on, Event.id).limit(LIMIT)
    return list(session.scalars(stmt))


def get_event(session: Session, actor: Actor, event_id: int) -> Event:
    return visible_event(session, actor, event_id)


def slots_of_event(event: Event) -> list[TimeSlot]:
    """The event's meeting slots, in time order."""
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


def organiser_choices(session: Session, actor: Actor) -> list[tuple[int | None, str]]:
    """For whom the actor may organise an event: (organisation id, name); (None, "") is the
    cluster itself (staff). Empty: the actor may organise nothing."""
    facts = organisations.owner_facts(session, actor.org_roles)
    found: list[tuple[int | None, str]] = []
    if allowed(actor, "events.event.create", Organiser(None)):
        found.append((None, ""))
    found.extend(
        (f.id, f.name)
        for f in sorted(facts.values(), key=lambda f: f.name.lower())
        if allowed(actor, "events.event.create", Organiser(f.id, f.kind))
    )
    return found


def sees_registrations(actor: Actor, event: Event) -> bool:
    """Whether `actor` sees every registration of the event (who registered, in what state):
    its organiser's editors and admins, staff. Anybody else sees only their own, and whatever
    tells another's (the network's "invited pairs") is shown them without it."""
    return is_organiser(actor, event)


def list_registrations(session: Session, actor: Actor, event: Event) -> list[EventRegistration]:
    """Every registration of the event for whoever `sees_registrations`; one's own for anybody
    else (while they act for its party)."""
    stmt = select(EventRegistration).where(EventRegistration.event_id == event.id)
    order = (EventRegistration.created_at, EventRegistration.id)
    if sees_registrations(actor, event):
        return list(session.scalars(stmt.order_by(*order)))
    if actor.user_id is None:
        return []
    stmt = stmt.where(EventRegistration.user_id == actor.user_id)
    return [r for r in session.scalars(stmt.order_by(*order)) if is_own(actor, r)]


def my_registration(session: Session, actor: Actor, event: Event) -> EventRegistration | None:
    """The actor's own active registration for the event, if any (and while they act for
    its party)."""
    if actor.user_id is None:
        return None
    stmt = select(EventRegistration).where(
        EventRegistration.event_id == event.id,
        EventRegistration.user_id == actor.user_id,
        EventRegistration.status.in_([s.value for s in ACTIVE]),
    )
    found = session.scalars(stmt).first()
    return found if found is not None and is_own(actor, found) else None


def organisation_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    return organisations.organisation_choices(session, ids)


@dataclass(frozen=True)
class Participant:
    registration: EventRegistration
    name: str
    organisation: str
    city: str | None


def list_participants(
    session: Session,
    actor: Actor,
    event: Event,
    *,
    kind: str | None = None,
    city: str | None = None,
    q: str | None = None,
) -> list[Participant]:
    """Confirmed participants, for the event's participants and organiser only (PermissionDenied
    otherwise); filtered by type, city (a municipality's name) and words in names, topics and
    what they offer and seek."""
    if not may_browse(session, actor, event):
        raise PermissionDenied(
            "only confirmed participants of the event see who takes part",
            code="request.not_participant",
        )
    stmt = select(EventRegistration).where(
        EventRegistration.event_id == event.id,
        EventRegistration.status == RegistrationStatus.CONFIRMED.value,
    )
    if kind:
        stmt = stmt.where(EventRegistration.participant_type == kind)
    rows = list(session.scalars(stmt.order_by(EventRegistration.id)))
    names = registration_names(session, rows)
    facts = organisations.owner_facts(
        session, {r.organisation_id for r in rows if r.organisation_id}
    )
    teryt = reference.resolve_municipality(session, city)[0] if city else None
    found = []
    for r in rows:
        place = facts[r.organisation_id].teryt if r.organisation_id in facts else None
        if city and (teryt is None or place != teryt):
            continue
        person, organisation = names[r.id]
        text = " ".join([person, organisation, r.offer, r.seek, *r.topics]).lower()
        if q and not all(word in text for word in q.lower().split()):
            continue
        found.append(Participant(r, person, organisation, accounts.place_name(session, place)))
    return found


def list_requests(session: Session, actor: Actor, event: Event) -> list[MeetingRequest]:
    """Every request of the event for its organiser; those of one's delegation for a
    participant (sent and received); none for anybody else."""
    stmt = select(MeetingRequest).where(MeetingRequest.event_id == event.id)
    rows = list(session.scalars(stmt.order_by(MeetingRequest.id)))
    if is_organiser(actor, event):
        return rows
    try:
        mine = participant_of(session, actor, event)
    except PermissionDenied:
        return []
    party = party_of(mine)
    return [r for r in rows if party in (party_of(r.requester), party_of(r.receiver))]


def own_sides(
    session: Session, actor: Actor, event: Event, meetings: list[EventMeeting]
) -> set[int]:
    """The registrations among these meetings' sides that are the reader's own delegation (none
    for an organiser who takes no part): their agenda names the partner, not themselves."""
    try:
        party = party_of(participant_of(session, actor, event))
    except PermissionDenied:
        return set()
    return {
        r.id
        for m in meetings
        for r in (m.request.requester, m.request.receiver)
        if party_of(r) == party
    }


def list_meetings(session: Session, actor: Actor, event: Event) -> list[EventMeeting]:
    """The event's meetings in time order: all of them for the organiser; those of one's
    delegation for a participant; none for anybody else."""
    order = {s.id: i for i, s in enumerate(slots_of_event(event))}
    rows = list(session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id)))
    rows.sort(key=lambda m: (order.get(m.slot, len(order)), m.table_no))
    if is_organiser(actor, event):
        return rows
    try:
        mine = participant_of(session, actor, event)
    except PermissionDenied:
        return []
    party = party_of(mine)
    return [
        m for m in rows if party in (party_of(m.request.requester), party_of(m.request.receiver))
    ]


def video_links(session: Session, actor: Actor, events: list[Event]) -> dict[int, str]:
    """The video room of each online event the actor takes part in: as its organiser, or as a
    confirmed participant acting for their party. Nobody else is shown the link."""
    online = [e for e in events if e.online]
    shown = {e.id for e in online if is_organiser(actor, e)}
    rest = [e.id for e in online if e.id not in shown]
    if rest and actor.user_id is not None:
        rows = session.scalars(
            select(EventRegistration).where(
                EventRegistration.event_id.in_(rest),
                EventRegistration.user_id == actor.user_id,
                EventRegistration.status == RegistrationStatus.CONFIRMED.value,
            )
        )
        shown |= {r.event_id for r in rows if is_own(actor, r)}
    return {e.id: room_link(e) for e in online if e.id in shown}


def video_link(session: Session, actor: Actor, event: Event) -> str | None:
    return video_links(session, actor, [event]).get(event.id)


def feed_actor(session: Session, token: str) -> Actor | None:
    """Whose calendar feed a token opens, as they act now (None: no feed has it, or its
    account is deactivated: the address stops working with the account)."""
    user_id = session.scalars(
        select(FeedToken.user_id).where(FeedToken.token_hash == token_hash(token))
    ).first()
    if user_id is None:
        return None
    actor = accounts.actor_for(session, accounts.get_user(session, user_id))
    return None if actor.user_id is None else actor


def has_feed(session: Session, user_id: int) -> bool:
    return session.get(FeedToken, user_id) is not None


def calendar_meetings(
    session: Session, actor: Actor, event_id: int | None = None
) -> list[CalendarMeeting]:
    """A person's meetings (their delegation's) at every event they are confirmed for, or one;
    none of a party they no longer act for."""
    if actor.user_id is None:
        return []
    stmt = select(EventRegistration).where(
        EventRegistration.user_id == actor.user_id,
        EventRegistration.status == RegistrationStatus.CONFIRMED.value,
    )
    if event_id is not None:
        stmt = stmt.where(EventRegistration.event_id == event_id)
    found: list[CalendarMeeting] = []
    for registration in session.scalars(stmt):
        if not is_own(actor, registration):
            continue
        event, party = registration.event, party_of(registration)
        slots = {s.id: s for s in slots_of_event(event)}
        meetings = session.scalars(select(EventMeeting).where(EventMeeting.event_id == event.id))
        for m in meetings:
            sides = (m.request.requester, m.request.receiver)
            if party not in {party_of(s) for s in sides} or m.slot not in slots:
                continue
            other = sides[1] if party_of(sides[0]) == party else sides[0]
            slot = slots[m.slot]
            table = m.table_no
            found.append(
                CalendarMeeting(
                    event_id=event.id,
                    request_id=m.request_id,
                    # a new video link is a new LOCATION: the apps must take it (SEQUENCE)
                    sequence=m.sequence + (event.video_generation if event.online else 0),
                    day=slot.day,
                    starts=slot.starts,
                    ends=slot.ends,
                    title=event.title_pl or event.title_en,
                    partner=name_of(session, other),
                    table=event.table_names[table - 1]
                    if table <= len(event.table_names)
                    else str(table),
                    location=meeting_room_link(event, m.request_id)
                    if event.online
                    else event.venue,
                    url=f"/events/{event.id}/agenda",
                )
            )
    return sorted(found, key=lambda c: (c.day, c.starts))


def organised_by(actor: Actor) -> Select[Any]:
    """The ids of the events organised by one of `actor`'s organisations (any role: its
    viewers read their event's report): whoever sees an event's meetings beside their two
    sides and staff, as the cooperation network's ties from those meetings."""
    own = sorted(actor.org_roles)
    return select(Event.id).where(Event.organiser_id.in_(own) if own else false())


@dataclass(frozen=True)
class HeldMeeting:
    """A brokerage-day meeting that took place between two organisations: what the
    cooperation network makes a tie of (and a second one when an agreement came of it)."""

    id: int
    event_id: int
    a: int  # the requester's organisation
    b: int  # the receiver's organisation
    on: dt.date  # the meeting's day
    outcome: str | None
    agreement_type: str | None
    outcome_on: dt.date | None


def _present(session: Session, event_ids: set[int]) -> set[tuple[int, int]]:
    """(event, organisation) pairs of which somebody was marked present at the door."""
    stmt = select(EventRegistration.event_id, EventRegistration.organisation_id).where(
        EventRegistration.event_id.in_(sorted(event_ids)),
        EventRegistration.status == RegistrationStatus.CONFIRMED.value,
        EventRegistration.attendance == Presence.PRESENT.value,
        EventRegistration.organisation_id.is_not(None),
    )
    return {(e, o) for e, o in session.execute(stmt) if o is not None}


def list_meeting_ids(session: Session, event_id: int) -> list[int]:
    """Every scheduled meeting of one event, held or not (for the system's derivation of
    ties: a meeting no longer held withdraws its tie). No actor."""
    stmt = select(EventMeeting.id).where(EventMeeting.event_id == event_id)
    return list(session.scalars(stmt.order_by(EventMeeting.id)))


def _outcome(meeting: EventMeeting) -> str | None:
    """An agreement only one side reported is AGREEMENT_REPORTED: not yet an agreement."""
    if meeting.outcome == MeetingOutcome.AGREEMENT and not meeting.agreement_confirmed:
        return AGREEMENT_REPORTED
    return meeting.outcome


def list_held_meetings(
    session: Session, *, ids: Iterable[int] | None = None, event_id: int | None = None
) -> list[HeldMeeting]:
    """Meetings held (all, these, or one event's), for the system's derivation of ties: no
    actor. A scheduled meeting of an event that has begun and was not cancelled is held when
    a side recorded its outcome, or when both organisations were marked present; its
    `outcome` is an agreement once confirmed, AGREEMENT_REPORTED before. A guest
    without an organisation makes no tie, nor does merely attending the same event."""
    stmt = (
        select(EventMeeting, Event)
        .join(Event, Event.id == EventMeeting.event_id)
        .where(
            Event.status != EventStatus.CANCELLED.value,
            Event.starts_on.is_not(None),
            Event.starts_on <= clock.today(),
        )
        .options(
            selectinload(EventMeeting.request).selectinload(MeetingRequest.requester),
            selectinload(EventMeeting.request).selectinload(MeetingRequest.receiver),
            selectinload(Event.sessions),
        )
        .order_by(EventMeeting.id)
    )
    if ids is not None:
        stmt = stmt.where(EventMeeting.id.in_(sorted(set(ids))))
    if event_id is not None:
        stmt = stmt.where(EventMeeting.event_id == event_id)
    rows = [(m, e) for m, e in session.execute(stmt)]
    present = _present(session, {event.id for _, event in rows})
    found = []
    for meeting, event in rows:
        a = meeting.request.requester.organisation_id
        b = meeting.request.receiver.organisation_id
        if a is None or b is None or a == b:
            continue
        both_present = (event.id, a) in present and (event.id, b) in present
        if meeting.outcome is None and not both_present:
            continue
        days = {s.id: s.day for s in event.sessions}
        session_id = meeting.slot.partition("-")[0]
        on = (days.get(int(session_id)) if session_id.isdigit() else None) or event.starts_on
        if on is None:
            continue
        found.append(
            HeldMeeting(
                meeting.id,
                event.id,
                a,
                b,
                on,
                _outcome(meeting),
                meeting.agreement_type,
                meeting.outcome_at.date() if meeting.outcome_at else None,
            )
        )
    return found
