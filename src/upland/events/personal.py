"""A person's event registrations and the meeting requests they sent (their messages), for the
personal-data export and erasure (`upland.personal_data`). Erasure keeps each registration as
an anonymous row (its event, type, status and sessions count in the event's figures) and each
request (the schedule and the outcomes count it) and removes what the person wrote; their
calendar-feed address ends."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from upland.events.models import EventRegistration, FeedToken, MeetingRequest
from upland.personal_data import Part, register


def _sent_by(user_id: int) -> Any:
    """The ids of the meeting requests the person sent (from one of their registrations)."""
    return select(EventRegistration.id).where(EventRegistration.user_id == user_id)


def _requests(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.requester_id.in_(_sent_by(user_id)))
        .order_by(MeetingRequest.id)
    )
    return [
        {
            "id": r.id,
            "event_id": r.event_id,
            "receiver_registration_id": r.receiver_id,
            "message": r.message,
            "priority": r.priority,
            "status": r.status,
            "sent_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


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
        "meeting_requests": _requests(session, user_id),
        "event_calendar_feed": (
            {"created_at": feed.created_at.isoformat()}
            if (feed := session.get(FeedToken, user_id))
            else None
        ),
    }


def _erase(session: Session, user_id: int) -> None:
    session.execute(delete(FeedToken).where(FeedToken.user_id == user_id))
    session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.requester_id.in_(_sent_by(user_id)))
        .values(message="")
    )
    session.execute(
        update(EventRegistration)
        .where(EventRegistration.user_id == user_id)
        .values(user_id=None, topics=[], offer="", seek="")
    )


register(Part("events", _export, _erase))
