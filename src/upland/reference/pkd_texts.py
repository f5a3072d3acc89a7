"""The text that stands for each PKD code when suggesting codes: its names, keyword hints and
the names of its parents, built from any catalogue of PKD entries.

The keyword hints (everyday words firms use, "toczenie, frezowanie, CNC" for machining, whose
official name is "Obróbka mechaniczna elementów metalowych") are data: `data/pkd/hints2025.csv`,
read once. They are keyed by PKD 2025 codes and never applied to another version (25.62.Z was
machining in PKD 2007 and is locks and hinges in PKD 2025).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

__all__ = [
    "CONTEXT_LEVELS",
    "CatalogueEntry",
    "CodeText",
    "build_code_texts",
    "code_phrases",
    "code_texts",
    "default_hints",
    "is_pkd2025",
    "pkd2025_hints",
]

# Parent levels whose names are added as context (4 = class, 2 = division; groups rarely add
# anything the class and division do not say).
CONTEXT_LEVELS = (4, 2)
_HINTS_PACKAGE = "upland.data.pkd"
_HINTS_FILE = "hints2025.csv"


class CatalogueEntry(Protocol):
    """What the suggester reads from a catalogue row (e.g. `pkd_codes.PkdEntry`).

    `parent` (the code one level up) and `version` are optional: without `parent` the
    hierarchy is derived from the code itself ("29.20.Z" -> "29.20" -> "29.2" -> "29").
    """

    @property
    def code(self) -> str: ...

    @property
    def level(self) -> int: ...

    @property
    def name_pl(self) -> str: ...

    @property
    def name_en(self) -> str: ...


@cache
def pkd2025_hints() -> Mapping[str, str]:
    """Code -> keywords from the shipped hint table (comment lines start with '#')."""
    text = (resources.files(_HINTS_PACKAGE) / _HINTS_FILE).read_text(encoding="utf-8")
    lines = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
    return {row["code"]: row["keywords"] for row in csv.DictReader(io.StringIO(lines))}


def is_pkd2025(entries: Sequence[CatalogueEntry]) -> bool:
    """Whether every entry says `version == 2025` (the shipped tables are keyed by its codes)."""
    return {getattr(entry, "version", None) for entry in entries} == {2025}


def default_hints(entries: Sequence[CatalogueEntry]) -> Mapping[str, str]:
    """The shipped hints for a PKD 2025 catalogue, otherwise none."""
    return pkd2025_hints() if is_pkd2025(entries) else {}


def _tidy(name: str | None) -> str:
    name = " ".join((name or "").split())
    if name.isupper():  # section titles are printed in capitals
        name = name.capitalize()
    return name


def _derived_parent(code: str) -> str | None:
    """'29.20.Z' -> '29.20' -> '29.2' -> '29' -> None (a section is not derivable)."""
    parts = code.split(".")
    if len(parts) == 3:
        return f"{parts[0]}.{parts[1]}"
    if len(parts) == 2:
        return f"{parts[0]}.{parts[1][:-1]}" if len(parts[1]) == 2 else parts[0]
    return None


@dataclass(frozen=True)
class _Gap:
    """A parent code the catalogue does not list; only used to keep walking up."""

    code: str
    parent: str | None = None


def _ancestors(
    entry: CatalogueEntry, by_code: Mapping[str, CatalogueEntry]
) -> list[CatalogueEntry]:
    """Parents of `entry` that the catalogue lists, nearest first."""
    chain: list[CatalogueEntry] = []
    seen = {entry.code}
    current: object = entry
    while True:
        parent_code = getattr(current, "parent", None) or _derived_parent(
            getattr(current, "code", "")
        )
        if not parent_code or parent_code in seen:
            return chain
        seen.add(parent_code)
        parent = by_code.get(parent_code)
        if parent is None:
            current = _Gap(parent_code)
        else:
            chain.append(parent)
            current = parent


@dataclass(frozen=True)
class CodeText:
    own: list[str]  # the code's names and keyword hints
    context: list[str]  # names of its class and division that are not repeats
    hint: str = ""  # the keyword hints alone (also in `own`), to say where a word matched

    def joined(self) -> str:
        return ". ".join(self.own + self.context)


_PHRASE_BREAK = re.compile(r"[;,:]")
_MIN_PHRASE_CHARS = 4


def code_phrases(text: CodeText) -> list[str]:
    """The code's own names and each of its keyword hints on its own ("hamulce", "brakes"): a
    firm's short phrase meets its closest one instead of a blur of the whole text."""
    names = [name for name in text.own if name != text.hint]
    hints = [" ".join(part.split()) for part in _PHRASE_BREAK.split(text.hint)]
    return names + [hint for hint in hints if len(hint) >= _MIN_PHRASE_CHARS]


def code_texts(
    entries: Sequence[CatalogueEntry], level: int, hints: Mapping[str, str]
) -> dict[str, CodeText]:
    """The names (own and context) of every code of `level`, each distinct name once."""
    by_code = {entry.code: entry for entry in entries}
    texts: dict[str, CodeText] = {}
    for entry in entries:
        if entry.level != level:
            continue
        seen: set[str] = set()
        parts: list[list[str]] = [[], []]
        named = [(entry, 0)] + [
            (parent, 1) for parent in _ancestors(entry, by_code) if parent.level in CONTEXT_LEVELS
        ]
        for node, part in named:
            names = [node.name_pl, node.name_en]
            if node is entry:
                names.append(hints.get(entry.code, ""))
            for name in map(_tidy, names):
                if name and name.casefold() not in seen:
                    seen.add(name.casefold())
                    parts[part].append(name)
        texts[entry.code] = CodeText(parts[0], parts[1], _tidy(hints.get(entry.code, "")))
    return texts


def build_code_texts(
    entries: Sequence[CatalogueEntry], level: int = 5, hints: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The text embedded for each code of `level`: its Polish and English names and keyword
    hints, then the names of its class and division, each distinct name once."""
    return {code: text.joined() for code, text in code_texts(entries, level, hints or {}).items()}
