"""Rebuild the E5 matrices the package ships for the shipped PKD 2025 catalogue.

    python -m upland.reference.pkd_vectors_build

Run after the catalogue, the keyword hints or the E5 model change, and commit
`data/pkd/vectors/` (`tests/reference/test_pkd_vectors_shipped.py` fails until then).
"""

from __future__ import annotations

from upland.reference.pkd_files import load_shipped
from upland.reference.pkd_suggest import PkdSuggester
from upland.reference.pkd_vectors import CatalogueVectors, ship
from upland.textkit.e5_small import get_e5_embedder
from upland.textkit.embedding import HashingEmbedder

__all__ = ["shipped_catalogues"]


def shipped_catalogues() -> list[CatalogueVectors]:
    """The E5 matrices the suggester asks for over the shipped PKD 2025 catalogue."""
    suggester = PkdSuggester(load_shipped(2025), HashingEmbedder(), dense=get_e5_embedder())
    return [c for c in suggester.catalogues if c.embedder is suggester.dense]


if __name__ == "__main__":
    for path in ship(shipped_catalogues()):
        print(path)
