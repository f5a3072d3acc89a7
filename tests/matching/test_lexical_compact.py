"""The compact BM25 index (CSR base, overlay, pending) scores as the plain dictionary one did.

`Reference` is the index as it was before the compact one: postings in per-term dictionaries,
arrays built per term, every document's terms kept. Random adds, replacements, removals,
merges (`prepare`, or automatic with a small `merge_min`) and queries must give the same
scores, bit for bit (terms of identical postings scored once, at their summed weight), the
same order (ties: the earlier added, at the k-th place too), the same ceiling and idf.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upland.matching import lexical
from upland.matching.lexical import MAX_QUERY_TERMS, Bm25Index

# ("add", key, terms, counted), ("remove", key), ("prepare",), ("query", terms, k)
Step = tuple[Any, ...]
VOCABULARY = ["weld", "steel", "frame", "cast", "mill", "seal", "lathe", "bend"]


class Reference:
    """The former `Bm25Index`: dictionaries of postings, scored per term (no order limit:
    its `search` sorts every hit)."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.postings: dict[str, dict[int, int]] = {}
        self.doc_of: dict[Hashable, int] = {}
        self.keys: list[Hashable | None] = []
        self.doc_terms: dict[int, tuple[str, ...]] = {}
        self.lengths: list[float] = []
        self.counted: set[int] = set()  # documents the statistics count
        self.total = 0.0

    def add(self, key: Hashable, doc_terms: Iterable[str], counted: bool = True) -> None:
        self.remove(key)
        counts = Counter(doc_terms)
        doc = len(self.keys)
        self.keys.append(key)
        self.doc_of[key] = doc
        length = float(sum(counts.values()))
        self.lengths.append(length)
        if counted:
            self.counted.add(doc)
            self.total += length
        self.doc_terms[doc] = tuple(counts)
        for term, tf in counts.items():
            self.postings.setdefault(term, {})[doc] = tf

    def remove(self, key: Hashable) -> None:
        doc = self.doc_of.pop(key, None)
        if doc is None:
            return
        self.keys[doc] = None
        if doc in self.counted:
            self.counted.discard(doc)
            self.total -= float(np.float32(self.lengths[doc]))
        self.lengths[doc] = 0.0
        for term in self.doc_terms.pop(doc):
            del self.postings[term][doc]
            if not self.postings[term]:
                del self.postings[term]

    def idf(self, term: str) -> float:
        df = len(self.counted.intersection(self.postings.get(term, ())))
        n = len(self.counted)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_terms: list[str]) -> tuple[dict[Hashable, float], float]:
        scores = np.zeros(len(self.keys), dtype=np.float32)
        lengths = np.array(self.lengths, dtype=np.float32)
        if not self.doc_of:
            return {}, 0.0
        average = (self.total / len(self.counted) if self.counted else 1.0) or 1.0
        ceiling = 0.0
        groups: list[tuple[dict[int, int], float, int]] = []  # postings, idf, terms
        for term in list(Counter(query_terms))[:MAX_QUERY_TERMS]:
            idf = self.idf(term)
            ceiling += idf * (self.k1 + 1)
            docs = self.postings.get(term, {})
            same = [i for i, (found, _, _) in enumerate(groups) if found == docs]
            if same:
                found, idf, times = groups[same[0]]
                groups[same[0]] = (found, idf, times + 1)
            else:
                groups.append((docs, idf, 1))
        for docs, idf, times in groups:
            if not docs:
                continue
            at = np.fromiter(docs.keys(), dtype=np.int64, count=len(docs))
            tf = np.fromiter(docs.values(), dtype=np.float32, count=len(docs))
            norm = self.k1 * (1 - self.b + self.b * lengths[at] / average)
            scores[at] += idf * times * tf * (self.k1 + 1) / (tf + norm)
        found = {self.keys[d]: float(scores[d]) for d in np.flatnonzero(scores > 0)}
        return found, ceiling

    def search(self, query_terms: list[str], k: int) -> tuple[list[tuple[Hashable, float]], float]:
        found, ceiling = self.scores(query_terms)
        ranked = sorted(found.items(), key=lambda item: (-item[1], self.doc_of[item[0]]))
        return (ranked[:k] if k > 0 else []), ceiling


documents = st.lists(st.sampled_from(VOCABULARY), max_size=7)
queries = st.lists(st.sampled_from([*VOCABULARY, "absent"]), max_size=5)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 9), documents, st.booleans()),
        st.tuples(st.just("remove"), st.integers(0, 9)),
        st.tuples(st.just("prepare")),
        st.tuples(st.just("query"), queries, st.integers(0, 6)),
    ),
    max_size=40,
)


def assert_same(index: Bm25Index, reference: Reference, query: list[str], k: int) -> None:
    assert index.search(query, k) == reference.search(query, k)
    keys = [*list(reference.doc_of)[::2], "never added"]
    expected, ceiling = reference.search(query, len(reference.keys))
    wanted = set(keys)
    assert index.score(query, keys) == ([hit for hit in expected if hit[0] in wanted], ceiling)
    assert len(index) == len(reference.doc_of)
    for term in VOCABULARY:
        assert index.idf(term) == reference.idf(term)


def replay(index: Bm25Index, steps: list[Step]) -> None:
    reference = Reference()
    for step in steps:
        if step[0] == "add":
            index.add(step[1], step[2], counted=step[3])
            reference.add(step[1], step[2], step[3])
        elif step[0] == "remove":
            index.remove(step[1])
            reference.remove(step[1])
        elif step[0] == "prepare":
            index.prepare()
        else:
            assert_same(index, reference, step[1], step[2])
        assert all((key in index) == (key in reference.doc_of) for key in range(10))
    for term in VOCABULARY:
        assert_same(index, reference, [term, "steel"], 3)


@settings(max_examples=150, deadline=None)
@given(operations, st.sampled_from([0, 4, lexical.MERGE_MIN]), st.sampled_from([1, 3, 1 << 20]))
def test_random_edits_score_as_the_dictionary_index(
    steps: list[Step], merge_min: int, chunk: int
) -> None:
    """Merging after every change (0), after a few postings (4) or only on `prepare`, with the
    merge placing 1, 3 or all postings at a time."""
    with mock.patch.object(lexical, "CHUNK", chunk):
        replay(Bm25Index(merge_min=merge_min), steps)


@settings(max_examples=60, deadline=None)
@given(st.lists(documents, min_size=1, max_size=30), operations)
def test_edits_after_a_bulk_load_and_a_merge(bulk: list[list[str]], steps: list[Step]) -> None:
    """A bulk load merged by `prepare`, then random edits (overlay, removed base documents)
    and re-merges."""
    index, reference = Bm25Index(), Reference()
    for key, document in enumerate(bulk):
        index.add(100 + key, document)
        reference.add(100 + key, document)
    index.prepare()
    assert_same(index, reference, ["weld", "steel"], 5)
    for step in steps:
        if step[0] == "add":
            index.add(100 + step[1], step[2], counted=step[3])
            reference.add(100 + step[1], step[2], step[3])
        elif step[0] == "remove":
            index.remove(100 + step[1])
            reference.remove(100 + step[1])
        elif step[0] == "prepare":
            index.prepare()
        else:
            assert_same(index, reference, step[1], step[2])
    assert_same(index, reference, ["seal", "frame", "weld"], 4)


def test_ties_at_the_kth_place_go_to_the_earlier_added() -> None:
    """200 documents of three lengths: dozens tie at the 20th place (where a plain
    `argpartition` picks any of them)."""
    extra = np.random.default_rng(0).integers(0, 3, 200)
    index = Bm25Index()
    for key, more in enumerate(extra.tolist()):
        index.add(key, ["steel"] + ["weld"] * more)
    index.prepare()
    every, _ = index.search(["steel"], 200)
    expected = sorted(every, key=lambda hit: (-hit[1], hit[0]))[:20]
    assert index.search(["steel"], 20)[0] == expected
    assert expected[-1][1] == every[20][1]  # a tie across the 20th place indeed
    index.add(0, ["steel"])  # re-added: now the last of its score
    found, _ = index.search(["steel"], 200)
    assert [key for key, score in found if score == found[0][1]][-1] == 0


def test_a_merge_keeps_no_per_document_python_objects() -> None:
    index = Bm25Index()
    for key in range(20):
        index.add(key, ["weld", f"term{key % 3}"])
    index.remove(4)
    index.prepare()
    assert not index._doc_terms and not index._postings  # all in the CSR arrays
    assert len(index._docs) == 2 * 19 and len(index._vocab) == 4
    assert 4 not in index and len(index) == 19
    index.add(4, ["lathe"])  # an edit after the merge: found at the next query
    assert index.search(["lathe"], 1)[0][0][0] == 4


def test_a_saved_index_scores_as_the_one_it_was_saved_from(tmp_path) -> None:
    index = Bm25Index()
    for n in range(60):
        words = [VOCABULARY[(n * 7 + j) % len(VOCABULARY)] for j in range(n % 5 + 1)]
        index.add(("doc", n), words, counted=n % 4 != 0)
    index.remove(("doc", 3))
    index.save(tmp_path / "x.bm25", encode=lambda key: key[1], built_at="then")
    note = Bm25Index.saved_note(tmp_path / "x.bm25")
    assert note is not None and note["docs"] == 59 and note["built_at"] == "then"
    assert note["version"] == lexical.ANALYSER_VERSION
    loaded = Bm25Index.load(tmp_path / "x.bm25", decode=lambda n: ("doc", n))
    for query in (["weld"], ["steel", "cast"], VOCABULARY, ["unknown"]):
        assert loaded.search(query, 10) == index.search(query, 10)
        assert loaded.idf(query[0]) == index.idf(query[0])
    # the mapped postings are read-only: edits go to the overlay and merges write new arrays
    for target in (index, loaded):
        target.add(("doc", 100), ["weld", "weld", "seal"])
        target.remove(("doc", 5))
    assert loaded.search(["weld", "seal"], 10) == index.search(["weld", "seal"], 10)
    for target in (index, loaded):
        target.prepare()
    assert loaded.search(["weld", "seal"], 10) == index.search(["weld", "seal"], 10)


def test_a_partial_save_is_not_read(tmp_path) -> None:
    index = Bm25Index()
    index.add("a", ["weld"])
    index.save(tmp_path / "x.bm25", encode=lambda key: 1)
    lexical.saved_parts(tmp_path / "x.bm25")["tf"].unlink()
    assert Bm25Index.saved_note(tmp_path / "x.bm25") is None


def test_parts_of_two_saves_are_refused(tmp_path) -> None:
    small, large = Bm25Index(), Bm25Index()
    small.add("a", ["weld"])
    for n in range(5):
        large.add(str(n), ["weld", "cast", f"t{n}"])
    small.save(tmp_path / "x.bm25", encode=lambda key: 1)
    large.save(tmp_path / "y.bm25", encode=lambda key: int(key))
    parts_x, parts_y = (
        lexical.saved_parts(tmp_path / "x.bm25"),
        lexical.saved_parts(tmp_path / "y.bm25"),
    )
    parts_x["docs"].replace(parts_y["docs"])  # a reader between two files of a new save
    with pytest.raises(ValueError, match="do not agree"):
        Bm25Index.load(tmp_path / "y.bm25", decode=str)


def test_grouping_reads_each_terms_postings_about_once(monkeypatch) -> None:
    """64 query terms of one document frequency but different postings (a crafted query):
    grouping compares fingerprints, not every pair of postings in full, also with a removed
    document (when live postings must be filtered)."""
    index = Bm25Index(merge_min=1 << 30)
    words = [f"w{i}" for i in range(MAX_QUERY_TERMS)]
    for doc in range(256):
        index.add(doc, [w for i, w in enumerate(words) if (doc + i) % 256 < 128])
    index.prepare()
    index.remove(0)
    calls: list[int] = []
    live = index._live_postings
    monkeypatch.setattr(index, "_live_postings", lambda parts: calls.append(1) or live(parts))
    index.scores(words)
    assert len(calls) <= 2 * len(words)
    reference = Reference()
    for doc in range(256):
        reference.add(doc, [w for i, w in enumerate(words) if (doc + i) % 256 < 128])
    reference.remove(0)
    assert index.search(words, 300) == reference.search(words, 300)


def test_a_document_outside_the_statistics_moves_no_other_score() -> None:
    """A restricted item is scored, but counted in neither N, df nor the average length: a
    reader's scores of what they may open cannot tell how many restricted items say a word."""
    index = Bm25Index()
    for n in range(20):
        index.add(n, ["weld", "frame"] if n % 2 else ["weld", "steel", "seal"])
    before = index.search(["weld", "cryogenic", "steel"], 30)
    index.add("restricted", ["cryogenic", "cryogenic", "weld"] * 30, counted=False)
    after = index.search(["weld", "cryogenic", "steel"], 30)
    assert [hit for hit in after[0] if hit[0] != "restricted"] == before[0]
    assert after[1] == before[1]  # the best possible score too
    assert after[0][0][0] == "restricted"  # it is still found and ranked
    index.prepare()
    assert index.search(["weld", "cryogenic", "steel"], 30) == after
