"""A person's event registrations, for the personal-data export and erasure
(`upland.personal_data`). Erasure keeps each registration as an anonymous row (its event,
type, status and sessions count in the event's figures) and removes what the person wrote;
their calendar-feed address ends."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from upland.events.models import EventRegistration, FeedToken
from upland.personal_data import Part, register


def _export(session: Session, user_id: int) -> dict[str, Any]:
    rows = session.scalars(
        select(EventRegistration)
        .where(EventRegistration.user_id == user_id)
        .order_by(EventRegistration.id)
    )
    return {
        "event_registrations": [
            {
                "id": r.id,
                "event_id": r.event_id,
                "organisation_id": r.organisation_id,
                "participant_type": r.participant_type,
                "status": r.status,
                "sessions": r.sessions,
                "waiting_sessions": r.waiting_sessions,
                "topics": r.topics,
                "offer": r.offer,
                "seek": r.seek,
                "registered_at": r.created_at.isoformat(),
            }
            for r in rows
        ],
        "event_calendar_feed": (
            {"created_at": feed.created_at.isoformat()}
            if (feed := session.get(FeedToken, user_id))
            else None
        ),
    }


def _erase(session: Session, user_id: int) -> None:
    session.execute(delete(FeedToken).where(FeedToken.user_id == user_id))
    session.execute(
        update(EventRegistration)
        .where(EventRegistration.user_id == user_id)
        .values(user_id=None, topics=[], offer="", seek="")
    )


register(Part("events", _export, _erase))
