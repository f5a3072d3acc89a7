"""Figures as spreadsheets people open: tables written as one long CSV (figure, row, column,
value) or as an XLSX workbook with a sheet per table, every text cell neutralised so a
spreadsheet never runs it as a formula. Shared by every area's report exports (the marketplace
dashboard, the events' reports); the registry's import/export keeps its own column format but
the same `neutralise`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Value = int | float | str | None
SHEET_NAME_MAX = 31  # Excel's limit

# Spreadsheet formula injection: the export puts a quote before a text starting with one of
# these, and before a text starting with a quote, so an import can take exactly one off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: Any) -> Any:
    """A text a spreadsheet would run as a formula (or that starts with a quote), quoted."""
    if isinstance(value, str) and value.startswith((*FORMULA_START, QUOTE)):
        return QUOTE + value
    return value


@dataclass(frozen=True)
class Table:
    """One figure: `title` and the headings already translated, rows of a row label and
    values."""

    title: str
    header: list[str]
    rows: list[list[Value]]


def csv_text(tables: Iterable[Table], heading: Sequence[str]) -> str:
    """One long table under `heading` (figure, row, column, value, translated): a line per
    cell, with a UTF-8 BOM so a spreadsheet opens Polish letters right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in heading])
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.header[1:], row[1:], strict=True):
                cells = [table.title, row[0], column, "" if value is None else value]
                writer.writerow([neutralise(c) for c in cells])
    return "\ufeff" + out.getvalue()


def sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters), unique in `used`."""
    base = "".join(ch for ch in title if ch not in "[]:*?/\\")[:SHEET_NAME_MAX]
    name, n = base, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def xlsx_bytes(tables: Iterable[Table]) -> bytes:
    """A workbook with a sheet per table: its title, its header, its rows (numbers as numbers)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.title, used))
        sheet.append([neutralise(table.title)])
        sheet.append([neutralise(h) for h in table.header])
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
