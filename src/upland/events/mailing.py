"""E-mails to guests, who have no account and so no notifications. Each carries three signed
links, one per purpose, each refused for the others (a link forwarded to switch the e-mails off
opens no personal data): switching the event's e-mails off (`/events/mail-off/{token}`, also
the List-Unsubscribe header), downloading the guest's data (`…/{token}/data`) and erasing it
(`…/{token}/erase`). The links work until `LINK_DAYS` after the event's last day (no e-mail
about it is sent later), so an old message found or forwarded years on opens nothing."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy.orm import Session

from upland.events.models import Event, EventRegistration
from upland.mail import links
from upland.mail.models import NOTICE
from upland.mail.service import queue_message

LINK_DAYS = 90


class LinkPurpose(StrEnum):
    """What a guest's signed link does; the purpose is the signature's salt, so a token signed
    for one purpose does not verify for another."""

    MAIL_OFF = "events.guest_mail_off"  # the links e-mailed before 4 December keep this one
    DATA = "events.guest_data"
    ERASE = "events.guest_erase"


PATHS = {
    LinkPurpose.MAIL_OFF: "/events/mail-off/{token}",
    LinkPurpose.DATA: "/events/mail-off/{token}/data",
    LinkPurpose.ERASE: "/events/mail-off/{token}/erase",
}


def link_expires(registration: EventRegistration) -> dt.date:
    """The last day a guest's e-mail link works: `LINK_DAYS` after the event's last day (its
    first when it has no sessions, the registration's when it has no date at all)."""
    event = registration.event
    days = [s.day for s in event.sessions] or [d for d in (event.starts_on,) if d is not None]
    last = max(days, default=registration.created_at.date())
    return last + dt.timedelta(days=LINK_DAYS)


def link_token(purpose: LinkPurpose, registration_id: int) -> str:
    return links.sign(purpose.value, registration_id)


def mail_off_token(registration_id: int) -> str:
    return link_token(LinkPurpose.MAIL_OFF, registration_id)


def data_token(registration_id: int) -> str:
    return link_token(LinkPurpose.DATA, registration_id)


def erase_token(registration_id: int) -> str:
    return link_token(LinkPurpose.ERASE, registration_id)


def link_url(purpose: LinkPurpose, registration_id: int) -> str:
    return links.absolute(PATHS[purpose].format(token=link_token(purpose, registration_id)))


def registration_of_token(purpose: LinkPurpose, token: str) -> int | None:
    """The registration a token signed for `purpose` names; None for any other token."""
    value = links.unsign(purpose.value, token)
    return value if isinstance(value, int) else None


def purpose_of_token(token: str) -> LinkPurpose | None:
    """Which purpose a guest's link was signed for (to say why it is refused elsewhere)."""
    return next((p for p in LinkPurpose if registration_of_token(p, token) is not None), None)


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
            "data_url": link_url(LinkPurpose.DATA, registration.id),
            "erase_url": link_url(LinkPurpose.ERASE, registration.id),
        },
        unsubscribe_url=link_url(LinkPurpose.MAIL_OFF, registration.id),
    )
