"""A bilingual lexicon learnt from texts written in both languages, so that a query's words
also ask in the other language ("fatigue" also asks for "zmęczeniowy", "tuleja" for "bush").

Many asks are cross-language: an English need, a Polish-only profile. Embeddings bridge them
only roughly, and BM25 not at all, so the lexical side would favour whatever happens to have
English words. The platform already holds parallel text: every PKD and capability name in
both languages, the PKD hints, and the titles and descriptions firms wrote in both. IBM
Model 1 (Brown et al. 1993: expectation–maximisation over which word of one side each word
of the other side stands for, in every parallel pair) turns them into word translation
probabilities, in the BM25 term space (`lexical.polish_terms`, `textkit.analysis.english_stem`).
A query word adds its likely translations (probability at least `FLOOR`, the `MOST` likeliest)
to its own terms. Pure: pairs in, a lexicon out; which pairs is the caller's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from upland.matching.lexical import STOP_WORDS, polish_terms
from upland.textkit.analysis import english_stem
from upland.textkit.folding import fold

__all__ = ["FLOOR", "MOST", "Lexicon"]

FLOOR = 0.3  # a translation at least this likely is asked for
MOST = 2  # the likeliest translations of a word asked for, at most
ITERATIONS = 8
MIN_LENGTH = 3  # shorter terms (roman numerals, stray letters) are not words to translate
MAX_WORDS = 60  # of a text: the model's work grows with the product of a pair's lengths

_WORD = re.compile(r"\w+")
Table = Mapping[str, tuple[str, ...]]


def _words(text: str) -> Iterable[str]:
    for word in _WORD.findall(text.lower()):
        folded = fold(word)
        if folded.isalpha() and len(folded) >= MIN_LENGTH and folded not in STOP_WORDS:
            yield word


@lru_cache(maxsize=1 << 14)  # the reference names are analysed again by every learning
def polish_words(text: str) -> tuple[str, ...]:
    """A Polish text's words as BM25 terms (their lemmas)."""
    return tuple(t for word in _words(text) for t in polish_terms(word) if len(t) >= MIN_LENGTH)


@lru_cache(maxsize=1 << 14)
def english_words(text: str) -> tuple[str, ...]:
    """An English text's words as BM25 terms (their stems)."""
    return tuple(t for word in _words(text) if len(t := english_stem(fold(word))) >= MIN_LENGTH)


@dataclass(frozen=True)
class Lexicon:
    """Per term, its translations in the other language, likeliest first."""

    to_polish: Table
    to_english: Table

    @classmethod
    def learn(cls, pairs: Iterable[tuple[str, str]], *, floor: float = FLOOR) -> Lexicon:
        """Learn from (Polish, English) texts that say the same thing."""
        polish, english = [], []
        for text_pl, text_en in pairs:
            words_pl = polish_words(text_pl)[:MAX_WORDS]
            words_en = english_words(text_en)[:MAX_WORDS]
            if words_pl and words_en:
                polish.append(words_pl)
                english.append(words_en)
        return cls(
            to_polish=_model_one(english, polish, floor),
            to_english=_model_one(polish, english, floor),
        )

    def __len__(self) -> int:
        return len(self.to_polish) + len(self.to_english)

    def translate(self, text: str) -> list[str]:
        """The BM25 terms of the text's words in the other language. Each word is read both
        ways (a short query's language is a guess: "axle beam fatigue" has no function word
        to tell), and translated from the language whose vocabulary knows it."""
        found = [t for word in english_words(text) for t in self.to_polish.get(word, ())]
        found += [t for word in polish_words(text) for t in self.to_english.get(word, ())]
        return list(dict.fromkeys(found))


def _model_one(source: list[tuple[str, ...]], target: list[tuple[str, ...]], floor: float) -> Table:
    """t(target word | source word) by IBM Model 1 (with the empty word, which takes the
    target words nothing in the source stands for), as source word -> its translations at
    least `floor` likely, likeliest first, at most `MOST`. Vectorised: every (target
    position, source word) pair of every sentence is one entry of flat arrays."""
    vocab_s: dict[str, int] = {}
    vocab_t: dict[str, int] = {}
    positions, target_ids, source_ids = [], [], []
    position = 0
    for words_s, words_t in zip(source, target, strict=True):
        ids_s = [vocab_s.setdefault(w, len(vocab_s)) for w in dict.fromkeys(words_s)]
        for word in words_t:
            t_id = vocab_t.setdefault(word, len(vocab_t))
            for s_id in (*ids_s, -1):
                positions.append(position)
                target_ids.append(t_id)
                source_ids.append(s_id)
            position += 1
    if not position:
        return {}
    empty = len(vocab_s)
    s_arr = np.array(source_ids, dtype=np.int64)
    s_arr[s_arr < 0] = empty
    key = s_arr * len(vocab_t) + np.array(target_ids, dtype=np.int64)
    pairs, entry = np.unique(key, return_inverse=True)
    pair_source = pairs // len(vocab_t)
    pos = np.array(positions, dtype=np.int64)
    prob = np.ones(len(pairs))
    for _ in range(ITERATIONS):
        p = prob[entry]
        share = p / np.bincount(pos, weights=p, minlength=position)[pos]
        counts = np.bincount(entry, weights=share, minlength=len(pairs))
        prob = counts / np.bincount(pair_source, weights=counts, minlength=empty + 1)[pair_source]
    names_s, names_t = list(vocab_s), list(vocab_t)
    table: dict[str, list[str]] = {}
    for i in np.argsort(-prob, kind="stable"):
        if prob[i] < floor:
            break
        s_id = int(pair_source[i])
        if s_id == empty:
            continue
        found = table.setdefault(names_s[s_id], [])
        if len(found) < MOST:
            found.append(names_t[int(pairs[i] % len(vocab_t))])
    return {word: tuple(found) for word, found in table.items()}
