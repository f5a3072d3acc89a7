"""Registry tables. `name_key`, `search_text`, `facets` are derived columns kept by the service."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from upland import migrate
from upland.audit import DERIVED
from upland.db import Base, utcnow


class Organisation(Base):
    __tablename__ = "organisation"
    # Lists walk (sort key, id) and check visibility in the index; counts check visibility in
    # (id, visibility) for each id of a filter's set: neither touches the wide rows.
    __table_args__ = (
        Index("ix_organisation_name_visibility", "name_key", "id", "visibility"),
        Index("ix_organisation_id_visibility", "id", "visibility"),
        Index("ix_organisation_kind_name", "kind", "name_key", "id"),
        Index("ix_organisation_teryt_name", "teryt", "name_key", "id"),
        Index("ix_organisation_updated_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    legal_name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120), info=DERIVED)
    nip: Mapped[str | None] = mapped_column(String(10), unique=True)
    regon: Mapped[str | None] = mapped_column(String(14), unique=True)
    krs: Mapped[str | None] = mapped_column(String(10))
    website: Mapped[str | None] = mapped_column(String(300))
    description_pl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    founded_year: Mapped[int | None]
    employees: Mapped[int | None]
    size_class: Mapped[str | None] = mapped_column(String(10), index=True)
    supply_tier: Mapped[str | None] = mapped_column(String(12), index=True)
    membership_status: Mapped[str] = mapped_column(String(12), default="none")
    member_since: Mapped[dt.date | None] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(String(12), default="public")
    capacity_notes: Mapped[str] = mapped_column(Text, default="")
    # The organisation asked not to be suggested as a partner (matching); still found by search.
    not_suggested: Mapped[bool] = mapped_column(default=False, server_default=false())
    teryt: Mapped[str | None] = mapped_column(ForeignKey("municipality.teryt"))
    search_name: Mapped[str] = mapped_column(Text, default="", server_default="", info=DERIVED)
    search_text: Mapped[str] = mapped_column(Text, default="", info=DERIVED)
    facets: Mapped[str] = mapped_column(Text, default="", server_default="", info=DERIVED)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    pkd_codes: Mapped[list[OrganisationPkd]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="OrganisationPkd.id"
    )
    sites: Mapped[list[Site]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Site.id"
    )
    people: Mapped[list[Person]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Person.id"
    )
    capabilities: Mapped[list[OrganisationCapability]] = relationship(
        back_populates="organisation",
        cascade="all, delete-orphan",
        order_by="OrganisationCapability.id",
    )


class OrganisationPkd(Base):
    __tablename__ = "organisation_pkd"
    __table_args__ = (
        Index("ix_organisation_pkd_code_org", "code", "organisation_id"),
        Index("ix_organisation_pkd_section_org", "section", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    code: Mapped[str] = mapped_column(String(10))
    section: Mapped[str] = mapped_column(String(1))
    is_primary: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="pkd_codes")


class Site(Base):
    __tablename__ = "site"
    __table_args__ = (Index("ix_site_teryt_org", "teryt", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    locality: Mapped[str] = mapped_column(String(100), default="")
    teryt: Mapped[str] = mapped_column(ForeignKey("municipality.teryt"))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    is_headquarters: Mapped[bool] = mapped_column(default=False)

    organisation: Mapped[Organisation] = relationship(back_populates="sites")


class Person(Base):
    """A contact person. Contact data is shown only as far as `contact_visibility` allows."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    role_title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_visibility: Mapped[str] = mapped_column(String(10), default="private")
    language: Mapped[str] = mapped_column(String(2), default="pl")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    erased_at: Mapped[dt.datetime | None]

    organisation: Mapped[Organisation] = relationship(back_populates="people")


class OrganisationCapability(Base):
    """A process, material, certification, piece of equipment or research infrastructure."""

    __tablename__ = "organisation_capability"
    __table_args__ = (Index("ix_organisation_capability_term_org", "term_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    term_id: Mapped[int | None] = mapped_column(ForeignKey("capability_term.id"))
    label: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship(back_populates="capabilities")


def new_removal_token() -> str:
    """128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class RemovedRecord(Base):
    """A site, person or capability removed through the profile forms, kept for a while so the
    removal can be undone (`organisations.removals`): the row itself is deleted, so lists,
    counts, exports and search never see it; `row` holds its columns to put it back."""

    __tablename__ = "removed_record"
    # An old Undo never names a newer removal.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What addresses, headers and the API name a removal by: random, so it tells nobody how many
    # removals there were (the id would).
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_removal_token)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    row: Mapped[dict[str, Any]] = mapped_column(JSON)
    removed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    removed_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    restored_at: Mapped[dt.datetime | None]


# The search index (migrations 0002 and 0005): FTS5 table and shadow tables on SQLite, trigram and
# facet indexes on PostgreSQL, all made by raw SQL.
# PostgreSQL's `search_vector` is generated from `search_name` and `search_text` (0009), and
# copied with the visibility into `organisation_search` by a trigger for counting (0014_perf).
migrate.unmapped(
    "organisation_fts",
    "ix_organisation_search_trgm",
    "ix_organisation_facets",
    "search_vector",
    "organisation_search",
)
