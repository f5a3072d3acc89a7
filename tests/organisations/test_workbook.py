"""The XLSX export for people: headers and enum values in the reader's language, numbers and
dates as real cells, contacts (as consented) and capabilities on their own sheets, and the
first sheet still imports back (the round trip itself: test_round_trip)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from tests import factories
from tests.organisations.test_exporting import CONSENTED, _people, bearer

from upland.organisations.imports.format import KIND_ALIASES, VISIBILITY_ALIASES, header_key


def _book(client: Any, lang: str, headers: dict[str, str] | None = None) -> Any:
    response = client.get(f"/organisations/export.xlsx?lang={lang}", headers=headers or {})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _first_row(sheet: Any) -> dict[str, Any]:
    header, first, *_ = sheet.iter_rows(values_only=True)
    return dict(zip(header, first, strict=True))


@pytest.mark.parametrize(
    ("lang", "sheets", "kind", "visibility", "employees_header"),
    [
        (
            "pl",
            ["organizacje", "kontakty", "kompetencje"],
            "firma",
            "publiczna",
            "liczba pracowników",
        ),
        ("en", ["organisations", "contacts", "capabilities"], "company", "public", "employees"),
    ],
)
def test_the_workbook_speaks_the_readers_language(
    client, session, lang, sheets, kind, visibility, employees_header
) -> None:
    factories.organisation(session, member_since=dt.date(2019, 3, 19), founded_year=1998)

    book = _book(client, lang)

    assert book.sheetnames == sheets
    row = _first_row(book.worksheets[0])
    assert row[employees_header] == 40 and isinstance(row[employees_header], int)
    assert isinstance(row["rok założenia" if lang == "pl" else "founded_year"], int)
    member_since = row["członek od" if lang == "pl" else "member_since"]
    assert isinstance(member_since, dt.datetime) and member_since.date() == dt.date(2019, 3, 19)
    assert row["rodzaj" if lang == "pl" else "kind"].lower() == kind
    assert row["widoczność" if lang == "pl" else "visibility"].lower().startswith(visibility)


def test_the_import_reads_the_labels_it_writes() -> None:
    assert KIND_ALIASES[header_key("firma")] == "company"
    assert KIND_ALIASES[header_key("research institution")] == "research"
    assert VISIBILITY_ALIASES[header_key("cluster members only")] == "members"


def test_contacts_sheet_lists_only_people_the_reader_may_see(client, session) -> None:
    org = factories.organisation(session, people=_people(*CONSENTED))

    def names(headers: dict[str, str] | None) -> list[str]:
        sheet = _book(client, "en", headers).worksheets[1]
        _, *rows = sheet.iter_rows(values_only=True)
        assert all(r[0] == org.id and r[1] == org.legal_name for r in rows)
        return [r[2] for r in rows]

    assert names(None) == ["Publiczna Osoba"]  # anonymous: only who consented to everyone
    assert names(bearer(session)) == [c[0] for c in CONSENTED]  # the coordinator: all


def test_capabilities_sheet_names_terms_in_the_readers_language(client, session) -> None:
    factories.organisation(session)

    for lang, process, milling in (
        ("pl", "proces", "Frezowanie CNC"),
        ("en", "process", "CNC milling"),
    ):
        sheet = _book(client, lang).worksheets[2]
        _, *rows = sheet.iter_rows(values_only=True)
        kinds_and_terms = [(r[2], r[3]) for r in rows]
        assert (process, milling) in kinds_and_terms, kinds_and_terms
        valid = [r[4] for r in rows if r[4] is not None]
        assert valid and all(isinstance(v, dt.datetime) for v in valid)
