"""Every write of matching: the stored vector of each item's current text.

`refresh_items` embeds only items whose text (hash) or model changed since they were stored,
marks items that left the pool inactive, and flushes; the caller commits. The job
`refresh_job` runs it in a transaction of its own after a registry or marketplace change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upland.actor import SYSTEM, Actor
from upland.db import transaction
from upland.market import queries as market
from upland.matching import queries
from upland.matching.models import ItemVector
from upland.matching.texts import OPPORTUNITY, ORGANISATION, ItemText, in_pool, item_text
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.textkit.embedding import Embedder, get_embedder

BATCH = 256


@dataclass(frozen=True)
class Refreshed:
    embedded: int
    unchanged: int
    removed: int


def wall_clock() -> dt.datetime:
    """Real time, not the demo's replayed clock: web processes follow the table by it."""
    return dt.datetime.now(dt.UTC)


def _texts(session: Session, kind: str, ids: Iterable[int] | None) -> list[ItemText]:
    sources = (
        organisations.list_profile_texts(session, ids)
        if kind == ORGANISATION
        else market.list_opportunity_texts(session, ids)
    )
    return [item_text(source) for source in sources if in_pool(source)]


def _store(session: Session, embedder: Embedder, items: list[ItemText]) -> None:
    vectors = embedder.embed([item.text for item in items])
    now = wall_clock()
    for item, vector in zip(items, vectors, strict=True):
        row = session.scalars(
            select(ItemVector).where(
                ItemVector.item_kind == item.kind, ItemVector.item_id == item.id
            )
        ).one_or_none()
        if row is None:
            row = ItemVector(item_kind=item.kind, item_id=item.id)
            session.add(row)
        row.text = item.text
        row.languages = item.languages
        row.text_hash = item.text_hash
        row.model = embedder.name
        row.dimension = embedder.dimension
        row.vector = np.asarray(vector, dtype=np.float32).tobytes()
        row.active = True
        row.updated_at = now
    session.flush()


def refresh_items(
    session: Session,
    actor: Actor,
    kind: str,
    ids: Iterable[int] | None = None,
    *,
    embedder: Embedder | None = None,
    force: bool = False,
) -> Refreshed:
    """Bring the stored vectors of these items of `kind` (all when `ids` is None) up to date."""
    require(actor, "matching.index.refresh")
    if kind not in (ORGANISATION, OPPORTUNITY):
        raise ValueError(f"not an item kind: {kind!r}")
    model = embedder or get_embedder()
    wanted = None if ids is None else sorted(set(ids))
    items = _texts(session, kind, wanted)
    stored = queries.stored_versions(session, kind, [item.id for item in items])
    changed = [
        item for item in items if force or stored.get(item.id) != (item.text_hash, model.name)
    ]
    for start in range(0, len(changed), BATCH):
        _store(session, model, changed[start : start + BATCH])
    present = {item.id for item in items}
    candidates = queries.stored_ids(session, kind) if wanted is None else set(wanted)
    gone = sorted(candidates - present)
    removed = 0
    if gone:
        result = session.execute(
            update(ItemVector)
            .where(
                ItemVector.item_kind == kind,
                ItemVector.item_id.in_(gone),
                ItemVector.active.is_(True),
            )
            .values(active=False, updated_at=wall_clock())
        )
        removed = result.rowcount  # type: ignore[attr-defined]
        session.flush()
    return Refreshed(len(changed), len(items) - len(changed), removed)


def refresh_job(kind: str, ids: list[int]) -> Refreshed:
    """The job queued by a registry or marketplace change: its own transaction."""
    with transaction() as session:
        return refresh_items(session, SYSTEM, kind, ids)


def refresh_all_job() -> list[Refreshed]:
    """Every item of every kind (after the demo is loaded): its own transaction."""
    with transaction() as session:
        return [refresh_items(session, SYSTEM, kind) for kind in (ORGANISATION, OPPORTUNITY)]
