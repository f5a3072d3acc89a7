"""What the marketplace holds about a person, for the personal-data export and erasure
(`upland.personal_data`): the opportunities they created, the access requests they made or
decided, the files they attached. Erasure unlinks the person and blanks the words they wrote to
another organisation (an access request's message); the records stay for the statistics and
for the organisations they belong to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from upland.market.models import AccessRequest, Attachment, Opportunity
from upland.personal_data import Part, register


def _export(session: Session, user_id: int) -> dict[str, Any]:
    created = session.scalars(
        select(Opportunity).where(Opportunity.created_by_id == user_id).order_by(Opportunity.id)
    )
    asked = session.scalars(
        select(AccessRequest)
        .where(
            or_(AccessRequest.requested_by_id == user_id, AccessRequest.decided_by_id == user_id)
        )
        .order_by(AccessRequest.id)
    )
    files = session.scalars(
        select(Attachment).where(Attachment.created_by_id == user_id).order_by(Attachment.id)
    )
    return {
        "opportunities_created": [
            {
                "id": o.id,
                "title_pl": o.title_pl,
                "title_en": o.title_en,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
            }
            for o in created
        ],
        "access_requests": [
            {
                "id": r.id,
                "opportunity_id": r.opportunity_id,
                "requested": r.requested_by_id == user_id,
                "decided": r.decided_by_id == user_id,
                "message": r.message if r.requested_by_id == user_id else "",
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in asked
        ],
        "attachments_added": [
            {"id": a.id, "opportunity_id": a.opportunity_id, "name": a.name} for a in files
        ],
    }


def _erase(session: Session, user_id: int) -> None:
    session.execute(
        update(Opportunity).where(Opportunity.created_by_id == user_id).values(created_by_id=None)
    )
    session.execute(
        update(AccessRequest)
        .where(AccessRequest.requested_by_id == user_id)
        .values(requested_by_id=None, message="")
    )
    session.execute(
        update(AccessRequest)
        .where(AccessRequest.decided_by_id == user_id)
        .values(decided_by_id=None)
    )
    session.execute(
        update(Attachment).where(Attachment.created_by_id == user_id).values(created_by_id=None)
    )


register(Part("market", _export, _erase))
