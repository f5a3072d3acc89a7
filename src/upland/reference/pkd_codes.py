"""PKD codes and the records read from the official GUS PKD files, shared by their readers.

Pure (no database, no web): `pkd_structure` reads the PKD 2025 structure workbook, `pkd_key`
the PKD 2007 ↔ 2025 key, and `pkd_files` tells them apart and loads the shipped copies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

VERSIONS = (2007, 2025)
LEVEL_NAMES = {1: "section", 2: "division", 3: "group", 4: "class", 5: "subclass"}


@dataclass(frozen=True)
class PkdEntry:
    """One node of PKD 2007 or PKD 2025, from section (level 1) to subclass (level 5)."""

    version: int
    code: str
    level: int
    section: str
    name_pl: str
    name_en: str
    parent: str | None


@dataclass(frozen=True)
class PkdCorrespondence:
    """One row of the GUS key: this PKD 2007 code maps (wholly or partly) to this 2025 code."""

    code_2007: str
    code_2025: str


@dataclass(frozen=True)
class PkdFile:
    """What ``read_pkd_file`` found: a structure (entries only) or a key (entries + mapping)."""

    kind: Literal["structure", "key"]
    version: int
    entries: tuple[PkdEntry, ...]
    correspondences: tuple[PkdCorrespondence, ...] = ()


class PkdFileError(ValueError):
    """A PKD file that cannot be read as expected; the message names the file and row."""

    def __init__(self, message: str, *, source: str | None = None, row: int | None = None):
        where = ", ".join(
            part for part in (source, f"row {row}" if row is not None else None) if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.source = source
        self.row = row


# ---------------------------------------------------------------------------------- codes

_SECTION_RE = re.compile(r"(?:SEKCJA\s+|SECTION\s+)?([A-V])")
_NUMERIC_RE = re.compile(r"(\d{2})(?:\.?(\d)(?:(\d)(?:\.?([A-Z]))?)?)?")


def normalise_code(raw: str) -> str:
    """Canonical PKD code ("C", "29", "29.3", "29.32", "29.32.Z") from user or file input.

    Accepts surrounding/odd whitespace, lower case, a "SEKCJA C" prefix and missing dots
    ("2932Z"), because GUS files and people write codes all of these ways.
    """
    if not isinstance(raw, str):
        raise ValueError(f"PKD code must be text, got {type(raw).__name__}")
    text = " ".join(raw.split()).upper()
    if not text:
        raise ValueError("empty PKD code")
    section = _SECTION_RE.fullmatch(text)
    if section:
        return section.group(1)
    match = _NUMERIC_RE.fullmatch(text)
    if match:
        division, group, klass, subclass = match.groups()
        code = division
        if group:
            code += f".{group}"
        if klass:
            code += klass
        if subclass:
            code += f".{subclass}"
        return code
    raise ValueError(
        f"not a PKD code: {raw!r} (expected e.g. 'C', '29', '29.3', '29.32' or '29.32.Z')"
    )


def code_level(code: str) -> int:
    """Level 1..5 of a canonical code, read from its shape."""
    if len(code) == 1:
        return 1
    return {2: 2, 4: 3, 5: 4, 7: 5}[len(code)]


def parent_code(code: str, section: str) -> str | None:
    """The parent's code: none for sections, the section for divisions, else a prefix."""
    level = code_level(code)
    if level == 1:
        return None
    if level == 2:
        return section
    return code[: {3: 2, 4: 4, 5: 5}[level]]


def order_key(entry: PkdEntry) -> tuple[str, int, str]:
    """Classification order: section, then its divisions and their descendants by code."""
    return (entry.section, 0 if entry.level == 1 else 1, entry.code)


def clean_name(value: object) -> str:
    """Collapse the GUS files' stray newlines, no-break and trailing spaces."""
    return " ".join(str(value).split())


# ------------------------------------------------------------- rows of the GUS files


def parse_code(raw: object, source: str, row_no: int) -> str:
    """`normalise_code`, failing with the file and row."""
    try:
        return normalise_code(str(raw))
    except ValueError as exc:
        raise PkdFileError(str(exc), source=source, row=row_no) from exc


def make_entry(
    version: int, code: str, section: str, name: str, source: str, row_no: int
) -> PkdEntry:
    """The entry of a file row; its level and parent follow from the code."""
    name_pl = clean_name(name)
    if not name_pl:
        raise PkdFileError(f"code {code} has no name", source=source, row=row_no)
    return PkdEntry(
        version=version,
        code=code,
        level=code_level(code),
        section=section,
        name_pl=name_pl,
        name_en="",
        parent=parent_code(code, section),
    )


def add_entry(entries: dict[str, PkdEntry], entry: PkdEntry, source: str, row_no: int) -> None:
    """Insert, refusing duplicates and children that precede their parent."""
    if entry.code in entries:
        raise PkdFileError(f"code {entry.code} appears twice", source=source, row=row_no)
    if entry.parent is not None and entry.parent not in entries:
        raise PkdFileError(
            f"{LEVEL_NAMES[entry.level]} {entry.code} appears before its parent {entry.parent}",
            source=source,
            row=row_no,
        )
    entries[entry.code] = entry


def read_head(path: Path) -> bytes:
    """The first bytes of a file, enough to tell a workbook from text."""
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError as exc:
        raise PkdFileError(f"cannot read file ({exc.strerror or exc})", source=str(path)) from exc


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PkdFileError(f"cannot read file ({exc.strerror or exc})", source=str(path)) from exc
