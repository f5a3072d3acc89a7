"""Bulk import of organisations: file reading, row checks, matching and writing.

Broken files are generated here (tmp_path): wrong delimiters, encodings, binary garbage,
renamed .xls, bad headers; rows with bad identifiers, codes and places; injection payloads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from upland.actor import ANONYMOUS, SYSTEM
from upland.audit import AuditEntry
from upland.errors import Invalid, PermissionDenied
from upland.organisations import identifiers
from upland.organisations import service as organisation_service
from upland.organisations.imports import (
    ImportFileError,
    ImportLookups,
    RawRow,
    RowValidator,
    import_file,
    import_organisations,
    read_rows,
    validate_row,
)
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.format import COLUMNS, FILE_COLUMNS
from upland.organisations.imports.header import normalise_header
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Person,
    Site,
)
from upland.organisations.schemas import OrganisationCreate, SiteIn
from upland.organisations.signals import OrganisationsImported
from upland.signals import subscribe, unsubscribe
from upland.textkit.folding import fold

HEADER = ["kind", "legal_name", "nip", "regon", "teryt", "pkd"]


def nip(n: int) -> str:
    """A valid NIP derived from n."""
    return identifiers.nip_at(731_000_000 + n * 11)


def regon(n: int) -> str:
    return identifiers.complete_regon(f"{61_000_000 + n * 17:08d}")


def bad_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def company(n: int, **overrides: str) -> dict[str, str]:
    row = {
        "kind": "company",
        "legal_name": f"Zakład Importowy {n} sp. z o.o.",
        "nip": nip(n),
        "regon": regon(n),
        "teryt": "0663011",
        "pkd": "29.32.Z",
    }
    row.update(overrides)
    return row


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    header: list[str] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    header = header or list(dict.fromkeys(k for r in rows for k in r)) or HEADER
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def rows_of(path: Path) -> list[RawRow]:
    return list(read_rows(path))


def count(session: Session, model: type = Organisation) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def by_nip(session: Session, number: str) -> Organisation:
    org = session.scalars(select(Organisation).where(Organisation.nip == number)).one()
    return org


@pytest.fixture
def lookups(session: Session) -> ImportLookups:
    return ImportLookups.load(session)


# --- reading files -------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_files_read_alike(tmp_path, delimiter):
    path = write_csv(
        tmp_path / "firms.csv",
        [company(1, legal_name="Firma; z, przecinkiem\tI tabem"), company(2)],
        delimiter=delimiter,
    )
    rows = rows_of(path)
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].values["legal_name"] == "Firma; z, przecinkiem\tI tabem"
    assert rows[1].values["nip"] == nip(2)


def test_pipe_separated_columns_are_refused_clearly(tmp_path):
    path = tmp_path / "firms.csv"
    path.write_text("kind|legal_name|nip|teryt\ncompany|Firma|5260250995|Lublin\n")
    with pytest.raises(ImportFileError, match=r"separated by '\|'"):
        read_rows(path)


def test_utf8_bom_is_not_part_of_the_first_column(tmp_path):
    path = write_csv(tmp_path / "bom.csv", [company(1)], encoding="utf-8-sig")
    (row,) = rows_of(path)
    assert row.values["kind"] == "company"
    assert row.values["legal_name"] == "Zakład Importowy 1 sp. z o.o."


def test_windows_1250_file_with_polish_letters(tmp_path):
    name = "Zażółć Gęślą Jaźń — ĄĘŁŃÓŚŹŻ ąęłńóśźż"
    path = write_csv(
        tmp_path / "excel.csv",
        [company(1, legal_name=name.replace("—", "-"), teryt="Świdnik")],
        delimiter=";",
        encoding="cp1250",
    )
    (row,) = rows_of(path)
    assert row.values["legal_name"] == name.replace("—", "-")
    assert row.values["teryt"] == "Świdnik"


def test_polish_and_decorated_headers_are_recognised():
    assert normalise_header(" Nazwa ") == "legal_name"
    assert normalise_header("NIP") == "nip"
    assert normalise_header("Gmina") == "city"  # the municipality's name: read as teryt
    assert normalise_header("Kod TERYT") == "teryt"
    assert normalise_header("Kody PKD") == "pkd"
    assert normalise_header("Nazwa skrócona") == "short_name"
    assert normalise_header("E-mail") == "contact_email"
    assert normalise_header("Legal Name") == "legal_name"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match="empty"):
        read_rows(path)
    path.write_bytes(b"\xef\xbb\xbf \r\n\r\n")
    with pytest.raises(ImportFileError, match="empty"):
        read_rows(path)


def test_header_without_data_rows_is_refused(tmp_path):
    path = write_csv(tmp_path / "header.csv", [], HEADER)
    with pytest.raises(ImportFileError, match="the file has a header but no data rows"):
        rows_of(path)
    path.write_text(",".join(HEADER) + "\n,,,\n\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="the file has a header but no data rows"):
        rows_of(path)


def test_first_row_must_be_the_header(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text(f"company,Firma,{nip(1)},0663011\n")
    with pytest.raises(ImportFileError, match="unknown column") as info:
        read_rows(path)
    assert "the first row must be the header" in str(info.value)
    path.write_text(f",,,\ncompany,Firma,{nip(1)},0663011\n")
    with pytest.raises(ImportFileError, match="row 1 is empty"):
        read_rows(path)


def test_random_bytes_are_refused_fast_without_reading_everything(tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(os.urandom(10 * 1024 * 1024))
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match=r"binary|neither UTF-8"):
            read_rows(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_binary_without_zero_bytes_is_refused(tmp_path):
    path = tmp_path / "noise.csv"
    noise = bytes(b for b in os.urandom(200_000) if b >= 0x80)
    path.write_bytes(noise)
    with pytest.raises(ImportFileError, match=r"neither UTF-8 nor Windows-1250|not valid"):
        list(read_rows(path))


def test_utf16_text_is_refused_with_advice(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("kind\tlegal_name\n".encode("utf-16"))
    with pytest.raises(ImportFileError, match="UTF-16"):
        read_rows(path)


def test_old_xls_is_refused_with_advice(tmp_path):
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    renamed = tmp_path / "members.csv"
    renamed.write_bytes(ole2)
    with pytest.raises(ImportFileError, match=r"\.xls.*save it as \.xlsx"):
        read_rows(renamed)
    named = tmp_path / "members.xls"
    named.write_bytes(b"kind,legal_name\n")
    with pytest.raises(ImportFileError, match=r"\.xls"):
        read_rows(named)


def test_other_binary_formats_are_named(tmp_path):
    pdf = tmp_path / "members.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(ImportFileError, match="PDF"):
        read_rows(pdf)
    fake = tmp_path / "members.xlsx"
    fake.write_text("kind,legal_name\n")
    with pytest.raises(ImportFileError, match=r"not an Excel \.xlsx workbook"):
        read_rows(fake)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + os.urandom(2000))
    with pytest.raises(ImportFileError, match=r"not a readable \.xlsx"):
        read_rows(broken)


def test_undecodable_byte_late_in_the_file_names_offset_and_line(tmp_path):
    path = tmp_path / "mixed.csv"
    good = "".join(f"company,Firma {i} żółw,{nip(i)},0663011,29.32.Z\n" for i in range(2000))
    head = "kind,legal_name,nip,teryt,pkd\n" + good
    data = head.encode() + "company,Zła Firma,5260250995,Lublin,\n".encode("cp1250")
    path.write_bytes(data)
    offset = len(head.encode()) + len("company,Z")
    with pytest.raises(ImportFileError) as info:
        list(read_rows(path))
    message = str(info.value)
    assert "not valid UTF-8" in message
    assert f"offset {offset}" in message
    assert "line 2002" in message


def test_header_problems_are_named(tmp_path):
    cases = [
        (["kind", "legal_name", "nip", "teryt", "colour"], r"unknown column 'colour' \(column 5\)"),
        (["kind", "legal_name", "nip", "NIP", "teryt"], "columns 3 and 4 both mean 'nip'"),
        (["kind", "nip", "teryt"], "missing required column legal_name"),
        (["kind", "legal_name", "teryt"], "missing column nip or regon"),
        (["kind", "legal_name", "", "nip", "teryt"], "column 3 has no name"),
        (["kind", "legal_name", "nip", "teryt"] + [f"x{i}" for i in range(70)], "at most 64"),
    ]
    for header, message in cases:
        path = write_csv(tmp_path / "h.csv", [], header)
        with pytest.raises(ImportFileError, match=message):
            read_rows(path)


def test_trailing_empty_header_cells_are_ignored_and_extra_values_reported(tmp_path, lookups):
    path = tmp_path / "extra.csv"
    path.write_text(
        f"kind,legal_name,nip,teryt,,\n"
        f"company,Firma A,{nip(1)},0663011,,\n"
        f"company,Firma B,{nip(2)},0663011,oops,\n"
    )
    first, second = rows_of(path)
    assert first.extra == ()
    assert second.extra == ("oops",)
    valid, errors = validate_row(second, lookups)
    assert valid is None
    assert "right of the last named column" in errors[0].message


def test_row_numbers_match_the_spreadsheet(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "kind,legal_name,nip,teryt,description_pl\n"
        f'company,Firma A,{nip(1)},0663011,"dwie\nlinie"\n'
        "\n"
        ",,,,\n"
        f"company,Firma B,{nip(2)},0663011,\n"
    )
    rows = rows_of(path)
    assert [r.row for r in rows] == [2, 5]
    assert rows[0].values["description_pl"] == "dwie\nlinie"


def test_caller_file_objects_stay_open(tmp_path):
    path = write_csv(tmp_path / "firms.csv", [company(1)])
    with path.open("rb") as handle:
        assert len(list(read_rows(handle, "firms.csv"))) == 1
        assert not handle.closed


def test_xlsx_cells_read_as_shown(tmp_path):
    path = write_xlsx(
        tmp_path / "firms.xlsx",
        ["Rodzaj", "Nazwa", "NIP", "Gmina", "Rok założenia", "Członek od", "Liczba pracowników"],
        [
            ["firma", "Zakład XLSX", int(nip(1)), "Radom", 1995, dt.datetime(2018, 2, 15), 12.0],
            [None, None, None, None, None, None, None],
            ["uczelnia", "Politechnika", nip(2), "0663011", None, dt.date(2019, 3, 19), None],
        ],
    )
    first, second = rows_of(path)
    assert (first.row, second.row) == (2, 4)
    assert first.values == {
        "kind": "firma",
        "legal_name": "Zakład XLSX",
        "nip": nip(1),
        "teryt": "Radom",
        "founded_year": "1995",
        "member_since": "2018-02-15",
        "employees": "12",
    }
    assert second.values["member_since"] == "2019-03-19"


# --- checking rows -------------------------------------------------------------------


def raw(row: int = 2, **values: str) -> RawRow:
    return RawRow(row, {**company(row), **values})


def messages(lookups: ImportLookups, row: RawRow) -> list[str]:
    valid, errors = validate_row(row, lookups)
    assert (valid is None) == bool(errors)
    return [e.message for e in errors]


def test_a_full_row_is_parsed(lookups):
    valid, errors = validate_row(
        raw(
            kind="Jednostka naukowa",
            short_name="PL Import",
            nip=f"PL {nip(3)[:3]}-{nip(3)[3:]}",
            krs="12345",
            website="www.example.pl",
            founded_year="1999",
            employees="1 200",
            supply_tier="Tier 1",
            membership_status="członek",
            member_since="19.03.2018",
            visibility="Członkowie",
            pkd="29.32.Z | 2562Z; 22.29.Z@2007",
            teryt="swidnik",
            street="ul. Fabryczna 1",
            postal_code="20001",
            capabilities="CNC-milling; cnc-turning",
            contact_name="Anna Nowak",
            contact_email="anna@example.pl",
            contact_phone="+48 81 555 00 00",
        ),
        lookups,
    )
    assert errors == []
    assert valid is not None
    assert valid.fields["kind"] == "research"
    assert valid.fields["nip"] == nip(3)
    assert valid.fields["krs"] == "0000012345"
    assert valid.fields["website"] == "https://www.example.pl/"
    assert valid.fields["employees"] == 1200
    assert valid.fields["supply_tier"] == "tier1"
    assert valid.fields["membership_status"] == "member"
    assert valid.fields["member_since"] == dt.date(2018, 3, 19)
    assert valid.fields["visibility"] == "members"
    assert [(p.version, p.code) for p in valid.pkd] == [
        (2025, "29.32.Z"),
        (2025, "25.62.Z"),
        (2007, "22.29.Z"),
    ]
    assert valid.teryt == "0617011"
    assert valid.address == {"street": "ul. Fabryczna 1", "postal_code": "20-001"}
    assert len(valid.capabilities) == 2
    assert valid.contact == {
        "full_name": "Anna Nowak",
        "email": "anna@example.pl",
        "phone": "+48 81 555 00 00",
    }


def test_specific_messages(lookups):
    assert messages(lookups, raw(nip="5260250996", regon="")) == [
        "NIP 5260250996 has a wrong check digit"
    ]
    assert messages(lookups, raw(regon=bad_check_digit(regon(2)))) == [
        f"REGON {bad_check_digit(regon(2))} has a wrong check digit"
    ]
    assert messages(lookups, raw(nip="12345", regon="")) == ["NIP must be 10 digits, got '12345'"]
    assert messages(lookups, raw(pkd="29.99.Q")) == ["unknown PKD 2025 code 29.99.Q"]
    assert messages(lookups, raw(pkd="29.3")) == [
        "PKD 2025 code 29.3 is too general: give a class (e.g. 29.32) or a subclass (e.g. 29.32.Z)"
    ]
    assert messages(lookups, raw(pkd="29.32.Z@2010")) == [
        "unknown PKD version in '29.32.Z@2010' (use @2007 or @2025)"
    ]
    assert messages(lookups, raw(teryt="Lubln")) == ["unknown municipality 'Lubln'"]
    assert messages(lookups, raw(teryt="0663019")) == ["unknown municipality TERYT code 0663019"]
    assert messages(lookups, raw(legal_name="")) == ["missing required field legal_name"]
    assert messages(lookups, raw(legal_name="X")) == ["legal_name must have at least 2 characters"]
    assert messages(lookups, raw(legal_name="a" * 301)) == [
        "legal_name is too long (301 characters, at most 300)"
    ]
    assert messages(lookups, raw(kind="")) == ["missing required field kind"]
    assert messages(lookups, raw(teryt="")) == ["missing required field teryt"]
    assert messages(lookups, raw(nip="", regon="")) == [
        "missing required field nip or regon (give at least one)"
    ]
    for year in ("20O5", "1799", "2101", "1995.5"):
        assert messages(lookups, raw(founded_year=year)) == [
            "founded_year must be a whole number between 1800 and 2100"
        ]
    assert messages(lookups, raw(employees="-3")) == [
        "employees must be a whole number between 0 and 1000000"
    ]
    assert messages(lookups, raw(member_since="2018-02-30")) == [
        "member_since must be a date written YYYY-MM-DD (e.g. 2018-02-15)"
    ]
    assert messages(lookups, raw(kind="fabryka"))[0].startswith(
        "unknown kind 'fabryka'; use one of"
    )
    assert messages(lookups, raw(capabilities="cnc-milling;teleportation")) == [
        "unknown capability 'teleportation' (use vocabulary slugs such as cnc-milling)"
    ]
    assert messages(lookups, raw(postal_code="20 001")) == [
        "postal_code must be written NN-NNN (e.g. 20-001)"
    ]
    assert messages(lookups, raw(contact_email="anna@example.pl")) == [
        "contact_name is required when contact_email or contact_phone is given"
    ]
    assert messages(lookups, raw(contact_name="Anna", contact_email="anna(at)example.pl")) == [
        "'anna(at)example.pl' is not an e-mail address"
    ]
    assert messages(lookups, raw(website="not a site")) == [
        "website 'not a site' is not a web address"
    ]


def test_every_problem_of_a_row_is_reported_with_its_column(lookups):
    valid, errors = validate_row(raw(7, nip="5260250996", pkd="29.99.Q", teryt="Lubln"), lookups)
    assert valid is None
    assert [(e.row, e.column, e.value) for e in errors] == [
        (7, "nip", "5260250996"),
        (7, "pkd", "29.99.Q"),
        (7, "teryt", "Lubln"),
    ]


def test_control_characters_are_refused_but_line_breaks_allowed_in_descriptions(lookups):
    assert messages(lookups, raw(legal_name="Firma\x00Zła")) == [
        "legal_name contains a control character (U+0000)"
    ]
    assert messages(lookups, raw(legal_name="Firma\nZła")) == ["legal_name contains a line break"]
    assert messages(lookups, raw(street="ul. \u202eevil")) == [
        "street contains a control character (U+202E)"
    ]
    assert messages(lookups, raw(description_pl="a\x07b")) == [
        "description_pl contains a control character (U+0007)"
    ]
    assert messages(lookups, raw(description_pl="linia 1\r\nlinia 2\tkolumna")) == []
    assert messages(lookups, raw(legal_name="Firma\u00a0sp.\u00a0z\u00a0o.o.")) == []


def test_repeated_nip_and_regon_are_reported_on_the_later_row(lookups):
    validator = RowValidator(lookups)
    first = RawRow(17, company(1))
    assert validator.validate(first)[1] == []
    _, errors = validator.validate(RawRow(31, company(2, nip=nip(1))))
    assert [e.message for e in errors] == [f"NIP {nip(1)} also in row 17"]
    _, errors = validator.validate(RawRow(32, company(3, regon=regon(1))))
    assert [e.message for e in errors] == [f"REGON {regon(1)} also in row 17"]


def test_validator_accepts_the_reference_lookups(session):
    from upland.reference.queries import load_lookups

    valid, errors = validate_row(raw(), load_lookups(session))
    assert errors == []
    assert valid is not None


@given(st.lists(st.integers(0, 10**10 - 1), max_size=30))
def test_fast_identifier_checks_agree_with_stdnum(numbers):
    from upland.organisations.imports.checks import nip as _check_nip
    from upland.organisations.imports.checks import regon as _check_regon

    for number in numbers:
        text = f"{number:010d}"
        assert (_check_nip(text)[0] is not None) == stdnum_nip.is_valid(text)
        for size in (9, 14):
            candidate = (text * 2)[:size]
            assert (_check_regon(candidate)[0] is not None) == stdnum_regon.is_valid(candidate)


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=60))
def test_fast_fold_is_fold(text):
    assert fast_fold(text) == fold(text)


# --- importing -----------------------------------------------------------------------


def run(session: Session, path: Path, **options: Any):
    options.setdefault("mode", "all_or_nothing")
    return import_file(session, SYSTEM, path, **options)


def test_import_creates_organisations_with_their_parts(session, tmp_path):
    path = write_csv(
        tmp_path / "firms.csv",
        [
            company(
                1,
                short_name="Importowy",
                employees="120",
                pkd="29.32.Z; 25.62.Z@2007",
                teryt="Radom",
                street="ul. Żelazna 5",
                postal_code="26-600",
                locality="Radom",
                capabilities="cnc-milling;cnc-turning",
                contact_name="Jan Kowalski",
                contact_email="jan@example.pl",
                description_pl="Obróbka skrawaniem",
            )
        ],
    )
    report = run(session, path)
    assert (report.rows_total, report.created, report.updated, report.error_count) == (1, 1, 0, 0)
    assert report.written
    org = by_nip(session, nip(1))
    assert org.short_name == "Importowy"
    assert org.size_class == "medium"
    assert org.teryt == "1463011"
    assert [(p.version, p.code, p.section, p.is_primary) for p in org.pkd_codes] == [
        (2025, "29.32.Z", "C", True),
        (2007, "25.62.Z", "C", False),
    ]
    (site,) = org.sites
    assert (site.teryt, site.street, site.postal_code, site.is_headquarters) == (
        "1463011",
        "ul. Żelazna 5",
        "26-600",
        True,
    )
    (person,) = org.people
    assert (person.full_name, person.email, person.contact_visibility) == (
        "Jan Kowalski",
        "jan@example.pl",
        "private",
    )
    assert sorted(c.kind for c in org.capabilities) == ["process", "process"]
    assert org.created_at.tzinfo is not None


def test_derived_columns_match_the_registry_service(session, tmp_path):
    rows = [
        company(1, employees="7", capabilities="cnc-milling", description_en="Milling, CNC"),
        company(
            2,
            short_name="Łódź—Ściana",
            description_pl="---",
            capacity_notes="Wolne: 2 zm.",
            teryt="Świdnik",
            capabilities="cnc-turning;cnc-milling",
            employees="250",
        ),
        company(3, legal_name="Ż" * 130, regon="", employees="0"),
    ]
    run(session, write_csv(tmp_path / "firms.csv", rows))
    for n in (1, 2, 3):
        org = by_nip(session, nip(n))
        derived = ("short_name", "name_key", "size_class", "teryt", "search_text", "facets")
        imported = [getattr(org, name) for name in derived]
        organisation_service.refresh_derived(session, org)
        assert imported == [getattr(org, name) for name in derived]
    assert by_nip(session, nip(1)).size_class == "micro"
    assert "frezowanie" in by_nip(session, nip(1)).search_text


def test_injection_payloads_are_stored_verbatim(session, tmp_path):
    payloads = {
        "legal_name": "<script>alert('x')</script> Sp. z o.o.",
        "short_name": '=HYPERLINK("http://evil","x")',
        "description_pl": "+cmd|' /C calc'!A0",
        "description_en": "-1+1",
        "street": "@SUM(1+1)*cmd",
    }
    path = write_csv(tmp_path / "evil.csv", [company(1, **payloads)])
    assert run(session, path).created == 1
    org = by_nip(session, nip(1))
    assert org.legal_name == payloads["legal_name"]
    assert org.short_name == payloads["short_name"]
    assert org.description_pl == payloads["description_pl"]
    assert org.description_en == payloads["description_en"]
    assert org.sites[0].street == payloads["street"]


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(session, tmp_path):
    before = (count(session), count(session, AuditEntry))
    rows = [company(i) for i in range(1, 6)] + [company(6, nip="5260250996", regon="")]
    report = run(session, write_csv(tmp_path / "firms.csv", rows))
    assert (count(session), report.created, report.skipped, report.written) == (
        before[0],
        0,
        6,
        False,
    )
    assert report.invalid_rows == 1
    assert report.errors[0].row == 7
    assert "Nothing imported" in report.summary
    text = report.as_text()
    assert "7\tnip\t5260250996\tNIP 5260250996 has a wrong check digit" in text


def test_valid_only_writes_the_good_rows_and_reports_the_rest(session, tmp_path):
    before = count(session)
    rows = [
        company(1),
        company(2, pkd="29.99.Q"),
        company(3),
        company(4, teryt="Lubln"),
        company(5, nip=nip(1), regon=""),
    ]
    progress: list[int] = []
    report = run(
        session,
        write_csv(tmp_path / "firms.csv", rows),
        mode="valid_only",
        progress=progress.append,
    )
    assert (report.created, report.skipped, report.error_count) == (2, 3, 3)
    assert count(session) == before + 2
    assert [(e.row, e.column) for e in report.errors] == [(3, "pkd"), (5, "teryt"), (6, "nip")]
    assert report.errors[2].message == f"NIP {nip(1)} also in row 2"
    assert progress[-1] == 5
    assert report.summary.startswith("Imported 5 rows: 2 created")


def test_dry_run_reports_and_writes_nothing(session, tmp_path):
    existing = organisation_service.create_organisation(
        session,
        SYSTEM,
        OrganisationCreate(
            kind="company", legal_name="Stara Firma", nip=nip(1), sites=[SiteIn(teryt="0663011")]
        ),
    )
    before = (count(session), count(session, AuditEntry))
    rows = [company(1), company(2), company(3, pkd="29.99.Q")]
    for mode, said in (("all_or_nothing", "all or nothing"), ("valid_only", "valid rows only")):
        report = run(session, write_csv(tmp_path / "firms.csv", rows), mode=mode, dry_run=True)
        assert (report.created, report.updated, report.skipped, report.written) == (1, 1, 1, False)
        assert report.summary.startswith(f"Dry run ({said})")
    assert (count(session), count(session, AuditEntry)) == before
    session.refresh(existing)
    assert existing.legal_name == "Stara Firma"


def test_reimport_updates_and_never_duplicates(session, tmp_path):
    rows = [
        company(
            i,
            capabilities="cnc-milling",
            contact_name="Jan Kowalski",
            contact_email=f"jan{i}@example.pl",
        )
        for i in range(1, 4)
    ]
    path = write_csv(tmp_path / "firms.csv", rows)
    assert run(session, path).created == 3
    counts = [
        count(session, m)
        for m in (Organisation, OrganisationPkd, Site, Person, OrganisationCapability)
    ]
    stamp = by_nip(session, nip(2)).updated_at

    again = run(session, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert by_nip(session, nip(2)).updated_at == stamp

    rows[1] = company(
        2,
        legal_name="Zakład Zmieniony",
        employees="300",
        pkd="28.30.Z",
        teryt="Radom",
        capabilities="cnc-turning",
        contact_name="Jan Kowalski",
        contact_email="jan2@example.pl",
        contact_phone="+48 600 100 200",
    )
    changed = run(session, write_csv(tmp_path / "firms2.csv", rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert counts == [
        count(session, m)
        for m in (Organisation, OrganisationPkd, Site, Person, OrganisationCapability)
    ]
    org = by_nip(session, nip(2))
    assert (org.legal_name, org.employees, org.size_class, org.teryt) == (
        "Zakład Zmieniony",
        300,
        "large",
        "1463011",
    )
    assert [p.code for p in org.pkd_codes] == ["28.30.Z"]
    assert org.sites[0].teryt == "1463011"
    assert org.people[0].phone == "+48 600 100 200"
    assert org.updated_at > stamp
    assert "zmieniony" in org.search_name and "radom" in org.search_text


def test_rows_match_existing_organisations_by_nip_then_regon(session, tmp_path):
    by_nip_org = organisation_service.create_organisation(
        session,
        SYSTEM,
        OrganisationCreate(
            kind="company",
            legal_name="Po NIP",
            nip=nip(1),
            description_pl="stary opis",
            sites=[SiteIn(teryt="0663011")],
        ),
    )
    by_regon_org = organisation_service.create_organisation(
        session,
        SYSTEM,
        OrganisationCreate(kind="research", legal_name="Po REGON", regon=regon(2)),
    )
    before = count(session)
    rows = [company(1, regon=""), company(2, nip="", legal_name="Instytut Nowy", kind="research")]
    report = run(session, write_csv(tmp_path / "firms.csv", rows))
    assert (report.created, report.updated) == (0, 2)
    assert count(session) == before
    session.refresh(by_nip_org)
    session.refresh(by_regon_org)
    assert by_nip_org.legal_name == "Zakład Importowy 1 sp. z o.o."
    assert by_nip_org.description_pl == "stary opis"
    assert by_regon_org.legal_name == "Instytut Nowy"
    assert by_regon_org.sites[0].is_headquarters


def test_nip_of_one_organisation_and_regon_of_another_is_an_error(session, tmp_path):
    for n, name in ((1, "A"), (2, "B")):
        organisation_service.create_organisation(
            session,
            SYSTEM,
            OrganisationCreate(
                kind="company", legal_name=f"Firma {name}", nip=nip(n), regon=regon(n)
            ),
        )
    rows = [company(1, regon=regon(2))]
    report = run(session, write_csv(tmp_path / "firms.csv", rows), mode="valid_only")
    assert (report.updated, report.skipped) == (0, 1)
    assert "belongs to organisation" in report.errors[0].message


def test_rows_are_read_once_so_a_one_shot_iterator_will_do(session, tmp_path):
    path = write_csv(tmp_path / "firms.csv", [company(1), company(2)])
    report = import_organisations(session, SYSTEM, iter(read_rows(path)))
    assert report.created == 2


def test_all_or_nothing_rolls_back_chunks_written_before_a_late_bad_row(session, tmp_path):
    before = (count(session), count(session, OrganisationPkd), count(session, Site))
    rows = [company(i) for i in range(1, 8)]
    rows[5] = company(6, teryt="Atlantyda")
    rows.append(company(8, nip="5260250996", regon=""))
    path = write_csv(tmp_path / "firms.csv", rows)
    report = import_organisations(session, SYSTEM, lambda: read_rows(path), chunk_size=2)
    assert (report.created, report.written, report.invalid_rows) == (0, False, 2)
    assert [e.row for e in report.errors] == [7, 9]  # every problem, also after the first
    assert (count(session), count(session, OrganisationPkd), count(session, Site)) == before
    assert run(session, write_csv(tmp_path / "good.csv", rows[:5])).created == 5


def test_an_import_announces_what_it_created_and_changed(session, tmp_path):
    heard: list[OrganisationsImported] = []
    subscribe(OrganisationsImported, heard.append)
    try:
        run(session, write_csv(tmp_path / "a.csv", [company(1), company(2)]))
        session.commit()
        rows = [company(1, employees="900"), company(2), company(3)]
        run(session, write_csv(tmp_path / "b.csv", rows))
        session.commit()
        run(session, write_csv(tmp_path / "c.csv", rows), dry_run=True)
        session.commit()
    finally:
        unsubscribe(OrganisationsImported, heard.append)
    ids = {n: by_nip(session, nip(n)).id for n in (1, 2, 3)}
    assert [(set(s.created), set(s.updated)) for s in heard] == [
        ({ids[1], ids[2]}, set()),
        ({ids[3]}, {ids[1]}),
    ]


def test_one_audit_entry_per_import(session, tmp_path):
    before = count(session, AuditEntry)
    run(session, write_csv(tmp_path / "firms.csv", [company(i) for i in range(1, 4)]))
    assert count(session, AuditEntry) == before + 1
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "organisations.organisation.import"
    assert entry.after["created"] == 3


def test_only_staff_may_import(session, tmp_path):
    with pytest.raises(PermissionDenied):
        import_file(session, ANONYMOUS, write_csv(tmp_path / "firms.csv", [company(1)]))


def test_file_errors_are_invalid_input(session, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(Invalid, match="empty"):
        run(session, path)


def test_xlsx_round_trip(session, tmp_path):
    payload = '=HYPERLINK("http://evil","x")'
    path = write_xlsx(
        tmp_path / "firms.xlsx",
        ["kind", "legal_name", "short_name", "nip", "regon", "teryt", "pkd", "member_since"],
        [
            [
                "company",
                "Zakład Arkusz",
                None,
                int(nip(1)),
                regon(1),
                "Lublin",
                "29.32.Z",
                dt.date(2020, 1, 2),
            ],
            ["school", "Technikum Mechaniczne", None, nip(2), None, "2611011", None, None],
        ],
    )
    from openpyxl import load_workbook

    book = load_workbook(path)
    cell = book.active["C2"]
    cell.value = payload
    cell.data_type = "s"
    book.save(path)
    report = run(session, path, filename="firms.xlsx")
    assert (report.created, report.error_count) == (2, 0)
    org = by_nip(session, nip(1))
    assert (org.short_name, org.member_since, org.teryt) == (
        payload,
        dt.date(2020, 1, 2),
        "0663011",
    )
    assert by_nip(session, nip(2)).kind == "school"
    assert run(session, path, filename="firms.xlsx").unchanged == 2


def test_an_upload_file_object_can_be_imported(session, tmp_path):
    path = write_csv(tmp_path / "firms.csv", [company(1), company(2)])
    with path.open("rb") as handle:
        report = import_file(session, SYSTEM, handle, filename="firms.csv")
    assert report.created == 2


def test_header_of_all_columns_is_accepted(tmp_path):
    path = write_csv(tmp_path / "all.csv", [], [c.name for c in FILE_COLUMNS])
    stream = read_rows(path)  # the header is checked here, before any row is read
    assert [str(n) for n in stream.notes] == [
        "columns not imported (written by the export): id, size_class, city"
    ]
    assert set(COLUMNS) < {c.name for c in FILE_COLUMNS}


def test_bulk_insert_columns_cover_the_tables():
    """The import writes tuples without the ORM: a new column with a default must be added."""
    from upland.organisations.imports import bulk, writer

    for table, columns in (
        (Organisation.__table__, writer.INSERT_COLUMNS),
        (OrganisationPkd.__table__, bulk.PKD_COLUMNS),
        (Site.__table__, bulk.SITE_COLUMNS),
        (Person.__table__, bulk.PERSON_COLUMNS),
        (OrganisationCapability.__table__, bulk.CAPABILITY_COLUMNS),
    ):
        left_out = [
            c.name
            for c in table.columns
            if c.name not in columns
            and not c.primary_key
            and (not c.nullable or c.default is not None or c.server_default is not None)
        ]
        assert left_out == [], f"{table.name}: {left_out}"
