"""Text normalisation shared by search and matching: lower case, no Polish diacritics."""

from __future__ import annotations

import re
import unicodedata

_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """'Łódź Żerań' -> 'lodz zeran': the form stored in search columns and used in queries."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", stripped.lower()).split())


def words(text: str) -> list[str]:
    return fold(text).split()
