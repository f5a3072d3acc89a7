"""Marketplace tables: opportunities (offers and requests) with their classifications, places
of interest and named organisations, access requests to restricted ones, and attachments.

Interests, introductions, outcomes and bookings (issue 9, part c) build on `Opportunity` in a
module of their own beside this one (`market/interests/`), each row pointing at
`opportunity.id`; nothing here needs to change for them.

`search_title`, `search_text` and `teryt` are derived columns kept by the service
(`market.derived`). The search index (FTS5 on SQLite, a generated tsvector on PostgreSQL) is
made by raw SQL in migration 0015.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from upland import migrate
from upland.audit import DERIVED
from upland.db import Base, utcnow


class Opportunity(Base):
    """An offer or a request an organisation puts on the marketplace."""

    __tablename__ = "opportunity"
    __table_args__ = (
        # Browsing walks published opportunities newest first or by deadline; the owner's list
        # and the review queue find theirs by owner and by status.
        Index("ix_opportunity_status_published", "status", "published_at", "id"),
        Index("ix_opportunity_status_deadline", "status", "deadline", "id"),
        Index("ix_opportunity_owner_status", "owner_id", "status"),
        Index("ix_opportunity_status_expires", "status", "expires_on"),
        Index("ix_opportunity_kind_status", "kind", "status"),
        # The browse list's exact totals read this index alone (migration 0016).
        Index(
            "ix_opportunity_browse",
            "status",
            "visibility",
            "expires_on",
            "kind",
            "trl",
            "owner_id",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="draft")
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    title_pl: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    advantages: Mapped[str] = mapped_column(Text, default="")
    innovation: Mapped[str] = mapped_column(Text, default="")
    # capacity offers: free machine hours
    process: Mapped[str] = mapped_column(String(200), default="")
    machine: Mapped[str] = mapped_column(String(200), default="")
    hours_per_week: Mapped[int | None]
    available_from: Mapped[dt.date | None] = mapped_column(Date)
    available_to: Mapped[dt.date | None] = mapped_column(Date)
    # research-infrastructure offers
    equipment: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    # technology kinds
    trl: Mapped[int | None]
    ip_status: Mapped[str | None] = mapped_column(String(20))
    patent_number: Mapped[str] = mapped_column(String(40), default="")
    partnership_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    expiry_reminded_on: Mapped[dt.date | None] = mapped_column(Date)
    """The expiry date its owner was last reminded of (renewing clears it): one reminder per
    expiry date, however often the daily job runs."""
    visibility: Mapped[str] = mapped_column(String(12), default="members")
    anonymous: Mapped[bool] = mapped_column(default=False)
    review_reason: Mapped[str] = mapped_column(Text, default="")
    teryt: Mapped[str | None] = mapped_column(String(7), info=DERIVED)
    search_title: Mapped[str] = mapped_column(Text, default="", info=DERIVED)
    search_text: Mapped[str] = mapped_column(Text, default="", info=DERIVED)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    published_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]

    pkd_codes: Mapped[list[OpportunityPkd]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="OpportunityPkd.id"
    )
    capabilities: Mapped[list[OpportunityCapability]] = relationship(
        back_populates="opportunity",
        cascade="all, delete-orphan",
        order_by="OpportunityCapability.id",
    )
    places: Mapped[list[OpportunityPlace]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="OpportunityPlace.id"
    )
    named: Mapped[list[OpportunityNamed]] = relationship(
        back_populates="opportunity",
        cascade="all, delete-orphan",
        order_by="OpportunityNamed.organisation_id",
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def named_ids(self) -> frozenset[int]:
        return frozenset(n.organisation_id for n in self.named)


class OpportunityPkd(Base):
    __tablename__ = "opportunity_pkd"
    __table_args__ = (
        Index("ix_opportunity_pkd_code", "code", "opportunity_id"),
        Index("ix_opportunity_pkd_section", "section", "opportunity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    code: Mapped[str] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(1))

    opportunity: Mapped[Opportunity] = relationship(back_populates="pkd_codes")


class OpportunityCapability(Base):
    """A capability or certification of the shared vocabulary, offered or required."""

    __tablename__ = "opportunity_capability"
    __table_args__ = (Index("ix_opportunity_capability_term", "term_id", "opportunity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    term_id: Mapped[int] = mapped_column(ForeignKey("capability_term.id"))
    role: Mapped[str] = mapped_column(String(10), default="offered")

    opportunity: Mapped[Opportunity] = relationship(back_populates="capabilities")


class OpportunityPlace(Base):
    """A city or region of interest: a TERYT unit (voivodeship 2, county 4, municipality 7)."""

    __tablename__ = "opportunity_place"
    __table_args__ = (Index("ix_opportunity_place_teryt", "teryt", "opportunity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    teryt: Mapped[str] = mapped_column(String(7))

    opportunity: Mapped[Opportunity] = relationship(back_populates="places")


class OpportunityNamed(Base):
    """An organisation a restricted opportunity is shown to (named, or granted access)."""

    __tablename__ = "opportunity_named"
    __table_args__ = (Index("ix_opportunity_named_org", "organisation_id", "opportunity_id"),)

    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )

    opportunity: Mapped[Opportunity] = relationship(back_populates="named")


class AccessRequest(Base):
    """An organisation that saw a restricted opportunity's teaser asks to see the whole."""

    __tablename__ = "access_request"
    __table_args__ = (UniqueConstraint("opportunity_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]


class Attachment(Base):
    """A file of an opportunity, kept in `upland.storage` under `key`."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    opportunity: Mapped[Opportunity] = relationship(back_populates="attachments")


# The search index (migration 0015): FTS5 table and triggers on SQLite, a generated tsvector
# with a GIN index on PostgreSQL, made by raw SQL.
# PostgreSQL's narrow copy of the vectors for text matches is kept by triggers (0023).
# The facet rows of PKD and place filters' totals and their source view are kept by triggers
# (0025, `market.facet_totals`). The stamp of the opportunities' state under which the
# browse list's level totals are kept is written by triggers (0036, `market.kept_totals`).
migrate.unmapped(
    "opportunity_fts",
    "ix_opportunity_search",
    "opportunity_search",
    "opportunity_facet",
    "opportunity_stamp",
)


class PendingNews(Base):
    """A marketplace signal whose news (notifications) is still to be delivered: written in
    the transaction that published the signal, stamped `delivered_at` in the one that made the
    notifications, so news survives a job that could not be queued or failed. Each failed try
    counts in `attempts` (the last error in `problem`); news that failed too often, or whose
    signal no longer loads, is `parked_at`: kept for someone to look at, no longer tried."""

    __tablename__ = "market_pending_news"
    __table_args__ = (Index("ix_market_pending_news_delivered", "delivered_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    signal: Mapped[str] = mapped_column(String(80))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    parked_at: Mapped[dt.datetime | None]
    problem: Mapped[str | None] = mapped_column(String(500))
