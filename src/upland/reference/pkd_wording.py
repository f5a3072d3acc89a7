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

__all__ = [
    "ACTIVITY_WEIGHT",
    "MIN_CLAUSE_WORDS",
    "WordingIndex",
    "has_word",
    "is_activity_word",
    "split_clauses",
    "stems",
    "weighted_stems",
    "word_count",
    "word_stems",
]

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

# Function words, the catalogue's boilerplate, generic business verbs ("wykonujemy
# usługi", "we offer") and sales talk ("kompleksowe rozwiązania dla klientów": its
# "rozwiązania" met the DNS hint's "rozwiązywanie nazw"), diacritics folded: they are compared
# after `fold`.
_STOPWORD_TEXT = """
a an and are as at be by for from in is it of on or our the their to we with us also other
offer provide services service company firm
oraz dla do na od po przez sie ze jak jest sa nasz nasza nasze nas takze ktory ktora ktore
ale bez pod nad lub albo przy wraz lecz czy
inne innych pozostale pozostalych gdzie indziej niesklasyfikowana niesklasyfikowane wylaczeniem
firma firmy zaklad zakladzie uslugi uslug uslugowa oferujemy swiadczymy zajmujemy zajmuje
wykonujemy wykonuje realizujemy dzialalnosc dzialalnosci prowadzimy prowadzi specjalizujemy
specjalizuje jestesmy posiadamy mamy tez rowniez dodatkowo glownie
zamowienie zamowienia zamowien custom order orders
kompleksowe kompleksowy kompleksowa kompleksowo kompleksowych rozwiazanie rozwiazania rozwiazan
klient klienta klienci klientow klientom wymagajacych profesjonalne profesjonalny profesjonalnie
solution solutions comprehensive customer customers client clients professional
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_TOKEN = re.compile(r"[^\W_]+")

# Inflection endings, diacritics folded, longest first: Polish case endings ("-ami", "-ów",
# "-ych", "-ie", "-y" ...) and a few English ones. Crude, but enough for short texts to meet
# the catalogue halfway: "obróbką"/"obróbki" -> "obrobk", "welding"/"welded" -> "weld".
_ENDING_TEXT = "owie owi ami ach ego emu ych ymi ing ow om ie em ej ym ed es a e i o u y s"
_ENDINGS = tuple(_ENDING_TEXT.split())
_MIN_STEM = 4


# A firm writes "spawamy, toczymy, frezujemy" where the catalogue and hints say "spawanie,
# toczenie, frezowanie": a first-person plural verb is met as its verbal noun.
_VERB_TO_NOUN = (("ujemy", "owanie"), ("amy", "anie"), ("ymy", "enie"), ("imy", "enie"))


def _as_noun(word: str) -> str:
    for ending, noun in _VERB_TO_NOUN:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)] + noun
    return word


def _stem(word: str) -> str:
    for _ in range(2):  # "castings" -> "casting" -> "cast", "stalowych" -> "stalow" -> "stal"
        for ending in _ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                word = word[: -len(ending)]
                break
    return word[:STEM_CHARS]


def stems(text: str) -> list[str]:
    """Stems of the content words of `text` (see `_stem`); function words dropped."""
    return [stem for _, _, stem in word_stems(text)]


def word_stems(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each content word of `text`, offsets into `text` as written."""
    return [(start, end, _stem(_as_noun(word))) for start, end, word in _content_words(text)]


def _content_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) of the words of `text` that carry content."""
    found = []
    for match in _TOKEN.finditer(text):
        for word in fold(match.group()).split():
            if len(word) >= 3 and word not in _STOPWORDS:
                found.append((match.start(), match.end(), word))
    return found


# ------------------------------------------------------------------------ activity words

# PKD classifies by activity: the process a firm runs (machining, welding, repair) decides the
# division, what it works on (aluminium, steel, housings) only narrows it down. So in the
# wording score a word naming a process weighs ACTIVITY_WEIGHT times a word naming an object
# or material. Process words are told by form, diacritics folded: Polish verbal nouns
# ("spawanie", "cięciem", "toczenia"), English gerunds ("machining"), and the action nouns of
# a trade ("obróbka", "naprawa", "repair"). Finite verbs ("produkujemy", "montujemy", "we make")
# are not: they introduce whatever a firm does and say little about which process it is.
ACTIVITY_WEIGHT = 2.0
_ACTIVITY_FORM = re.compile(
    r"\w{2,}(?:[aeyi]ni|[ae]ci)(?:e|a|u|em|ach|ami)$"  # spawanie, cięcia, toczeniem
    r"|\w{3,}ing$"  # machining, welding (not "housings", a plural noun)
)
_ACTION_STEMS = frozenset(
    _stem(word) for word in ["obrobka", "naprawa", "remont", "repair", "maintenance", "overhaul"]
)


def is_activity_word(folded_word: str) -> bool:
    """Whether a (folded, lower-case) word names an activity rather than a thing."""
    return bool(_ACTIVITY_FORM.match(folded_word)) or _stem(folded_word) in _ACTION_STEMS


def weighted_stems(text: str) -> list[tuple[str, float]]:
    """(stem, weight) of each content word of `text`: ACTIVITY_WEIGHT for activity words."""
    return [
        (_stem(_as_noun(word)), ACTIVITY_WEIGHT if is_activity_word(word) else 1.0)
        for _, _, word in _content_words(text)
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
        """Per code, the share of `text`'s weight its terms cover: each stem weighs its idf,
        times 1 + log(repeats), times its role (see `weighted_stems`)."""
        counts: Counter[str] = Counter()
        role: dict[str, float] = {}
        for stem, weight in weighted_stems(text):
            counts[stem] += 1
            role[stem] = max(role.get(stem, 0.0), weight)
        weights = {
            stem: (1.0 + math.log(n)) * self.idf.get(stem, self.max_idf) * role[stem]
            for stem, n in counts.items()
        }
        total = sum(weights.values())
        out = np.zeros(self.size)
        for stem, weight in weights.items():
            hit = self.postings.get(stem)
            if hit is not None:
                out[hit[0]] += (weight / total) * hit[1]
        return out
