"""Every read of matching's own table (`item_vector`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from upland.matching.models import ItemVector


@dataclass(frozen=True)
class StoredVector:
    kind: str
    id: int
    text: str
    languages: str
    model: str
    vector: np.ndarray | None  # None when not asked for
    active: bool
    updated_at: dt.datetime
    public: bool = True  # an anonymous reader may open it (`models.ItemVector.public`)
    members: bool = True  # any member of the cluster may open it (`models.ItemVector.members`)


def iter_vectors(
    session: Session,
    *,
    since: dt.datetime | None = None,
    with_vectors: bool = True,
    with_texts: bool = True,
    batch: int = 2000,
) -> Iterator[StoredVector]:
    """Stored rows (changed at or after `since`, if given), oldest change first; without
    texts, `text` is empty (a process that mapped a saved BM25 index needs none)."""
    columns: list[Any] = [
        ItemVector.id,
        ItemVector.item_kind,
        ItemVector.item_id,
        ItemVector.text if with_texts else literal("").label("text"),
        ItemVector.languages,
        ItemVector.model,
        ItemVector.dimension,
        ItemVector.active,
        ItemVector.updated_at,
        ItemVector.public,
        ItemVector.members,
    ]
    if with_vectors:
        columns.append(ItemVector.vector)
    stmt = select(*columns).order_by(ItemVector.updated_at, ItemVector.id)
    if since is not None:
        stmt = stmt.where(ItemVector.updated_at >= since)
    for row in session.execute(stmt.execution_options(yield_per=batch)):
        vector = np.frombuffer(row.vector, dtype=np.float32) if with_vectors else None
        yield StoredVector(
            row.item_kind,
            row.item_id,
            row.text,
            row.languages,
            row.model,
            vector,
            row.active,
            row.updated_at,
            row.public,
            row.members,
        )


def stored_versions(session: Session, kind: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(text hash, model) of each stored item of a kind, by item id."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 1000):
        stmt = select(ItemVector.item_id, ItemVector.text_hash, ItemVector.model).where(
            ItemVector.item_kind == kind, ItemVector.item_id.in_(wanted[start : start + 1000])
        )
        found.update({row.item_id: (row.text_hash, row.model) for row in session.execute(stmt)})
    return found


Readers = tuple[bool, bool]  # (`public`, `members`) of a stored row


def reader_flags(session: Session, kind: str, ids: Iterable[int] | None) -> dict[int, Readers]:
    """`public` and `members` of each active stored row of a kind (of these items; all when
    None)."""
    stmt = select(ItemVector.item_id, ItemVector.public, ItemVector.members).where(
        ItemVector.item_kind == kind, ItemVector.active.is_(True)
    )
    if ids is None:
        return {row.item_id: (row.public, row.members) for row in session.execute(stmt)}
    wanted = sorted(set(ids))
    found: dict[int, Readers] = {}
    for start in range(0, len(wanted), 1000):
        chunk = stmt.where(ItemVector.item_id.in_(wanted[start : start + 1000]))
        found.update({row.item_id: (row.public, row.members) for row in session.execute(chunk)})
    return found


def stored_ids(session: Session, kind: str) -> set[int]:
    """Ids of a kind's items with an active row."""
    stmt = select(ItemVector.item_id).where(
        ItemVector.item_kind == kind, ItemVector.active.is_(True)
    )
    return set(session.scalars(stmt))


def get_vector(session: Session, kind: str, item_id: int) -> StoredVector | None:
    """The stored, active row of one item, with its vector."""
    row = session.scalars(
        select(ItemVector).where(
            ItemVector.item_kind == kind,
            ItemVector.item_id == item_id,
            ItemVector.active.is_(True),
        )
    ).one_or_none()
    if row is None:
        return None
    return _stored(row)


def active_vectors(session: Session, kind: str, ids: Iterable[int]) -> dict[int, StoredVector]:
    """The stored, active rows of these items (with vectors), by item id."""
    wanted = sorted(set(ids))
    found: dict[int, StoredVector] = {}
    for start in range(0, len(wanted), 1000):
        stmt = select(ItemVector).where(
            ItemVector.item_kind == kind,
            ItemVector.item_id.in_(wanted[start : start + 1000]),
            ItemVector.active.is_(True),
        )
        for row in session.scalars(stmt):
            found[row.item_id] = _stored(row)
    return found


def _stored(row: ItemVector) -> StoredVector:
    return StoredVector(
        row.item_kind,
        row.item_id,
        row.text,
        row.languages,
        row.model,
        np.frombuffer(row.vector, dtype=np.float32),
        row.active,
        row.updated_at,
        row.public,
        row.members,
    )
