"""The derived columns of an organisation, computed from plain data by one pure function.

Whoever writes an organisation — the service (one row through the ORM), the import (thousands
of rows through Core), the benchmarks' bulk loaders — calls `derive`, so a row reads, sorts,
searches and counts the same however it was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from upland.organisations import facets
from upland.organisations.vocab import size_class_for
from upland.textkit.analysis import index_tokens, name_tokens
from upland.textkit.folding import fold as _fold

# The organisation's own columns the derived ones depend on.
SOURCE_COLUMNS: tuple[str, ...] = (
    "kind",
    "legal_name",
    "short_name",
    "nip",
    "regon",
    "employees",
    "description_pl",
    "description_en",
    "capacity_notes",
    "supply_tier",
    "membership_status",
    "visibility",
)
DERIVED_COLUMNS: tuple[str, ...] = (
    "name_key",
    "size_class",
    "teryt",
    "search_name",
    "search_text",
    "facets",
)
_FREE_TEXT = ("description_pl", "description_en", "capacity_notes")


@dataclass(frozen=True, slots=True)
class Children:
    """What the derived columns need beyond the organisation's own columns.

    `teryt` and `city` are the headquarters' municipality code and name; `labels` the
    capabilities' own labels followed by their vocabulary names ("name_pl name_en").
    `site_teryts` is None when the writer recounts the facets from the database afterwards
    (`facets.refresh`, after Core statements changed the children): then no facets are derived.
    """

    teryt: str | None
    city: str
    labels: Sequence[str]
    site_teryts: Iterable[str | None] | None
    pkd: Iterable[tuple[str | None, str]] = ()  # (section, code)
    term_ids: Iterable[int | None] = ()


def derive(
    columns: Mapping[str, Any],
    children: Children,
    *,
    fold: Callable[[str], str] = _fold,
    fold_name: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """Sort key, size class, headquarters, search text and facet tokens of one organisation.

    `fold` must return what `upland.textkit.folding.fold` returns (the import passes its faster
    one); `fold_name` is accepted for callers that pass one, the analyser caching by word.
    """
    legal, short = columns["legal_name"], columns["short_name"]
    folded_legal = fold(legal) if legal else ""
    folded_short = folded_legal if short == legal else fold(short) if short else ""
    size = size_class_for(columns["employees"])
    size_class = size.value if size is not None else None
    # The search index's tokens (`textkit.analysis`): the names apart, as they weigh more.
    parts = [value for value in (columns["nip"], columns["regon"]) if value]
    if children.city:
        parts.append(children.city)
    parts.extend(columns[name] for name in _FREE_TEXT if columns[name])
    parts.extend(label for label in children.labels if label)
    values = {
        "name_key": (folded_short if short else folded_legal)[:120],
        "size_class": size_class,
        "teryt": children.teryt,
        "search_name": name_tokens((legal or "", short or "")),
        "search_text": index_tokens(parts),
    }
    if children.site_teryts is not None:
        values["facets"] = facets.build(
            {**columns, "size_class": size_class},
            children.site_teryts,
            children.pkd,
            children.term_ids,
        )
    return values
