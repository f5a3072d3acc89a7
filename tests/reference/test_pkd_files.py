"""Parsing of the official GUS PKD files and the PKD tables shipped with Upland.

The GUS files are not in the repository. They are looked up in ``UPLAND_GUS_DATA_DIR`` or in
``shared/data`` next to the checkout; without them the tests that need them skip, except
under CI, where a missing file fails the run.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from upland.reference import build_data
from upland.reference.pkd_codes import PkdCorrespondence, PkdEntry, PkdFileError, normalise_code
from upland.reference.pkd_files import load_shipped, load_shipped_correspondence, read_pkd_file
from upland.reference.pkd_key import read_key_csv
from upland.reference.pkd_structure import read_structure_xls

STRUCTURE = "StrukturaPKD2025.xls"
KEY = "KluczePKD_2007_2025_pop.csv"


def _gus_dir() -> Path:
    override = os.environ.get("UPLAND_GUS_DATA_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


def _gus_file(name: str) -> Path:
    path = _gus_dir() / name
    if not path.is_file():
        message = f"GUS file {path} not found (set UPLAND_GUS_DATA_DIR)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def structure_path() -> Path:
    return _gus_file(STRUCTURE)


@pytest.fixture(scope="module")
def key_path() -> Path:
    return _gus_file(KEY)


@pytest.fixture(scope="module")
def pkd2025(structure_path: Path) -> dict[str, PkdEntry]:
    return {e.code: e for e in read_structure_xls(structure_path)}


@pytest.fixture(scope="module")
def key(key_path: Path) -> tuple[list[PkdEntry], list[PkdCorrespondence]]:
    return read_key_csv(key_path)


@pytest.fixture(scope="module")
def pkd2007(key: tuple[list[PkdEntry], list[PkdCorrespondence]]) -> dict[str, PkdEntry]:
    return {e.code: e for e in key[0]}


def _assert_tree(entries: dict[str, PkdEntry]) -> None:
    for entry in entries.values():
        if entry.level == 1:
            assert entry.parent is None and entry.section == entry.code
            continue
        assert entry.parent is not None
        parent = entries[entry.parent]  # every parent exists
        assert parent.level == entry.level - 1, entry
        assert parent.section == entry.section, entry
        assert entry.code.startswith(parent.code) or entry.level == 2, entry


# ----------------------------------------------------------------------- real GUS files


def test_pkd2025_structure_has_the_nace_rev21_shape(pkd2025: dict[str, PkdEntry]) -> None:
    levels = Counter(e.level for e in pkd2025.values())
    assert levels == {1: 22, 2: 87, 3: 287, 4: 651, 5: 728}
    assert {e.version for e in pkd2025.values()} == {2025}
    assert [c for c, e in pkd2025.items() if e.level == 1] == list("ABCDEFGHIJKLMNOPQRSTUV")
    _assert_tree(pkd2025)


def test_pkd2025_real_facts(pkd2025: dict[str, PkdEntry]) -> None:
    parts = pkd2025["29.32.Z"]
    assert (parts.level, parts.section, parts.parent) == (5, "C", "29.32")
    assert "pojazd" in parts.name_pl
    assert pkd2025["28.30.Z"].name_pl == "Produkcja maszyn dla rolnictwa i leśnictwa"
    # Rev 2.1 moved whole divisions between sections: take them from the file, not Rev 2
    assert pkd2025["62"].section == "K"
    assert pkd2025["72"].section == "N"
    assert pkd2025["85"].section == "Q"
    assert "45" not in pkd2025  # motor vehicle trade was folded into 46, 47 and 95
    # Quirks cleaned: trailing space + newline in 85.59.B, "SEKCJA O " with a trailing space
    assert pkd2025["85.59.B"].name_pl.endswith("w formach pozaszkolnych")
    assert pkd2025["O"].name_pl.startswith("DZIAŁALNOŚĆ W ZAKRESIE USŁUG ADMINISTROWANIA")
    # A row holding group, class and subclass at once yields all three
    assert pkd2025["01.3"].name_pl == pkd2025["01.30"].name_pl == pkd2025["01.30.Z"].name_pl


def test_pkd2007_from_the_key(pkd2007: dict[str, PkdEntry]) -> None:
    levels = Counter(e.level for e in pkd2007.values())
    # The "_pop" key only goes down to groups: no 2007 classes or subclasses in it
    assert levels == {1: 21, 2: 88, 3: 272}
    assert [c for c, e in pkd2007.items() if e.level == 1] == list("ABCDEFGHIJKLMNOPQRSTU")
    _assert_tree(pkd2007)
    assert "pojazd" in pkd2007["29.3"].name_pl
    assert pkd2007["28.3"].name_pl == "Produkcja maszyn dla rolnictwa i leśnictwa"
    assert (pkd2007["62"].section, pkd2007["72"].section, pkd2007["85"].section) == ("J", "M", "P")
    assert pkd2007["01.1"].name_pl == "Uprawy rolne inne niż wieloletnie"  # trailing NBSP gone
    assert "\n" not in pkd2007["D"].name_pl


def test_key_mapping_codes_exist(
    key: tuple[list[PkdEntry], list[PkdCorrespondence]],
    pkd2007: dict[str, PkdEntry],
    pkd2025: dict[str, PkdEntry],
) -> None:
    mapping = key[1]
    assert len(mapping) == 618 == len(set(mapping))
    for row in mapping:
        assert row.code_2007 in pkd2007, row
        assert row.code_2025 in pkd2025, row
        assert pkd2007[row.code_2007].level == pkd2025[row.code_2025].level, row
    targets = {m.code_2025 for m in mapping if m.code_2007 == "45"}
    assert targets == {"46", "47", "95"}
    assert {m.code_2025 for m in mapping if m.code_2007 == "29.3"} == {"29.3"}
    assert {m.code_2025 for m in mapping if m.code_2007 == "28.3"} == {"28.3"}


def test_read_pkd_file_dispatches_on_content(
    structure_path: Path, key_path: Path, tmp_path: Path
) -> None:
    structure = read_pkd_file(structure_path)
    assert (structure.kind, structure.version, len(structure.entries)) == ("structure", 2025, 1775)
    misnamed = tmp_path / "key.xls"  # the name lies; the content decides
    misnamed.write_bytes(key_path.read_bytes())
    key_file = read_pkd_file(misnamed)
    assert (key_file.kind, key_file.version) == ("key", 2007)
    assert len(key_file.entries) == 381 and len(key_file.correspondences) == 618


def test_shipped_csvs_equal_a_fresh_build(structure_path: Path, key_path: Path) -> None:
    tables = build_data.build_tables(structure_path, key_path)
    for name, text in tables.items():
        shipped = (build_data.DATA_DIR / name).read_text(encoding="utf-8")
        assert shipped == text, f"{name} is stale: rerun python -m upland.reference.build_data"


def test_shipped_entries_equal_the_parser(
    pkd2025: dict[str, PkdEntry],
    pkd2007: dict[str, PkdEntry],
    key: tuple[list[PkdEntry], list[PkdCorrespondence]],
) -> None:
    def strip_en(entries: list[PkdEntry]) -> list[tuple]:
        return [(e.version, e.code, e.level, e.section, e.parent, e.name_pl) for e in entries]

    assert strip_en(load_shipped(2025)) == strip_en(list(pkd2025.values()))
    assert strip_en(load_shipped(2007)) == strip_en(list(pkd2007.values()))
    assert load_shipped_correspondence() == key[1]


# ------------------------------------------------------------ shipped data (no GUS files)


@pytest.mark.parametrize("version", [2007, 2025])
def test_shipped_data_is_a_consistent_tree(version: int) -> None:
    entries = {e.code: e for e in load_shipped(version)}
    _assert_tree(entries)
    assert all(e.version == version and e.name_pl for e in entries.values())
    missing_en = [c for c, e in entries.items() if e.level <= 2 and not e.name_en]
    assert missing_en == [], "every section and division has an English name"


def test_shipped_english_names() -> None:
    pkd2025 = {e.code: e for e in load_shipped(2025)}
    pkd2007 = {e.code: e for e in load_shipped(2007)}
    assert pkd2025["C"].name_en == pkd2007["C"].name_en == "Manufacturing"
    assert pkd2025["K"].name_en.startswith("Telecommunication")
    assert pkd2007["K"].name_en == "Financial and insurance activities"
    # an "xx.yy.Z" subclass is its class, so it carries the class's name
    assert (
        pkd2025["29.32.Z"].name_en
        == "Manufacture of other parts and accessories for motor vehicles"
    )
    # national subclass: its own translated title (names_en.csv), not its class's
    assert (
        pkd2025["29.10.A"].name_en
        == "Manufacture of engines for motor vehicles, except motorcycles"
    )
    assert pkd2007["29.3"].name_en == "Manufacture of parts and accessories for motor vehicles"


def test_shipped_correspondence_refers_to_shipped_codes() -> None:
    codes = {v: {e.code for e in load_shipped(v)} for v in (2007, 2025)}
    pairs = load_shipped_correspondence()
    assert pairs
    assert all(p.code_2007 in codes[2007] and p.code_2025 in codes[2025] for p in pairs)


def test_load_shipped_rejects_unknown_version() -> None:
    with pytest.raises(ValueError, match="2007"):
        load_shipped(2010)


# ------------------------------------------------------------------------- normalise_code


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 29.32.z ", "29.32.Z"),
        ("29.32.Z", "29.32.Z"),
        ("2932Z", "29.32.Z"),
        ("29.32Z", "29.32.Z"),
        ("2932", "29.32"),
        ("29.3", "29.3"),
        ("293", "29.3"),
        ("01", "01"),
        ("c", "C"),
        ("SEKCJA O ", "O"),
        ("\u00a029.32.Z\n", "29.32.Z"),
    ],
)
def test_normalise_code(raw: str, expected: str) -> None:
    assert normalise_code(raw) == expected


@pytest.mark.parametrize(
    "raw", ["ABC", "", "   ", "1", "W", "29.3.2", "29.3Z", "2Z", "29.32.ZZ", "X1"]
)
def test_normalise_code_rejects_nonsense(raw: str) -> None:
    with pytest.raises(ValueError, match="PKD code"):
        normalise_code(raw)


# -------------------------------------------------------------------------- broken files

KEY_HEADER = (
    "Poziom,Symbol PKD 2007,Nazwa grupowania PKD 2007,Symbol PKD 2025,Nazwa grupowania PKD 2025\n"
)
KEY_ROWS = (
    "1,C,PRZETWÓRSTWO PRZEMYSŁOWE,C,PRZETWÓRSTWO PRZEMYSŁOWE\n"
    "2,29,Produkcja pojazdów samochodowych,29,Produkcja pojazdów silnikowych\n"
    "3,29.3,Produkcja części i akcesoriów do pojazdów silnikowych,29.3,Produkcja części\n"
)


def _write(tmp_path: Path, data: bytes | str, name: str = "key.csv") -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", newline="")
    else:
        path.write_bytes(data)
    return path


def test_small_key_parses(tmp_path: Path) -> None:
    entries, mapping = read_key_csv(_write(tmp_path, KEY_HEADER + KEY_ROWS))
    assert [(e.code, e.parent, e.section) for e in entries] == [
        ("C", None, "C"),
        ("29", "C", "C"),
        ("29.3", "29", "C"),
    ]
    assert [(m.code_2007, m.code_2025) for m in mapping] == [
        ("C", "C"),
        ("29", "29"),
        ("29.3", "29.3"),
    ]


@pytest.mark.parametrize(
    "encoding", ["cp1250", "iso8859_2", "utf-8-sig", "utf-16"], ids=lambda e: e
)
def test_key_in_other_encodings_parses_identically(tmp_path: Path, encoding: str) -> None:
    text = KEY_HEADER + KEY_ROWS
    expected = read_key_csv(_write(tmp_path, text.encode("utf-8"), "utf8.csv"))
    assert read_key_csv(_write(tmp_path, text.encode(encoding))) == expected


def test_real_key_in_windows_1250_parses_identically(key_path: Path, tmp_path: Path) -> None:
    text = key_path.read_text(encoding="utf-8")
    copy = _write(tmp_path, text.replace("\n", "\r\n").encode("cp1250"))
    assert read_key_csv(copy) == read_key_csv(key_path)


def test_key_with_trailing_empty_column_parses(tmp_path: Path) -> None:
    text = "".join(line + ";\n" for line in (KEY_HEADER + KEY_ROWS).replace(",", ";").splitlines())
    entries, mapping = read_key_csv(_write(tmp_path, text))
    assert [e.code for e in entries] == ["C", "29", "29.3"] and len(mapping) == 3


def test_semicolon_separated_key_parses(tmp_path: Path) -> None:
    text = (KEY_HEADER + KEY_ROWS).replace(",", ";")
    entries, _ = read_key_csv(_write(tmp_path, text))
    assert [e.code for e in entries] == ["C", "29", "29.3"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "file is empty"),
        (b"\n \r\n", "file is empty"),
        ((KEY_HEADER + KEY_ROWS).replace(",", "|"), "header not recognised"),
        ("code,name\n29,x\n", "header not recognised"),
        (bytes(range(1, 256)) * 20, "not text in a known encoding"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (KEY_HEADER + "1,C,X,C\n", "row 2: expected 5 columns"),
        (KEY_HEADER + "9,C,X,C,X\n", "row 2: Poziom must be 1..5"),
        (KEY_HEADER + "1,C,X,CC,X\n", "row 2: not a PKD code: 'CC'"),
        (KEY_HEADER + "2,29,X,29.3,Y\n", "row 2: Poziom is 2 but PKD 2025 code '29.3'"),
        (KEY_HEADER + "2,29,X,29,Y\n", "row 2: 29 appears before any section row"),
        (
            KEY_HEADER + "1,C,X,C,X\n3,29.3,Y,29.3,Y\n",
            "row 3: group 29.3 appears before its parent 29",
        ),
        (KEY_HEADER + "1,C,X,C,X\n1,C,Other,C,X\n", "row 3: C already appeared as 'X'"),
        (KEY_HEADER + "1,C,,C,X\n", "row 2: code C has no name"),
        (KEY_HEADER, "no rows below the header"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "pipe-delimiter",
        "foreign-header",
        "garbage-bytes",
        "binary",
        "short-row",
        "bad-level",
        "bad-code",
        "level-mismatch",
        "no-section",
        "child-before-parent",
        "conflicting-names",
        "empty-name",
        "header-only",
    ],
)
def test_broken_key_raises_clear_error(tmp_path: Path, data: bytes | str, message: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(PkdFileError, match=r"key\.csv") as caught:
        read_pkd_file(path)
    assert message in str(caught.value)


def test_missing_file_raises_pkd_file_error(tmp_path: Path) -> None:
    with pytest.raises(PkdFileError, match="cannot read file"):
        read_pkd_file(tmp_path / "nope.csv")


def test_broken_xls_raises_clear_error(tmp_path: Path) -> None:
    fake = _write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "fake.xls")
    with pytest.raises(PkdFileError, match=r"fake\.xls: not a readable Excel workbook"):
        read_pkd_file(fake)


def _xlsx(tmp_path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / "structure.xlsx"
    workbook.save(path)
    return path


HEADER: list[object] = ["Dział", "Grupa", "Klasa", "Podklasa", "Nazwa grupowania"]


def test_structure_xlsx_with_numeric_codes_parses(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            ["Polska Klasyfikacja Działalności 2025"],
            HEADER,
            ["SEKCJA C", None, "PRZETWÓRSTWO PRZEMYSŁOWE"],
            [29, None, None, None, "Produkcja pojazdów"],  # Excel turned "29" into a number
            [None, 29.3, None, None, "Produkcja części"],
            [None, None, "29.32", "29.32.Z", "Produkcja pozostałych części "],
        ],
    )
    entries = read_structure_xls(path)
    assert [(e.code, e.parent, e.level) for e in entries] == [
        ("C", None, 1),
        ("29", "C", 2),
        ("29.3", "29", 3),
        ("29.32", "29.3", 4),
        ("29.32.Z", "29.32", 5),
    ]
    assert entries[-1].name_pl == "Produkcja pozostałych części"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["Dział", "Nazwa"], ["29", "x"]], "header row not found"),
        ([HEADER, ["29", None, None, None, "x"]], "row 2: 29 appears before any 'SEKCJA' row"),
        (
            [HEADER, ["SEKCJA C", None, "X"], [None, "29.3", None, None, "x"]],
            "row 3: group 29.3 appears before its parent 29",
        ),
        (
            [HEADER, ["SEKCJA C", None, "X"], [None, "29", None, None, "x"]],
            "row 3: column for group codes holds '29'",
        ),
        (
            [HEADER, ["SEKCJA C", None, "X"], ["29", None, None, None, None]],
            "row 3: code 29 has no name",
        ),
        (
            [HEADER, ["SEKCJA C", None, "X"], [None, None, None, None, "stray note"]],
            "row 3: row has text but no PKD code",
        ),
        (
            [HEADER, ["SEKCJA C", None, "X"], ["2x", None, None, None, "x"]],
            "row 3: not a PKD code: '2x'",
        ),
        ([HEADER, ["SEKCJA C", None, "X"], ["SEKCJA C", None, "X"]], "row 3: code C appears twice"),
        ([HEADER], "no PKD rows found"),
    ],
    ids=[
        "no-header",
        "no-section",
        "orphan",
        "wrong-column",
        "no-name",
        "no-code",
        "bad-code",
        "dup",
        "empty",
    ],
)
def test_broken_structure_raises_clear_error(
    tmp_path: Path, rows: list[list[object]], message: str
) -> None:
    with pytest.raises(PkdFileError, match=r"structure\.xlsx") as caught:
        read_pkd_file(_xlsx(tmp_path, rows))
    assert message in str(caught.value)
