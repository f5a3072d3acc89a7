"""A person's notifications and choices are their personal data: exported with it and erased
with the account (`upland.personal_data`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upland.notifications.models import Notification, NotificationPreference
from upland.personal_data import Part, register


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _export(session: Session, user_id: int) -> dict[str, Any]:
    notes = session.scalars(
        select(Notification).where(Notification.recipient_id == user_id).order_by(Notification.id)
    )
    prefs = session.scalars(
        select(NotificationPreference)
        .where(NotificationPreference.user_id == user_id)
        .order_by(NotificationPreference.kind)
    )
    return {
        "notifications": [
            {
                "id": n.id,
                "kind": n.kind,
                "params": n.params,
                "link": n.link,
                "delivery": n.delivery,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
                "digested_at": _iso(n.digested_at),
            }
            for n in notes
        ],
        "preferences": {p.kind: p.delivery for p in prefs},
    }


def _erase(session: Session, user_id: int) -> None:
    session.execute(delete(Notification).where(Notification.recipient_id == user_id))
    session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == user_id))
    session.flush()


register(Part("notifications", _export, _erase))
