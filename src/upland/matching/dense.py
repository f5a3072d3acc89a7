"""Dense retrieval: cosine similarity of L2-normalised float32 vectors, exact or approximate.

Below `exact_below` vectors the search is exact (one numpy product); above it, a usearch HNSW
graph proposes candidates and they are re-scored exactly: the graph stores its vectors in a
compact `dtype` (by default 8-bit integers, a quarter of float32's memory and several times
faster to build and walk, and f16 from `LARGE_GRAPH` items, where 8 bits blur the near-ties
the graph must tell apart), is asked for `oversample` times the wanted count, and every
candidate's score is the float32 cosine from the base matrix kept beside it. So a score never
depends on the path, and the path changes which items are found only as far as the graph's
recall falls short of exact search (`bench/matching.py` measures it). The graph and the base
matrix can be saved to files and memory-mapped by every web process; changes made after the
graph was built live in a small exact `delta` beside it, and are folded in when the delta
grows past `fold_after`.

Keys are non-negative integers (matching packs an item's kind and id into one: `pack`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from upland.textkit.embedding import blas_threads

__all__ = [
    "DTYPES",
    "DenseIndex",
    "add_expansion",
    "graph_dtype",
    "pack",
    "unpack",
    "vectors_path",
]

DTYPES = ("f32", "f16", "i8")  # how the graph stores its vectors (scores are always float32)

_KIND_SHIFT = 40


def pack(kind_code: int, item_id: int) -> int:
    """One integer key for an item of a kind (0, 1, …) and its id."""
    return (kind_code << _KIND_SHIFT) | item_id


def unpack(key: int) -> tuple[int, int]:
    return key >> _KIND_SHIFT, key & ((1 << _KIND_SHIFT) - 1)


def vectors_path(graph: Path) -> Path:
    """Where the float32 base matrix of a saved graph lives (its rows in key order)."""
    return graph.with_suffix(".vectors.npy")


class _Exact:
    """Keys and a matrix of their vectors; rows appended, removals leave a zero row."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._matrix = np.zeros((16, dimension), dtype=np.float32)
        self._keys: list[int] = []
        self._row: dict[int, int] = {}

    @classmethod
    def of(cls, keys: np.ndarray, matrix: np.ndarray) -> _Exact:
        """Rows given at once (distinct keys); the matrix is used as it is, not copied."""
        exact = cls(matrix.shape[1])
        exact._matrix = matrix
        exact._keys = [int(key) for key in keys.tolist()]
        exact._row = {key: row for row, key in enumerate(exact._keys)}
        return exact

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, key: int) -> bool:
        return key in self._row

    def put(self, key: int, vector: np.ndarray) -> None:
        row = self._row.get(key)
        if row is None:
            row = len(self._keys)
            if row >= len(self._matrix):
                grown = np.zeros((2 * len(self._matrix), self.dimension), dtype=np.float32)
                grown[: len(self._matrix)] = self._matrix
                self._matrix = grown
            self._keys.append(key)
            self._row[key] = row
        self._matrix[row] = vector

    def remove(self, key: int) -> None:
        row = self._row.pop(key, None)
        if row is not None:
            self._matrix[row] = 0.0
            self._keys[row] = -1

    def vector(self, key: int) -> np.ndarray | None:
        row = self._row.get(key)
        return None if row is None else self._matrix[row]

    def items(self) -> Iterable[tuple[int, np.ndarray]]:
        for key, row in self._row.items():
            yield key, self._matrix[row]

    def search(
        self, query: np.ndarray, k: int, within: frozenset[int] | None = None
    ) -> list[tuple[int, float]]:
        n = len(self._keys)
        if not n or k <= 0:
            return []
        with blas_threads(1):
            scores = self._matrix[:n] @ query
        if within is None:
            live = np.fromiter((key >= 0 for key in self._keys), dtype=bool, count=n)
        else:  # a removed row's key is -1, never in `within`
            live = np.fromiter((key in within for key in self._keys), dtype=bool, count=n)
        rows = np.flatnonzero(live)
        if len(rows) > k:
            rows = rows[_at_least_kth(scores[rows], k)]
        found = [(self._keys[r], float(scores[r])) for r in rows.tolist()]
        return sorted(found, key=lambda item: (-item[1], item[0]))[:k]


def _at_least_kth(scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the `k` best scores and of every score tied with the k-th, so that
    the caller's order (ties: the lower key) decides among those tied at the k-th place."""
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    return np.flatnonzero(scores >= kth)


# Graph parameters chosen by the graph's size (docs/performance.md, "Matching index": the
# sweeps behind them). On the benchmark's corpus an 8-bit graph (expansion 128 when adding)
# reached recall@10 0.994 at 100 000 items and 0.984 at 300 000 with search expansion 2 048,
# but at 1 000 000 it stopped at 0.93 however wide the search: usearch scales a unit vector's
# components by 127 and truncates, a handful of levels each, which blurs the near-ties the
# graph must tell apart. An f16 graph built with expansion 256 gave 0.964 at 2 048. So a large
# graph stores f16 and is built with twice the expansion (twice the graph's vector memory
# and about twice the build time); a smaller one keeps i8 and 128 (half the memory, faster to
# build and to fold changes into), where they already reach 0.98-0.99.
# A `within` set of at most a quarter of the graph and WITHIN_ROWS_MOST rows is scored exactly
# from a copy of its rows (128 MB at most); a larger one filters the graph's answers, asked for
# WIDEN times more until enough are found.
WITHIN_SHARE = 4
WITHIN_ROWS_MOST = 65_536
WIDEN = 4
LARGE_GRAPH = 500_000  # from this many items: f16 and LARGE_EXPANSION_ADD
EXPANSION_ADD = 128
LARGE_EXPANSION_ADD = 256


def graph_dtype(count: int) -> str:
    """How a graph of `count` items stores its vectors when the dtype is "auto"."""
    return "f16" if count >= LARGE_GRAPH else "i8"


def add_expansion(count: int) -> int:
    """The expansion when adding to a graph of `count` items when none is given."""
    return LARGE_EXPANSION_ADD if count >= LARGE_GRAPH else EXPANSION_ADD


class DenseIndex:
    """Vectors by key: exact below `exact_below`, else a usearch graph plus an exact delta.

    Graph parameters: `connectivity` (links per node), `expansion_add` and `expansion_search`
    (candidate lists while building and searching; usearch explores at least as many as it is
    asked for), `dtype` (one of `DTYPES`) and `oversample` (candidates taken from the graph
    per wanted result, re-scored exactly). `dtype="auto"` and `expansion_add=None` (the
    defaults) choose by the graph's size (`graph_dtype`, `add_expansion`)."""

    def __init__(
        self,
        dimension: int,
        *,
        exact_below: int = 20_000,
        fold_after: int = 2_000,
        connectivity: int = 16,
        expansion_add: int | None = None,
        expansion_search: int = 2048,
        dtype: str = "auto",
        oversample: int = 2,
        build_threads: int = 1,
    ) -> None:
        if dtype != "auto" and dtype not in DTYPES:
            raise ValueError(f"unknown graph dtype {dtype!r}: auto or one of {', '.join(DTYPES)}")
        if expansion_add is not None and expansion_add < 1:
            raise ValueError("expansion_add >= 1 (or None: by the graph's size)")
        if connectivity < 2 or expansion_search < 1 or oversample < 1:
            raise ValueError("connectivity >= 2, expansions and oversample >= 1")
        self.dimension = dimension
        self.exact_below = exact_below
        self.fold_after = fold_after
        self.connectivity = connectivity
        self.expansion_add = expansion_add  # None: `add_expansion(graph size)`
        self.expansion_search = expansion_search
        self.dtype = dtype  # "auto": `graph_dtype(graph size)`
        self.oversample = oversample
        self.build_threads = build_threads  # 0: every core (`upland index rebuild`)
        self._graph: Any = None  # usearch Index over the base, or None
        self._base_keys = np.zeros(0, dtype=np.uint64)  # the graph's keys, sorted
        self._base = np.zeros((0, dimension), dtype=np.float32)  # their vectors, same order
        self._graph_keys: set[int] = set()
        self._masked: set[int] = set()  # base keys changed or removed since the graph was built
        self._delta = _Exact(dimension)
        self._within_rows: list[tuple[frozenset[int], np.ndarray, np.ndarray, np.ndarray]] = []

    @classmethod
    def from_matrix(cls, keys: np.ndarray, matrix: np.ndarray, **options: Any) -> DenseIndex:
        """An index of these rows at once (distinct keys, L2-normalised float32 rows): exact
        or a graph by `exact_below`, as `rebuild` would make it; the matrix is not copied when
        its keys are in order."""
        index = cls(matrix.shape[1], **options)
        index._build(np.asarray(keys, dtype=np.uint64), np.asarray(matrix, dtype=np.float32))
        return index

    @property
    def approximate(self) -> bool:
        return self._graph is not None

    def __len__(self) -> int:
        return len(self._graph_keys - self._masked) + len(self._delta)

    def _check(self, vector: np.ndarray) -> np.ndarray:
        v = np.asarray(vector, dtype=np.float32).reshape(-1)
        if v.shape[0] != self.dimension:
            raise ValueError(f"dimension mismatch: {v.shape[0]} != {self.dimension}")
        return v

    def put(self, key: int, vector: np.ndarray) -> None:
        """Add or replace one vector (rows are expected L2-normalised)."""
        v = self._check(vector)
        if key in self._graph_keys:
            self._masked.add(key)
        self._delta.put(key, v)
        self._maybe_rebuild()

    def remove(self, key: int) -> None:
        if key in self._graph_keys:
            self._masked.add(key)
        self._delta.remove(key)

    def _maybe_rebuild(self) -> None:
        if (self._graph is None and len(self._delta) >= self.exact_below) or (
            self._graph is not None and len(self._delta) >= self.fold_after
        ):
            self.rebuild()

    def _all(self) -> tuple[np.ndarray, np.ndarray]:
        keys: list[int] = []
        rows: list[np.ndarray] = []
        if self._graph is not None:
            base = sorted(self._graph_keys - self._masked)
            if base:
                keys.extend(base)
                rows.append(self._vectors(np.array(base, dtype=np.uint64)))
        for key, vector in self._delta.items():
            keys.append(key)
            rows.append(vector.reshape(1, -1))
        matrix = (
            np.vstack(rows).astype(np.float32)
            if rows
            else np.zeros((0, self.dimension), dtype=np.float32)
        )
        return np.array(keys, dtype=np.uint64), matrix

    def _vectors(self, keys: np.ndarray) -> np.ndarray:
        """The base's float32 vectors of these graph keys."""
        return np.asarray(self._base[np.searchsorted(self._base_keys, keys)], dtype=np.float32)

    def rebuild(self) -> None:
        """Everything into one structure: a graph when large enough, else the exact matrix."""
        self._build(*self._all())

    def _build(self, keys: np.ndarray, matrix: np.ndarray) -> None:
        if len(keys) > 1 and not bool(np.all(keys[:-1] < keys[1:])):
            order = np.argsort(keys, kind="stable")
            keys, matrix = keys[order], matrix[order]
        matrix = np.ascontiguousarray(matrix)
        self._graph, self._graph_keys, self._masked = None, set(), set()
        self._base_keys = np.zeros(0, dtype=np.uint64)
        self._base = np.zeros((0, self.dimension), dtype=np.float32)
        if len(keys) < self.exact_below:
            self._delta = _Exact.of(keys, matrix) if len(keys) else _Exact(self.dimension)
            return
        self._delta = _Exact(self.dimension)
        from usearch.index import Index

        graph = Index(
            ndim=self.dimension,
            metric="cos",
            dtype=graph_dtype(len(keys)) if self.dtype == "auto" else self.dtype,
            connectivity=self.connectivity,
            expansion_add=add_expansion(len(keys))
            if self.expansion_add is None
            else self.expansion_add,
            expansion_search=self.expansion_search,
        )
        graph.add(keys, matrix, threads=self.build_threads)
        self._graph, self._graph_keys = graph, set(keys.tolist())
        self._base_keys, self._base = keys, matrix

    def save(self, path: Path) -> None:
        """Write the graph (rebuilding first), its base matrix and a note of its keys' count;
        exact: nothing."""
        self.rebuild()
        if self._graph is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._graph.save(str(path))
        with vectors_path(path).open("wb") as out:
            np.save(out, self._base)
        np.save(path.with_suffix(".keys.npy"), self._base_keys)
        note = {
            "dimension": self.dimension,
            "count": len(self._graph_keys),
            "dtype": self.graph_parameters()["dtype"],
        }
        path.with_suffix(".json").write_text(json.dumps(note))

    def view(self, path: Path) -> None:
        """Memory-map a saved graph and its base matrix as the base (their keys replace the
        current base)."""
        from usearch.index import Index

        graph = Index(ndim=self.dimension, metric="cos", expansion_search=self.expansion_search)
        graph.view(str(path))
        if graph.ndim != self.dimension:
            raise ValueError(f"{path} is not a {self.dimension}-dimensional usearch index")
        keys = np.load(path.with_suffix(".keys.npy"))
        base = np.load(vectors_path(path), mmap_mode="r")
        if base.shape != (len(keys), self.dimension) or len(keys) != len(graph):
            raise ValueError(f"{path}: the graph and its base matrix do not agree")
        self._graph, self._base_keys, self._base = graph, keys, base
        self._graph_keys = set(keys.tolist())
        self._masked = {key for key, _ in self._delta.items() if key in self._graph_keys}

    def graph_parameters(self) -> dict[str, Any]:
        """What the current graph was built with (empty when exact; a mapped graph's file
        keeps its dtype and connectivity, not the expansion it was built with)."""
        if self._graph is None:
            return {}
        return {
            "dtype": str(self._graph.dtype).rsplit(".", 1)[-1].lower(),
            "connectivity": int(self._graph.connectivity),
            "expansion_add": int(self._graph.expansion_add),
            "expansion_search": int(self._graph.expansion_search),
            "oversample": self.oversample,
        }

    def search(
        self,
        query: np.ndarray,
        k: int,
        within: frozenset[int] | None = None,
        also: Iterable[int] = (),
    ) -> list[tuple[int, float]]:
        """The `k` nearest keys by cosine, best first (ties: the lower key); with `within`,
        of those keys and the few keys `also` only. A `within` small beside the graph is
        scored exactly, from a copy of its rows (a member's items among a catalogue's ended
        ones: walking the graph past the others took 90-130 ms at 100 000 items); a large one
        filters the graph's answers, asking it for more until `k` are found."""
        q = self._check(query)
        norm = float(np.linalg.norm(q))
        if k <= 0 or norm == 0:
            return []
        q = q / norm
        if within is None:
            found = self._nearest(q, k)
        else:
            found = self._nearest_within(q, k, within)
            found.update((key, s) for key, s in self.score(q, also) if key not in found)
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:k]

    def _nearest(self, q: np.ndarray, k: int) -> dict[int, float]:
        found = dict(self._delta.search(q, k))
        if self._graph is not None and self._graph_keys:
            found.update(self._search_graph(q, k, found))
        return found

    def _nearest_within(self, q: np.ndarray, k: int, within: frozenset[int]) -> dict[int, float]:
        found = dict(self._delta.search(q, k, within))
        if self._graph is None or not self._graph_keys:
            return found
        if len(within) <= min(len(self._graph_keys) // WITHIN_SHARE, WITHIN_ROWS_MOST):
            keys, matrix = self._within_base(within)
            with blas_threads(1):
                scores = matrix @ q
            top = k + len(self._masked)
            best = _at_least_kth(scores, top) if len(scores) > top else None
            chosen = range(len(scores)) if best is None else best.tolist()
            for n in chosen:
                key = int(keys[n])
                if key not in self._masked and key not in found:
                    found[key] = float(scores[n])
            return found
        wanted = k
        while True:
            hits = self._search_graph(q, wanted, found)
            kept = {key: score for key, score in hits.items() if key in within}
            if len(kept) >= k or wanted * self.oversample >= len(self._graph_keys):
                return found | kept
            wanted *= WIDEN

    def _within_base(self, within: frozenset[int]) -> tuple[np.ndarray, np.ndarray]:
        """The graph's keys among these and their float32 vectors, one contiguous matrix (kept
        for the last two sets asked: a reader's level names the same set until the index
        changes, and gathering 62 500 scattered rows of a million took 30 ms a query)."""
        for cached, base, keys, matrix in self._within_rows:
            if cached is within and base is self._base_keys:
                return keys, matrix
        wanted = np.fromiter(within, dtype=np.uint64, count=len(within))
        positions = np.searchsorted(self._base_keys, wanted)
        inside = positions < len(self._base_keys)
        positions = positions[inside]
        rows = np.sort(positions[self._base_keys[positions] == wanted[inside]])
        keys = self._base_keys[rows]
        matrix = np.ascontiguousarray(self._base[rows], dtype=np.float32)
        self._within_rows = [(within, self._base_keys, keys, matrix), *self._within_rows[:1]]
        return keys, matrix

    def score(self, query: np.ndarray, keys: Iterable[int]) -> list[tuple[int, float]]:
        """The cosine of each of these keys that the index holds, best first (ties: the lower
        key): a few named items scored exactly, without walking the graph for them."""
        q = self._check(query)
        norm = float(np.linalg.norm(q))
        if norm == 0:
            return []
        q = q / norm
        found: dict[int, float] = {}
        base: list[int] = []
        for key in keys:
            vector = self._delta.vector(key)
            if vector is not None:
                found[key] = float(vector @ q)
            elif key in self._graph_keys and key not in self._masked:
                base.append(key)
        if base:
            ordered = np.array(sorted(base), dtype=np.uint64)
            with blas_threads(1):
                scores = self._vectors(ordered) @ q
            found.update(zip(ordered.tolist(), scores.tolist(), strict=True))
        return sorted(found.items(), key=lambda item: (-item[1], item[0]))

    def _search_graph(self, q: np.ndarray, k: int, found: dict[int, float]) -> dict[int, float]:
        """The graph's candidates for `k` results (oversampled), scored by exact cosine."""
        wanted = min(k * self.oversample + len(self._masked), len(self._graph_keys))
        matches = self._graph.search(q, wanted, threads=1)
        keys = np.asarray(matches.keys, dtype=np.uint64)
        keep = [key not in self._masked and key not in found for key in keys.tolist()]
        keys = keys[np.array(keep, dtype=bool)]
        if not len(keys):
            return {}
        with blas_threads(1):
            scores = self._vectors(keys) @ q
        return dict(zip(keys.tolist(), scores.tolist(), strict=True))
