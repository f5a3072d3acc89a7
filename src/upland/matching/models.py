"""What matching keeps in the database: one vector per item and text version.

The database is the index's source of truth (`upland index rebuild` and every web process read
it): each row holds the text the item was matched on, its hash, the model that embedded it and
the float32 vector. A row whose item left the pool (deleted, never published) is kept inactive
with a fresh `updated_at`, so other processes learn of the removal by the same walk.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow


class ItemVector(Base):
    __tablename__ = "item_vector"
    __table_args__ = (
        UniqueConstraint("item_kind", "item_id"),
        Index("ix_item_vector_updated", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(12))  # "organisation" or "opportunity"
    item_id: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[str] = mapped_column(String(8), default="pl")  # "pl", "en" or "pl+en"
    text_hash: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(String(80))
    dimension: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(default=True)
    # Whether an anonymous reader may open the item: only such items count in BM25's corpus
    # statistics (`lexical.Bm25Index`), so no score tells what restricted items say.
    public: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Whether any member of the cluster may open it: with `public`, what the index narrows a
    # reader's search to (`index.MatchIndex.reach`); the core rule still decides.
    members: Mapped[bool] = mapped_column(default=True, server_default=true())
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
