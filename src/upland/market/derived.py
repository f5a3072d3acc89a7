"""The derived columns of an opportunity, from one pure function whoever writes the row.

`search_title` holds the index tokens (`upland.textkit.analysis`) of the titles, the only words
a teaser shows, so a text search may match a teaser by them and by nothing else;
`search_text` those of every other text the owner wrote and of the capability terms named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from upland.textkit.analysis import index_tokens, name_tokens

# The texts of an opportunity that the full text search reads besides the titles.
TEXT_FIELDS = (
    "description_pl",
    "description_en",
    "advantages",
    "innovation",
    "process",
    "machine",
    "equipment",
    "conditions",
)


@dataclass(frozen=True)
class Derived:
    search_title: str
    search_text: str


def derive(titles: Iterable[str], texts: Iterable[str], term_names: Iterable[str]) -> Derived:
    return Derived(
        search_title=name_tokens(titles),
        search_text=index_tokens([*texts, *term_names]),
    )
