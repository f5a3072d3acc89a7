"""The e-mails that carry notifications, through the shared mail outbox: one per notification
(immediate) or one per person and period (digest), in the recipient's language, each with
signed links to stop e-mails of its kind or all of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from upland.i18n import gettext_in
from upland.mail import links
from upland.mail.models import NOTICE, MailMessage
from upland.mail.service import queue_message
from upland.notifications import kinds
from upland.notifications.models import ALL_KINDS
from upland.notifications.recipients import Recipient

WARSAW = ZoneInfo("Europe/Warsaw")
UNSUBSCRIBE = "notifications.unsubscribe"  # purpose of the signed token
PREFERENCES_PATH = "/account/notifications"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return links.sign(UNSUBSCRIBE, f"{user_id}:{kind}")


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(user id, kind or ALL_KINDS) of a link we signed; None for anything else."""
    value = links.unsign(UNSUBSCRIBE, token)
    if not isinstance(value, str):
        return None
    user, _, kind = value.partition(":")
    return (int(user), kind) if user.isdigit() and kind else None


def unsubscribe_url(user_id: int, kind: str) -> str:
    return links.absolute(f"/notifications/unsubscribe/{unsubscribe_token(user_id, kind)}")


@dataclass(frozen=True)
class Item:
    """One notification as an e-mail shows it."""

    sentence: str
    url: str | None
    when: str


def item(kind: str, params: dict[str, Any], link: str | None, at: dt.datetime, lang: str) -> Item:
    return Item(
        sentence=kinds.sentence(kind, params, lang),
        url=links.absolute(link) if link else None,
        when=at.astimezone(WARSAW).strftime("%Y-%m-%d %H:%M"),
    )


def _footer(recipient: Recipient) -> dict[str, str]:
    return {
        "preferences_url": links.absolute(PREFERENCES_PATH),
        "unsubscribe_all_url": unsubscribe_url(recipient.id, ALL_KINDS),
    }


def queue_immediate(session: Session, recipient: Recipient, kind: str, shown: Item) -> MailMessage:
    """One notification, e-mailed now (after the caller commits)."""
    registered = kinds.get(kind)
    label = gettext_in(recipient.language, registered.label) if registered else ""
    return queue_message(
        session,
        to=recipient.email,
        language=recipient.language,
        kind=NOTICE,
        template="notification",
        context={"item": shown, "kind_label": label, **_footer(recipient)},
        unsubscribe_url=unsubscribe_url(recipient.id, kind),
    )


def queue_digest(
    session: Session, recipient: Recipient, frequency: str, items: Sequence[Item]
) -> MailMessage:
    """Every item of one person's period in one e-mail; its unsubscribe link stops them all."""
    return queue_message(
        session,
        to=recipient.email,
        language=recipient.language,
        kind=NOTICE,
        template="digest",
        context={"items": list(items), "frequency": frequency, **_footer(recipient)},
        unsubscribe_url=unsubscribe_url(recipient.id, ALL_KINDS),
    )
