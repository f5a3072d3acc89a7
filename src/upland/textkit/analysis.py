"""Words as the search index stores them and as queries look them up, in Polish and English.

Polish inflects: "spawanie", "spawania", "spawaniem" are one word to a reader, three strings to
an index. Every word of a text is therefore indexed as up to three tokens, all folded (no
case, no diacritics): its surface form, its Polish lemma (simplemma's dictionary, with
`data/textkit/lemma_overrides_pl.tsv` for place names and trade words it gets wrong) and its
English Snowball stem ("welded" → "weld"). A query word matches a text word when its lemma or
stem equals one of the word's tokens, or when it begins the word's surface form (so a word
typed half-way still finds). SQLite (FTS5) and PostgreSQL (tsvector) index these same tokens,
so both backends return the same organisations.

simplemma ships its dictionaries in the wheel: nothing is downloaded. The Polish one is read
in its memory-frugal form (`low_memory`: the compressed stream with a block index, ~50 MB per
process instead of a ~350 MB dict, the same lemmas, ~30 µs a look-up instead of ~2 µs, and
`word_tokens` caches words). It is loaded on the first lemma asked for, or by `warm_up`, which
`upland serve` calls in each worker process before it takes requests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from upland.textkit.folding import fold
from upland.textkit.tables import pairs

__all__ = [
    "QueryWord",
    "index_tokens",
    "name_tokens",
    "query_words",
    "warm_up",
    "word_tokens",
]

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r"[0-9a-z]+")
MAX_QUERY_WORDS = 8


@lru_cache(maxsize=1)
def lemma_overrides() -> dict[str, str]:
    """Inflected form → lemma, both lower case with diacritics, where simplemma errs."""
    return {form.lower(): lemma.lower() for form, lemma in pairs("lemma_overrides_pl.tsv")}


def polish_lemma(word: str) -> str:
    """The dictionary form of a lower-case Polish word (diacritics kept), or the word itself.

    simplemma maps a verbal noun in the nominative to its verb ("spawanie" → "spawać") but
    its other cases to the noun ("spawania" → "spawanie"); a second look-up sends those to the
    verb as well, so every case of the noun meets in one lemma.
    """
    override = lemma_overrides().get(word)
    if override is not None:
        return override
    if not word.isalpha():
        return word
    lemma = _simplemma(word)
    if lemma != word:
        lemma = lemma_overrides().get(lemma, lemma)
        again = _simplemma(lemma)
        if again.endswith("ć"):
            lemma = again
    return lemma


def _simplemma(word: str) -> str:
    import simplemma  # deferred: loading the Polish dictionary takes seconds

    return str(simplemma.lemmatize(word, lang="pl", low_memory=True)).lower()


def warm_up() -> None:
    """Load the Polish dictionary and the English stemmer now, so that no request waits for
    them (1–3 s): `upland serve` calls this in each worker as it starts."""
    _simplemma("spawania")
    english_stem("welding")


@lru_cache(maxsize=1)
def _english() -> object:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def english_stem(folded: str) -> str:
    return str(_english().stemWord(folded))  # type: ignore[attr-defined]


@lru_cache(maxsize=1 << 16)
def word_tokens(word: str) -> tuple[str, ...]:
    """The index tokens of one lower-case word: surface form first, then lemma and stem."""
    tokens: list[str] = []
    for surface in _TOKEN.findall(fold(word)):
        tokens.append(surface)
        if surface.isalpha():
            for lemma in _TOKEN.findall(fold(polish_lemma(word))):
                tokens.append(lemma)
            tokens.append(english_stem(surface))
    return tuple(dict.fromkeys(tokens))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("_", " "))


def index_tokens(texts: Iterable[str]) -> str:
    """The tokens of some texts, each once, space-separated: one column of the index."""
    tokens: dict[str, None] = {}
    for text in texts:
        if text:
            for word in _words(text):
                tokens.update(dict.fromkeys(word_tokens(word)))
    return " ".join(tokens)


def name_tokens(names: Iterable[str]) -> str:
    """`index_tokens` of names, plus each pair of neighbouring words written as one.

    "Rol-Mech Lublin" is also found as "rolmech" (and "mechlublin", which costs nothing).
    """
    tokens: dict[str, None] = {}
    for name in names:
        if not name:
            continue
        words = _words(name)
        for word in words:
            tokens.update(dict.fromkeys(word_tokens(word)))
        surfaces = [s for word in words for s in _TOKEN.findall(fold(word))]
        tokens.update(dict.fromkeys(a + b for a, b in pairwise(surfaces)))
    return " ".join(tokens)


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: matches a text word having one of `exact` as a token, or whose
    surface form starts with `prefix`."""

    exact: tuple[str, ...]
    prefix: str


def query_words(q: str) -> list[QueryWord]:
    """The words of a query as index look-ups, at most eight of them."""
    found: list[QueryWord] = []
    for word in _words(q):
        tokens = word_tokens(word)
        if not tokens:
            continue
        found.append(QueryWord(exact=tuple(t for t in tokens[1:]), prefix=tokens[0]))
    return found[:MAX_QUERY_WORDS]


def compact(q: str) -> str:
    """A query or name without case, diacritics, spaces or punctuation: 'Rol-Mech' → 'rolmech'."""
    return "".join(_TOKEN.findall(fold(q)))
