"""What the weights keep: every version of the features' weights, and the example asks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow


class MatchWeights(Base):
    """One version of the weights: `saved` by the coordinator (the newest saved one ranks),
    or `proposed` from feedback, then `accepted` (copied as a new saved version) or
    `rejected`. `examples` is how many verdicts a proposal was learnt from."""

    __tablename__ = "match_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    values: Mapped[dict[str, float]] = mapped_column(JSON)
    examples: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[dt.datetime | None]


class MatchExample(Base):
    """An ask the coordinator keeps to see how a change of weights moves its top ten."""

    __tablename__ = "match_example"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
