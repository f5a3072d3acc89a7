"""Dense search: the exact and the approximate path agree (a tiny set: the graph finds all),
updates after a graph is built are seen at once, a saved graph is memory-mapped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from upland.matching.dense import DenseIndex, pack, unpack

DIM = 32


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    rng = np.random.default_rng(7)
    m = rng.standard_normal((300, DIM)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def build(vectors: np.ndarray, exact_below: int) -> DenseIndex:
    index = DenseIndex(DIM, exact_below=exact_below)
    for key, vector in enumerate(vectors):
        index.put(key, vector)
    return index


def test_exact_and_approximate_paths_give_the_same_top_ten(vectors: np.ndarray) -> None:
    exact, graph = build(vectors, 10**9), build(vectors, 100)
    assert not exact.approximate and graph.approximate
    for query in vectors[:20] + 0.05:
        a, b = exact.search(query, 10), graph.search(query, 10)
        assert [k for k, _ in a] == [k for k, _ in b]
        assert [s for _, s in a] == pytest.approx([s for _, s in b], abs=1e-4)


def test_changes_after_the_graph_was_built_are_seen(vectors: np.ndarray) -> None:
    index = build(vectors, 100)
    index.put(5, vectors[0])  # item 5's text changed: it now reads like item 0
    index.remove(0)
    found = index.search(vectors[0], 2)
    assert found[0] == (5, pytest.approx(1.0, abs=1e-5))
    assert all(key != 0 for key, _ in found)
    assert len(index) == len(vectors) - 1


def test_a_saved_graph_is_memory_mapped(vectors: np.ndarray, tmp_path: Path) -> None:
    built = build(vectors, 100)
    built.save(tmp_path / "graph.usearch")
    mapped = DenseIndex(DIM, exact_below=100)
    mapped.view(tmp_path / "graph.usearch")
    assert mapped.approximate
    assert mapped.search(vectors[3], 1)[0][0] == 3


def test_a_zero_query_and_a_wrong_dimension() -> None:
    index = DenseIndex(DIM)
    index.put(1, np.ones(DIM, dtype=np.float32) / np.sqrt(DIM))
    assert index.search(np.zeros(DIM, dtype=np.float32), 5) == []
    with pytest.raises(ValueError, match="dimension"):
        index.search(np.ones(DIM + 1, dtype=np.float32), 5)


def test_keys_pack_a_kind_and_an_id() -> None:
    assert unpack(pack(1, 123456)) == (1, 123456)
    assert pack(0, 5) != pack(1, 5)


@pytest.mark.parametrize("dtype", ["f32", "f16", "i8"])
def test_every_graph_dtype_scores_by_the_exact_cosine(vectors: np.ndarray, dtype: str) -> None:
    exact = build(vectors, 10**9)
    graph = DenseIndex(DIM, exact_below=100, dtype=dtype)
    for key, vector in enumerate(vectors):
        graph.put(key, vector)
    assert graph.approximate
    query = vectors[7] + 0.05
    a, b = exact.search(query, 10), graph.search(query, 10)
    assert [k for k, _ in a] == [k for k, _ in b]
    assert [s for _, s in b] == pytest.approx([s for _, s in a], abs=1e-6)


def test_the_graph_is_asked_for_oversampled_candidates(vectors: np.ndarray) -> None:
    index = DenseIndex(DIM, exact_below=100, oversample=3)
    for key, vector in enumerate(vectors):
        index.put(key, vector)
    asked: list[int] = []
    search = index._graph.search

    def spy(query: np.ndarray, count: int, **kwargs: object) -> object:
        asked.append(count)
        return search(query, count, **kwargs)

    index._graph.search = spy
    index.search(vectors[0], 10)
    index.remove(3)
    index.search(vectors[0], 10)
    assert asked == [30, 31]  # a masked key costs one more candidate


@pytest.mark.parametrize(
    "bad",
    [
        {"dtype": "f64"},
        {"dtype": "i4"},
        {"oversample": 0},
        {"connectivity": 1},
        {"expansion_search": 0},
        {"expansion_add": 0},
    ],
)
def test_bad_graph_parameters_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        DenseIndex(DIM, **bad)  # type: ignore[arg-type]


def test_a_mapped_i8_graph_keeps_exact_scores_and_folds_changes(
    vectors: np.ndarray, tmp_path: Path
) -> None:
    built = build(vectors, 100)
    path = tmp_path / "graph.usearch"
    built.save(path)
    mapped = DenseIndex(DIM, exact_below=100, dtype="f32")  # the file says i8
    mapped.view(path)
    top = mapped.search(vectors[3], 3)
    assert top[0] == (3, pytest.approx(float(vectors[3] @ vectors[3]), abs=1e-6))
    assert top == build(vectors, 10**9).search(vectors[3], 3)
    mapped.put(3, vectors[4])  # changed after the graph was saved
    mapped.rebuild()  # the base matrix is read back from the mapped file
    assert mapped.search(vectors[4], 2)[0][1] == pytest.approx(1.0, abs=1e-5)
    assert len(mapped) == len(vectors)


def test_a_graph_without_its_base_matrix_is_refused(vectors: np.ndarray, tmp_path: Path) -> None:
    path = tmp_path / "graph.usearch"
    build(vectors, 100).save(path)
    np.save(path.with_suffix(".keys.npy"), np.arange(5, dtype=np.uint64))
    with pytest.raises(ValueError, match="do not agree"):
        DenseIndex(DIM).view(path)


def test_an_index_made_at_once_is_the_one_made_row_by_row(vectors: np.ndarray) -> None:
    keys = np.arange(len(vectors), dtype=np.uint64)[::-1]  # out of order: sorted inside
    for exact_below in (10**9, 100):
        at_once = DenseIndex.from_matrix(keys, vectors[::-1], exact_below=exact_below)
        assert at_once.approximate == (exact_below == 100)
        assert len(at_once) == len(vectors)
        query = vectors[11] + 0.05
        assert at_once.search(query, 10) == build(vectors, 10**9).search(query, 10)


def test_named_keys_are_scored_exactly_without_the_graph(vectors: np.ndarray) -> None:
    """An ask limited to a few items (an event's participants) scores just those: each
    cosine exact, from the graph's base or the changes since, none left out however far
    down it ranks, a removed or unknown key not at all."""
    index = build(vectors, 100)
    assert index.approximate
    index.put(5, -vectors[5])  # changed since the graph was built
    index.remove(7)
    query = vectors[0] + 0.05
    named = [3, 5, 7, 250, 299, 10_000]
    scored = dict(index.score(query, named))
    assert set(scored) == {3, 5, 250, 299}
    unit = query / np.linalg.norm(query)
    for key in (3, 250, 299):
        assert scored[key] == pytest.approx(float(vectors[key] @ unit), abs=1e-5)
    assert scored[5] == pytest.approx(float(-vectors[5] @ unit), abs=1e-5)
    ranked = [key for key, _ in index.score(query, named)]
    assert ranked == sorted(scored, key=lambda key: -scored[key])


def test_the_graph_parameters_follow_its_size_unless_given(
    vectors: np.ndarray, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default a graph stores i8 and is built with expansion 128 below `LARGE_GRAPH`
    items, f16 and 256 from there (at a million items an i8 graph stopped short of recall
    0.95 however wide the search, docs/performance.md); the search expansion is 2 048 either
    way; a dtype or expansion given is kept whatever the size, and a mapped graph keeps the
    dtype it was saved with."""
    from upland.matching import dense

    keys = np.arange(len(vectors), dtype=np.uint64)
    small = DenseIndex.from_matrix(keys, vectors, exact_below=100).graph_parameters()
    assert small["dtype"] == "i8" and small["expansion_add"] == dense.EXPANSION_ADD == 128
    assert small["expansion_search"] == 2048
    assert dense.graph_dtype(dense.LARGE_GRAPH) == "f16"
    assert dense.graph_dtype(dense.LARGE_GRAPH - 1) == "i8"
    assert dense.add_expansion(dense.LARGE_GRAPH) == dense.LARGE_EXPANSION_ADD == 256
    assert DenseIndex(DIM).graph_parameters() == {}  # exact: no graph

    monkeypatch.setattr(dense, "LARGE_GRAPH", 200)  # 300 vectors now make a "large" graph
    large = DenseIndex.from_matrix(keys, vectors, exact_below=100)
    assert large.graph_parameters()["dtype"] == "f16"
    assert large.graph_parameters()["expansion_add"] == 256
    assert large.graph_parameters()["expansion_search"] == 2048
    query = vectors[7] + 0.05
    assert large.search(query, 10) == build(vectors, 10**9).search(query, 10)
    given = DenseIndex.from_matrix(
        keys, vectors, exact_below=100, dtype="i8", expansion_add=64
    ).graph_parameters()
    assert given["dtype"] == "i8" and given["expansion_add"] == 64

    path = tmp_path / "graph.usearch"
    large.save(path)
    mapped = DenseIndex(DIM, exact_below=100, dtype="i8")
    mapped.view(path)
    assert mapped.graph_parameters()["dtype"] == "f16"
    assert mapped.search(query, 10) == large.search(query, 10)
