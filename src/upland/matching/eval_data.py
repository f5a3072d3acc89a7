"""The frozen evaluation set for matching (`data/eval/matching/`): queries and graded judgments.

A query is a text someone types or an item ("partners for this opportunity"); each judged
result is an organisation or an opportunity with a grade: 2 right partner, 1 plausible, 0 wrong.
Results without a judgment are unjudged, not wrong. The CSV headers say how the set was made.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

__all__ = [
    "EvalQuery",
    "EvalSet",
    "ItemRef",
    "Judgment",
    "load_eval_set",
    "opportunity_key",
]

_PACKAGE = "upland.data.eval"
_FOLDER = "matching"
ITEM_KINDS = ("organisation", "opportunity")
GRADES = (0, 1, 2)
KEY_SEPARATOR = "|"


def opportunity_key(owner_legal_name: str, title_pl: str) -> str:
    """How the set names an opportunity: its owner's legal name and its Polish title."""
    return f"{owner_legal_name}{KEY_SEPARATOR}{title_pl}"


@dataclass(frozen=True)
class ItemRef:
    """An organisation (by legal name) or an opportunity (by `opportunity_key`)."""

    kind: str  # one of ITEM_KINDS
    key: str


@dataclass(frozen=True)
class EvalQuery:
    query_id: str
    split: str  # "dev" (for tuning) or "test" (held out)
    language: str  # "pl" or "en"; for item cases the source's languages ("pl" or "pl+en")
    cross_language: bool
    kind: str  # "text" or "item"
    results: str  # what the query asks for: "organisations", "opportunities" or "both"
    text: str  # empty for item cases
    source: ItemRef | None  # the item whose partners are sought, for item cases
    intent: str


@dataclass(frozen=True)
class Judgment:
    query_id: str
    item: ItemRef
    grade: int


@dataclass(frozen=True)
class EvalSet:
    queries: tuple[EvalQuery, ...]
    judgments: tuple[Judgment, ...]

    def grades(self, query_id: str) -> dict[ItemRef, int]:
        """Every judged result of one query with its grade."""
        return {j.item: j.grade for j in self.judgments if j.query_id == query_id}

    def split(self, name: str) -> list[EvalQuery]:
        return [q for q in self.queries if q.split == name]


def _rows(name: str) -> Iterator[dict[str, str]]:
    """The rows of one shipped file; lines starting with '#' are its header notes."""
    text = (resources.files(_PACKAGE) / _FOLDER / name).read_text(encoding="utf-8")
    lines = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
    yield from csv.DictReader(io.StringIO(lines))


def _item(kind: str, key: str) -> ItemRef:
    if kind not in ITEM_KINDS or not key:
        raise ValueError(f"not an item: {kind!r} {key!r}")
    return ItemRef(kind, key)


def _query(row: dict[str, str]) -> EvalQuery:
    kind = row["kind"]
    source = _item(row["source_kind"], row["source_key"]) if kind == "item" else None
    if kind not in ("text", "item") or (kind == "text") != bool(row["text"]):
        raise ValueError(f"query {row['query_id']}: a text case needs a text, an item case none")
    if row["split"] not in ("dev", "test") or row["cross_language"] not in ("0", "1"):
        raise ValueError(f"query {row['query_id']}: bad split or cross_language")
    if row["results"] not in ("organisations", "opportunities", "both"):
        raise ValueError(f"query {row['query_id']}: bad results {row['results']!r}")
    return EvalQuery(
        query_id=row["query_id"],
        split=row["split"],
        language=row["language"],
        cross_language=row["cross_language"] == "1",
        kind=kind,
        results=row["results"],
        text=row["text"],
        source=source,
        intent=row["intent"],
    )


def _judgment(row: dict[str, str]) -> Judgment:
    grade = int(row["grade"])
    if grade not in GRADES:
        raise ValueError(f"query {row['query_id']}: grade {grade} is not 0, 1 or 2")
    return Judgment(row["query_id"], _item(row["item_kind"], row["item_key"]), grade)


def load_eval_set() -> EvalSet:
    """The shipped set, in file order (frozen rows first, pooled additions after them)."""
    return EvalSet(
        tuple(_query(row) for row in _rows("queries.csv")),
        tuple(_judgment(row) for row in _rows("judgments.csv")),
    )
