"""Registering for an event: a member user for their organisation, or a guest the organiser
validates (the capacity and its waiting list: `places`). Registration is open while the event
is published, inside its window and not yet begun."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit, clock, signals
from upland.accounts import ratelimit
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Gone, Invalid, PermissionDenied, TooMany
from upland.events import mailing, notices
from upland.events.models import Event, EventRegistration
from upland.events.permissions import registration_not_found
from upland.events.schemas import Attendance, GuestIn, RegistrationIn
from upland.events.service.events import visible_event
from upland.events.service.places import (
    lock_places,
    promote_waiting,
    seat,
    seat_sessions,
    title_of,
)
from upland.events.signals import AttendanceMarked
from upland.events.vocab import ACTIVE, EventStatus, Presence, RegistrationStatus
from upland.i18n import N_, Day
from upland.notifications import service as notifications
from upland.organisations import queries as organisations
from upland.permissions import allowed, require

Status = RegistrationStatus


def registration_open(event: Event, today: dt.date) -> bool:
    """Published, inside the window, not yet begun."""
    return (
        event.status == EventStatus.PUBLISHED
        and (event.registration_opens is None or event.registration_opens <= today)
        and (event.registration_closes is None or today <= event.registration_closes)
        and (event.starts_on is None or today < event.starts_on)
    )


def _require_open(event: Event) -> None:
    if not registration_open(event, clock.today()):
        raise Conflict(
            "registration for this event is not open", code="registration.closed", id=event.id
        )


def _check_attendance(event: Event, data: Attendance) -> None:
    if data.participant_type.value not in event.participant_types:
        raise Invalid.one(
            "participant_type",
            N_("this event does not admit participants of this type"),
            code="registration.type",
        )
    known = {s.id for s in event.sessions}
    if any(s not in known for s in data.sessions):
        raise Invalid.one(
            "sessions", N_("a session of another event was chosen"), code="registration.session"
        )


def _attendance(registration: EventRegistration, data: Attendance) -> None:
    registration.participant_type = data.participant_type.value
    registration.sessions = sorted(set(data.sessions))
    registration.topics = list(dict.fromkeys(data.topics))
    registration.offer = data.offer
    registration.seek = data.seek


def _organisation_of(actor: Actor, data: RegistrationIn) -> int:
    if not actor.org_roles:
        raise PermissionDenied(
            "only people of an organisation register for it; others register as guests",
            code="registration.no_organisation",
        )
    if data.organisation_id is not None:
        return data.organisation_id
    if len(actor.org_roles) == 1:
        return next(iter(actor.org_roles))
    raise Invalid.one(
        "organisation_id",
        N_("choose the organisation you register for"),
        code="registration.organisation_required",
    )


def _tell(session: Session, registration: EventRegistration, what: Status) -> None:
    """The person hears how their registration stands: notified, or e-mailed as a guest."""
    event = registration.event
    if registration.user_id is not None:
        kind = notices.CONFIRMED if what == Status.CONFIRMED else notices.WAITING
        notifications.notify(
            session,
            [registration.user_id],
            kind.code,
            {"title": title_of(event)},
            f"/events/{event.id}",
        )
    else:
        said = {Status.PENDING: "received", Status.CONFIRMED: "confirmed"}.get(what, "waiting")
        mailing.tell_guest(session, registration, said)


def _active_exists(session: Session, event: Event, **who: object) -> bool:
    """Whether `who` holds an active registration already; asked under the event's row lock,
    so that the same person sending the form twice at once gets one place."""
    lock_places(session, event)
    event_id = event.id
    stmt = select(EventRegistration.id).where(
        EventRegistration.event_id == event_id,
        EventRegistration.status.in_([s.value for s in ACTIVE]),
        *(getattr(EventRegistration, k) == v for k, v in who.items()),
    )
    return session.scalars(stmt).first() is not None


def register(
    session: Session, actor: Actor, event_id: int, data: RegistrationIn
) -> EventRegistration:
    """The actor registers for their organisation: confirmed, or waiting past the capacity."""
    if actor.user_id is None:
        raise PermissionDenied("log in to register", code="login_required")
    event = visible_event(session, actor, event_id)
    organisation_id = _organisation_of(actor, data)
    require(actor, "events.registration.create", organisation_id)
    _require_open(event)
    _check_attendance(event, data)
    if _active_exists(session, event, user_id=actor.user_id):
        raise Conflict("you are registered for this event already", code="registration.duplicate")
    registration = EventRegistration(
        event=event, user_id=actor.user_id, organisation_id=organisation_id
    )
    _attendance(registration, data)
    if not (data.offer or data.seek):
        registration.offer = profile_offer(session, actor, organisation_id)
    registration.status = seat(session, event).value
    if registration.status == Status.CONFIRMED:
        seat_sessions(session, event, registration)
    session.add(registration)
    session.flush()
    audit.record(
        session,
        actor,
        "events.registration.create",
        "event_registration",
        registration.id,
        after={"event_id": event.id, "status": registration.status},
    )
    _tell(session, registration, Status(registration.status))
    return registration


def profile_offer(session: Session, actor: Actor, organisation_id: int) -> str:
    """ "What I offer" as the organisation's profile says it, to start from."""
    org = organisations.get_organisation(session, actor, organisation_id)
    return (org.description_pl or org.description_en or "").strip()[:1000]


def register_guest(
    session: Session,
    actor: Actor,
    event_id: int,
    data: GuestIn,
    address: str | None = None,
    language: str = "pl",
) -> EventRegistration:
    """A guest (no account needed) asks for a place; the organiser validates it. `address`:
    the client's, whose sign-ups are limited (`ratelimit.allow_guest_registration`), so a
    script cannot fill the organiser's list and send e-mails to addresses it typed.
    `language`: the form's, which the guest's e-mails are written in."""
    if address is not None and not ratelimit.allow_guest_registration(address):
        raise TooMany(
            N_("too many registrations from your network for now; try again in an hour"),
            code="registration.rate_limited",
            retry_after=ratelimit.guest_registration_retry_after(address),
        )
    event = visible_event(session, actor, event_id)
    _require_open(event)
    _check_attendance(event, data)
    if _active_exists(session, event, guest_email=data.email):
        raise Conflict(
            "this e-mail address is registered for this event already",
            code="registration.duplicate",
        )
    registration = EventRegistration(
        event=event,
        guest_name=data.name,
        guest_email=data.email,
        guest_organisation=data.organisation,
        guest_language=language if language in ("pl", "en") else "pl",
        status=Status.PENDING.value,
    )
    _attendance(registration, data)
    session.add(registration)
    session.flush()
    audit.record(
        session,
        actor,
        "events.registration.guest",
        "event_registration",
        registration.id,
        after={"event_id": event.id, "status": registration.status},
    )
    _tell(session, registration, Status.PENDING)
    return registration


def ask_for_guest_place(
    session: Session,
    actor: Actor,
    event_id: int,
    data: GuestIn,
    address: str | None = None,
    language: str = "pl",
) -> None:
    """A guest's request as the pages and the API take it: answered the same whether the
    address holds a place at the event already or not (nothing is added or sent again then),
    so typing somebody's address tells nobody whether that person registered."""
    try:
        register_guest(session, actor, event_id, data, address, language)
    except Conflict as exc:
        if exc.code != "registration.duplicate":
            raise


def own_registration(session: Session, actor: Actor, registration_id: int) -> EventRegistration:
    """A registration the actor manages (their own, or one of the event they organise)."""
    registration = session.get(EventRegistration, registration_id)
    if registration is None or not allowed(actor, "events.registration.manage", registration):
        raise registration_not_found(registration_id)
    return registration


def validate_registration(
    session: Session, actor: Actor, registration_id: int
) -> EventRegistration:
    """The organiser admits a guest: confirmed, or waiting past the capacity."""
    registration = own_registration(session, actor, registration_id)
    require(actor, "events.event.edit", registration.event)
    if registration.status != Status.PENDING:
        raise Conflict(
            "only a registration waiting for validation can be validated",
            code="registration.not_pending",
        )
    registration.status = seat(session, registration.event).value
    if registration.status == Status.CONFIRMED:
        seat_sessions(session, registration.event, registration)
    registration.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "events.registration.validate",
        "event_registration",
        registration.id,
        after={"status": registration.status},
    )
    _tell(session, registration, Status(registration.status))
    return registration


def cancel_registration(session: Session, actor: Actor, registration_id: int) -> EventRegistration:
    """The person or the organiser cancels a place; the first waiting ones take the freed
    places."""
    registration = own_registration(session, actor, registration_id)
    if registration.status == Status.CANCELLED:
        raise Conflict("the registration is cancelled already", code="registration.cancelled")
    _cancel(session, actor, registration)
    return registration


def _cancel(
    session: Session, actor: Actor, registration: EventRegistration, summary: str = ""
) -> None:
    freed = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED.value
    registration.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "events.registration.cancel",
        "event_registration",
        registration.id,
        after={"status": registration.status},
        summary=summary,
    )
    if registration.user_id is None or registration.user_id != actor.user_id:
        _tell_cancelled(session, registration)
    if freed:
        promote_waiting(session, actor, registration.event)


def _tell_cancelled(session: Session, registration: EventRegistration) -> None:
    """Someone else (the organiser, or the platform when the person left the organisation)
    cancelled the place: the person hears it, notified in their language (and e-mailed as
    they chose, with its switch-off link), or e-mailed as a guest."""
    event = registration.event
    if registration.user_id is not None:
        notifications.notify(
            session,
            [registration.user_id],
            notices.CANCELLED.code,
            {"title": title_of(event)},
            f"/events/{event.id}",
        )
    else:
        mailing.tell_guest(session, registration, "cancelled")


def end_registrations_for(
    session: Session, actor: Actor, user_id: int, organisation_id: int
) -> list[EventRegistration]:
    """A person left an organisation: their active registrations for it at events not yet
    held are cancelled as a cancellation by hand is (the person is told, the waiting list
    moves up, the promoted are told, each is in the audit log). Called from the departure's
    own transaction (`events.subscriptions`), after accounts checked who may end the
    membership."""
    today = clock.today()
    stmt = (
        select(EventRegistration)
        .join(Event, Event.id == EventRegistration.event_id)
        .where(
            EventRegistration.user_id == user_id,
            EventRegistration.organisation_id == organisation_id,
            EventRegistration.status.in_([s.value for s in ACTIVE]),
            (Event.starts_on.is_(None)) | (Event.starts_on > today),
        )
        .order_by(EventRegistration.id)
    )
    ended = list(session.scalars(stmt))
    for registration in ended:
        _cancel(session, actor, registration, summary="left the organisation")
    return ended


_WRONG_PURPOSE = {
    mailing.LinkPurpose.MAIL_OFF: N_(
        "this link does not switch e-mails off; use the link at the end of an e-mail about "
        "the event"
    ),
    mailing.LinkPurpose.DATA: N_(
        "this link does not download your data; use the link “Download your data” in an "
        "e-mail about the event"
    ),
    mailing.LinkPurpose.ERASE: N_(
        "this link does not erase your data; use the link “Erase your data” in an e-mail "
        "about the event"
    ),
}


def guest_of_link(session: Session, token: str, purpose: mailing.LinkPurpose) -> EventRegistration:
    """The guest's registration a signed e-mail link for `purpose` names. A link signed for
    another purpose is refused, saying which link to use (an unsubscribe link opens no personal
    data); Gone once the link has expired (`mailing.link_expires`)."""
    registration_id = mailing.registration_of_token(purpose, token)
    if registration_id is None and mailing.purpose_of_token(token) is not None:
        raise Gone(_WRONG_PURPOSE[purpose], code="registration.link_purpose")
    registration = session.get(EventRegistration, registration_id) if registration_id else None
    if registration is None:
        raise registration_not_found(0)
    expires = mailing.link_expires(registration)
    if clock.today() > expires:
        raise Gone(
            "this link has expired: it worked until {day}; no e-mails about the event are "
            "sent any more",
            code="registration.link_expired",
            day=Day(expires),
        )
    return registration


def switch_guest_mail_off(session: Session, token: str) -> EventRegistration:
    """Whoever holds the signed link of a guest's e-mail switches that guest's e-mails off."""
    registration = guest_of_link(session, token, mailing.LinkPurpose.MAIL_OFF)
    registration.mail_off = True
    session.flush()
    return registration


def mark_attendance(
    session: Session, actor: Actor, registration_id: int, attendance: Presence | None
) -> EventRegistration:
    """The organiser marks a confirmed participant present or a no-show at the door (None:
    unmarked again)."""
    registration = own_registration(session, actor, registration_id)
    require(actor, "events.event.edit", registration.event)
    if registration.status != Status.CONFIRMED:
        raise Conflict(
            "only a confirmed participant is checked in", code="registration.not_confirmed"
        )
    registration.attendance = attendance.value if attendance else None
    session.flush()
    audit.record(
        session,
        actor,
        "events.registration.attendance",
        "event_registration",
        registration.id,
        after={"attendance": registration.attendance},
    )
    signals.publish(
        session,
        AttendanceMarked(
            registration.event_id,
            registration.id,
            registration.organisation_id,
            registration.attendance,
        ),
    )
    return registration
