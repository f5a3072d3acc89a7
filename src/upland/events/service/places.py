"""An event's places: the capacity counts confirmed people; past it, registrations wait in
the order they came. A session may have places of its own: a confirmed person whose chosen
session is full waits for that session (`waiting_sessions`) and attends the others. Whenever a
place frees (a cancellation, a raised capacity), the first waiting ones take it in the same
transaction; each promoted person hears of it (a notification, or an e-mail for a guest) and so
does the organiser who created the event."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.db import utcnow
from upland.events import mailing, notices
from upland.events.models import Event, EventRegistration
from upland.events.names import name_of
from upland.events.vocab import RegistrationStatus
from upland.notifications import service as notifications

Status = RegistrationStatus


def title_of(event: Event) -> str:
    return event.title_pl or event.title_en


def confirmed_count(session: Session, event_id: int) -> int:
    stmt = select(func.count()).where(
        EventRegistration.event_id == event_id,
        EventRegistration.status == Status.CONFIRMED.value,
    )
    return session.scalar(stmt) or 0


def lock_places(session: Session, event: Event) -> None:
    """Lock the event's row (PostgreSQL; SQLite serialises writers) so that two changes of its
    places at once (registrations, validations, cancellations, a new capacity) do not both
    count the same free place. The sessions' places are counted under the same lock."""
    session.execute(select(Event.id).where(Event.id == event.id).with_for_update())


def seat(session: Session, event: Event) -> Status:
    """Confirmed while a place is free, else waiting. Takes the event's row lock first
    (`lock_places`), so that two registrations at once do not both count the same last place: the
    second waits for the first's transaction and then counts its place."""
    lock_places(session, event)
    if event.capacity is None or confirmed_count(session, event.id) < event.capacity:
        return Status.CONFIRMED
    return Status.WAITING


def _first_waiting(session: Session, event_id: int) -> EventRegistration | None:
    stmt = (
        select(EventRegistration)
        .where(
            EventRegistration.event_id == event_id,
            EventRegistration.status == Status.WAITING.value,
        )
        .order_by(EventRegistration.created_at, EventRegistration.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def _tell_promoted(session: Session, actor: Actor, registration: EventRegistration) -> None:
    event = registration.event
    link = f"/events/{event.id}"
    if registration.user_id is not None:
        params = {"title": title_of(event)}
        notifications.notify(session, [registration.user_id], notices.PROMOTED.code, params, link)
    else:
        mailing.tell_guest(session, registration, "promoted")
    organiser = event.created_by_id
    if organiser is not None and organiser not in (actor.user_id, registration.user_id):
        params = {"who": name_of(session, registration), "title": title_of(event)}
        notifications.notify(
            session,
            [organiser],
            notices.PROMOTED_ORGANISER.code,
            params,
            f"/events/{event.id}/registrations",
        )


def confirmed_registrations(session: Session, event: Event) -> list[EventRegistration]:
    """The event's confirmed registrations, first come first."""
    stmt = select(EventRegistration).where(
        EventRegistration.event_id == event.id,
        EventRegistration.status == Status.CONFIRMED.value,
    )
    return list(session.scalars(stmt.order_by(EventRegistration.created_at, EventRegistration.id)))


def session_counts(
    event: Event, confirmed: list[EventRegistration], besides: EventRegistration | None = None
) -> Counter[int]:
    """People with a place in each session."""
    counts: Counter[int] = Counter()
    for r in confirmed:
        if r is not besides:
            counts.update(s.id for s in event.sessions if r.attends(s.id))
    return counts


def seat_sessions(session: Session, event: Event, registration: EventRegistration) -> None:
    """A person just confirmed takes a place in each chosen session that has one free and
    waits for the others."""
    limits = {s.id: s.capacity for s in event.sessions if s.capacity is not None}
    if not limits:
        return
    wanted = registration.sessions or [s.id for s in event.sessions]
    counts = session_counts(event, confirmed_registrations(session, event), besides=registration)
    full = [s for s in wanted if s in limits and counts[s] >= limits[s]]
    if full:
        registration.sessions = [s for s in wanted if s not in full]
        registration.waiting_sessions = full


def promote_sessions(session: Session, actor: Actor, event: Event) -> list[EventRegistration]:
    """Fill the sessions' free places from those waiting for them, first come first served;
    a session that is gone is waited for no more."""
    lock_places(session, event)
    limits = {s.id: s.capacity for s in event.sessions}
    confirmed = confirmed_registrations(session, event)
    counts = session_counts(event, confirmed)
    promoted = []
    for r in confirmed:
        if not r.waiting_sessions:
            continue
        took, rest = [], []
        for s in r.waiting_sessions:
            if s not in limits:
                continue
            cap = limits[s]
            if cap is None or counts[s] < cap:
                counts[s] += 1
                took.append(s)
            else:
                rest.append(s)
        if took or rest != r.waiting_sessions:
            r.sessions, r.waiting_sessions = sorted({*r.sessions, *took}), rest
            r.updated_at = utcnow()
        if took:
            session.flush()
            audit.record(
                session,
                actor,
                "events.registration.promote",
                "event_registration",
                r.id,
                after={"sessions": took},
            )
            _tell_promoted(session, actor, r)
            promoted.append(r)
    session.flush()
    return promoted


def promote_waiting(session: Session, actor: Actor, event: Event) -> list[EventRegistration]:
    """Fill the free places from the waiting list, first come first served, never past the
    capacity (then the sessions' own places). `actor` is whoever freed the places (recorded in
    the audit log)."""
    promote_sessions(session, actor, event)
    lock_places(session, event)
    promoted = []
    while seat(session, event) == Status.CONFIRMED:
        first = _first_waiting(session, event.id)
        if first is None:
            break
        first.status = Status.CONFIRMED.value
        first.updated_at = utcnow()
        seat_sessions(session, event, first)
        session.flush()
        audit.record(
            session,
            actor,
            "events.registration.promote",
            "event_registration",
            first.id,
            before={"status": Status.WAITING.value},
            after={"status": first.status},
        )
        _tell_promoted(session, actor, first)
        promoted.append(first)
    return promoted
