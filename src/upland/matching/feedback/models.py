"""What feedback keeps: one row per verdict on a suggestion."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow


class MatchFeedback(Base):
    """What a user said of one suggestion: useful or not relevant (with a reason), for the
    pair it was suggested in (an item and a candidate, or a free-text ask by its hash and a
    candidate), on behalf of their organisation, with the scoring features' values then (the
    examples weights are learnt from). Erasure empties the comment and forgets the user."""

    __tablename__ = "match_feedback"
    __table_args__ = (
        Index("ix_match_feedback_asker_target", "organisation_id", "target_kind", "target_id"),
        Index("ix_match_feedback_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    source_kind: Mapped[str | None] = mapped_column(String(12))
    source_id: Mapped[int | None]
    query_hash: Mapped[str] = mapped_column(String(64), default="")
    target_kind: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int]
    useful: Mapped[bool]
    reason: Mapped[str] = mapped_column(String(20), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    features: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
