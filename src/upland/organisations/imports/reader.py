"""Stream the rows of an organisation import file (CSV or XLSX) without loading it whole.

CSV: UTF-8 (with or without BOM) or Windows-1250, comma, semicolon or tab separated, decoded
as it is read. XLSX: the first sheet, read with openpyxl in read-only mode. Either way the
first row is the header; its names are normalised (case, spaces, Polish aliases) to the
columns of `format.FILE_COLUMNS` (so the platform's own export is read back), and every
problem that makes the whole file unusable raises `ImportFileError` before the first row is
returned. Cells lose the quote the export puts before formula characters.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import charset_normalizer

from upland.i18n import N_, Message
from upland.organisations.imports.format import KNOWN_COLUMNS, unneutralise
from upland.organisations.imports.header import ImportFileError, normalise_header, read_header
from upland.uploads import zip_problem

SAMPLE_SIZE = 64 * 1024
MAX_LINE_CHARS = 1024 * 1024
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", N_("a PDF document")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"7z\xbc\xaf", N_("a 7-Zip archive")),
    (b"Rar!", N_("a RAR archive")),
)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_XLS_MESSAGE = N_(
    "this is an old Excel .xls workbook, which is not supported: open it in a spreadsheet "
    "program and save it as .xlsx (Excel workbook) or CSV UTF-8, then import that file"
)


@dataclass(slots=True)
class RawRow:
    """One data row as read: `row` is its number as a spreadsheet shows it (header = 1)."""

    row: int
    values: dict[str, str]
    extra: tuple[str, ...] = ()


class RowStream(Iterator[RawRow]):
    """The data rows of a file, with `notes` on what of it is not read (columns, sheets)."""

    def __init__(self, rows: Iterator[RawRow], notes: list[Message]) -> None:
        self._rows = rows
        self.notes = notes

    def __next__(self) -> RawRow:
        return next(self._rows)


def read_rows(source: str | os.PathLike[str] | IO[bytes], filename: str = "") -> RowStream:
    """Check the file and its header, then stream its non-blank data rows.

    `source` is a path or a seekable binary file (left open for the caller to close);
    `filename` (defaults to the path) only helps to recognise the format and in messages.
    Raises `ImportFileError` at once for problems with the file or its header; an
    undecodable byte further down the file raises it when that row is reached.
    """
    if isinstance(source, str | os.PathLike):
        handle: IO[bytes] = open(source, "rb")  # noqa: SIM115 - closed by the generator
        filename = filename or os.fspath(source)
        owned = True
    else:
        handle, owned = source, False
        filename = filename or str(getattr(source, "name", "") or "")
    try:
        if not handle.seekable():
            raise TypeError("read_rows needs a seekable binary file")
        start = handle.tell()
        sample = handle.read(SAMPLE_SIZE)
        handle.seek(start)
        kind = _file_kind(sample, filename)
        if kind == "xlsx":
            rows, notes = _xlsx_rows(handle)
        elif kind == "json":
            rows, notes = _json_rows(handle)
        else:
            rows, notes = _csv_rows(handle, start, sample)
    except BaseException:
        if owned:
            handle.close()
        raise
    return RowStream(_owning(rows, handle if owned else None), notes)


def _owning(rows: Iterator[RawRow], handle: IO[bytes] | None) -> Iterator[RawRow]:
    """The rows, closing the file at the end; a file with no data row is refused there."""
    try:
        found = False
        for row in rows:
            found = True
            yield row
        if not found:
            raise ImportFileError("the file has a header but no data rows", code="import.no_rows")
    finally:
        if handle is not None:
            handle.close()


def _file_kind(sample: bytes, filename: str) -> str:
    lower = filename.lower()
    if not sample.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError("the file is empty", code="import.empty")
    if sample.startswith(_OLE2) or lower.endswith(".xls"):
        raise ImportFileError(_XLS_MESSAGE, code="import.xls")
    if sample.startswith(_ZIP):
        if lower.endswith((".ods", ".odt", ".docx")):
            raise ImportFileError(
                "only CSV and .xlsx files can be imported; save the sheet as .xlsx or CSV",
                code="import.format",
            )
        return "xlsx"
    if lower.endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            "{name} is not an Excel .xlsx workbook",
            code="import.format",
            name=os.path.basename(filename),
        )
    if lower.endswith(".json") or sample.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b'{"items"'):
        return "json"
    for magic, what in _MAGIC:
        if sample.startswith(magic):
            raise ImportFileError(
                "this is {what}, not a CSV or .xlsx file", code="import.format", what=Message(what)
            )
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            "this is UTF-16 text (Excel's 'Unicode text'), which is not supported: "
            "save the sheet as 'CSV UTF-8' or .xlsx",
            code="import.encoding",
        )
    nul = sample.find(b"\0")
    if nul >= 0:
        raise ImportFileError(
            "this is not a text (CSV) file: it holds binary data (a zero byte at offset {offset})",
            code="import.format",
            offset=nul,
        )
    return "csv"


# --- CSV ---------------------------------------------------------------------------------


def _csv_rows(
    handle: IO[bytes], start: int, sample: bytes
) -> tuple[Iterator[RawRow], list[Message]]:
    encoding = _detect_encoding(sample)
    bom = len(codecs.BOM_UTF8) if encoding == "utf-8-sig" else 0
    text_sample = _decode_sample(sample[bom:], encoding)
    delimiter = _detect_delimiter(text_sample)
    try:
        first = next(csv.reader(io.StringIO(text_sample), delimiter=delimiter), [])
    except csv.Error as exc:
        raise ImportFileError(
            "row {row} cannot be read as CSV: {reason}", code="import.csv", row=1, reason=str(exc)
        ) from None
    header = read_header(first)
    return _csv_records(handle, start, encoding, delimiter, header.names), header.notes


def _csv_records(
    handle: IO[bytes], start: int, encoding: str, delimiter: str, names: list[str]
) -> Iterator[RawRow]:
    stream = io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")
    # Lines come in pieces of at most MAX_LINE_CHARS, so a file without line breaks
    # cannot build one enormous row; such pieces end up as rows with errors.
    lines = iter(functools.partial(stream.readline, MAX_LINE_CHARS), "")
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True)
    width = len(names)
    row = 1
    try:
        next(reader, None)
        for raw in reader:
            row += 1
            cells = [unneutralise(c) for c in raw]
            if len(cells) > width:
                extra = tuple(c for c in cells[width:] if c.strip())
                if extra:
                    yield RawRow(row, dict(zip(names, cells, strict=False)), extra)
                    continue
            if not cells or not (cells[0].strip() or "".join(cells).strip()):
                continue
            yield RawRow(row, dict(zip(names, cells, strict=False)))
    except csv.Error as exc:
        raise ImportFileError(
            "row {row} (line {line}) cannot be read as CSV: {reason}",
            code="import.csv",
            row=row + 1,
            line=reader.line_num,
            reason=str(exc),
        ) from None
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _decode_message(handle, start, encoding, exc), code="import.encoding"
        ) from None
    finally:
        if not stream.closed:
            stream.detach()


def _detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM or not) when the sample is valid UTF-8, else Windows-1250 if it reads as text."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE_SIZE)
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Dense Polish diacritics score up to ~0.35 on the chaos scale; binary noise far above.
    best = charset_normalizer.from_bytes(sample, cp_isolation=["cp1250"], threshold=0.5).best()
    if best is None:
        bad = sample[utf8_error.start]
        line = sample.count(b"\n", 0, utf8_error.start) + 1
        raise ImportFileError(
            "the file is neither UTF-8 nor Windows-1250 text: undecodable byte "
            "{byte} at offset {offset} (line {line}); save it as CSV UTF-8",
            code="import.encoding",
            byte=f"0x{bad:02X}",
            offset=utf8_error.start,
            line=line,
        )
    return "cp1250"


def _decode_sample(sample: bytes, encoding: str) -> str:
    base = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        text = codecs.getincrementaldecoder(base)().decode(sample, final=False)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "the file is not valid {encoding}: byte {byte} at offset {offset} cannot be decoded",
            code="import.encoding",
            encoding=_label(encoding),
            byte=f"0x{sample[exc.start]:02X}",
            offset=exc.start,
        ) from None
    cut = text.rfind("\n")
    return text[: cut + 1] if 0 <= cut < len(text) - 1 and len(sample) >= SAMPLE_SIZE else text


def _label(encoding: str) -> str:
    return "Windows-1250" if encoding == "cp1250" else "UTF-8"


def _decode_message(raw: IO[bytes], start: int, encoding: str, exc: UnicodeDecodeError) -> Message:
    """Find the exact offset and line of the first undecodable byte (error path only)."""
    base = "utf-8" if encoding == "utf-8-sig" else encoding
    decoder = codecs.getincrementaldecoder(base)()
    offset, line = 0, 1
    try:
        raw.seek(start)
        while chunk := raw.read(1024 * 1024):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as inner:
                pending = len(inner.object) - len(chunk)
                position = inner.start - pending
                line += chunk.count(b"\n", 0, max(position, 0))
                bad = inner.object[inner.start]
                return Message(
                    N_(
                        "the file is not valid {encoding}: byte {byte} at offset {offset} "
                        "(line {line}) cannot be decoded; save the whole file in one encoding "
                        "(CSV UTF-8 is best)"
                    ),
                    {
                        "encoding": _label(encoding),
                        "byte": f"0x{bad:02X}",
                        "offset": offset + position,
                        "line": line,
                    },
                )
            offset += len(chunk)
            line += chunk.count(b"\n")
    except OSError:
        pass
    return Message(
        N_("the file is not valid {encoding}: {reason}"),
        {"encoding": _label(encoding), "reason": exc.reason},
    )


def _detect_delimiter(text: str) -> str:
    """The candidate that splits the header into the most known columns; the sniffer breaks ties."""
    lines = text.splitlines(keepends=True)
    head = "".join(lines[:50])[:16384]
    try:
        sniffed = csv.Sniffer().sniff(head, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ","
    header = lines[0] if lines else ""

    def score(delimiter: str) -> tuple[int, int, bool]:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        known = sum(normalise_header(c) in KNOWN_COLUMNS for c in cells)
        return known, len(cells), delimiter == sniffed

    best = max(_DELIMITERS, key=score)
    known = score(best)[0]
    pipe_known = sum(normalise_header(c) in KNOWN_COLUMNS for c in header.split("|"))
    if pipe_known > known:
        raise ImportFileError(
            "the columns are separated by '|', which is not supported (it separates PKD codes "
            "inside a cell): save the file with commas, semicolons or tabs between columns",
            code="import.delimiter",
        )
    return best


# --- XLSX --------------------------------------------------------------------------------


def _xlsx_rows(handle: IO[bytes]) -> tuple[Iterator[RawRow], list[Message]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if (problem := zip_problem(handle)) is not None:  # a decompression bomb is never opened
        raise ImportFileError(problem, code="import.xlsx_too_large")
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(
            "this is not a readable .xlsx workbook ({reason})",
            code="import.format",
            reason=str(exc),
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError("the workbook has no sheets", code="import.no_sheets")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        cells = sheet.iter_rows(values_only=True)
        first = next(cells, None)
        if first is None:
            raise ImportFileError("the first sheet is empty", code="import.empty")
        header = read_header([_cell_text(v) for v in first])
        others = [ws.title for ws in workbook.worksheets[1:]]
    except BaseException:
        workbook.close()
        raise
    if others:
        header.notes.append(
            Message(
                N_("only the first sheet ({sheet}) was read; other sheets ignored: {names}"),
                {"sheet": sheet.title, "names": ", ".join(others)},
            )
        )
    return _xlsx_records(workbook, cells, header.names), header.notes


def _xlsx_records(
    workbook: Any, cells: Iterable[tuple[Any, ...]], names: list[str]
) -> Iterator[RawRow]:
    width = len(names)
    try:
        for row, values in enumerate(cells, start=2):
            texts = [unneutralise(_cell_text(v)) for v in values]
            if not any(t.strip() for t in texts):
                continue
            extra = tuple(t for t in texts[width:] if t.strip())
            yield RawRow(row, dict(zip(names, texts, strict=False)), extra)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A cell as the text a user sees: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- JSON (the registry's own JSON export) ---------------------------------------------------


def _json_rows(handle: IO[bytes]) -> tuple[Iterator[RawRow], list[Message]]:
    """`{"items": [{column: value, …}, …]}` as the JSON export writes it; row n is item n."""
    try:
        document = json.loads(handle.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFileError(
            "this JSON file cannot be read: {reason}", code="import.json", reason=str(exc)[:200]
        ) from None
    items = document.get("items") if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFileError(
            "a JSON file must look like the export: an object whose 'items' lists the "
            "organisations, each with the export's column names",
            code="import.json",
        )
    if not items:
        raise ImportFileError("the file lists no organisations", code="import.no_rows")
    keys = list(items[0])
    header = read_header(keys)
    return _json_records(items, keys, header.names), header.notes


def _json_records(
    items: list[dict[str, Any]], keys: list[str], names: list[str]
) -> Iterator[RawRow]:
    for row, item in enumerate(items, start=1):
        texts = [_cell_text(item.get(key)) for key in keys]
        if not any(t.strip() for t in texts):
            continue
        extra = tuple(
            _cell_text(v) for k, v in item.items() if k not in keys and v not in ("", None)
        )
        yield RawRow(row, dict(zip(names, texts, strict=False)), extra)
