"""A person's event registrations and the meeting requests they sent (their messages), for the
personal-data export and erasure (`upland.personal_data`). Erasure keeps each registration as
an anonymous row (its event, type, status and sessions count in the event's figures) and each
request (the schedule and the outcomes count it) and removes what the person wrote; their
calendar-feed address ends.

A guest has no account: their registrations are found by e-mail address (`guest_export`,
`guest_erase`), and erased the same way, name, address and organisation's name with them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from upland.events.models import EventRegistration, FeedToken, MeetingRequest
from upland.personal_data import Part, register


def _sent_by(user_id: int) -> Any:
    """The ids of the meeting requests the person sent (from one of their registrations)."""
    return select(EventRegistration.id).where(EventRegistration.user_id == user_id)


def _guest_rows(email: str) -> Any:
    """The registrations a guest made with this e-mail address (stored in lower case)."""
    return select(EventRegistration.id).where(
        EventRegistration.user_id.is_(None), EventRegistration.guest_email == email.lower()
    )


def _requests(session: Session, user_id: int) -> list[dict[str, Any]]:
    return _requests_from(session, _sent_by(user_id))


def _requests_from(session: Session, registrations: Any) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(MeetingRequest)
        .where(MeetingRequest.requester_id.in_(registrations))
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


def _registration(r: EventRegistration) -> dict[str, Any]:
    return {
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


def _export(session: Session, user_id: int) -> dict[str, Any]:
    rows = session.scalars(
        select(EventRegistration)
        .where(EventRegistration.user_id == user_id)
        .order_by(EventRegistration.id)
    )
    return {
        "event_registrations": [_registration(r) for r in rows],
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


def guest_export(session: Session, email: str) -> dict[str, Any]:
    """What the platform holds of a guest (no account) who registered with `email`."""
    rows = session.scalars(
        select(EventRegistration)
        .where(EventRegistration.id.in_(_guest_rows(email)))
        .order_by(EventRegistration.id)
    )
    return {
        "email": email.lower(),
        "event_registrations": [
            {
                **_registration(r),
                "name": r.guest_name,
                "organisation": r.guest_organisation,
                "mail_off": r.mail_off,
            }
            for r in rows
        ],
        "meeting_requests": _requests_from(session, _guest_rows(email)),
    }


def guest_erase(session: Session, email: str) -> list[int]:
    """Blank a guest's registrations (kept for the events' figures) and their requests'
    messages; the ids of the registrations blanked."""
    ids = list(session.scalars(_guest_rows(email)))
    session.execute(
        update(MeetingRequest).where(MeetingRequest.requester_id.in_(ids)).values(message="")
    )
    session.execute(
        update(EventRegistration)
        .where(EventRegistration.id.in_(ids))
        .values(
            guest_name="", guest_email=None, guest_organisation="", topics=[], offer="", seek=""
        )
    )
    return ids


register(Part("events", _export, _erase))
