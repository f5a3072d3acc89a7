"""Exports of exactly what a filtered list shows: CSV, XLSX and JSON, streamed row by row."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook

from upland.organisations.models import Organisation

COLUMNS = [
    "id",
    "kind",
    "legal_name",
    "short_name",
    "nip",
    "regon",
    "krs",
    "website",
    "city",
    "teryt",
    "size_class",
    "employees",
    "supply_tier",
    "membership_status",
    "member_since",
    "founded_year",
    "pkd",
    "description_pl",
    "description_en",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Spreadsheet formula injection: a cell starting with = + - @ is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def row_of(org: Organisation, city_names: dict[str, str]) -> dict[str, Any]:
    pkd = sorted(org.pkd_codes, key=lambda p: (not p.is_primary, p.id))
    return {
        "id": org.id,
        "kind": org.kind,
        "legal_name": org.legal_name,
        "short_name": org.short_name,
        "nip": org.nip,
        "regon": org.regon,
        "krs": org.krs,
        "website": org.website,
        "city": city_names.get(org.teryt or ""),
        "teryt": org.teryt,
        "size_class": org.size_class,
        "employees": org.employees,
        "supply_tier": org.supply_tier,
        "membership_status": org.membership_status,
        "member_since": org.member_since.isoformat() if org.member_since else None,
        "founded_year": org.founded_year,
        "pkd": ";".join(p.code if p.version == 2025 else f"{p.code}@{p.version}" for p in pkd),
        "description_pl": org.description_pl,
        "description_en": org.description_en,
    }


def csv_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    buffer.write("\ufeff")
    writer.writeheader()
    for count, row in enumerate(rows, 1):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_chunks(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield '{"items": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
    yield "]}"


def xlsx_bytes(rows: Iterable[dict[str, Any]]) -> bytes:
    """A write-only workbook (constant memory per row), formulas neutralised."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organisations")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([neutralise(row[c]) for c in COLUMNS])
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return handle.read()
