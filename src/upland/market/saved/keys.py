"""The match key of a saved search: an inverted index over saved searches, so a newly published
opportunity reads only the searches that can match it instead of every saved search.

Every saved search is filed under exactly one of its conditions, the most selective it has
(`key_of`): a capability or certification term, else its words, else its PKD code, its city's
voivodeship, its kind, its owner kind, else `*`. An opportunity lists every key a search it
satisfies could be filed under (`keys_for`); the searches under those keys, read from one
index, are the candidates, and the full conditions then decide. A search's key is derived from
its fields by `key_of` whoever writes the row (`market.saved.service`, the benchmark's bulk
generator); migration 0024 filled it for the rows that existed before.

Pure functions: no session, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

WORDS = "q:"  # the prefix of a key filed under the search's words (`q`): "q:<words>"
EVERYONE = "*"  # a search with none of the keyed conditions (only a TRL or dates)
# (column, key prefix, how much of the value the key keeps), most selective first
ORDER = (
    ("capability", "t:", None),
    ("certification", "t:", None),
    ("q", WORDS, None),
    ("pkd", "p:", None),
    ("city_teryt", "c:", 2),  # the voivodeship: a city's county or region matches it too
    ("kind", "k:", None),
    ("owner_kind", "o:", None),
)
KEY_LENGTH = 210  # the longest key: the words' prefix and 200 characters of words


def key_of(fields: Mapping[str, Any]) -> str:
    """The one key a saved search with these column values is filed under."""
    for column, prefix, keep in ORDER:
        value = fields.get(column)
        if value is not None and value != "":
            return prefix + str(value)[:keep]
    return EVERYONE


def keys_for(
    kind: str,
    term_slugs: Iterable[str],
    pkd_values: Iterable[str],
    places: Iterable[str],
    owner_kind: str | None,
    matched_words: Iterable[str],
) -> list[str]:
    """Every key a saved search this opportunity may satisfy is filed under: its terms, the
    word texts already found to match it (`matched_words`), its PKD codes and their prefixes,
    its places' voivodeships, its kind and owner kind, and `*`."""
    keys = {EVERYONE, f"k:{kind}", f"o:{owner_kind or ''}"}
    keys.update(f"t:{slug}" for slug in term_slugs)
    keys.update(WORDS + words for words in matched_words)
    keys.update(f"p:{value}" for value in pkd_values)
    keys.update(f"c:{place[:2]}" for place in places)
    return sorted(keys)


def words_of(key: str) -> str | None:
    """The words a key filed under words holds; None for any other key."""
    return key[len(WORDS) :] if key.startswith(WORDS) else None
