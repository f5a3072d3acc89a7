"""Every read of events: lists go through `permissions.visible_to`; one event through the
`events.event.view` rule."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from upland.actor import Actor
from upland.events.models import Event
from upland.events.permissions import Organiser, visible_to
from upland.events.service import visible_event
from upland.events.slots import SessionSpec, TimeSlot, event_slots, parse_clock
from upland.organisations import queries as organisations
from upland.permissions import allowed

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
