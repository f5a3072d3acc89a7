"""Dense retrieval: cosine similarity of L2-normalised float32 vectors, exact or approximate.

Below `exact_below` vectors the search is exact (one numpy product); above it, a usearch HNSW
graph answers and its score is the same cosine (usearch's distance is 1 − cosine), so the
path changes which items are found only as far as the graph's recall falls short of exact
search (`bench/matching.py` measures it). The graph can be saved to a file and memory-mapped
(`view=True`) by every web process; changes made after it was built live in a small exact
`delta` beside it, and are folded in when the delta grows past `fold_after`.

Keys are non-negative integers (matching packs an item's kind and id into one: `pack`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from upland.textkit.embedding import blas_threads

__all__ = ["DenseIndex", "pack", "unpack"]

_KIND_SHIFT = 40


def pack(kind_code: int, item_id: int) -> int:
    """One integer key for an item of a kind (0, 1, …) and its id."""
    return (kind_code << _KIND_SHIFT) | item_id


def unpack(key: int) -> tuple[int, int]:
    return key >> _KIND_SHIFT, key & ((1 << _KIND_SHIFT) - 1)


class _Exact:
    """Keys and a matrix of their vectors; rows appended, removals leave a zero row."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._matrix = np.zeros((16, dimension), dtype=np.float32)
        self._keys: list[int] = []
        self._row: dict[int, int] = {}

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

    def items(self) -> Iterable[tuple[int, np.ndarray]]:
        for key, row in self._row.items():
            yield key, self._matrix[row]

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        n = len(self._keys)
        if not n or k <= 0:
            return []
        with blas_threads(1):
            scores = self._matrix[:n] @ query
        live = np.fromiter((key >= 0 for key in self._keys), dtype=bool, count=n)
        rows = np.flatnonzero(live)
        if len(rows) > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(self._keys[r], float(scores[r])) for r in rows]


class DenseIndex:
    """Vectors by key: exact below `exact_below`, else a usearch graph plus an exact delta."""

    def __init__(
        self,
        dimension: int,
        *,
        exact_below: int = 20_000,
        fold_after: int = 2_000,
        connectivity: int = 16,
        expansion_add: int = 128,
        expansion_search: int = 256,
        build_threads: int = 1,
    ) -> None:
        self.dimension = dimension
        self.exact_below = exact_below
        self.fold_after = fold_after
        self.connectivity = connectivity
        self.expansion_add = expansion_add
        self.expansion_search = expansion_search
        self.build_threads = build_threads  # 0: every core (`upland index rebuild`)
        self._graph: Any = None  # usearch Index over the base, or None
        self._graph_keys: set[int] = set()
        self._masked: set[int] = set()  # base keys changed or removed since the graph was built
        self._delta = _Exact(dimension)

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
                rows.append(np.asarray(self._graph.get(np.array(base, dtype=np.uint64))))
        for key, vector in self._delta.items():
            keys.append(key)
            rows.append(vector.reshape(1, -1))
        matrix = (
            np.vstack(rows).astype(np.float32)
            if rows
            else np.zeros((0, self.dimension), dtype=np.float32)
        )
        return np.array(keys, dtype=np.uint64), matrix

    def rebuild(self) -> None:
        """Everything into one structure: a graph when large enough, else the exact matrix."""
        keys, matrix = self._all()
        self._graph, self._graph_keys, self._masked = None, set(), set()
        self._delta = _Exact(self.dimension)
        if len(keys) < self.exact_below:
            for key, vector in zip(keys.tolist(), matrix, strict=True):
                self._delta.put(int(key), vector)
            return
        from usearch.index import Index

        graph = Index(
            ndim=self.dimension,
            metric="cos",
            dtype="f32",
            connectivity=self.connectivity,
            expansion_add=self.expansion_add,
            expansion_search=self.expansion_search,
        )
        graph.add(keys, matrix, threads=self.build_threads)
        self._graph, self._graph_keys = graph, set(keys.tolist())

    def save(self, path: Path) -> None:
        """Write the graph (rebuilding first) and a note of its keys' count; exact: nothing."""
        self.rebuild()
        if self._graph is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        self._graph.save(str(path))
        path.with_suffix(".json").write_text(
            json.dumps({"dimension": self.dimension, "count": len(self._graph_keys)})
        )

    def view(self, path: Path) -> None:
        """Memory-map a saved graph as the base (its keys replace the current base)."""
        from usearch.index import Index

        graph = Index(ndim=self.dimension, metric="cos", expansion_search=self.expansion_search)
        graph.view(str(path))
        if graph.ndim != self.dimension:
            raise ValueError(f"{path} is not a {self.dimension}-dimensional usearch index")
        self._graph = graph
        self._graph_keys = set(np.asarray(graph.keys, dtype=np.uint64).tolist())
        self._masked = {key for key, _ in self._delta.items() if key in self._graph_keys}

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` nearest keys by cosine, best first (ties: the lower key)."""
        q = self._check(query)
        norm = float(np.linalg.norm(q))
        if k <= 0 or norm == 0:
            return []
        q = q / norm
        found = dict(self._delta.search(q, k))
        if self._graph is not None and self._graph_keys:
            wanted = min(k + len(self._masked), len(self._graph_keys))
            matches = self._graph.search(q, wanted, threads=1)
            for key, distance in zip(
                matches.keys.tolist(), matches.distances.tolist(), strict=True
            ):
                if key not in self._masked and key not in found:
                    found[int(key)] = 1.0 - float(distance)
        ranked = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:k]
