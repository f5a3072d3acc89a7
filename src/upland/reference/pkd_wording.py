"""How a firm's description is cut and compared word by word with the PKD catalogue: activity
clauses, crude Polish/English stems, and an idf-weighted index of which codes use which stems.

Descriptions often reuse the catalogue's own words ("konstrukcje stalowe", "obróbka"), and rare
technical words are where the sentence model is weakest; this is the wording half of a score.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from upland.textkit.folding import fold

__all__ = ["MIN_CLAUSE_WORDS", "WordingIndex", "has_word", "split_clauses", "stems", "word_count"]

MAX_CLAUSES = 16
MIN_CLAUSE_WORDS = 2
# Word stems are cut to STEM_CHARS letters after stripping endings (see `_stem`).
STEM_CHARS = 6

# ----------------------------------------------------------------------- clause splitting

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+|\s*[\n;•·]+\s*|\s+[-–—]\s+")
_CLAUSE_BREAK = re.compile(
    r"\s*,\s*|\s+(?:and|as well as|plus|&|i|oraz|a także|także|jak również)\s+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def has_word(text: str) -> bool:
    """Whether `text` has at least one word of two letters or more."""
    return _WORD.search(text) is not None


def split_clauses(text: str) -> list[str]:
    """Split a description into activity clauses, in order, without duplicates.

    Sentences, ';' and line breaks always separate. Inside a sentence ',' and conjunctions
    (and, i, oraz, ...) separate too, but a piece of fewer than two words is glued to its
    neighbour: "maszyny rolnicze: pługi, brony i opryskiwacze" stays whole, while "we machine
    steel shafts and weld frames for trailers" gives "we machine steel shafts" and "weld
    frames for trailers".
    """
    clauses: list[str] = []
    for sentence in _SENTENCE_BREAK.split(" ".join(text.split())):
        sentence = sentence.strip(" .!?,:")
        if not sentence:
            continue
        spans: list[tuple[int, int]] = []
        start = 0
        for match in _CLAUSE_BREAK.finditer(sentence):
            spans.append((start, match.start()))
            start = match.end()
        spans.append((start, len(sentence)))
        merged: list[tuple[int, int]] = []
        for begin, end in spans:
            if merged and (
                word_count(sentence[begin:end]) < MIN_CLAUSE_WORDS
                or word_count(sentence[merged[-1][0] : merged[-1][1]]) < MIN_CLAUSE_WORDS
            ):
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((begin, end))
        for begin, end in merged:
            clause = sentence[begin:end].strip(" ,.:")
            if word_count(clause) and clause not in clauses:
                clauses.append(clause)
    return clauses[:MAX_CLAUSES]


# -------------------------------------------------------------------------------- stems

# Function words, the catalogue's boilerplate and generic business verbs ("wykonujemy
# usługi", "we offer"), diacritics folded: they are compared after `fold`.
_STOPWORD_TEXT = """
a an and are as at be by for from in is it of on or our the their to we with us also other
offer provide services service company firm
oraz dla do na od po przez sie ze jak jest sa nasz nasza nasze nas takze ktory ktora ktore
inne innych pozostale pozostalych gdzie indziej niesklasyfikowana niesklasyfikowane wylaczeniem
firma firmy zaklad zakladzie uslugi uslug uslugowa oferujemy swiadczymy zajmujemy zajmuje
wykonujemy wykonuje realizujemy dzialalnosc dzialalnosci prowadzimy prowadzi specjalizujemy
specjalizuje jestesmy posiadamy mamy tez rowniez dodatkowo glownie
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+")

# Inflection endings, diacritics folded, longest first: Polish case endings ("-ami", "-ów",
# "-ych", "-ie", "-y" ...) and a few English ones. Crude, but enough for short texts to meet
# the catalogue halfway: "obróbką"/"obróbki" -> "obrobk", "welding"/"welded" -> "weld".
_ENDING_TEXT = "owie owi ami ach ego emu ych ymi ing ow om ie em ej ym ed es a e i o u y s"
_ENDINGS = tuple(_ENDING_TEXT.split())
_MIN_STEM = 4


def _stem(word: str) -> str:
    for _ in range(2):  # "castings" -> "casting" -> "cast", "stalowych" -> "stalow" -> "stal"
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                word = word[: -len(ending)]
                break
    return word[:STEM_CHARS]


def stems(text: str) -> list[str]:
    """Stems of the content words of `text` (see `_stem`); function words dropped."""
    return [
        _stem(word)
        for word in _TOKEN.findall(fold(text))
        if len(word) >= 3 and word not in _STOPWORDS
    ]


# ------------------------------------------------------------------------ wording index


class WordingIndex:
    """How much of a text's wording a code's terms cover: the idf-weighted share of the text's
    stems found among a code's terms, each term with its credit in 0..1. Not diluted by long
    keyword lists the way a cosine would be. Stems unknown to the catalogue count against the
    text at the highest idf."""

    def __init__(self, documents: Sequence[Mapping[str, float]]) -> None:
        """`documents[i]` maps the stems of code i to their credit in 0..1."""
        self.size = len(documents)
        frequency = Counter(stem for doc in documents for stem in doc)
        self.max_idf = math.log((self.size + 1) / 0.5)
        self.idf = {
            stem: math.log((self.size + 1) / (count + 0.5)) for stem, count in frequency.items()
        }
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for row, doc in enumerate(documents):
            for stem, weight in doc.items():
                rows, credits = postings.setdefault(stem, ([], []))
                rows.append(row)
                credits.append(weight)
        self.postings = {
            stem: (np.array(rows, dtype=np.intp), np.array(credits))
            for stem, (rows, credits) in postings.items()
        }

    def scores(self, text: str) -> np.ndarray:
        counts = Counter(stems(text))
        weights = {
            stem: (1.0 + math.log(n)) * self.idf.get(stem, self.max_idf)
            for stem, n in counts.items()
        }
        total = sum(weights.values())
        out = np.zeros(self.size)
        for stem, weight in weights.items():
            hit = self.postings.get(stem)
            if hit is not None:
                out[hit[0]] += (weight / total) * hit[1]
        return out
