"""Every read of events: lists go through `permissions.visible_to`; one event through the
`events.event.view` rule."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from upland.accounts import queries as accounts
from upland.actor import Actor
from upland.events.models import Event, EventRegistration
from upland.events.permissions import Organiser, is_organiser, visible_to
from upland.events.service import visible_event
from upland.events.slots import SessionSpec, TimeSlot, event_slots, parse_clock
from upland.events.vocab import ACTIVE
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


def list_registrations(session: Session, actor: Actor, event: Event) -> list[EventRegistration]:
    """Every registration of the event for its organiser; one's own for anybody else."""
    stmt = select(EventRegistration).where(EventRegistration.event_id == event.id)
    if not is_organiser(actor, event):
        if actor.user_id is None:
            return []
        stmt = stmt.where(EventRegistration.user_id == actor.user_id)
    return list(session.scalars(stmt.order_by(EventRegistration.created_at, EventRegistration.id)))


def my_registration(session: Session, actor: Actor, event: Event) -> EventRegistration | None:
    """The actor's own active registration for the event, if any."""
    if actor.user_id is None:
        return None
    stmt = select(EventRegistration).where(
        EventRegistration.event_id == event.id,
        EventRegistration.user_id == actor.user_id,
        EventRegistration.status.in_([s.value for s in ACTIVE]),
    )
    return session.scalars(stmt).first()


def registration_names(
    session: Session, registrations: list[EventRegistration]
) -> dict[int, tuple[str, str]]:
    """(person, organisation) of each registration, by its id: a guest's as they wrote them."""
    orgs = organisations.owner_facts(
        session, {r.organisation_id for r in registrations if r.organisation_id}
    )
    users = {r.user_id for r in registrations if r.user_id}
    people = {u: accounts.get_user(session, u).full_name for u in users}
    return {
        r.id: (
            people.get(r.user_id, "") if r.user_id else r.guest_name,
            orgs[r.organisation_id].name if r.organisation_id in orgs else r.guest_organisation,
        )
        for r in registrations
    }


def organisation_names(session: Session, ids: list[int]) -> list[tuple[int, str]]:
    return organisations.organisation_choices(session, ids)
