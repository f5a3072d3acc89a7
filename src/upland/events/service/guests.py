"""A guest's personal data (no account, so found by e-mail address): staff export and erase
it on request, as they do a user's (`upland events guest-export|guest-erase`); the guest
downloads and erases their own through the signed link of the event's e-mails (the organiser
is told of an erasure)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.events import mailing, notices, personal
from upland.events.models import Event, EventRegistration
from upland.events.permissions import registration_not_found
from upland.events.service.places import title_of
from upland.events.service.registrations import guest_of_link
from upland.notifications import service as notifications
from upland.permissions import require

# Who erases through the link: the holder of the guest's mailbox, no account.
GUEST_LINK = Actor(user_id=None, label="guest (e-mail link)")


def export_guest(session: Session, actor: Actor, email: str) -> dict[str, Any]:
    """Everything held of the guest who registered with `email` (staff)."""
    require(actor, "events.guest.data")
    return personal.guest_export(session, email)


def export_guest_of_link(session: Session, token: str) -> dict[str, Any]:
    """The guest's own data, for whoever holds their e-mail's signed data link (signed for
    that purpose alone; it proves the mailbox, as a log-in would); nothing once the guest was
    erased."""
    registration = guest_of_link(session, token, mailing.LinkPurpose.DATA)
    if not registration.guest_email:
        raise registration_not_found(0)
    return personal.guest_export(session, registration.guest_email)


def erase_guest(session: Session, actor: Actor, email: str) -> int:
    """Erase the guest who registered with `email` (staff): their registrations stay for the
    events' figures, without name, address, organisation's name or what they wrote. The
    number of registrations erased."""
    require(actor, "events.guest.data")
    return _erase(session, actor, email)


def erase_guest_of_link(session: Session, token: str) -> int:
    """The guest erases their own data through their e-mail's signed link (it proves the
    mailbox), as staff would; each event's organiser is told. Nothing left once erased."""
    registration = guest_of_link(session, token, mailing.LinkPurpose.ERASE)
    if not registration.guest_email:
        raise registration_not_found(0)
    email = registration.guest_email
    theirs = select(EventRegistration.event_id).where(
        EventRegistration.user_id.is_(None), EventRegistration.guest_email == email.lower()
    )
    events = list(session.scalars(select(Event).where(Event.id.in_(theirs)).order_by(Event.id)))
    erased = _erase(session, GUEST_LINK, email, summary="guest erased (e-mail link)")
    for event in events:
        if event.created_by_id is not None:
            notifications.notify(
                session,
                [event.created_by_id],
                notices.GUEST_ERASED.code,
                {"title": title_of(event)},
                f"/events/{event.id}/registrations",
            )
    return erased


def _erase(session: Session, actor: Actor, email: str, summary: str = "guest erased") -> int:
    ids = personal.guest_erase(session, email)
    session.flush()
    for registration_id in ids:
        audit.record(
            session,
            actor,
            "events.registration.erase",
            "event_registration",
            registration_id,
            summary=summary,
        )
    return len(ids)
