"""What interests, outcomes and bookings hold about a person, for the personal-data export and
erasure (`upland.personal_data`). Erasure keeps the statistics: every interest, introduction,
outcome and booking stays with its organisations, kinds, states and dates; the person's
messages, notes, reasons and purposes are emptied and the rows no longer name the account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from upland.market.interests.models import Booking, Interest, Introduction, OutcomeReport
from upland.personal_data import Part, register


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(session: Session, user_id: int) -> dict[str, Any]:
    interests = session.scalars(
        select(Interest)
        .where(or_(Interest.created_by_id == user_id, Interest.decided_by_id == user_id))
        .order_by(Interest.id)
    )
    reports = session.scalars(
        select(OutcomeReport)
        .where(
            or_(OutcomeReport.reported_by_id == user_id, OutcomeReport.confirmed_by_id == user_id)
        )
        .order_by(OutcomeReport.id)
    )
    bookings = session.scalars(
        select(Booking)
        .where(or_(Booking.requested_by_id == user_id, Booking.decided_by_id == user_id))
        .order_by(Booking.id)
    )
    introductions = session.scalars(
        select(Introduction)
        .where(
            or_(Introduction.owner_user_id == user_id, Introduction.interested_user_id == user_id)
        )
        .order_by(Introduction.id)
    )
    return {
        "interests": [
            {
                "id": i.id,
                "opportunity_id": i.opportunity_id,
                "organisation_id": i.organisation_id,
                "response": i.response,
                "status": i.status,
                "message": i.message if i.created_by_id == user_id else None,
                "decline_reason": i.decline_reason,
                "answer": i.answer if i.decided_by_id == user_id else None,
                "created_at": _when(i.created_at),
                "decided_at": _when(i.decided_at),
            }
            for i in interests
        ],
        "introductions": [
            {
                "id": n.id,
                "opportunity_id": n.opportunity_id,
                "owner_id": n.owner_id,
                "interested_id": n.interested_id,
                "created_at": _when(n.created_at),
            }
            for n in introductions
        ],
        "outcome_reports": [
            {
                "id": r.id,
                "introduction_id": r.introduction_id,
                "kind": r.kind,
                "occurred_on": _when(r.occurred_on),
                "agreement_type": r.agreement_type,
                "reason": r.reason if r.reported_by_id == user_id else None,
                "note": r.note if r.reported_by_id == user_id else None,
                "confirmed_at": _when(r.confirmed_at) if r.confirmed_by_id == user_id else None,
            }
            for r in reports
        ],
        "bookings": [
            {
                "id": b.id,
                "opportunity_id": b.opportunity_id,
                "starts_on": _when(b.starts_on),
                "ends_on": _when(b.ends_on),
                "purpose": b.purpose if b.requested_by_id == user_id else None,
                "answer": b.answer if b.decided_by_id == user_id else None,
                "status": b.status,
            }
            for b in bookings
        ],
    }


def erase(session: Session, user_id: int) -> None:
    session.execute(
        update(Interest)
        .where(Interest.created_by_id == user_id)
        .values(message="", created_by_id=None)
    )
    session.execute(
        update(Interest)
        .where(Interest.decided_by_id == user_id)
        .values(answer="", decided_by_id=None)
    )
    session.execute(
        update(OutcomeReport)
        .where(OutcomeReport.reported_by_id == user_id)
        .values(note="", reason="", reported_by_id=None)
    )
    session.execute(
        update(OutcomeReport)
        .where(OutcomeReport.confirmed_by_id == user_id)
        .values(confirmed_by_id=None)
    )
    session.execute(
        update(Booking)
        .where(Booking.requested_by_id == user_id)
        .values(purpose="", requested_by_id=None)
    )
    session.execute(
        update(Booking)
        .where(Booking.decided_by_id == user_id)
        .values(answer="", decided_by_id=None)
    )
    session.execute(
        update(Introduction).where(Introduction.owner_user_id == user_id).values(owner_user_id=None)
    )
    session.execute(
        update(Introduction)
        .where(Introduction.interested_user_id == user_id)
        .values(interested_user_id=None)
    )


register(Part("market_interests", export, erase))
