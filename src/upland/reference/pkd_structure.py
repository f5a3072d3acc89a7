"""Read the GUS PKD structure workbook (``StrukturaPKD2025.xls``; an ``.xlsx`` save of it works
too) into PKD entries of all five levels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from upland.reference.pkd_codes import (
    LEVEL_NAMES,
    VERSIONS,
    PkdEntry,
    PkdFileError,
    add_entry,
    clean_name,
    code_level,
    make_entry,
    order_key,
    parse_code,
    read_head,
)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with `head` is an Excel workbook (.xls or .xlsx)."""
    return head.startswith((_OLE2_MAGIC, _ZIP_MAGIC))


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
            section_cell, section = marker[0], parse_code(marker[1], source, row_no)
            name = next((t for i, t in enumerate(texts) if t and i != section_cell), "")
            add_entry(
                entries, make_entry(version, section, section, name, source, row_no), source, row_no
            )
            continue
        name = clean_name(texts[name_col]) if name_col < len(texts) else ""
        codes: list[tuple[int, str]] = []
        for col, level in columns.items():
            raw = cells[col] if col < len(cells) else ""
            text = _code_cell_text(raw, level)
            if text:
                codes.append((level, parse_code(text, source, row_no)))
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
            add_entry(
                entries, make_entry(version, code, section, name, source, row_no), source, row_no
            )
    if not entries:
        raise PkdFileError("no PKD rows found below the header", source=source)
    return sorted(entries.values(), key=order_key)


def _sheet_rows(path: Path) -> list[tuple[int, list[object]]]:
    """All rows of the first worksheet as (1-based row number, cell values)."""
    source = path.name
    head = read_head(path)
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
