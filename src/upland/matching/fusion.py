"""Fusing the lexical and the dense ranking into one (pure: no session, no clock).

Many real queries are cross-language: an English need, a Polish-only profile. BM25 can only
fire on words of the query's language, so for an item without text in that language a missing
lexical score is absence of evidence, not evidence against it; plain reciprocal-rank fusion
treats it as the latter and pushes every item that happens to have English text above the
Polish-only right answers. Here instead:

* each side is put on a 0–1 scale by its best candidate: the dense side is the cosine over the
  best cosine, the lexical side the BM25 score over the best BM25 score;
* the dense side is weighed by its confidence: how close its best cosine comes to
  `dense_reference`, a close match's cosine for the model (a short ask whose best candidate
  is barely similar says little; scaled to that best, every near-miss would look like a match
  and outrank an item whose translated words matched);
* the lexical side is weighed by its confidence: how much of the query's best possible
  BM25 score (`lexical_ceiling`) its best candidate reached, to the power `confidence` (a
  query whose words hardly matched, or only stop-words, leaves the ranking to the dense side);
* an item lacking the query's language gets, in place of its lexical score, what the dense
  side implies (`impute` × its scaled cosine × the confidence) when that is higher: it is
  neither rewarded nor punished for the language it is written in;
* fused = (1 − lexical) × dense + lexical × lexical score.

The weights were tuned on the evaluation set's dev split only (docs/matching.md).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from upland.textkit.analysis import polish_lemma
from upland.textkit.folding import fold

__all__ = ["Weights", "detect_language", "fuse", "rrf"]

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Weights:
    """How much the lexical side counts, how its confidence weighs it, how an item lacking
    the query's language is scored on it (`impute` × its scaled cosine), and the cosine at
    which the dense side is fully confident (USE v3 over item texts: 0.4)."""

    lexical: float = 0.8
    impute: float = 1.0
    confidence: float = 0.5
    dense_reference: float = 0.4


def fuse(
    dense: Mapping[K, float],
    lexical: Mapping[K, float],
    lexical_ceiling: float,
    has_language: Mapping[K, bool],
    weights: Weights = Weights(),
) -> list[tuple[K, float]]:
    """Every candidate of either side with its fused score, best first (ties: by key's str).

    `dense`: cosine per candidate (missing: 0); `lexical`: BM25 score per candidate;
    `has_language`: whether the candidate has text in the query's language (missing: True).
    """
    best_dense = max(
        max((v for v in dense.values() if v > 0), default=1.0), weights.dense_reference
    )
    best_words = max(lexical.values(), default=0.0)
    confidence = 0.0
    if lexical_ceiling > 0 and best_words > 0:
        confidence = min(best_words / lexical_ceiling, 1.0) ** weights.confidence
    fused: dict[K, float] = {}
    for key in {*dense, *lexical}:
        cosine = max(dense.get(key, 0.0), 0.0) / best_dense
        words = lexical.get(key, 0.0) / best_words * confidence if best_words else 0.0
        if not has_language.get(key, True):
            words = max(words, weights.impute * cosine * confidence)
        fused[key] = (1 - weights.lexical) * cosine + weights.lexical * words
    return sorted(fused.items(), key=lambda item: (-item[1], str(item[0])))


def rrf(rankings: Sequence[Sequence[K]], k: int = 60) -> list[tuple[K, float]]:
    """Plain reciprocal-rank fusion (the baseline the evaluation compares against)."""
    fused: dict[K, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return sorted(fused.items(), key=lambda item: (-item[1], str(item[0])))


_ENGLISH = frozenset(
    """
    a an and are as at be by can do does for from has have how in is it of on or our that
    the their this to we what which who with need needs looking supplier suppliers partner
    partners company companies parts part steel find wanted offer offers request
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_POLISH_ONLY = frozenset(
    """
    i w z ze na do dla od oraz lub czy jak kto ktora ktory ktore szukamy szukam firma firmy
    dostawca dostawcy partner partnera ze sie jest sa
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_ENGLISH_ENDINGS = ("ing", "tion", "tions", "ment", "ness", "ship", "ity", "ies", "ed")
_POLISH_LETTERS = frozenset("ąćęłńóśźż")


def detect_language(text: str) -> str:
    """'pl' or 'en': Polish letters, Polish function words and words the Polish dictionary
    inflects count for Polish; English function words and endings for English. Ties: 'pl'."""
    polish = english = 0.0
    for word in text.lower().split():
        if any(c in _POLISH_LETTERS for c in word):
            polish += 2
        folded = fold(word)
        if not folded:
            continue
        if folded in _ENGLISH:
            english += 1
        elif folded in _POLISH_ONLY:
            polish += 1
        elif folded.isalpha() and len(folded) > 3:
            if folded.endswith(_ENGLISH_ENDINGS):
                english += 0.5
            if polish_lemma(word) != word:
                polish += 0.75
    return "en" if english > polish else "pl"
