"""Tables of what follows an opportunity: organisations' answers to it (interests and passes),
the introductions an accepted interest records, the outcomes either side reports, and bookings
of research-infrastructure offers.

An introduction keeps who met whom from which opportunity and when, whatever later happens to
the opportunity (expired, withdrawn) or to the people (erased): it is the raw material of the
cooperation network and the indicators. Accepted bookings of one offer never share a day: each
accepted booking holds one `booking_day` row per day, unique per offer, so the database refuses
an overlap on every backend even when two acceptances race.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from upland.db import Base, utcnow
from upland.market.models import Opportunity


class Interest(Base):
    """An organisation's answer to an opportunity: an expression of interest (which the owner
    accepts or declines) or a pass with a reason. One answer per organisation and opportunity."""

    __tablename__ = "interest"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "organisation_id"),
        Index("ix_interest_organisation_status", "organisation_id", "status"),
        Index("ix_interest_opportunity_status", "opportunity_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    response: Mapped[str] = mapped_column(String(10), default="interest")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    message: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str | None] = mapped_column(String(30))
    answer: Mapped[str] = mapped_column(Text, default="")  # the owner's message with a decision
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]

    opportunity: Mapped[Opportunity] = relationship()


class Introduction(Base):
    """Recorded when the owner accepts an interest: the owner organisation and the interested
    one were introduced through an opportunity, by these users, at this moment."""

    __tablename__ = "introduction"
    __table_args__ = (
        Index("ix_introduction_owner", "owner_id", "created_at"),
        Index("ix_introduction_interested", "interested_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    interest_id: Mapped[int] = mapped_column(
        ForeignKey("interest.id", ondelete="CASCADE"), unique=True
    )
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    interested_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    interested_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    opportunity: Mapped[Opportunity] = relationship()
    interest: Mapped[Interest] = relationship()
    outcomes: Mapped[list[OutcomeReport]] = relationship(
        back_populates="introduction", cascade="all, delete-orphan", order_by="OutcomeReport.id"
    )


class OutcomeReport(Base):
    """What one side says came of an introduction. Both sides' reports are kept. An agreement
    counts once it is confirmed: by the other side (explicitly, or by reporting the same
    agreement type, `confirms_id`) or by the coordinator."""

    __tablename__ = "outcome_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    introduction_id: Mapped[int] = mapped_column(
        ForeignKey("introduction.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    occurred_on: Mapped[dt.date | None] = mapped_column(Date)
    agreement_type: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    confirms_id: Mapped[int | None] = mapped_column(
        ForeignKey("outcome_report.id", ondelete="SET NULL")
    )
    confirmed_as: Mapped[str | None] = mapped_column(String(12))
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    confirmed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    introduction: Mapped[Introduction] = relationship(back_populates="outcomes")


class Booking(Base):
    """A member's request to use a research-infrastructure offer on some days (inclusive)."""

    __tablename__ = "booking"
    __table_args__ = (
        Index("ix_booking_opportunity_status", "opportunity_id", "status", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    answer: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]

    opportunity: Mapped[Opportunity] = relationship()
    days: Mapped[list[BookingDay]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", order_by="BookingDay.day"
    )


class BookingDay(Base):
    """One day an accepted booking holds: the database's guard against double booking."""

    __tablename__ = "booking_day"
    __table_args__ = (UniqueConstraint("opportunity_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunity.id", ondelete="CASCADE"))
    day: Mapped[dt.date] = mapped_column(Date)

    booking: Mapped[Booking] = relationship(back_populates="days")
