"""Folding: the one normal form of text in search columns, queries and the PKD suggester."""

from upland.textkit.folding import fold, words


def test_fold_drops_case_and_polish_diacritics() -> None:
    assert fold("Obróbka Łożysk ŻĄĆ") == "obrobka lozysk zac"


def test_words_split_on_anything_but_letters_and_digits() -> None:
    assert words("Spawanie/cięcie — CNC-5") == ["spawanie", "ciecie", "cnc", "5"]
