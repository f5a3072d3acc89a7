"""What feedback holds about a person, for the personal-data export and erasure: erasure keeps
the verdicts (counts and learning stay intact) but empties the comments and forgets the user."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upland.matching.feedback.models import MatchFeedback
from upland.personal_data import Part, register


def export(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(MatchFeedback).where(MatchFeedback.user_id == user_id).order_by(MatchFeedback.id)
    )
    return [
        {
            "id": r.id,
            "organisation_id": r.organisation_id,
            "source": f"{r.source_kind} {r.source_id}" if r.source_kind else None,
            "query_hash": r.query_hash or None,
            "target": f"{r.target_kind} {r.target_id}",
            "useful": r.useful,
            "reason": r.reason,
            "comment": r.comment,
            "created_at": r.created_at.isoformat(),
        }
        for r in rows
    ]


def erase(session: Session, user_id: int) -> None:
    session.execute(
        update(MatchFeedback)
        .where(MatchFeedback.user_id == user_id)
        .values(user_id=None, comment="")
        .execution_options(synchronize_session=False)
    )


register(Part("match_feedback", export, erase))
