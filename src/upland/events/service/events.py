"""Creating and changing an event: its fields, sessions, tables and request rules, checked
across fields (a window that closes before it opens, a break outside its session, a rule
naming a type the event does not admit) so that nothing is stored half right."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit, signals
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, FieldError, Invalid
from upland.events import notices, video
from upland.events.models import Event, EventRegistration, EventSession
from upland.events.permissions import Organiser, not_found
from upland.events.schemas import EventIn, SessionIn
from upland.events.service.places import (
    confirmed_registrations,
    lock_places,
    promote_waiting,
    session_counts,
)
from upland.events.signals import EventCancelled, EventChanged, EventPublished
from upland.events.slots import SessionSpec, parse_clock, slots_of
from upland.events.vocab import EventKind, EventStatus, RegistrationStatus
from upland.i18n import N_, Message, plural_message
from upland.notifications import service as notifications
from upland.organisations import queries as organisations
from upland.permissions import allowed, require

FIELDS = (
    "title_pl",
    "title_en",
    "description_pl",
    "description_en",
    "online",
    "venue",
    "registration_opens",
    "registration_closes",
    "capacity",
    "table_count",
    "meeting_cap",
)


def visible_event(session: Session, actor: Actor, event_id: int) -> Event:
    """The event, or NotFound also when the actor may not see it (no existence leak)."""
    event = session.get(Event, event_id)
    if event is None or not allowed(actor, "events.event.view", event):
        raise not_found(event_id)
    return event


def _session_errors(index: int, item: SessionIn) -> list[FieldError]:
    where = f"sessions.{index}"
    starts, ends = parse_clock(item.starts), parse_clock(item.ends)
    if ends <= starts:
        return [
            FieldError(
                f"{where}.ends", N_("the session ends before it starts"), code="session.order"
            )
        ]
    errors = []
    for n, pause in enumerate(item.breaks):
        a, b = parse_clock(pause.starts), parse_clock(pause.ends)
        if not starts <= a < b <= ends:
            errors.append(
                FieldError(
                    f"{where}.breaks.{n}",
                    N_("a break must lie within its session"),
                    code="session.break_outside",
                )
            )
    spec = SessionSpec(0, item.day, starts, ends, item.slot_minutes, ())
    if not errors and not slots_of(spec):
        errors.append(
            FieldError(
                f"{where}.slot_minutes",
                N_("the session is shorter than one slot"),
                code="session.no_slot",
            )
        )
    return errors


def _check(data: EventIn) -> None:
    errors: list[FieldError] = []
    if not (data.title_pl or data.title_en):
        errors.append(
            FieldError("title_pl", N_("give the event a title"), code="event.title_required")
        )
    if not data.online and not data.venue:
        errors.append(
            FieldError("venue", N_("name the venue or make the event online"), code="event.venue")
        )
    opens, closes = data.registration_opens, data.registration_closes
    if opens and closes and closes < opens:
        errors.append(
            FieldError(
                "registration_closes",
                N_("registration closes before it opens"),
                code="event.registration_window",
            )
        )
    for index, item in enumerate(data.sessions):
        errors.extend(_session_errors(index, item))
    if len(data.table_names) > data.table_count:
        errors.append(
            FieldError("table_names", N_("more table names than tables"), code="event.table_names")
        )
    if any(not 1 <= t <= data.table_count for t in data.reserved_tables):
        errors.append(
            FieldError(
                "reserved_tables",
                N_("a reserved table must be one of the event's tables (1 to {count})"),
                code="event.reserved_table",
                count=data.table_count,
            )
        )
    admitted = set(data.participant_types)
    if not admitted:
        errors.append(
            FieldError(
                "participant_types",
                N_("admit at least one type of participant"),
                code="event.no_types",
            )
        )
    for index, r in enumerate(data.request_rules):
        if r.requester not in admitted or r.receiver not in admitted:
            errors.append(
                FieldError(
                    f"request_rules.{index}",
                    N_("a rule names a type of participant the event does not admit"),
                    code="event.rule_type",
                )
            )
    if errors:
        raise Invalid(errors)


def _apply(event: Event, data: EventIn) -> None:
    for name in FIELDS:
        setattr(event, name, getattr(data, name))
    event.kind = data.kind.value
    event.languages = sorted({lang.value for lang in data.languages})
    event.table_names = list(data.table_names)
    event.reserved_tables = sorted(set(data.reserved_tables))
    event.participant_types = [t.value for t in dict.fromkeys(data.participant_types)]
    rules = {(r.requester.value, r.receiver.value) for r in data.request_rules}
    event.request_rules = [list(pair) for pair in sorted(rules)]
    event.request_mode = data.request_mode.value
    _keep_sessions(event, data.sessions)
    event.starts_on = min((s.day for s in data.sessions), default=None)
    event.updated_at = utcnow()


def _matched(event: Event, given: list[SessionIn]) -> list[tuple[int, EventSession | None]]:
    """Which stored row each of `given` keeps (by its index in `given`, in time order; None: a
    new row). Each stored row is kept where it can be (its id is in registrations' chosen
    sessions and in scheduled meetings' slots, "<session>-<n>"): first the one of the same day
    and start, then one of the same day, then any other in time order."""
    wanted = sorted(range(len(given)), key=lambda n: (given[n].day, parse_clock(given[n].starts)))
    spare = sorted(event.sessions, key=lambda row: (row.day, row.starts))
    rows: list[EventSession | None] = [None] * len(wanted)
    for fits in (
        lambda s, row: (row.day, row.starts) == (s.day, parse_clock(s.starts)),
        lambda s, row: row.day == s.day,
        lambda s, row: True,
    ):
        for n, index in enumerate(wanted):
            s = given[index]
            found = next((row for row in spare if rows[n] is None and fits(s, row)), None)
            if found is not None:
                rows[n] = found
                spare.remove(found)
    return list(zip(wanted, rows, strict=True))


def _keep_sessions(event: Event, given: list[SessionIn]) -> None:
    """The event's sessions as `given`, stored rows kept as `_matched` says; rows left over
    go."""
    kept = []
    for index, row in _matched(event, given):
        s = given[index]
        row = row or EventSession()
        row.day, row.starts, row.ends = s.day, parse_clock(s.starts), parse_clock(s.ends)
        row.slot_minutes = s.slot_minutes
        row.breaks = [[b.starts, b.ends] for b in s.breaks]
        row.capacity = s.capacity
        kept.append(row)
    event.sessions = kept


def _organiser(session: Session, organisation_id: int | None) -> Organiser:
    if organisation_id is None:
        return Organiser(None)
    facts = organisations.owner_facts(session, [organisation_id]).get(organisation_id)
    if facts is None:
        raise Invalid.one(
            "organiser_id",
            N_("no organisation has the id {id}"),
            code="event.organiser_unknown",
            id=organisation_id,
        )
    return Organiser(organisation_id, facts.kind)


def create_event(session: Session, actor: Actor, data: EventIn) -> Event:
    """A draft event of `data.organiser_id` (None: the cluster's own, staff only)."""
    require(actor, "events.event.create", _organiser(session, data.organiser_id))
    _check(data)
    event = Event(
        organiser_id=data.organiser_id, created_by_id=actor.user_id, status=EventStatus.DRAFT
    )
    _apply(event, data)
    session.add(event)
    session.flush()
    audit.record(
        session, actor, "events.event.create", "event", event.id, after=audit.snapshot(event)
    )
    return event


def _too_few_places(count: int) -> Message:
    return plural_message(
        "{n} person is confirmed already: the capacity cannot be lower",
        "{n} people are confirmed already: the capacity cannot be lower",
        n=count,
    )


def _check_places(session: Session, event: Event, data: EventIn) -> None:
    """A capacity (the event's or a session's) is never lowered below the people confirmed
    for it: an organiser who needs fewer cancels registrations, each person then told. The
    places are counted under the event's row lock, as registrations count them."""
    lock_places(session, event)
    errors: list[FieldError] = []
    confirmed = confirmed_registrations(session, event)
    if data.capacity is not None and len(confirmed) > data.capacity:
        errors.append(
            FieldError("capacity", _too_few_places(len(confirmed)), code="event.capacity_taken")
        )
    counts = session_counts(event, confirmed)
    for index, row in _matched(event, data.sessions):
        limit = data.sessions[index].capacity
        if row is not None and limit is not None and counts[row.id] > limit:
            errors.append(
                FieldError(
                    f"sessions.{index}.capacity",
                    _too_few_places(counts[row.id]),
                    code="event.capacity_taken",
                )
            )
    if errors:
        raise Invalid(errors)


def update_event(session: Session, actor: Actor, event_id: int, data: EventIn) -> Event:
    """Replace the event's fields (its organiser stays: `data.organiser_id` is ignored)."""
    event = visible_event(session, actor, event_id)
    require(actor, "events.event.edit", event)
    if event.status == EventStatus.CANCELLED:
        raise Conflict("a cancelled event cannot be changed", code="event.cancelled")
    _check(data)
    _check_places(session, event, data)
    before = audit.snapshot(event)
    _apply(event, data)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(event))
    audit.record(session, actor, "events.event.update", "event", event.id, before=old, after=new)
    promote_waiting(session, actor, event)  # raised places (event's, sessions') seat at once
    signals.publish(session, EventChanged(event.id, event.organiser_id))
    return event


def publish_event(session: Session, actor: Actor, event_id: int) -> Event:
    """Show a draft to everyone. A brokerage day needs its sessions and tables first."""
    event = visible_event(session, actor, event_id)
    require(actor, "events.event.edit", event)
    if event.status != EventStatus.DRAFT:
        raise Conflict("only a draft can be published", code="event.not_draft")
    if event.kind == EventKind.BROKERAGE and not (event.sessions and event.table_count):
        raise Conflict(
            "a brokerage day needs at least one session and one table before publication",
            code="event.incomplete",
        )
    event.status = EventStatus.PUBLISHED
    event.updated_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "events.event.publish", "event", event.id, after={"status": "published"}
    )
    signals.publish(session, EventPublished(event.id, event.organiser_id))
    return event


def cancel_event(session: Session, actor: Actor, event_id: int) -> Event:
    event = visible_event(session, actor, event_id)
    require(actor, "events.event.edit", event)
    if event.status == EventStatus.CANCELLED:
        raise Conflict("the event is cancelled already", code="event.cancelled")
    event.status = EventStatus.CANCELLED
    event.updated_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "events.event.cancel", "event", event.id, after={"status": "cancelled"}
    )
    signals.publish(session, EventCancelled(event.id, event.organiser_id))
    return event


def issue_video_link(session: Session, actor: Actor, event_id: int) -> Event:
    """The organiser renames the event's video rooms (a new `video_secret`): a link that leaked,
    or that a participant whose registration was cancelled still has, leads to an empty room
    from now on. The participants who still count (confirmed, with an account) are told to
    open the event for the new link; the secret itself is never audited or sent."""
    event = visible_event(session, actor, event_id)
    require(actor, "events.video.issue", event)
    if not event.online:
        raise Conflict("only an online event has a video room", code="event.not_online")
    if event.status == EventStatus.CANCELLED:
        raise Conflict("the event is cancelled", code="event.cancelled")
    event.video_secret = video.new_secret()
    event.video_generation += 1
    event.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "events.video.issue", "event", event.id, after={"link": "new"})
    users = session.scalars(
        select(EventRegistration.user_id).where(
            EventRegistration.event_id == event.id,
            EventRegistration.status == RegistrationStatus.CONFIRMED.value,
            EventRegistration.user_id.is_not(None),
        )
    )
    told = sorted({u for u in users if u is not None and u != actor.user_id})
    if told:
        notifications.notify(
            session,
            told,
            notices.VIDEO_LINK.code,
            {"title": event.title_pl or event.title_en},
            f"/events/{event.id}",
        )
    return event
