"""The package ships E5's matrices of the shipped PKD catalogue, so no first request waits
minutes for them; they must match the catalogue and hints of this version."""

from __future__ import annotations

import numpy as np

from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import PkdSuggester
from upland.reference.pkd_vectors import SHIPPED, CatalogueVectors
from upland.reference.pkd_vectors_build import shipped_catalogues
from upland.textkit.e5_small import get_e5_embedder
from upland.textkit.embedding import HashingEmbedder


def test_every_e5_catalogue_of_the_shipped_classification_is_shipped():
    catalogues = shipped_catalogues()
    assert len(catalogues) == 2  # code texts and single phrases
    for catalogue in catalogues:
        path = SHIPPED / catalogue.file_name
        assert path.exists(), (
            f"{path.name} is missing: the PKD catalogue, its hints or the E5 model changed; "
            "run `python -m upland.reference.pkd_vectors_build` and commit data/pkd/vectors/"
        )
        matrix = np.load(path, allow_pickle=False)
        assert matrix.shape == (len(catalogue.texts), get_e5_embedder().dimension)
        assert np.allclose(np.linalg.norm(matrix, axis=1)[np.any(matrix, axis=1)], 1, atol=1e-3)
    assert sorted(p.name for p in SHIPPED.glob("*.npy")) == sorted(
        c.file_name for c in catalogues
    ), "stale matrices in data/pkd/vectors/"


class Refusing:
    """An embedder with E5's name that must not be asked to embed anything."""

    def __init__(self) -> None:
        self.name = get_e5_embedder().name
        self.dimension = get_e5_embedder().dimension

    def embed(self, texts):  # pragma: no cover - failing is the point
        raise AssertionError("embedded although the matrix is shipped")

    def embed_passages(self, texts):  # pragma: no cover
        raise AssertionError("embedded although the matrix is shipped")


def test_a_shipped_matrix_is_read_not_computed(tmp_path):
    catalogue = shipped_catalogues()[0]
    suggester = PkdSuggester(load_shipped(2025), HashingEmbedder())
    vectors = CatalogueVectors(Refusing(), suggester.code_texts, tmp_path)
    assert vectors.file_name == catalogue.file_name
    assert vectors.matrix().shape == (len(catalogue.texts), 384)
