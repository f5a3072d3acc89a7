"""Lexical retrieval: Okapi BM25 over the registry's analyser (pure: no session, no clock).

Each word of a text stands for two terms, its Polish lemma and its English stem, both folded
(`textkit.analysis`): "obróbka", "obróbki" and "obróbką" share the lemma "obrobka", "welded"
and "welding" the stem "weld". A query is analysed the same way, so Polish inflection does not
matter. A short list of function words of both languages is dropped: a query of nothing else
has no lexical terms, and its ranking is the dense one's.

Why not `bm25s`: it builds an immutable sparse matrix, so adding or removing one document means
indexing all of them again, while an edit must be matchable within seconds. Here postings are
kept per term (dictionary for updates, numpy arrays rebuilt lazily for the term alone), so an
add or a remove costs the document's own terms, and a query is a few vectorised array
operations per query term.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from functools import lru_cache

import numpy as np

from upland.textkit.analysis import english_stem, polish_lemma
from upland.textkit.folding import fold

__all__ = ["STOP_WORDS", "Bm25Index", "terms"]

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[0-9a-z]+")
MAX_QUERY_TERMS = 64

STOP_WORDS = frozenset(
    """
    a aby albo ale and are as at be by czy dla do for from i in is it jak jest ktory kto
    lub na nad o od of on or po pod przez sie sa so that the to w we who with z za ze oraz
    tez szukamy szukam we need looking our nasz nasza nasze which can
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


@lru_cache(maxsize=1 << 16)
def _word_terms(word: str) -> tuple[str, ...]:
    found: list[str] = []
    for surface in _TOKEN.findall(fold(word)):
        if surface in STOP_WORDS:
            continue
        if not surface.isalpha():
            found.append(surface)
            continue
        found.extend(_TOKEN.findall(fold(polish_lemma(word))) or [surface])
        found.append(english_stem(surface))
    return tuple(dict.fromkeys(t for t in found if t not in STOP_WORDS))


def terms(text: str) -> list[str]:
    """The BM25 terms of a text, in order, repeated as often as their words occur."""
    return [t for word in _WORD.findall(text.lower().replace("_", " ")) for t in _word_terms(word)]


class Bm25Index:
    """BM25 over documents named by any hashable key; `add` replaces a key's document."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self._postings: dict[str, dict[int, int]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._doc_of: dict[Hashable, int] = {}
        self._keys: list[Hashable | None] = []
        self._doc_terms: dict[int, tuple[str, ...]] = {}
        self._lengths = np.zeros(16, dtype=np.float32)
        self._total = 0.0

    def __len__(self) -> int:
        return len(self._doc_of)

    def __contains__(self, key: object) -> bool:
        return key in self._doc_of

    def add(self, key: Hashable, doc_terms: Iterable[str]) -> None:
        self.remove(key)
        counts = Counter(doc_terms)
        doc = len(self._keys)
        self._keys.append(key)
        self._doc_of[key] = doc
        if doc >= len(self._lengths):
            self._lengths = np.concatenate([self._lengths, np.zeros_like(self._lengths)])
        length = float(sum(counts.values()))
        self._lengths[doc] = length
        self._total += length
        self._doc_terms[doc] = tuple(counts)
        for term, tf in counts.items():
            self._postings.setdefault(term, {})[doc] = tf
            self._arrays.pop(term, None)

    def remove(self, key: Hashable) -> None:
        doc = self._doc_of.pop(key, None)
        if doc is None:
            return
        self._keys[doc] = None
        self._total -= float(self._lengths[doc])
        self._lengths[doc] = 0.0
        for term in self._doc_terms.pop(doc):
            del self._postings[term][doc]
            if not self._postings[term]:
                del self._postings[term]
            self._arrays.pop(term, None)

    def _array(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        found = self._arrays.get(term)
        if found is None:
            docs = self._postings.get(term)
            if not docs:
                return None
            found = (
                np.fromiter(docs.keys(), dtype=np.int64, count=len(docs)),
                np.fromiter(docs.values(), dtype=np.float32, count=len(docs)),
            )
            self._arrays[term] = found
        return found

    def prepare(self) -> None:
        """Build every term's arrays now (after a bulk load), so that no query pays for the
        first use of a term (at 100 000 documents a common term's arrays take milliseconds)."""
        for term in self._postings:
            self._array(term)

    def idf(self, term: str) -> float:
        df = len(self._postings.get(term, ()))
        n = len(self._doc_of)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_terms: Iterable[str]) -> tuple[np.ndarray, float]:
        """Every document's score (by internal number) and the query's best possible score
        (each distinct term's idf at saturation), the latter to judge how well any matched."""
        scores = np.zeros(len(self._keys), dtype=np.float32)
        n = len(self._doc_of)
        if not n:
            return scores, 0.0
        average = self._total / n or 1.0
        ceiling = 0.0
        for term, qtf in list(Counter(query_terms).items())[:MAX_QUERY_TERMS]:
            idf = self.idf(term)
            ceiling += idf * (self.k1 + 1) * min(qtf, 1)
            arrays = self._array(term)
            if arrays is None:
                continue
            docs, tf = arrays
            norm = self.k1 * (1 - self.b + self.b * self._lengths[docs] / average)
            scores[docs] += idf * tf * (self.k1 + 1) / (tf + norm)
        return scores, ceiling

    def score(
        self, query_terms: Iterable[str], keys: Iterable[Hashable]
    ) -> tuple[list[tuple[Hashable, float]], float]:
        """These documents' positive scores, best first (ties: the earlier added), and the
        query's best possible score."""
        scores, ceiling = self.scores(query_terms)
        docs = np.array(
            sorted(d for d in (self._doc_of.get(key) for key in keys) if d is not None),
            dtype=np.int64,
        )
        hits = docs[scores[docs] > 0] if len(docs) else docs
        order = hits[np.lexsort((hits, -scores[hits]))]
        return [(self._keys[d], float(scores[d])) for d in order], ceiling

    def search(
        self, query_terms: Iterable[str], k: int
    ) -> tuple[list[tuple[Hashable, float]], float]:
        """The `k` best documents with a positive score, best first (ties: the earlier added),
        and the query's best possible score."""
        scores, ceiling = self.scores(query_terms)
        hits = np.flatnonzero(scores > 0)
        if k <= 0 or not len(hits):
            return [], ceiling
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        order = hits[np.lexsort((hits, -scores[hits]))]
        return [(self._keys[d], float(scores[d])) for d in order], ceiling
