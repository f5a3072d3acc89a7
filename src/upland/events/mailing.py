"""E-mails to guests, who have no account and so no notifications: each carries a signed
link that switches the event's e-mails to them off (`/events/mail-off/{token}`). The link
works until `LINK_DAYS` after the event's last day (no e-mail about it is sent later), so an
old message found or forwarded years on opens nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from upland.events.models import Event, EventRegistration
from upland.mail import links
from upland.mail.models import NOTICE
from upland.mail.service import queue_message

PURPOSE = "events.guest_mail_off"
LINK_DAYS = 90


def link_expires(registration: EventRegistration) -> dt.date:
    """The last day a guest's e-mail link works: `LINK_DAYS` after the event's last day (its
    first when it has no sessions, the registration's when it has no date at all)."""
    event = registration.event
    days = [s.day for s in event.sessions] or [d for d in (event.starts_on,) if d is not None]
    last = max(days, default=registration.created_at.date())
    return last + dt.timedelta(days=LINK_DAYS)


def mail_off_token(registration_id: int) -> str:
    return links.sign(PURPOSE, registration_id)


def registration_of_token(token: str) -> int | None:
    value = links.unsign(PURPOSE, token)
    return value if isinstance(value, int) else None


def _title(event: Event, language: str) -> str:
    """The event's own title in `language` (the other when it has none)."""
    first, other = (
        (event.title_en, event.title_pl)
        if language == "en"
        else (
            event.title_pl,
            event.title_en,
        )
    )
    return first or other


def tell_guest(session: Session, registration: EventRegistration, what: str) -> None:
    """`what`: received, confirmed, promoted (from the waiting list), cancelled (by the
    organiser) or waiting; nothing when the guest switched e-mails off. In the language of the
    form the guest sent. No word typed into the form is repeated (not even the name): the
    address is anybody's to type, so the e-mail carries only the platform's own words and the
    event's title, lest the form send chosen text to chosen addresses."""
    if registration.mail_off or not registration.guest_email:
        return
    language = registration.guest_language or "pl"
    queue_message(
        session,
        to=registration.guest_email,
        language=language,
        kind=NOTICE,
        template="event_guest",
        context={
            "title": _title(registration.event, language),
            "what": what,
            "event_url": links.absolute(f"/events/{registration.event_id}"),
        },
        unsubscribe_url=links.absolute(f"/events/mail-off/{mail_off_token(registration.id)}"),
    )
