"""Tables of what a person keeps an eye on in the marketplace: saved searches (the browse
list's filter under a name), followed opportunities, and which opportunity each person was
already told about through a saved search (so a renewal does not announce it twice).

A saved search keeps every field of the filter in a column of its own, the city also as its
resolved TERYT code, so a newly published opportunity is checked against every saved search
in one SELECT (`market.saved.matching`) rather than by running each search; its match key
(`market.saved.keys`) files it under its most selective condition, so that SELECT reads only
the searches filed under a key the opportunity has.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow
from upland.market.saved.keys import EVERYONE, KEY_LENGTH


class SavedSearch(Base):
    """A person's named marketplace filter."""

    __tablename__ = "saved_search"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        Index("ix_saved_search_match_key", "match_key"),
        Index("ix_saved_search_q", "q"),  # the distinct texts of words (`matching`)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    q: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str | None] = mapped_column(String(24))
    pkd: Mapped[str | None] = mapped_column(String(10))
    capability: Mapped[str | None] = mapped_column(String(80))
    certification: Mapped[str | None] = mapped_column(String(80))
    city: Mapped[str | None] = mapped_column(String(100))
    city_teryt: Mapped[str | None] = mapped_column(String(7))
    trl_min: Mapped[int | None]
    trl_max: Mapped[int | None]
    published_since: Mapped[dt.date | None] = mapped_column(Date)
    published_until: Mapped[dt.date | None] = mapped_column(Date)
    owner_kind: Mapped[str | None] = mapped_column(String(20))
    sort: Mapped[str] = mapped_column(String(12), default="newest")
    match_key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), default=EVERYONE, server_default=EVERYONE
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Follow(Base):
    """A person follows an opportunity: told when it changes, is renewed, nears its deadline
    or closes."""

    __tablename__ = "opportunity_follow"
    __table_args__ = (Index("ix_opportunity_follow_opportunity", "opportunity_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SearchHit(Base):
    """A person was told of this opportunity through this saved search."""

    __tablename__ = "saved_search_hit"
    __table_args__ = (Index("ix_saved_search_hit_opportunity", "opportunity_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunity.id", ondelete="CASCADE"), primary_key=True
    )
    search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_search.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
