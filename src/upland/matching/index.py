"""The in-memory matching index of one process, kept in step with `item_vector`.

An index holds every active item's BM25 document and vector, and the languages of its own
words. `sync` reads the rows changed since its last walk (with a few seconds' overlap, so a
row committed late by another process is not missed; re-applying a row is harmless), so an
item edited anywhere is matchable in this process at its next query. When a usearch graph was
saved by `upland index rebuild` (`graph_path`), the process memory-maps it and reads vectors
only for rows changed after it was built.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session

from upland.matching import queries
from upland.matching.dense import DenseIndex, pack, unpack, vectors_path
from upland.matching.lexical import Bm25Index, terms
from upland.matching.queries import StoredVector
from upland.matching.texts import ITEM_KINDS

OVERLAP = dt.timedelta(seconds=10)

Key = tuple[str, int]  # (item kind, item id)

# Who may open an item, as the stored rows say (`ItemVector.public`, `.members`): bits.
PUBLIC, MEMBERS = 1, 2


@dataclass(frozen=True)
class Reach:
    """The items a reader may open at most, as far as the index can tell: those every reader
    of their level opens (`level`: PUBLIC or MEMBERS, the rows' flags), and the few they open
    for who they are (`own`: their organisations' items, those naming them, their officer's
    area). A search narrowed to these need not walk past the many items a reader may not open
    (on a catalogue of years, most opportunities have ended); the core rule still decides,
    item by item, so a flag not yet refreshed can hide an item until its refresh job has run
    (seconds), never show one."""

    level: int
    own: frozenset[Key] = frozenset()


def dense_key(key: Key) -> int:
    return pack(ITEM_KINDS.index(key[0]), key[1])


def item_key(packed: int) -> Key:
    kind, item_id = unpack(packed)
    return ITEM_KINDS[kind], item_id


class MatchIndex:
    """BM25 documents, vectors and languages of the items embedded by one model."""

    def __init__(
        self,
        model: str,
        dimension: int,
        *,
        exact_below: int = 20_000,
        graph: Path | None = None,
        build_threads: int = 1,
        dtype: str = "auto",
    ) -> None:
        self.model = model
        self.dimension = dimension
        self.lexical = Bm25Index()
        self.dense = DenseIndex(
            dimension, exact_below=exact_below, build_threads=build_threads, dtype=dtype
        )
        self.languages: dict[Key, str] = {}
        self._levels: dict[int, set[Key]] = {PUBLIC: set(), MEMBERS: set()}  # who opens what
        self._level_versions = {PUBLIC: 0, MEMBERS: 0}
        self._level_keys: dict[int, tuple[int, frozenset[Key], frozenset[int]]] = {}
        self._applied: dict[Key, dt.datetime] = {}  # the version of each row taken in
        self.graph = graph
        self.synced_until: dt.datetime | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.languages)

    def __contains__(self, key: object) -> bool:
        return key in self.languages

    def apply(self, row: StoredVector, *, lexical: bool = True) -> None:
        """Take one stored row: put its item in (active, this model), or take it out. Without
        `lexical` its BM25 document is already in (a mapped saved index)."""
        key: Key = (row.kind, row.id)
        if self._applied.get(key) == row.updated_at:
            return  # seen in the overlap of an earlier walk
        self._applied[key] = row.updated_at
        if not row.active or row.model != self.model:
            self.lexical.remove(key)
            self.dense.remove(dense_key(key))
            self.languages.pop(key, None)
            self.set_readers(key, 0)
            return
        if lexical:
            self.lexical.add(key, terms(row.text), counted=row.public)
        if row.vector is not None:
            self.dense.put(dense_key(key), row.vector)
        self.languages[key] = row.languages
        self.set_readers(key, (PUBLIC if row.public else 0) | (MEMBERS if row.members else 0))

    def set_readers(self, key: Key, bits: int) -> None:
        """Record who may open an item (PUBLIC | MEMBERS bits; 0: neither level)."""
        for level, keys in self._levels.items():
            opens = bool(bits & level)
            if opens != (key in keys):
                (keys.add if opens else keys.discard)(key)
                self._level_versions[level] += 1

    def readers(self, key: Key) -> int:
        """Who may open an item, as its row says: PUBLIC | MEMBERS bits."""
        return sum(level for level, keys in self._levels.items() if key in keys)

    def of_level(self, level: int) -> tuple[frozenset[Key], frozenset[int]] | None:
        """The items every reader of a level may open, as keys and as dense keys (the same
        sets until one of them changes, so the searches keep what they derive from them);
        None when they are most of the index, where narrowing would save little."""
        if 2 * len(self._levels[level]) > len(self):
            return None
        cached = self._level_keys.get(level)
        if cached is None or cached[0] != self._level_versions[level]:
            with self._lock:  # not while a sync applies rows
                keys = frozenset(self._levels[level])
                cached = (self._level_versions[level], keys, frozenset(map(dense_key, keys)))
            self._level_keys[level] = cached
        return cached[1], cached[2]

    def _graph_built_at(self) -> dt.datetime | None:
        if self.graph is None or not self.graph.exists() or not vectors_path(self.graph).exists():
            return None  # none yet, or saved before graphs kept their base matrix
        try:
            note = json.loads(self.graph.with_suffix(".json").read_text())
        except (OSError, ValueError):
            return None
        if note.get("model") != self.model or note.get("dimension") != self.dimension:
            return None
        return dt.datetime.fromisoformat(note["built_at"])

    def load(self, session: Session) -> None:
        """Read everything: from a saved graph (and its BM25 index, else the texts) when there
        is one, else rows."""
        built_at = self._graph_built_at()
        with self._lock:
            if built_at is not None and self.graph is not None:
                self.dense.view(self.graph)
                mapped = self._map_lexical(built_at)
                rows = queries.iter_vectors(session, with_vectors=False, with_texts=not mapped)
                for row in rows:
                    if row.updated_at < built_at - OVERLAP:
                        self.apply(row, lexical=not mapped)
                since: dt.datetime | None = built_at - OVERLAP
            else:
                since, mapped = None, False
            self._walk(session, since)
            if built_at is None:
                self.dense.rebuild()
            if not mapped:  # a mapped index takes the few newer rows in its overlay
                self.lexical.prepare()

    def sync(self, session: Session) -> None:
        """Apply what changed since the last walk (everything, the first time)."""
        if self.synced_until is None:
            self.load(session)
            return
        with self._lock:
            self._walk(session, self.synced_until - OVERLAP)

    def _walk(self, session: Session, since: dt.datetime | None) -> None:
        latest = self.synced_until
        for row in queries.iter_vectors(session, since=since):
            self.apply(row)
            latest = row.updated_at if latest is None else max(latest, row.updated_at)
        self.synced_until = latest or dt.datetime.now(dt.UTC)

    def _map_lexical(self, built_at: dt.datetime) -> bool:
        """Map the BM25 index saved with the graph, when it is of the same build and of this
        analyser's version (else the texts are analysed again: 45 s at a million items)."""
        assert self.graph is not None
        prefix = bm25_prefix(self.graph)
        note = Bm25Index.saved_note(prefix)
        if note is None or note.get("built_at") != built_at.isoformat():
            return False
        if note.get("model") != self.model:
            return False
        try:
            self.lexical = Bm25Index.load(prefix, decode=item_key)
        except (OSError, ValueError, KeyError):  # replaced while read: analyse the texts
            return False
        return True

    def save_graph(self) -> bool:
        """Write the usearch graph and the BM25 index for other processes to map; False when
        exact suffices."""
        if self.graph is None:
            return False
        built_at = dt.datetime.now(dt.UTC) if self.synced_until is None else self.synced_until
        self.dense.save(self.graph)
        if not self.dense.approximate:
            return False
        self.lexical.save(
            bm25_prefix(self.graph),
            lambda key: dense_key(_as_key(key)),
            model=self.model,
            built_at=built_at.isoformat(),
        )
        note = json.loads(self.graph.with_suffix(".json").read_text())
        note |= {"model": self.model, "built_at": built_at.isoformat()}
        self.graph.with_suffix(".json").write_text(json.dumps(note))
        return True

    def search_dense(
        self, vector: np.ndarray, k: int, reach: Reach | None = None
    ) -> list[tuple[Key, float]]:
        level = None if reach is None else self.of_level(reach.level)
        if reach is None or level is None:
            found = self.dense.search(vector, k)
        else:
            also = [dense_key(key) for key in reach.own]
            found = self.dense.search(vector, k, within=level[1], also=also)
        return [(item_key(key), score) for key, score in found]

    def score_dense(self, vector: np.ndarray, keys: Iterable[Key]) -> list[tuple[Key, float]]:
        """The cosine of each of these items, best first (no graph walk)."""
        found = self.dense.score(vector, [dense_key(key) for key in keys])
        return [(item_key(key), score) for key, score in found]

    def score_lexical(
        self, words: list[str], keys: Iterable[Key]
    ) -> tuple[list[tuple[Key, float]], float]:
        found, ceiling = self.lexical.score(words, keys)
        return [(_as_key(key), score) for key, score in found], ceiling

    def search_lexical(
        self, words: list[str], k: int, reach: Reach | None = None
    ) -> tuple[list[tuple[Key, float]], float]:
        level = None if reach is None else self.of_level(reach.level)
        if reach is None or level is None:
            found, ceiling = self.lexical.search(words, k)
        else:
            found, ceiling = self.lexical.search(words, k, within=level[0], also=reach.own)
        return [(_as_key(key), score) for key, score in found], ceiling


def bm25_prefix(graph: Path) -> Path:
    """Where the BM25 index saved with a graph lives (`Bm25Index.saved_parts`)."""
    return graph.with_suffix(".bm25")


def _as_key(key: Hashable) -> Key:
    assert isinstance(key, tuple)
    return str(key[0]), int(key[1])
