"""The matching benchmark: its corpus is fixed by the seed, and a tiny run reports every
figure (sizes in CI stay tiny; the figures themselves live in docs/matching.md)."""

from __future__ import annotations

import numpy as np

from upland.bench.matching import corpus_texts, corpus_vectors, run_size


def test_the_seed_fixes_the_corpus() -> None:
    assert corpus_texts(50) == corpus_texts(50)
    assert corpus_texts(50) != corpus_texts(50, seed=1)
    vectors = corpus_vectors(50)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors, corpus_vectors(50))
    lengths = [len(text.split()) for text in corpus_texts(200)]
    assert min(lengths) >= 30 and max(lengths) <= 80


def test_a_tiny_run_reports_every_figure() -> None:
    figures = run_size(400, 5)
    assert 0.0 < figures["recall"] <= 1.0
    assert figures["ann_p50"] > 0 and figures["exact_p50"] > 0
    assert figures["batched_qps"] > 0 and figures["memory_mib"] >= 0
