"""Every write of matching: the stored vector of each item's current text.

`refresh_items` embeds only items whose text (hash) or model changed since they were stored,
marks items that left the pool inactive, records whether an anonymous reader and whether any
member may open each item (`ItemVector.public`: only those count in BM25's statistics;
`ItemVector.members`), and flushes; the caller
commits. `refresh_in_steps` does the same for jobs and the CLI without holding a write lock
while the model loads or embeds, or while visibility is read (SQLite has one writer: a web
request would wait behind it and fail as busy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upland.actor import ANONYMOUS, SYSTEM, Actor
from upland.db import reading, transaction
from upland.market import queries as market
from upland.matching import queries
from upland.matching.models import ItemVector
from upland.matching.queries import Readers
from upland.matching.texts import OPPORTUNITY, ORGANISATION, ItemText, in_pool, item_text
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.textkit.embedding import Embedder, embed_bulk, get_embedder

BATCH = 256
CHUNK = 1000  # ids per visibility query


@dataclass(frozen=True)
class Refreshed:
    embedded: int
    unchanged: int
    removed: int
    reclassified: int = 0  # stored rows whose item's readers changed (public, members)


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


# Any member of the cluster, of no organisation: what every member may open.
ANY_MEMBER = Actor(user_id=None, label="any member", is_cluster_member=True)


def _readers(session: Session, kind: str, ids: Sequence[int]) -> dict[int, Readers]:
    """(`public`, `members`) of each of `ids`: whether an anonymous reader, whether any member
    may open it (the areas' `visible_to`)."""
    visible = (
        organisations.visible_organisation_ids
        if kind == ORGANISATION
        else market.visible_opportunity_ids
    )
    public: set[int] = set()
    members: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        public |= visible(session, ANONYMOUS, chunk)
        members |= visible(session, ANY_MEMBER, chunk)
    return {item_id: (item_id in public, item_id in members) for item_id in ids}


def _store(
    session: Session,
    embedder: Embedder,
    items: list[ItemText],
    vectors: Sequence[np.ndarray] | np.ndarray,
) -> None:
    now = wall_clock()
    kinds = {item.kind for item in items}
    readers = {
        kind: _readers(session, kind, [i.id for i in items if i.kind == kind]) for kind in kinds
    }
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
        row.public, row.members = readers[item.kind][item.id]
        row.updated_at = now
    session.flush()


def _visibility_changes(
    session: Session, kind: str, wanted: list[int] | None
) -> dict[int, tuple[Readers, Readers]]:
    """The active rows whose item's readers changed (a change of visibility, an expiry: the
    text is the same, so nothing is to be embedded): their flags as stored, and as now."""
    flags = queries.reader_flags(session, kind, wanted)
    now = _readers(session, kind, sorted(flags))
    return {i: (stored, now[i]) for i, stored in flags.items() if stored != now[i]}


def _reclassify(session: Session, kind: str, turned: dict[int, tuple[Readers, Readers]]) -> int:
    """Write the new `public` and `members` flags (`_visibility_changes`) where they are still
    as they were read: a job that read them earlier than another must not write over what the
    later one found (the index searches by them: a flag wrongly off hides the item). How many
    were written."""
    written = 0
    for (old_public, old_members), (public, members) in sorted(set(turned.values())):
        ids = sorted(
            i
            for i, change in turned.items()
            if change == ((old_public, old_members), (public, members))
        )
        for start in range(0, len(ids), CHUNK):
            result = session.execute(
                update(ItemVector)
                .where(
                    ItemVector.item_kind == kind,
                    ItemVector.item_id.in_(ids[start : start + CHUNK]),
                    ItemVector.public.is_(old_public),
                    ItemVector.members.is_(old_members),
                )
                .values(public=public, members=members, updated_at=wall_clock())
            )
            written += result.rowcount  # type: ignore[attr-defined]
    session.flush()
    return written


def _changed(
    session: Session, kind: str, wanted: list[int] | None, model: Embedder, force: bool
) -> tuple[list[ItemText], int]:
    """The items whose stored vector is missing or stale, and how many are up to date."""
    if kind not in (ORGANISATION, OPPORTUNITY):
        raise ValueError(f"not an item kind: {kind!r}")
    items = _texts(session, kind, wanted)
    stored = queries.stored_versions(session, kind, [item.id for item in items])
    changed = [
        item for item in items if force or stored.get(item.id) != (item.text_hash, model.name)
    ]
    return changed, len(items) - len(changed)


def _mark_gone(session: Session, kind: str, wanted: list[int] | None) -> int:
    """Deactivate the stored rows of items that left the pool; how many."""
    present = {item.id for item in _texts(session, kind, wanted)}
    candidates = queries.stored_ids(session, kind) if wanted is None else set(wanted)
    gone = sorted(candidates - present)
    if not gone:
        return 0
    result = session.execute(
        update(ItemVector)
        .where(
            ItemVector.item_kind == kind,
            ItemVector.item_id.in_(gone),
            ItemVector.active.is_(True),
        )
        .values(active=False, updated_at=wall_clock())
    )
    session.flush()
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def refresh_items(
    session: Session,
    actor: Actor,
    kind: str,
    ids: Iterable[int] | None = None,
    *,
    embedder: Embedder | None = None,
    force: bool = False,
) -> Refreshed:
    """Bring the stored vectors of these items of `kind` (all when `ids` is None) up to date,
    in the caller's transaction."""
    require(actor, "matching.index.refresh")
    model = embedder or get_embedder()
    wanted = None if ids is None else sorted(set(ids))
    reclassified = _reclassify(session, kind, _visibility_changes(session, kind, wanted))
    changed, unchanged = _changed(session, kind, wanted, model, force)
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        _store(session, model, batch, embed_bulk(model, [item.text for item in batch]))
    removed = _mark_gone(session, kind, wanted)
    return Refreshed(len(changed), unchanged, removed, reclassified)


def refresh_in_steps(
    actor: Actor,
    kind: str,
    ids: Iterable[int] | None = None,
    *,
    embedder: Embedder | None = None,
    force: bool = False,
) -> Refreshed:
    """`refresh_items` in transactions of its own: who may open each stored item is written
    first (a change of visibility must not wait for, nor be lost with, a model that fails to
    embed), then the stale items are found in a read, each batch is embedded with no
    transaction open and stored in a short write of its own. An item whose text changed
    meanwhile is left alone: its change queued a refresh of its own."""
    require(actor, "matching.index.refresh")
    model = embedder or get_embedder()
    wanted = None if ids is None else sorted(set(ids))
    with reading() as session:
        turned = _visibility_changes(session, kind, wanted)
    with transaction() as session:
        reclassified = _reclassify(session, kind, turned)
    with reading() as session:
        changed, unchanged = _changed(session, kind, wanted, model, force)
    stored = 0
    for start in range(0, len(changed), BATCH):
        batch = changed[start : start + BATCH]
        vectors = embed_bulk(model, [item.text for item in batch])
        with transaction() as session:
            now = {item.id: item.text_hash for item in _texts(session, kind, [i.id for i in batch])}
            still = [n for n, item in enumerate(batch) if now.get(item.id) == item.text_hash]
            _store(session, model, [batch[n] for n in still], [vectors[n] for n in still])
            stored += len(still)
    with transaction() as session:
        removed = _mark_gone(session, kind, wanted)
    return Refreshed(stored, unchanged, removed, reclassified)


def reconcile_readers() -> int:
    """Who may open each stored item, read again and written where it changed (every kind;
    nothing is embedded): how many rows changed."""
    written = 0
    for kind in (ORGANISATION, OPPORTUNITY):
        with reading() as session:
            turned = _visibility_changes(session, kind, None)
        with transaction() as session:
            written += _reclassify(session, kind, turned)
    return written


def refresh_job(kind: str, ids: list[int]) -> Refreshed:
    """The job queued by a registry or marketplace change."""
    return refresh_in_steps(SYSTEM, kind, ids)


def refresh_all_job() -> list[Refreshed]:
    """Every item of every kind (after the demo is loaded)."""
    return [refresh_in_steps(SYSTEM, kind) for kind in (ORGANISATION, OPPORTUNITY)]
