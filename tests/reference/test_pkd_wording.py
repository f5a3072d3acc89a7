"""Clause splitting and word stems behind the wording half of a PKD suggestion's score."""

import numpy as np

from upland.reference.pkd_wording import WordingIndex, split_clauses, stems


def test_split_clauses() -> None:
    assert split_clauses("we machine steel shafts and weld frames for trailers") == [
        "we machine steel shafts",
        "weld frames for trailers",
    ]
    assert split_clauses("Produkujemy maszyny rolnicze: pługi, brony i opryskiwacze") == [
        "Produkujemy maszyny rolnicze: pługi, brony i opryskiwacze"
    ]
    assert split_clauses(
        "Spawanie konstrukcji stalowych, cięcie laserowe oraz gięcie blach. Transport własny!"
    ) == ["Spawanie konstrukcji stalowych", "cięcie laserowe", "gięcie blach", "Transport własny"]
    assert split_clauses("Obróbka CNC;\n obróbka CNC") == ["Obróbka CNC", "obróbka CNC"]
    assert split_clauses(" ... ") == []


def test_stems_fold_inflections_and_drop_function_words() -> None:
    assert stems("obróbką") == stems("obróbki") == stems("obrobka")
    assert stems("welding") == stems("welded")
    assert stems("Zajmujemy się spawaniem dla firm") == stems("spawanie firm")


def test_wording_scores_are_the_weighted_share_of_the_text_found() -> None:
    index = WordingIndex([{"spawan": 1.0}, {"spawan": 0.3, "malowa": 1.0}, {}])
    alone = index.scores("spawanie")
    assert np.allclose(alone, [1.0, 0.3, 0.0])
    both = index.scores("spawanie malowanie")
    assert both[1] > both[0] > 0 and both[2] == 0
    assert index.scores("zupełnie obce słowa").max() == 0


def test_polish_function_words_are_not_wording():
    """The hint table's phrases hold "ale" (beer), "pod", "bez"...: a firm's "ale też" or
    "bez ograniczeń" must not meet them."""
    assert stems("ale bez pod nad lub albo przy wraz lecz czy") == []
