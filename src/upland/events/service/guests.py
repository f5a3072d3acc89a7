"""A guest's personal data (no account, so found by e-mail address): staff export and erase
it on request, as they do a user's (`upland events guest-export|guest-erase`); the guest
downloads their own through the signed link of the event's e-mails."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.events import personal
from upland.events.permissions import registration_not_found
from upland.events.service.registrations import guest_of_link
from upland.permissions import require


def export_guest(session: Session, actor: Actor, email: str) -> dict[str, Any]:
    """Everything held of the guest who registered with `email` (staff)."""
    require(actor, "events.guest.data")
    return personal.guest_export(session, email)


def export_guest_of_link(session: Session, token: str) -> dict[str, Any]:
    """The guest's own data, for whoever holds their e-mail's signed link (it proves the
    mailbox, as a log-in would); nothing once the guest was erased."""
    registration = guest_of_link(session, token)
    if not registration.guest_email:
        raise registration_not_found(0)
    return personal.guest_export(session, registration.guest_email)


def erase_guest(session: Session, actor: Actor, email: str) -> int:
    """Erase the guest who registered with `email` (staff): their registrations stay for the
    events' figures, without name, address, organisation's name or what they wrote. The
    number of registrations erased."""
    require(actor, "events.guest.data")
    ids = personal.guest_erase(session, email)
    session.flush()
    for registration_id in ids:
        audit.record(
            session,
            actor,
            "events.registration.erase",
            "event_registration",
            registration_id,
            summary="guest erased",
        )
    return len(ids)
