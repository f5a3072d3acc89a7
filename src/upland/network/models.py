"""The relation table: one tie between two organisations, derived or declared.

A derived relation keeps the record it comes from (`origin`, e.g. `introduction:12`, unique),
so deriving again (a repeated signal, `upland network rebuild`) never doubles it; one from an
opportunity keeps `opportunity_id`, whose visibility decides who sees the tie, and one from a
brokerage-day meeting keeps `event_id`, whose organiser sees it beside the two sides. For a directed
type `from_id` → `to_id` reads "supplies"; otherwise the order means nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow


class Relation(Base):
    __tablename__ = "relation"
    __table_args__ = (
        Index("ix_relation_from", "from_id", "status"),
        Index("ix_relation_to", "to_id", "status"),
        Index("ix_relation_status_start", "status", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12))
    from_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    directed: Mapped[bool] = mapped_column(Boolean, default=False)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    origin: Mapped[str | None] = mapped_column(String(40), unique=True)
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunity.id", ondelete="SET NULL"), index=True
    )
    # A meeting's tie: the meeting's event, whose organiser sees it (network.permissions).
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    detail: Mapped[str] = mapped_column(String(40), default="")  # e.g. the agreement type
    note: Mapped[str] = mapped_column(Text, default="")
    declared_by_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    declared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[dt.datetime | None]
    withdrawn_at: Mapped[dt.datetime | None]

    def other_side(self, organisation_id: int) -> int:
        return self.to_id if organisation_id == self.from_id else self.from_id


class NetworkSnapshot(Base):
    """The metric figures of one view of the network (a set of relations) on one day."""

    __tablename__ = "network_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    day: Mapped[dt.date] = mapped_column(Date)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BrokerageInvitation(Base):
    """The cluster invited a recommended pair (`a_id` < `b_id`) to meet at a brokerage day:
    who invited (personal data: `network.personal`) and when. Once per pair and event."""

    __tablename__ = "brokerage_invitation"
    __table_args__ = (UniqueConstraint("a_id", "b_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    a_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    b_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    invited_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
