"""A faster `textkit.folding.fold` for bulk imports: the same result, about five times quicker.

`fold` decomposes a string and filters it character by character in Python, which costs tens
of microseconds for a paragraph. When every character of the text is one whose folded form is
plain ASCII (all Polish and other Latin letters), the same result comes from C-level string
operations alone, and so does punctuation that `fold` turns into word breaks („ ” – — …);
any other text goes to `fold` itself, so results always match it.
"""

from __future__ import annotations

import string
import unicodedata

from upland.textkit.folding import fold

_EXTRA = (("ł", "l"), ("Ł", "l"), ("đ", "d"), ("ø", "o"), ("ß", "ss"))
_WORD = frozenset(string.ascii_letters + string.digits + "_")
_ASCII_NON_WORD = str.maketrans({chr(c): " " for c in range(128) if chr(c) not in _WORD})


def _ascii_after_fold(char: str) -> bool:
    """True when NFKD minus combining marks turns `char` into ASCII, as `fold` would."""
    for extra, replacement in _EXTRA:
        char = char.replace(extra, replacement)
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.isascii() and decomposed.encode("ascii", "ignore").decode("ascii") == kept


def _only_separators(char: str) -> bool:
    """True when `fold` turns all of `char` into a word break (quotes „ ”, dashes – —, …)."""
    decomposed = unicodedata.normalize("NFKD", char)
    return not unicodedata.combining(char) and not any(c.isalnum() or c == "_" for c in decomposed)


_SEPARATORS = [c for c in map(chr, range(0x80, 0x2500)) if _only_separators(c)]
_TO_SPACE = str.maketrans(dict.fromkeys(_SEPARATORS, " "))
_SAFE = (
    frozenset(map(chr, range(128)))
    | frozenset(c for c in map(chr, range(0x80, 0x2500)) if _ascii_after_fold(c))
    | frozenset(_SEPARATORS)
)


def fast_fold(text: str) -> str:
    """Exactly `textkit.folding.fold(text)`: lower case, no diacritics, words split by spaces."""
    if not text.isascii():
        if not _SAFE.issuperset(text):
            return fold(text)
        text = text.translate(_TO_SPACE)
        for char, replacement in _EXTRA:
            if char in text:
                text = text.replace(char, replacement)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.lower().translate(_ASCII_NON_WORD).split())
