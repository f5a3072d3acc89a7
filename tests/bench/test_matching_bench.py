"""The matching benchmark: its corpus is fixed by the seed, and a tiny run reports every
figure (sizes in CI stay tiny; the figures themselves live in docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from upland import settings
from upland.bench.matching import (
    QUERY_TEXTS,
    base_vectors,
    corpus_texts,
    corpus_vectors,
    query_texts,
    run_size,
)


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The embedded base texts and queries are cached in a folder of the test's own."""
    monkeypatch.setenv("UPLAND_CACHE_DIR", str(tmp_path / "cache"))
    settings.get_settings.cache_clear()
    yield tmp_path / "cache"
    monkeypatch.undo()
    settings.get_settings.cache_clear()


def test_the_seed_fixes_the_corpus(cache_dir: Path) -> None:
    assert corpus_texts(50) == corpus_texts(50)
    assert corpus_texts(50) != corpus_texts(50, seed=1)
    vectors = corpus_vectors(50)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors, corpus_vectors(50))  # the second time from the cache
    assert list(cache_dir.glob("bench-matching-base-*.npy"))
    lengths = [len(text.split()) for text in corpus_texts(200)]
    assert min(lengths) >= 30 and max(lengths) <= 80


def test_item_vectors_are_mixtures_of_embedded_texts() -> None:
    base = base_vectors(20)
    vectors = corpus_vectors(500, base=base)
    nearest = (vectors @ base.T).max(axis=1)
    assert nearest.min() > 0.5  # each item lies near the texts it was mixed from


def test_queries_are_the_hand_written_ones_then_drawn_ones() -> None:
    drawn = query_texts(30)
    assert drawn[: len(QUERY_TEXTS)] == list(QUERY_TEXTS)
    assert drawn == query_texts(30) and len(set(drawn)) == 30
    assert all(3 <= len(text.split()) <= 8 for text in drawn[len(QUERY_TEXTS) :])


def test_a_tiny_run_reports_every_figure() -> None:
    figures = run_size(400, 5)
    assert 0.0 < figures["recall"] <= 1.0 and 0.0 < figures["recall_pool"] <= 1.0
    assert figures["recall"] <= figures["recall_ties"] <= 1.0
    assert figures["ann_p50"] > 0 and figures["exact_p50"] > 0
    assert figures["batched_qps"] > 0 and figures["memory_mib"] >= 0
    assert figures["graph"].startswith("i8, connectivity 16, expansion 128/2048")  # small: i8
    assert 0 < figures["ann_cpu"][0] <= figures["ann_cpu"][1]
    assert 0 < figures["member_p50"] <= figures["member_p95"]
    assert 0 < figures["walking_p50"] <= figures["walking_p95"]


def test_a_member_reads_one_item_in_so_many() -> None:
    from upland.bench.matching import _one_in

    keys = {("organisation", i) for i in range(64)}
    assert _one_in(16)(keys) == {
        ("organisation", 0),
        ("organisation", 16),
        ("organisation", 32),
        ("organisation", 48),
    }


class _Ranked:
    """A search path that answers fixed (key, cosine) lists, best first."""

    def __init__(self, answers: list[list[tuple[int, float]]]) -> None:
        self.answers = iter(answers)

    def search(self, _probe: object, k: int) -> list[tuple[int, float]]:
        return next(self.answers)[:k]


def test_recall_counts_a_near_tie_of_the_tenth_only_as_ann_benchmarks_does() -> None:
    from upland.bench.matching import _recall

    truth = [(key, 0.9 - key * 0.01) for key in range(10)]  # the 10th at 0.81
    tie = [*truth[:9], (99, 0.8095)]  # another item within 0.001 of the 10th
    miss = [*truth[:9], (98, 0.80)]  # one clearly further away
    probes = np.zeros((2, 4), dtype=np.float32)
    strict, ties = _recall(_Ranked([truth, truth]), _Ranked([tie, miss]), probes, 10)
    assert strict == 18 / 20
    assert ties == 19 / 20


def test_a_dense_only_run_builds_no_bm25() -> None:
    figures = run_size(300, 3, lexical=False)
    assert figures["recall"] > 0 and figures["lexical_s"] < 1.0
