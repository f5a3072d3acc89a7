"""Fusion, table-driven: the lexical side weighs by its confidence, and an item lacking the
query's language is neither rewarded nor punished for it."""

from __future__ import annotations

import pytest

from upland.matching.fusion import Weights, detect_language, fuse, rrf

W = Weights(lexical=0.8, impute=1.0, confidence=0.5)


def order(*args: object, weights: Weights = W) -> list[str]:
    return [str(key) for key, _ in fuse(*args, weights=weights)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dense", "lexical", "ceiling", "has_language", "expected"),
    [
        # same language: strong lexical agreement lifts b above a's slightly better cosine
        ({"a": 0.60, "b": 0.55}, {"b": 8.0}, 10.0, {}, ["b", "a"]),
        # no lexical hit at all: the dense order stands
        ({"a": 0.60, "b": 0.55}, {}, 10.0, {}, ["a", "b"]),
        # only stop-words (ceiling 0): the dense order stands
        ({"a": 0.40, "b": 0.50}, {}, 0.0, {}, ["b", "a"]),
        # cross-language: p (Polish only, best cosine) is not pushed below e (English text,
        # weaker cosine, a lexical hit): its lexical part is imputed from its cosine
        ({"p": 0.70, "e": 0.50}, {"e": 5.0}, 10.0, {"p": False, "e": True}, ["p", "e"]),
        # the same with p treated as if it had the language: the lexical hit wins (what plain
        # fusion does to cross-language queries)
        ({"p": 0.70, "e": 0.50}, {"e": 5.0}, 10.0, {"p": True, "e": True}, ["e", "p"]),
        # a lexical-only candidate still ranks, below one both sides agree on
        ({"a": 0.50}, {"a": 6.0, "z": 6.0}, 10.0, {}, ["a", "z"]),
    ],
)
def test_fusion_table(
    dense: dict[str, float],
    lexical: dict[str, float],
    ceiling: float,
    has_language: dict[str, bool],
    expected: list[str],
) -> None:
    assert order(dense, lexical, ceiling, has_language) == expected


def test_lexical_weight_zero_is_the_dense_ranking() -> None:
    dense = {"a": 0.3, "b": 0.9, "c": 0.5}
    weights = Weights(lexical=0.0)
    assert order(dense, {"a": 9.0}, 10.0, {}, weights=weights) == ["b", "c", "a"]


def test_weak_lexical_confidence_weighs_less() -> None:
    dense = {"a": 0.60, "b": 0.50}
    strong = order(dense, {"b": 9.0}, 10.0, {})
    weak = order(dense, {"b": 0.1}, 10.0, {}, weights=Weights(lexical=0.5, confidence=1.0))
    assert strong == ["b", "a"]
    assert weak == ["a", "b"]


def test_a_weak_dense_side_does_not_make_a_near_miss_a_match() -> None:
    """An English ask over Polish-only items, all barely similar (USE cosines under 0.2): the
    item whose translated words matched outranks the one that is only the least dissimilar,
    which scaling to the best cosine alone would have made a perfect dense match."""
    dense = {"near_miss": 0.18, "translated": 0.07, "other": 0.09}
    lexical = {"translated": 18.4, "other": 27.8}
    polish_only = {"near_miss": False, "translated": False, "other": False}
    ranked = order(dense, lexical, 60.0, polish_only)
    assert ranked.index("translated") < ranked.index("near_miss")
    unweighed = order(dense, lexical, 60.0, polish_only, weights=Weights(dense_reference=0.0))
    assert unweighed[0] == "near_miss"


def test_ties_are_broken_by_key() -> None:
    assert order({"b": 0.5, "a": 0.5}, {}, 1.0, {}) == ["a", "b"]


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = dict(rrf([["a", "b"], ["b", "c"]], k=60))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert list(dict(rrf([["a", "b"], ["b", "c"]]))) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("szukamy dostawcy odlewów aluminiowych", "pl"),
        ("spawanie zrobotyzowane ram stalowych", "pl"),
        ("obróbka skrawaniem", "pl"),
        ("who can do robotic welding of steel frames?", "en"),
        ("we need a supplier of aluminium castings", "en"),
        ("", "pl"),
    ],
)
def test_query_language(text: str, language: str) -> None:
    assert detect_language(text) == language
