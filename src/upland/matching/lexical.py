"""Lexical retrieval: Okapi BM25 over the registry's analyser (pure: no session, no clock).

Each word of a text stands for two terms, its Polish lemma and its English stem, both folded
(`textkit.analysis`): "obróbka", "obróbki" and "obróbką" share the lemma "obrobka", "welded"
and "welding" the stem "weld". A query is analysed the same way, so Polish inflection does not
matter. A short list of function words of both languages is dropped: a query of nothing else
has no lexical terms, and its ranking is the dense one's.

Why not `bm25s`: it builds an immutable sparse matrix, so adding or removing one document means
indexing all of them again, while an edit must be matchable within seconds. Why not Python
postings (a dictionary per term, as this module first kept them): about 0.5 GB per 100 000
documents, too much for a million. So the index has three parts:

* the base, built in bulk (`prepare`, or a merge): every term's postings as one row of a CSR
  matrix (`_indptr`; document numbers int32 and term frequencies float32), about 8 bytes per
  posting and no Python object per document or posting;
* the overlay: documents settled after the base was built, in per-term dictionaries with
  numpy arrays rebuilt lazily for the term alone, so an edit costs the document's own terms;
* pending: documents added since the last read, in compact arrays (a bulk load stays
  compact until `prepare` builds the base from them).

A removed base document only gets length 0 (its postings stay until the next merge) and stops
being counted, and a query zeroes its score. The corpus statistics (N, document frequencies,
average length) count only the documents added as `counted` (what everybody may read): the
others are scored by them but never move them, so no score tells what an unreadable document
says. A read first settles the pending documents: into the overlay, or, once the
postings changed since the base exceed an eighth of it, into a new base (documents renumbered
in their order, so ties keep going to the earlier added). A query is, per query term, a few
vectorised operations over the base row and the overlay's arrays, the same arithmetic in the
same order as ever, so scores do not depend on where a document is kept. A query's terms of
identical live postings (often a word's lemma, stem and family) are scored once, at their
summed weight (`_postings_groups`).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from functools import lru_cache
from itertools import compress
from pathlib import Path

import numpy as np

from upland.textkit.analysis import english_stem, polish_lemma
from upland.textkit.derivation import family
from upland.textkit.folding import fold

__all__ = [
    "STOP_WORDS",
    "Bm25Index",
    "matching_words",
    "polish_terms",
    "terms",
]

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[0-9a-z]+")
MAX_QUERY_TERMS = 64

STOP_WORDS = frozenset(
    """
    a aby albo ale and are as at be by czy dla do for from i in is it jak jest ktory kto
    lub na nad o od of on or po pod przez sie sa so that the to w we who with z za ze oraz
    tez szukamy szukam we need looking our nasz nasza nasze which can
    an any about does did has have had what this these those there their them they you
    your us my how where when will would could should may might must also into than then
    very just some such been was were its if but not no co ma maja moze moga ktora ktore
    ktorych jaki jakie jakiej ten ta te tego tej tych nie tak juz przy bez ich jej jego
    nas nam
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def polish_terms(word: str) -> list[str]:
    """A lower-case word's Polish lemma as terms (folded; a lemma may hold two)."""
    return _TOKEN.findall(fold(polish_lemma(word))) or _TOKEN.findall(fold(word))


@lru_cache(maxsize=1 << 16)
def _word_terms(word: str) -> tuple[str, ...]:
    """Its Polish lemma, English stem and Polish word family (`textkit.derivation`)."""
    found: list[str] = []
    for surface in _TOKEN.findall(fold(word)):
        if surface in STOP_WORDS:
            continue
        if not surface.isalpha():
            found.append(surface)
            continue
        lemmas = polish_terms(word) or [surface]
        found.extend(lemmas)
        found.append(english_stem(surface))
        found.extend(stem for stem in map(family, lemmas) if stem)
    return tuple(dict.fromkeys(t for t in found if t not in STOP_WORDS))


def terms(text: str) -> list[str]:
    """The BM25 terms of a text, in order, repeated as often as their words occur."""
    return [t for word in _WORD.findall(text.lower().replace("_", " ")) for t in _word_terms(word)]


def matching_words(text: str, query_terms: Collection[str], most: int = 6) -> list[str]:
    """The words of `text` that some of `query_terms` found, as the text writes them, first
    occurrence first, one per meaning (a word sharing a term with one already named is left
    out: "Castings" after "casting", "odlewnia" after "odlewy"): what an explanation names as
    "matching words". A query's translations find the item's own words, so they show in the
    item's language."""
    wanted = set(query_terms)
    shown: list[str] = []
    named: set[str] = set()
    for word in _WORD.findall(text):
        if len(word) < 2:  # the "r" of "B+R" finds, but names nothing a reader can check
            continue
        word_terms = set(_word_terms(word.lower().replace("_", " ")))
        if word_terms & wanted and not word_terms & named:
            shown.append(word)
            named |= word_terms
            if len(shown) == most:
                break
    return shown


# The analyser's version: a saved index (`Bm25Index.save`) of another version is not read, so a
# change to `terms` (word families were added in 2, question words such as "does", "about",
# "co" became stop words in 3) never meets postings of the old terms.
ANALYSER_VERSION = 3
_SAVED_ARRAYS = ("indptr", "docs", "tf", "lengths", "keys", "counted", "df")


def saved_parts(prefix: Path) -> dict[str, Path]:
    """The files of an index saved under `prefix` (the note last: it marks a complete save)."""
    parts = {name: prefix.with_name(f"{prefix.name}.{name}.npy") for name in _SAVED_ARRAYS}
    parts["terms"] = prefix.with_name(f"{prefix.name}.terms.txt")
    parts["note"] = prefix.with_name(f"{prefix.name}.json")
    return parts


PROBES = 8  # positions of a term's postings read to tell it from another of the same df
MERGE_MIN = 1 << 18  # postings changed (added or removed) below which no merge is worth it
CHUNK = 1 << 20  # postings placed at once while merging (bounds the merge's extra memory)

Triples = tuple[np.ndarray, np.ndarray, np.ndarray]  # term rows, document numbers, tf
Parts = list[tuple[np.ndarray, np.ndarray]]  # a term's postings: document numbers and tf


class Bm25Index:
    """BM25 over documents named by any hashable key; `add` replaces a key's document."""

    def __init__(self, k1: float = 1.2, b: float = 0.75, *, merge_min: int = MERGE_MIN) -> None:
        self.k1 = k1
        self.b = b
        self.merge_min = merge_min
        self._vocab: dict[str, int] = {}  # term -> row
        self._doc_of: dict[Hashable, int] = {}
        self._keys: list[Hashable | None] = []
        self._lengths = np.zeros(16, dtype=np.float32)
        # Which live documents the corpus statistics (N, df, average length) count: those
        # everybody may read. A restricted item is scored, but by statistics it never moved,
        # so no score tells how many restricted items say a word.
        self._counted = np.zeros(16, dtype=bool)
        self._counted_docs = 0
        self._total = 0.0  # the counted documents' length
        # the base: documents 0 .. _base_docs - 1, postings of row r at _indptr[r]:_indptr[r+1]
        self._indptr = np.zeros(1, dtype=np.int64)
        self._docs = np.zeros(0, dtype=np.int32)
        self._tf = np.zeros(0, dtype=np.float32)
        self._base_docs = 0
        self._base_df = np.zeros(0, dtype=np.int64)  # per row: counted postings at the merge
        self._dead = array("q")  # removed base documents (length 0, scores zeroed)
        self._dead_weight = 0.0  # their lengths: postings a merge would drop
        # the overlay: documents settled after the base was built
        self._postings: dict[int, dict[int, int]] = {}
        self._arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._doc_terms: dict[int, tuple[int, ...]] = {}
        self._overlay_postings = 0
        # pending: added since the last query, compact until settled
        self._pending_rows = array("i")
        self._pending_tf = array("i")
        self._pending_docs = array("i")
        self._pending_ends = array("q")
        self._norm_cache: tuple[float, np.ndarray] | None = None  # (average, norms)
        self._lock = threading.Lock()  # a read settles changes, so reads are writes too
        self._within_masks: list[tuple[frozenset[Hashable], tuple[int, int], np.ndarray]] = []
        self._merges = 0  # a merge may number the documents anew

    def __len__(self) -> int:
        return len(self._doc_of)

    def __contains__(self, key: object) -> bool:
        return key in self._doc_of

    def add(self, key: Hashable, doc_terms: Iterable[str], *, counted: bool = True) -> None:
        """Put a key's document in (replacing its earlier one); `counted`: whether it counts
        in the corpus statistics (only what everybody may read should)."""
        with self._lock:
            self._remove(key)
            self._add(key, doc_terms, counted)

    def _add(self, key: Hashable, doc_terms: Iterable[str], counted: bool) -> None:
        counts = Counter(doc_terms)
        doc = len(self._keys)
        self._keys.append(key)
        self._doc_of[key] = doc
        if doc >= len(self._lengths):
            self._lengths = np.concatenate([self._lengths, np.zeros_like(self._lengths)])
            self._counted = np.concatenate([self._counted, np.zeros_like(self._counted)])
        length = float(sum(counts.values()))
        self._lengths[doc] = length
        if counted:
            self._counted[doc] = True
            self._counted_docs += 1
            self._total += length
        self._norm_cache = None
        vocab = self._vocab
        self._pending_rows.extend([vocab.setdefault(term, len(vocab)) for term in counts])
        self._pending_tf.extend(counts.values())
        self._pending_docs.append(doc)
        self._pending_ends.append(len(self._pending_rows))

    def remove(self, key: Hashable) -> None:
        with self._lock:
            self._remove(key)

    def _remove(self, key: Hashable) -> None:
        doc = self._doc_of.pop(key, None)
        if doc is None:
            return
        self._keys[doc] = None
        length = float(self._lengths[doc])
        if self._counted[doc]:
            self._counted[doc] = False
            self._counted_docs -= 1
            self._total -= length
        self._lengths[doc] = 0.0
        self._norm_cache = None
        if doc < self._base_docs:
            self._dead.append(doc)
            self._dead_weight += length
        elif doc in self._doc_terms:
            self._forget_overlay(doc)
        # a pending document is dropped when settled (its length is 0)

    def _forget_overlay(self, doc: int) -> None:
        rows = self._doc_terms.pop(doc)
        self._overlay_postings -= len(rows)
        for row in rows:
            del self._postings[row][doc]
            if not self._postings[row]:
                del self._postings[row]
            self._arrays.pop(row, None)

    def prepare(self) -> None:
        """Merge every change into the base now (after a bulk load), so that queries read
        compact arrays and no query pays for the merge."""
        with self._lock:
            if len(self._pending_docs) or self._postings or self._dead:
                self._merge()

    def _settle(self) -> None:
        """Before reading: merge when the changes since the base are many, else move the
        pending documents to the overlay."""
        changed = len(self._pending_rows) + self._overlay_postings + self._dead_weight
        if changed > max(self.merge_min, len(self._docs) // 8):
            self._merge()
        elif len(self._pending_docs):
            self._drain_pending()

    def _drain_pending(self) -> None:
        start = 0
        for doc, end in zip(self._pending_docs, self._pending_ends, strict=True):
            if self._keys[doc] is not None:
                rows = tuple(self._pending_rows[start:end])
                self._doc_terms[doc] = rows
                self._overlay_postings += len(rows)
                for row, tf in zip(rows, self._pending_tf[start:end], strict=True):
                    self._postings.setdefault(row, {})[doc] = tf
                    self._arrays.pop(row, None)
            start = end
        self._clear_pending()

    def _clear_pending(self) -> None:
        self._pending_rows, self._pending_tf = array("i"), array("i")
        self._pending_docs, self._pending_ends = array("i"), array("q")

    def _changes(self) -> Iterator[Triples]:
        """Every posting of the base, then of the overlay, then pending, in document order
        within each source, in chunks (removed documents included: the caller drops them)."""
        yield from self._base_triples()
        if self._doc_terms:
            yield self._overlay_triples()
        yield from self._pending_triples()

    def _base_triples(self) -> Iterator[Triples]:
        for start in range(0, len(self._docs), CHUNK):
            end = min(start + CHUNK, len(self._docs))
            rows = np.searchsorted(self._indptr, np.arange(start, end), side="right") - 1
            yield rows.astype(np.int32), self._docs[start:end], self._tf[start:end]

    def _overlay_triples(self) -> Triples:
        docs = sorted(self._doc_terms)
        pairs = [(row, doc) for doc in docs for row in self._doc_terms[doc]]
        return (
            np.array([row for row, _ in pairs], dtype=np.int32),
            np.array([doc for _, doc in pairs], dtype=np.int32),
            np.array([self._postings[row][doc] for row, doc in pairs], dtype=np.float32),
        )

    def _pending_triples(self) -> Iterator[Triples]:
        if not len(self._pending_docs):
            return
        ends = np.frombuffer(self._pending_ends, dtype=np.int64)
        starts = np.concatenate([[0], ends[:-1]])
        rows = np.frombuffer(self._pending_rows, dtype=np.int32)
        tf = np.frombuffer(self._pending_tf, dtype=np.int32)
        docs = np.frombuffer(self._pending_docs, dtype=np.int32)
        step = max(1, CHUNK // 64)  # documents per chunk
        for first in range(0, len(ends), step):
            last = min(first + step, len(ends))
            lo, hi = int(starts[first]), int(ends[last - 1])
            expanded = np.repeat(docs[first:last], ends[first:last] - starts[first:last])
            yield rows[lo:hi], expanded, tf[lo:hi].astype(np.float32)

    def _merge(self) -> None:
        """Build a new base of every live posting (renumbering the documents in their order
        when some were removed) and empty the overlay and pending."""
        self._merges += 1
        counts = np.zeros(len(self._vocab), dtype=np.int64)
        counted = np.zeros(len(self._vocab), dtype=np.int64)
        for rows, docs, _ in self._live_changes():
            counts += np.bincount(rows, minlength=len(counts))
            counted += np.bincount(rows[self._counted[docs]], minlength=len(counts))
        renumber = self._renumbering()
        docs_out = np.empty(int(counts.sum()), dtype=np.int32)
        tf_out = np.empty(len(docs_out), dtype=np.float32)
        cursor = np.cumsum(counts) - counts
        for rows, docs, tf in self._live_changes():
            order = np.argsort(rows, kind="stable")
            rows = rows[order]
            here = np.bincount(rows, minlength=len(counts))
            dest = cursor[rows] + np.arange(len(rows)) - (np.cumsum(here) - here)[rows]
            docs_out[dest] = docs[order] if renumber is None else renumber[docs[order]]
            tf_out[dest] = tf[order]
            cursor += here
        self._compact_keys(renumber)
        self._norm_cache = None
        self._base_df = counted[counts > 0]
        self._compact_vocab(counts)
        self._docs, self._tf, self._base_docs = docs_out, tf_out, len(self._keys)
        self._dead, self._dead_weight = array("q"), 0.0
        self._postings, self._arrays, self._doc_terms, self._overlay_postings = {}, {}, {}, 0
        self._clear_pending()

    def _live_changes(self) -> Iterator[Triples]:
        for rows, docs, tf in self._changes():
            keep = self._lengths[docs] > 0
            yield rows[keep], docs[keep], tf[keep]

    def _renumbering(self) -> np.ndarray | None:
        """New number of each live document (None when none was removed)."""
        if len(self._doc_of) == len(self._keys):
            return None
        live = np.fromiter((key is not None for key in self._keys), bool, len(self._keys))
        return (np.cumsum(live) - 1).astype(np.int32)

    def _compact_keys(self, renumber: np.ndarray | None) -> None:
        if renumber is None:
            return
        live = np.fromiter((key is not None for key in self._keys), bool, len(self._keys))
        lengths = self._lengths[: len(self._keys)][live]
        self._lengths = np.concatenate([lengths, np.zeros(max(16, len(lengths)), np.float32)])
        counted = self._counted[: len(live)][live]
        self._counted = np.concatenate([counted, np.zeros(max(16, len(counted)), bool)])
        self._keys = [key for key in self._keys if key is not None]
        self._doc_of = {key: doc for doc, key in enumerate(self._keys)}

    def _compact_vocab(self, counts: np.ndarray) -> None:
        """Drop the terms no document has any more (rows renumbered in their order)."""
        kept = counts > 0
        if not kept.all():
            terms = compress(self._vocab, kept.tolist())
            self._vocab = {term: row for row, term in enumerate(terms)}
            counts = counts[kept]
        self._indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    def _overlay_array(self, row: int) -> tuple[np.ndarray, np.ndarray] | None:
        found = self._arrays.get(row)
        if found is None:
            docs = self._postings.get(row)
            if not docs:
                return None
            found = (
                np.fromiter(docs.keys(), dtype=np.int64, count=len(docs)),
                np.fromiter(docs.values(), dtype=np.float32, count=len(docs)),
            )
            self._arrays[row] = found
        return found

    def _term(self, term: str) -> tuple[Parts, int]:
        """The term's postings, as document numbers and tf: the base row (removed documents
        among them, of length 0), then the overlay's; and its document frequency among the
        counted documents."""
        row = self._vocab.get(term)
        if row is None:
            return [], 0
        parts, df = [], 0
        if row + 1 < len(self._indptr):
            lo, hi = int(self._indptr[row]), int(self._indptr[row + 1])
            if hi > lo:
                parts.append((self._docs[lo:hi], self._tf[lo:hi]))
                # a removal since the merge may have uncounted a document of the row
                df += self._counted_among(self._docs[lo:hi]) if self._dead else self._base_df[row]
        arrays = self._overlay_array(row)
        if arrays is not None:
            parts.append(arrays)
            df += self._counted_among(arrays[0])
        return parts, int(df)

    def _counted_among(self, docs: np.ndarray) -> int:
        return int(np.count_nonzero(self._counted[docs]))

    def _idf_of(self, df: int) -> float:
        n = self._counted_docs
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def _live_postings(self, parts: Parts) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings of live documents, as document numbers and tf, in order."""
        if not parts:
            return np.empty(0, np.int64), np.empty(0, np.float32)
        if len(parts) == 1:
            docs, tf = parts[0]
        else:
            docs = np.concatenate([docs for docs, _ in parts])
            tf = np.concatenate([tf for _, tf in parts])
        if self._dead:
            keep = self._lengths[docs] > 0
            docs, tf = docs[keep], tf[keep]
        return docs, tf

    def _fingerprint(self, parts: Parts) -> tuple[float, ...]:
        """A few numbers of a term's live postings that two terms of different postings
        almost never share, so that only terms that do are compared in full, however many
        terms of one document frequency a query has. Without removed documents the postings
        are read in place at a few positions (no pass over them); with some, they must be
        filtered anyway, and their sums are taken."""
        if self._dead:
            docs, tf = self._live_postings(parts)
            if not len(docs):
                return ()
            summed = float(docs.sum(dtype=np.int64))
            return (float(docs[0]), float(docs[-1]), summed, float(tf.sum(dtype=np.float64)))
        sizes = [len(docs) for docs, _ in parts]
        total = sum(sizes)
        if not total:
            return ()
        picked: list[float] = []
        for at in sorted({total * step // PROBES for step in range(PROBES)} | {total - 1}):
            part = 0
            while at >= sizes[part]:
                at -= sizes[part]
                part += 1
            docs, tf = parts[part]
            picked += (float(docs[at]), float(tf[at]))
        return tuple(picked)

    def _same_postings(self, a: Parts, b: Parts) -> bool:
        """Whether two terms are in the same live documents with the same tf (a word's Polish
        lemma, stem and family often are)."""
        docs_a, tf_a = self._live_postings(a)
        docs_b, tf_b = self._live_postings(b)
        return bool(np.array_equal(docs_a, docs_b) and np.array_equal(tf_a, tf_b))

    def _norms(self, average: float) -> np.ndarray:
        """k1 (1 - b + b length / average) of every document, kept until the lengths change:
        the same float32 operations per document as on a term's postings alone."""
        if self._norm_cache is None or self._norm_cache[0] != average:
            lengths = self._lengths[: len(self._keys)]
            self._norm_cache = (average, self.k1 * (1 - self.b + self.b * lengths / average))
        return self._norm_cache[1]

    def save(self, prefix: Path, encode: Callable[[Hashable], int], **note: object) -> None:
        """Merge every change into the base and write it (`saved_parts`) for another process
        to map instead of analysing every text again; `encode` turns a key into an int64,
        `note` is kept beside (`saved_note`)."""
        with self._lock:
            self._merge()
            prefix.parent.mkdir(parents=True, exist_ok=True)
            parts = saved_parts(prefix)
            arrays: dict[str, np.ndarray] = {
                "indptr": self._indptr,
                "docs": self._docs,
                "tf": self._tf,
                "lengths": self._lengths[: len(self._keys)],
                "keys": np.array([encode(key) for key in self._keys], dtype=np.int64),
                "counted": self._counted[: len(self._keys)],
                "df": self._base_df,
            }
            for name, values in arrays.items():
                _save_array(parts[name], values)
            _write_atomically(parts["terms"], "\n".join(self._vocab).encode())
            saved = {
                "version": ANALYSER_VERSION,
                "k1": self.k1,
                "b": self.b,
                "docs": len(self),
                "postings": len(self._docs),
                "terms": len(self._vocab),
            }
            _write_atomically(parts["note"], json.dumps(saved | note).encode())

    @staticmethod
    def saved_note(prefix: Path) -> dict[str, object] | None:
        """The note of a complete save of this analyser's version under `prefix`, or None."""
        parts = saved_parts(prefix)
        try:
            note = json.loads(parts["note"].read_text())
        except (OSError, ValueError):
            return None
        if note.get("version") != ANALYSER_VERSION or not all(p.exists() for p in parts.values()):
            return None
        return dict(note)

    @classmethod
    def load(cls, prefix: Path, decode: Callable[[int], Hashable]) -> Bm25Index:
        """An index saved under `prefix` (`save`; check `saved_note` first): the postings
        memory-mapped, read-only (a merge writes new arrays), the rest in memory."""
        parts = saved_parts(prefix)
        note = json.loads(parts["note"].read_text())
        index = cls(float(note["k1"]), float(note["b"]))
        index._indptr = np.load(parts["indptr"], mmap_mode="r")
        index._docs = np.load(parts["docs"], mmap_mode="r")
        index._tf = np.load(parts["tf"], mmap_mode="r")
        lengths = np.load(parts["lengths"])
        index._lengths = np.concatenate([lengths, np.zeros(max(16, len(lengths)), np.float32)])
        counted = np.load(parts["counted"]).astype(bool)
        index._counted = np.concatenate([counted, np.zeros(max(16, len(counted)), bool)])
        index._counted_docs = int(np.count_nonzero(counted))
        index._total = float(lengths[counted].astype(np.float64).sum())
        index._base_df = np.load(parts["df"])
        index._keys = [decode(int(key)) for key in np.load(parts["keys"])]
        index._doc_of = {key: doc for doc, key in enumerate(index._keys)}
        text = parts["terms"].read_text()
        index._vocab = {term: row for row, term in enumerate(text.split("\n"))} if text else {}
        index._base_docs = len(index._keys)
        shapes = (len(index._keys), len(index._docs), len(index._vocab), len(index._tf))
        expected = (note["docs"], note["postings"], note["terms"], note["postings"])
        agree = len(counted) == len(index._keys) and len(index._base_df) == len(index._vocab)
        if shapes != expected or len(index._indptr) != len(index._vocab) + 1 or not agree:
            # a save being replaced while read: its parts are of two saves
            raise ValueError(f"{prefix}: the saved index's parts do not agree")
        return index

    def idf(self, term: str) -> float:
        with self._lock:
            self._settle()
            return self._idf_of(self._term(term)[1])

    def scores(self, query_terms: Iterable[str]) -> tuple[np.ndarray, float]:
        """Every document's score (by internal number) and the query's best possible score
        (each distinct term's idf at saturation), the latter to judge how well any matched."""
        with self._lock:
            return self._scores(query_terms)

    def _scores(self, query_terms: Iterable[str]) -> tuple[np.ndarray, float]:
        self._settle()
        scores = np.zeros(len(self._keys), dtype=np.float32)
        if not self._doc_of:
            return scores, 0.0
        average = self._total / self._counted_docs if self._counted_docs else 1.0
        average = average or 1.0
        norms = self._norms(average)
        groups, ceiling = self._postings_groups(query_terms)
        for parts, idf, times in groups:
            weight = idf * times
            for stored, tf in parts:
                docs = stored.astype(np.intp, copy=False)  # int32 indices cost numpy a cast each
                scores[docs] += weight * tf * (self.k1 + 1) / (tf + norms[docs])
        if self._dead:
            scores[np.frombuffer(self._dead, dtype=np.int64)] = 0.0
        return scores, ceiling

    def _postings_groups(
        self, query_terms: Iterable[str]
    ) -> tuple[list[tuple[Parts, float, int]], float]:
        """The query's distinct terms (the first MAX_QUERY_TERMS) grouped by identical live
        postings: each group's postings, idf and number of terms, in order of first term. A
        group is scored once at its terms' summed weight: a word's lemma, stem and family in
        a million documents cost one pass over their postings, not three. Groups depend on
        the live postings alone, so a score does not depend on where a document is kept. With
        the query's best possible score (each distinct term's idf at saturation)."""
        groups: list[tuple[Parts, float, int]] = []
        by_df: dict[int, list[int]] = {}  # document frequency -> groups of it
        prints: dict[int, tuple[float, ...]] = {}  # group -> fingerprint, lazily
        ceiling = 0.0
        for term in list(Counter(query_terms))[:MAX_QUERY_TERMS]:
            parts, df = self._term(term)
            ceiling += self._idf_of(df) * (self.k1 + 1)
            same = by_df.setdefault(df, [])
            mine = self._fingerprint(parts) if same else None
            for g in same:
                if g not in prints:
                    prints[g] = self._fingerprint(groups[g][0])
                if prints[g] == mine and self._same_postings(groups[g][0], parts):
                    found, idf, times = groups[g]
                    groups[g] = (found, idf, times + 1)
                    break
            else:
                if mine is not None:
                    prints[len(groups)] = mine
                same.append(len(groups))
                groups.append((parts, self._idf_of(df), 1))
        return groups, ceiling

    def score(
        self, query_terms: Iterable[str], keys: Iterable[Hashable]
    ) -> tuple[list[tuple[Hashable, float]], float]:
        """These documents' positive scores, best first (ties: the earlier added), and the
        query's best possible score."""
        with self._lock:
            scores, ceiling = self._scores(query_terms)
            docs = np.array(
                sorted(d for d in (self._doc_of.get(key) for key in keys) if d is not None),
                dtype=np.int64,
            )
            hits = docs[scores[docs] > 0] if len(docs) else docs
            return self._ranked(scores, hits), ceiling

    def search(
        self,
        query_terms: Iterable[str],
        k: int,
        within: frozenset[Hashable] | None = None,
        also: Iterable[Hashable] = (),
    ) -> tuple[list[tuple[Hashable, float]], float]:
        """The `k` best documents with a positive score, best first (ties: the earlier added,
        also at the k-th place), and the query's best possible score; with `within`, of those
        keys and the few keys `also` only."""
        with self._lock:
            scores, ceiling = self._scores(query_terms)
            if k <= 0:
                return [], ceiling
            if within is not None:
                allowed = self._within_docs(within)
                extra = [d for d in map(self._doc_of.get, also) if d is not None]
                if extra:  # the cached mask stays as it is
                    allowed = allowed.copy()
                    allowed[extra] = True
                scores[~allowed] = 0.0
            return self._ranked(scores, _best(scores, k)), ceiling

    def _within_docs(self, within: frozenset[Hashable]) -> np.ndarray:
        """Which documents are of these keys (kept for the last few sets asked, until the
        documents are numbered anew or added)."""
        state = (self._merges, len(self._keys))
        for cached, at, docs in self._within_masks:
            if cached is within and at == state:
                return docs
        docs = np.zeros(len(self._keys), dtype=bool)
        docs[[d for d in map(self._doc_of.get, within) if d is not None]] = True
        self._within_masks = [(within, state, docs), *self._within_masks[:3]]
        return docs

    def _ranked(self, scores: np.ndarray, hits: np.ndarray) -> list[tuple[Hashable, float]]:
        order = hits[np.lexsort((hits, -scores[hits]))]
        return [(self._keys[d], float(scores[d])) for d in order]


def _write_atomically(path: Path, content: bytes) -> None:
    """Write through a temporary file and rename: a reader never maps half a file."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


def _save_array(path: Path, values: np.ndarray) -> None:
    """`np.save` straight into a temporary file, then renamed (no copy in memory: the
    postings of a million items are hundreds of MB)."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as out:
        np.save(out, values)
    os.replace(temporary, path)


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """The numbers of the `k` best positive scores; of those tied with the k-th, the lowest
    numbers (so that ties go to the earlier added at the k-th place too)."""
    hits = np.flatnonzero(scores > 0)
    if len(hits) <= k:
        return hits
    values = scores[hits]
    kth = np.partition(values, len(values) - k)[len(values) - k]
    above = hits[values > kth]
    return np.concatenate([above, hits[values == kth][: k - len(above)]])
