"""Read the GUS PKD 2007 ↔ 2025 key (``KluczePKD_2007_2025*.csv``): the PKD 2007 entries and the
2007 → 2025 mapping, in whatever encoding and delimiter the file was saved with."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from upland.reference.pkd_codes import (
    LEVEL_NAMES,
    PkdCorrespondence,
    PkdEntry,
    PkdFileError,
    add_entry,
    code_level,
    make_entry,
    order_key,
    parse_code,
    read_bytes,
)

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
    text = decode_text(read_bytes(path), source)
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
        entry = make_entry(2007, code_2007, section, row["name_2007"], source, row_no)
        known = entries.get(code_2007)
        if known is None:
            add_entry(entries, entry, source, row_no)
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
    code_2007 = parse_code(row["code_2007"], source, row_no)
    code_2025 = parse_code(row["code_2025"], source, row_no)
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
