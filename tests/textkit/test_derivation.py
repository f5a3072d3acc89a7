"""A Polish word's family: trade words built from one stem meet in one term."""

from __future__ import annotations

import pytest

from upland.textkit.derivation import family
from upland.textkit.folding import fold


@pytest.mark.parametrize(
    "words",
    [
        ("odlew", "odlewnia", "odlewniczy", "odlewnictwo", "odlewać"),
        ("wtrysk", "wtryskownia", "wtryskarka", "wtryskowy", "wtryskiwać"),
        ("spawalnia", "spawać", "spawalniczy", "spawacz"),
        ("lakiernia", "lakierować", "lakierniczy", "lakier"),
        ("hartownia", "hartować", "hartowniczy"),
        ("tłocznia", "tłoczyć", "tłocznik"),
        ("konstrukcja", "konstrukcyjny"),
    ],
)
def test_a_family_shares_one_stem(words):
    assert len({family(fold(word)) for word in words}) == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [("tuleja", "tłocznia"), ("odlew", "obróbka"), ("spawać", "szlifować"), ("frezować", "forma")],
)
def test_different_trades_stay_apart(left, right):
    assert family(fold(left)) != family(fold(right))


@pytest.mark.parametrize("word", ["oś", "rama", "stal", "cnc", "iso9001", "16949", ""])
def test_short_words_and_codes_have_no_family(word):
    assert family(fold(word)) is None


def test_a_stem_is_never_shorter_than_four_letters():
    assert family("linia") == "linia"  # stripping "-nia" would leave "li"
    assert all(len(family(w) or "xxxx") >= 4 for w in ("kuchnia", "skrzynia", "odlewnia"))
