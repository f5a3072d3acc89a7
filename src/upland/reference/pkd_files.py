"""Parse the official GUS PKD files into plain records.

Two inputs are understood: the PKD 2025 structure workbook (``StrukturaPKD2025.xls``; an
``.xlsx`` save of it works too) and the PKD 2007 ↔ 2025 key (``KluczePKD_2007_2025*.csv``).
The module is pure (no database, no web) so ``build_data`` and the
``upland import classification pkd FILE`` command share one strict reading of the files.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

VERSIONS = (2007, 2025)
LEVEL_NAMES = {1: "section", 2: "division", 3: "group", 4: "class", 5: "subclass"}

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


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


# ----------------------------------------------------------------------- structure (.xls)

_COLUMN_LEVELS = {"dział": 2, "grupa": 3, "klasa": 4, "podklasa": 5}
_SECTION_CELL_RE = re.compile(r"\s*SEKCJA\s+([A-Z])\s*", re.IGNORECASE)


def read_structure_xls(path: str | Path, *, version: int | None = None) -> list[PkdEntry]:
    """PKD entries (all five levels) from a GUS structure workbook (``.xls`` or ``.xlsx``).

    The version comes from ``version`` or the title row ("Polska Klasyfikacja Działalności
    2025"), defaulting to 2025. Rows must be in classification order, as GUS publishes them:
    a section row ("SEKCJA C") precedes its divisions and every code follows its parent.
    """
    path = Path(path)
    source = path.name
    rows = _sheet_rows(path)
    header_row, columns, name_col, title_version = _find_structure_header(rows, source)
    version = version or title_version or 2025
    if version not in VERSIONS:
        raise PkdFileError(f"unknown PKD version {version}", source=source)

    entries: dict[str, PkdEntry] = {}
    section: str | None = None
    for row_no, cells in rows:
        if row_no <= header_row or not any(_text(c) for c in cells):
            continue
        texts = [_text(c) for c in cells]
        marker = next(
            ((i, m.group(1)) for i, t in enumerate(texts) if (m := _SECTION_CELL_RE.fullmatch(t))),
            None,
        )
        if marker is not None:
            section_cell, section = marker[0], _parse_code(marker[1], source, row_no)
            name = next((t for i, t in enumerate(texts) if t and i != section_cell), "")
            _add(entries, _entry(version, section, section, name, source, row_no), source, row_no)
            continue
        name = clean_name(texts[name_col]) if name_col < len(texts) else ""
        codes: list[tuple[int, str]] = []
        for col, level in columns.items():
            raw = cells[col] if col < len(cells) else ""
            text = _code_cell_text(raw, level)
            if text:
                codes.append((level, _parse_code(text, source, row_no)))
        if not codes:
            raise PkdFileError(
                f"row has text but no PKD code in the Dział/Grupa/Klasa/Podklasa columns: "
                f"{' | '.join(t for t in texts if t)[:120]!r}",
                source=source,
                row=row_no,
            )
        if not name:
            raise PkdFileError(f"code {codes[0][1]} has no name", source=source, row=row_no)
        for level, code in codes:
            if code_level(code) != level:
                raise PkdFileError(
                    f"column for {LEVEL_NAMES[level]} codes holds {code!r}, "
                    f"a {LEVEL_NAMES[code_level(code)]} code",
                    source=source,
                    row=row_no,
                )
            if section is None:
                raise PkdFileError(
                    f"{code} appears before any 'SEKCJA' row", source=source, row=row_no
                )
            _add(entries, _entry(version, code, section, name, source, row_no), source, row_no)
    if not entries:
        raise PkdFileError("no PKD rows found below the header", source=source)
    return sorted(entries.values(), key=order_key)


def _sheet_rows(path: Path) -> list[tuple[int, list[object]]]:
    """All rows of the first worksheet as (1-based row number, cell values)."""
    source = path.name
    head = _read_head(path)
    try:
        if head.startswith(_OLE2_MAGIC):
            import xlrd

            book = xlrd.open_workbook(str(path), on_demand=True)
            try:
                sheet = book.sheet_by_index(0)
                return [(r + 1, list(sheet.row_values(r))) for r in range(sheet.nrows)]
            finally:
                book.release_resources()
        if head.startswith(_ZIP_MAGIC):
            import openpyxl

            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                worksheet = workbook.worksheets[0]
                return [
                    (r, ["" if v is None else v for v in values])
                    for r, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
                ]
            finally:
                workbook.close()
    except Exception as exc:  # xlrd/openpyxl raise XLRDError, BadZipFile, struct errors...
        raise PkdFileError(f"not a readable Excel workbook ({exc})", source=source) from exc
    raise PkdFileError("not an Excel workbook (.xls or .xlsx)", source=source)


def _find_structure_header(
    rows: Sequence[tuple[int, list[object]]], source: str
) -> tuple[int, dict[int, int], int, int | None]:
    """Locate the "Dział | Grupa | Klasa | Podklasa | Nazwa grupowania" row and the version."""
    title_version: int | None = None
    for row_no, cells in rows[:20]:
        texts = [_text(c).casefold() for c in cells]
        columns = {i: _COLUMN_LEVELS[t] for i, t in enumerate(texts) if t in _COLUMN_LEVELS}
        name_col = next((i for i, t in enumerate(texts) if t.startswith("nazwa")), None)
        if len(columns) == 4 and name_col is not None:
            return row_no, columns, name_col, title_version
        years = re.findall(r"\b(2007|2025)\b", " ".join(texts))
        if years and title_version is None:
            title_version = int(years[0])
    raise PkdFileError(
        "header row not found in the first 20 rows: expected columns "
        "'Dział', 'Grupa', 'Klasa', 'Podklasa', 'Nazwa grupowania'",
        source=source,
    )


def _code_cell_text(value: object, level: int) -> str:
    """Text of a code cell; numbers (Excel may store "29" or "29.3" as numbers) get padded."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if level == 2 and float(value).is_integer():
            return f"{int(value):02d}"
        if level == 3:
            return f"{value:04.1f}"
        if level == 4:
            return f"{value:05.2f}"
        return str(value)
    return _text(value)


def _text(value: object) -> str:
    return str(value).strip() if value is not None else ""


# ----------------------------------------------------------------------------- key (.csv)

_KEY_COLUMNS = {
    "poziom": "level",
    "symbol pkd 2007": "code_2007",
    "nazwa grupowania pkd 2007": "name_2007",
    "symbol pkd 2025": "code_2025",
    "nazwa grupowania pkd 2025": "name_2025",
}
_DELIMITERS = (",", ";", "\t")


def read_key_csv(path: str | Path) -> tuple[list[PkdEntry], list[PkdCorrespondence]]:
    """PKD 2007 entries (from the key's 2007 columns) and the 2007 → 2025 mapping rows.

    The key is sorted by the PKD 2007 code, so a 2007 section row precedes its divisions;
    that is where a 2007 division gets its section. Entries are deduplicated (a 2007 code
    appears once per 2025 code it maps to); mapping rows keep the file's order.
    """
    path = Path(path)
    source = path.name
    text = decode_text(_read_bytes(path), source)
    if not text.strip():
        raise PkdFileError("file is empty", source=source)
    lines = text.splitlines(keepends=True)
    header_index = next(i for i, line in enumerate(lines) if line.strip())
    delimiter, columns, width = _key_header(lines[header_index], source, header_index + 1)

    reader = csv.reader(io.StringIO("".join(lines[header_index:])), delimiter=delimiter)
    entries: dict[str, PkdEntry] = {}
    mapping: dict[PkdCorrespondence, None] = {}
    section: str | None = None
    try:
        rows = [(header_index + reader.line_num, cells) for cells in reader][1:]
    except csv.Error as exc:
        raise PkdFileError(
            f"malformed CSV ({exc})", source=source, row=header_index + reader.line_num
        ) from exc
    for row_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != width:
            raise PkdFileError(
                f"expected {width} columns separated by {delimiter!r}, found {len(cells)}",
                source=source,
                row=row_no,
            )
        row = {columns[i]: value for i, value in enumerate(cells) if i in columns}
        level, code_2007, code_2025 = _key_codes(row, source, row_no)
        if level == 1:
            section = code_2007
        elif section is None:
            raise PkdFileError(
                f"{code_2007} appears before any section row (Poziom 1); the key must be "
                "sorted by the PKD 2007 code",
                source=source,
                row=row_no,
            )
        entry = _entry(2007, code_2007, section, row["name_2007"], source, row_no)
        known = entries.get(code_2007)
        if known is None:
            _add(entries, entry, source, row_no)
        elif (known.name_pl, known.section) != (entry.name_pl, entry.section):
            raise PkdFileError(
                f"{code_2007} already appeared as {known.name_pl!r} in section "
                f"{known.section}, now {entry.name_pl!r} in section {entry.section}",
                source=source,
                row=row_no,
            )
        mapping[PkdCorrespondence(code_2007, code_2025)] = None
    if not entries:
        raise PkdFileError("no rows below the header", source=source)
    return sorted(entries.values(), key=order_key), list(mapping)


def _key_header(line: str, source: str, row_no: int) -> tuple[str, dict[int, str], int]:
    """Delimiter, column positions and width, recognised by the Polish header names."""
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([line], delimiter=delimiter))
        names = [" ".join(c.split()).casefold() for c in cells]
        columns = {i: _KEY_COLUMNS[n] for i, n in enumerate(names) if n in _KEY_COLUMNS}
        if set(columns.values()) == set(_KEY_COLUMNS.values()):
            return delimiter, columns, len(cells)
    raise PkdFileError(
        "header not recognised: expected the columns 'Poziom', 'Symbol PKD 2007', "
        "'Nazwa grupowania PKD 2007', 'Symbol PKD 2025', 'Nazwa grupowania PKD 2025' "
        f"separated by a comma, semicolon or tab; found {line.strip()[:120]!r}",
        source=source,
        row=row_no,
    )


def _key_codes(row: dict[str, str], source: str, row_no: int) -> tuple[int, str, str]:
    """Level and both codes of a key row, checked against each other."""
    level = _parse_level(row["level"], source, row_no)
    code_2007 = _parse_code(row["code_2007"], source, row_no)
    code_2025 = _parse_code(row["code_2025"], source, row_no)
    for code, year in ((code_2007, 2007), (code_2025, 2025)):
        if code_level(code) != level:
            raise PkdFileError(
                f"Poziom is {level} but PKD {year} code {code!r} is a "
                f"{LEVEL_NAMES[code_level(code)]} code",
                source=source,
                row=row_no,
            )
    return level, code_2007, code_2025


def _parse_level(value: str, source: str, row_no: int) -> int:
    try:
        level = int(value.strip())
    except ValueError:
        level = 0
    if level not in LEVEL_NAMES:
        raise PkdFileError(f"Poziom must be 1..5, got {value!r}", source=source, row=row_no)
    return level


# ----------------------------------------------------------------------- text and bytes

_POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_TYPOGRAPHY = set("„”“’–—…§°\xa0")


def decode_text(data: bytes, source: str = "") -> str:
    """Decode a text file from GUS or a user's spreadsheet export.

    UTF-8 (with or without BOM) and UTF-16 with BOM are taken as is; otherwise the
    Windows-1250 or ISO-8859-2 decoding that yields the more plausible Polish text wins.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise PkdFileError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {exc.start})",
                    source=source,
                ) from exc
    if b"\x00" in data:
        raise PkdFileError("binary data (NUL bytes), not a CSV text file", source=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[int, str]] = []
    for encoding in ("cp1250", "iso8859_2"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_implausible_chars(text), text))
    if candidates:
        score, text = min(candidates, key=lambda c: c[0])
        if score <= max(2, len(text) // 1000):
            return text
    raise PkdFileError(
        "not text in a known encoding (tried UTF-8, Windows-1250, ISO-8859-2)", source=source
    )


def _implausible_chars(text: str) -> int:
    """Characters unlikely in a Polish CSV; a wrong 8-bit decoding produces many."""
    return sum(
        1
        for ch in text
        if not (
            (ch.isascii() and (ch.isprintable() or ch in "\r\n\t"))
            or ch in _POLISH
            or ch in _TYPOGRAPHY
        )
    )


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(8)
    except OSError as exc:
        raise PkdFileError(f"cannot read file ({exc.strerror or exc})", source=str(path)) from exc


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PkdFileError(f"cannot read file ({exc.strerror or exc})", source=str(path)) from exc


# -------------------------------------------------------------------------------- shared


def _parse_code(raw: object, source: str, row_no: int) -> str:
    try:
        return normalise_code(str(raw))
    except ValueError as exc:
        raise PkdFileError(str(exc), source=source, row=row_no) from exc


def _entry(version: int, code: str, section: str, name: str, source: str, row_no: int) -> PkdEntry:
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


def _add(entries: dict[str, PkdEntry], entry: PkdEntry, source: str, row_no: int) -> None:
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


# ------------------------------------------------------------------------------ dispatch


def read_pkd_file(path: str | Path) -> PkdFile:
    """Read whichever GUS file this is, judged by content rather than the file name."""
    path = Path(path)
    head = _read_head(path)
    if head.startswith((_OLE2_MAGIC, _ZIP_MAGIC)):
        entries = read_structure_xls(path)
        return PkdFile("structure", entries[0].version, tuple(entries))
    entries, mapping = read_key_csv(path)
    return PkdFile("key", 2007, tuple(entries), tuple(mapping))


# ------------------------------------------------------------------------- shipped data

_SHIPPED_PACKAGE = "upland.data.pkd"


def shipped_filename(version: int) -> str:
    if version not in VERSIONS:
        raise ValueError(f"PKD version must be one of {VERSIONS}, got {version!r}")
    return f"pkd{version}.csv"


def load_shipped(version: int) -> list[PkdEntry]:
    """The PKD entries shipped with Upland, so it runs without the GUS files."""
    return [
        PkdEntry(
            version=version,
            code=row["code"],
            level=int(row["level"]),
            section=row["section"],
            name_pl=row["name_pl"],
            name_en=row["name_en"],
            parent=row["parent"] or None,
        )
        for row in _shipped_rows(shipped_filename(version))
    ]


def load_shipped_correspondence() -> list[PkdCorrespondence]:
    """The shipped PKD 2007 → 2025 key rows."""
    return [
        PkdCorrespondence(row["code_2007"], row["code_2025"])
        for row in _shipped_rows("pkd_2007_2025.csv")
    ]


def _shipped_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files(_SHIPPED_PACKAGE) / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def iter_rows(entries: Sequence[PkdEntry]) -> Iterator[list[str]]:
    """Rows of the shipped CSV format (header first), in classification order."""
    yield ["code", "level", "section", "parent", "name_pl", "name_en"]
    for e in sorted(entries, key=order_key):
        yield [e.code, str(e.level), e.section, e.parent or "", e.name_pl, e.name_en]
