"""An export always re-imports: export -> edit one cell -> import changes that value only.

Every spreadsheet format the import reads (CSV as exported and as Polish Excel saves it with
semicolons, XLSX) with English and Polish headers, over organisations with awkward values:
formula-like and quoted names, phone numbers starting with '+', diacritics, line breaks,
empty optionals, several PKD codes and capabilities.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import SYSTEM
from upland.organisations import exporting, workbook
from upland.organisations.imports import ImportFileError, import_file
from upland.organisations.imports.format import (
    FORMULA_START,
    PROFILE_COLUMNS,
    neutralise,
    unneutralise,
)
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Person,
    Site,
)

PERSON = {"contact_visibility": "private"}
AWKWARD: list[dict[str, Any]] = [
    {
        "legal_name": "-Minus Obróbka sp. z o.o.",
        "short_name": "=Równość",
        "krs": "0000123456",
        "website": "https://minus.example",
        "founded_year": 1998,
        "supply_tier": "tier2",
        "member_since": "2018-02-15",
        "visibility": "members",
        "capacity_notes": "+20% wolnych mocy\nod marca",
        "description_pl": "@Zażółć gęślą jaźń\nDruga linia",
        "pkd_codes": [
            {"code": "25.62.Z", "version": 2025, "is_primary": True},
            {"code": "25.53.Z", "version": 2025},
            {"code": "29.32.Z", "version": 2007},
        ],
        "people": [
            {
                **PERSON,
                "full_name": "-Anna Żółć",
                "email": "a@minus.example",
                "phone": "+48 81 555 12 34",
            },
            {**PERSON, "full_name": "Druga Osoba", "email": "d@minus.example"},
        ],
        "capabilities": [
            {"kind": "process", "term": "cnc-milling"},
            {"kind": "process", "term": "welding-tig"},
            {"kind": "certification", "term": "iso-9001", "valid_until": "2099-12-31"},
        ],
    },
    {
        "legal_name": "'Cudzysłów' Zakład Łódź",
        "short_name": "'=nie formuła",
        "employees": None,
        "visibility": "restricted",
        "description_pl": "",
        "description_en": "",
        "sites": [
            {
                "teryt": "0617011",
                "street": "",
                "postal_code": "",
                "locality": "",
                "is_headquarters": True,
            },
            {"teryt": "0663011", "street": "ul. Druga 2", "is_headquarters": False},
        ],
        "people": [{**PERSON, "full_name": "+Plus Kontakt", "phone": "-48 81 555 00 01"}],
        "capabilities": [],
    },
    {"legal_name": "@Małpa Świdnik S.A.", "nip": None, "people": [], "pkd_codes": []},
]


def snapshot(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Everything an import could change, per organisation (not times and search text)."""
    session.expire_all()
    state: dict[int, dict[str, Any]] = {}
    for org_id in ids:
        org = session.get(Organisation, org_id)
        assert org is not None
        state[org_id] = {
            **{name: getattr(org, name) for name in PROFILE_COLUMNS},
            "size_class": org.size_class,
            "teryt": org.teryt,
            "pkd": _rows(session, OrganisationPkd, org_id, "version", "code", "is_primary"),
            "sites": _rows(
                session,
                Site,
                org_id,
                "teryt",
                "street",
                "postal_code",
                "locality",
                "is_headquarters",
            ),
            "people": _rows(
                session, Person, org_id, "full_name", "email", "phone", "contact_visibility"
            ),
            "capabilities": _rows(
                session, OrganisationCapability, org_id, "kind", "term_id", "label", "valid_until"
            ),
        }
    return state


def _rows(session: Session, model: Any, org_id: int, *names: str) -> list[tuple[Any, ...]]:
    stmt = select(*(getattr(model, n) for n in names)).where(model.organisation_id == org_id)
    return sorted((tuple(r) for r in session.execute(stmt.order_by(model.id))), key=repr)


def export(session: Session, ids: list[int], path: Path, fmt: str, language: str) -> None:
    orgs = [session.get(Organisation, i) for i in ids]
    rows = exporting.rows_of(session, SYSTEM, orgs)
    if fmt == "xlsx":
        path.write_bytes(workbook.workbook_bytes(session, SYSTEM, orgs, language))  # type: ignore[arg-type]
    elif fmt == "json":
        path.write_text("".join(exporting.json_chunks(rows)), encoding="utf-8")
    else:
        path.write_text("".join(exporting.csv_chunks(rows, language)), encoding="utf-8")  # type: ignore[arg-type]


def edit_cell(path: Path, fmt: str, nip: str, column: int, value: str) -> None:
    """Change one cell as a spreadsheet user would, saving in the same format.

    `semicolon`: saved again the way Polish Excel writes "CSV": `;` between columns.
    """
    if fmt == "xlsx":
        book = load_workbook(path)
        sheet = book.active
        for row in sheet.iter_rows(min_row=2):
            if any(cell.value == nip for cell in row):
                row[column].value = value
        book.save(path)
        return
    text = path.read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    for row in table[1:]:
        if nip in row:
            row[column] = value
    out = io.StringIO()
    csv.writer(out, delimiter=";" if fmt == "semicolon" else ",").writerows(table)
    path.write_text(out.getvalue(), encoding="utf-8-sig")


@pytest.fixture
def awkward(session: Session) -> list[int]:
    return [factories.organisation(session, **overrides).id for overrides in AWKWARD]


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("fmt", ["csv", "semicolon", "xlsx"])
def test_export_edit_import_changes_only_the_edited_cell(
    session: Session, awkward: list[int], tmp_path: Path, fmt: str, language: str
) -> None:
    before = snapshot(session, awkward)
    path = tmp_path / f"export.{'xlsx' if fmt == 'xlsx' else 'csv'}"
    export(session, awkward, path, fmt, language)
    edited = awkward[1]
    column = [c.name for c in exporting.FILE_COLUMNS].index("contact_phone")
    edit_cell(path, fmt, before[edited]["nip"], column, "+48 81 999 88 77")

    report = import_file(session, SYSTEM, path)

    assert report.error_count == 0, report.as_text()
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2), report.summary
    assert "columns not imported (written by the export): id, size_class, city" in [
        str(n) for n in report.notes
    ]
    after = snapshot(session, awkward)
    person = ("+Plus Kontakt", None, "+48 81 999 88 77", "private")
    expected = {**before, edited: {**before[edited], "people": [person]}}
    assert after == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_an_unedited_export_imports_as_unchanged(
    session: Session, awkward: list[int], tmp_path: Path, fmt: str
) -> None:
    before = snapshot(session, awkward)
    path = tmp_path / f"export.{fmt}"
    export(session, awkward, path, fmt, "pl")

    report = import_file(session, SYSTEM, path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3), report.as_text()
    assert snapshot(session, awkward) == before


def test_exported_visibility_is_imported(session: Session, awkward: list[int], tmp_path: Path):
    path = tmp_path / "export.csv"
    export(session, awkward, path, "csv", "en")
    column = [c.name for c in exporting.FILE_COLUMNS].index("visibility")
    nip = session.get(Organisation, awkward[0]).nip  # type: ignore[union-attr]
    edit_cell(path, "csv", nip, column, "public")

    import_file(session, SYSTEM, path)

    session.expire_all()
    assert session.get(Organisation, awkward[0]).visibility == "public"  # type: ignore[union-attr]


def test_extra_sheets_of_a_workbook_are_ignored_with_a_note(
    session: Session, awkward: list[int], tmp_path: Path
) -> None:
    path = tmp_path / "export.xlsx"
    export(session, awkward, path, "xlsx", "en")
    book = load_workbook(path)
    book.create_sheet("notes").append(["name", "phone"])
    book.save(path)

    report = import_file(session, SYSTEM, path, dry_run=True)

    assert report.error_count == 0
    ignored = "contacts, capabilities, notes"  # the export's own sheets are for people
    assert f"only the first sheet (organisations) was read; other sheets ignored: {ignored}" in [
        str(n) for n in report.notes
    ]


@pytest.mark.parametrize("language", ["en", "pl"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_header_without_rows_is_refused(
    session: Session, tmp_path: Path, fmt: str, language: str
) -> None:
    path = tmp_path / f"empty.{fmt}"
    if fmt == "xlsx":
        book = Workbook()
        book.active.append(exporting.header(language))  # type: ignore[arg-type]
        book.save(path)
    else:
        path.write_text("".join(exporting.csv_chunks([], language)), encoding="utf-8")  # type: ignore[arg-type]
    before = session.scalar(select(Organisation.id).order_by(Organisation.id.desc()).limit(1))

    with pytest.raises(ImportFileError, match="the file has a header but no data rows"):
        import_file(session, SYSTEM, path)

    after = session.scalar(select(Organisation.id).order_by(Organisation.id.desc()).limit(1))
    assert after == before


@given(st.text())
def test_the_import_takes_off_exactly_the_quote_the_export_put_on(text: str) -> None:
    assert unneutralise(neutralise(text)) == text
    assert not neutralise(text).startswith(FORMULA_START)


def test_an_edited_json_export_imports_the_edit(
    session: Session, awkward: list[int], tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    export(session, awkward, path, "json", "en")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["items"][0]["description_en"] = "Edited in a program"
    path.write_text(json.dumps(document), encoding="utf-8")

    report = import_file(session, SYSTEM, path)

    assert (report.updated, report.unchanged) == (1, 2), report.as_text()
    assert session.get(Organisation, document["items"][0]["id"]).description_en == (
        "Edited in a program"
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"items": [1, 2]', "this JSON file cannot be read"),
        (b'{"items": "none"}', "a JSON file must look like the export"),
        (b'{"items": []}', "the file lists no organisations"),
    ],
)
def test_a_broken_json_file_is_refused_clearly(
    session: Session, tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "firms.json"
    path.write_bytes(content)

    with pytest.raises(ImportFileError) as refused:
        import_file(session, SYSTEM, path)

    assert says in str(refused.value)
