"""The kind of activity a description names (repair, wholesale, storage, research ...), told by
words of the trade, and the PKD codes of that kind.

The sentence models read what a firm works on ("hydraulic pumps", "cars") far better than what
it does with it: "we overhaul hydraulic pumps" lands on making pumps, "used car dealer" on car
parts wholesale. PKD files the same object under different divisions by kind of activity, so a
cue for the kind is worth a bonus of its own. The cues are data (`data/pkd/activity_kinds2025.csv`),
keyed by PKD 2025 prefixes and never applied to another version.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from upland.reference.pkd_wording import split_clauses
from upland.textkit.folding import fold

__all__ = ["ActivityKind", "kind_weights", "kinds_named", "pkd2025_kinds"]

_PACKAGE = "upland.data.pkd"
_FILE = "activity_kinds2025.csv"
# A cue word this short must be a whole word ("r d", "b r"); a longer one may begin a word
# ("napraw" for "naprawiamy").
_WHOLE_WORD_UNDER = 4


@dataclass(frozen=True)
class ActivityKind:
    name: str
    prefixes: tuple[str, ...]  # PKD codes of this kind start with one of these
    # Each cue: folded words that must follow one another; a word ending in "$" is whole.
    cues: tuple[tuple[str, ...], ...]
    # Phrases whose words look like a cue and are not ("serwis internetowy", "energy storage"):
    # they are taken out of a text before its cues are looked for.
    not_cues: tuple[tuple[str, ...], ...] = ()

    def covers(self, code: str) -> bool:
        # Codes are fixed-width ("33.12.Z"), so a division, group or class is a plain prefix.
        return code.startswith(self.prefixes)

    def named_in(self, folded: str) -> bool:
        """Whether a folded text (`fold`) uses one of the cues."""
        if self.not_cues:
            folded = _pattern(self.not_cues).sub(" ", folded)
        return _pattern(self.cues).search(folded) is not None


@cache
def _pattern(cues: tuple[tuple[str, ...], ...]) -> re.Pattern[str]:
    return re.compile("|".join(_cue_pattern(cue) for cue in cues))


def _cue_pattern(cue: tuple[str, ...]) -> str:
    """Words in a row, each whole (marked "$", or shorter than _WHOLE_WORD_UNDER letters) or
    beginning a word."""
    parts = [
        re.escape(part.rstrip("$"))
        + ("" if part.endswith("$") or len(part) < _WHOLE_WORD_UNDER else r"\S*")
        for part in cue
    ]
    return r"(?<!\S)" + " ".join(parts) + r"(?!\S)"


def _cues(column: str) -> tuple[tuple[str, ...], ...]:
    """'napraw|komis$|cold store' -> (("napraw",), ("komis$",), ("cold", "store"))."""
    found = []
    for cue in column.split("|"):
        words = fold(cue).split()
        if words and cue.strip().endswith("$"):
            words[-1] += "$"
        if words:
            found.append(tuple(words))
    return tuple(found)


@cache
def pkd2025_kinds() -> tuple[ActivityKind, ...]:
    """The shipped cue table (comment lines start with '#')."""
    text = (resources.files(_PACKAGE) / _FILE).read_text(encoding="utf-8")
    lines = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
    return tuple(
        ActivityKind(
            name=row["kind"],
            prefixes=tuple(row["prefixes"].split()),
            cues=_cues(row["cues"]),
            not_cues=_cues(row["not_cues"] or ""),
        )
        for row in csv.DictReader(io.StringIO(lines))
    )


def kinds_named(text: str, kinds: Sequence[ActivityKind]) -> list[ActivityKind]:
    """The kinds whose cues `text` uses."""
    folded = fold(text)
    return [kind for kind in kinds if kind.named_in(folded)]


def kind_weights(text: str, kinds: Sequence[ActivityKind]) -> list[tuple[ActivityKind, float]]:
    """(kind, weight in 0..1) for each kind `text` names: 1 when its first clause (what a firm
    says first, its main activity) names it, else the share of its clauses that do. So "we
    machine shafts ..., also urgent repairs" is hardly a repair shop, while "Used car dealer -
    150 cars on the lot" is a dealer however many clauses follow."""
    named = kinds_named(text, kinds)
    if not named:
        return []
    clauses = [set(kinds_named(clause, named)) for clause in split_clauses(text)] or [set(named)]
    return [
        (kind, 1.0 if kind in clauses[0] else sum(kind in c for c in clauses) / len(clauses))
        for kind in named
    ]
