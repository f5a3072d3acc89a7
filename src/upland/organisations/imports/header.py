"""The first row of an import file: which column each cell names (English or Polish, as the
export writes them), and what is wrong with a header that cannot be read; the error that
refuses a file as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from upland.errors import FieldError, Invalid
from upland.i18n import N_, Joined, Message, plural_message
from upland.organisations.imports.format import (
    COLUMNS,
    HEADER_ALIASES,
    IDENTIFIER_COLUMNS,
    KNOWN_COLUMNS,
    MAX_COLUMNS,
    REQUIRED_COLUMNS,
    STANDS_FOR,
    header_key,
)


class ImportFileError(Invalid):
    """The file as a whole cannot be imported (format, encoding or header); says why."""

    def __init__(self, message: str | Message, *, code: str = "import.file", **params: Any):
        super().__init__([FieldError("file", message, code=code, **params)])
        self.message = self.errors[0].message
        self.code = code

    def __str__(self) -> str:
        return self.message

    def render(self, language: str) -> str:
        return self.errors[0].msg.render(language)


@dataclass(slots=True)
class Header:
    names: list[str]
    notes: list[Message]


def normalise_header(name: str) -> str:
    """'Nazwa skrócona' -> 'short_name'; unknown names come back folded ('foo_bar')."""
    key = header_key(name)
    return HEADER_ALIASES.get(key, key)


def read_header(cells: list[str]) -> Header:
    """Map header cells to column names, or say exactly what is wrong with the header.

    Export-only columns are accepted and left unread (a note says so); a column that
    stands for another (the municipality name for `teryt`) is read as it only when the
    file lacks that column.
    """
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    if not cells:
        raise ImportFileError(
            "row 1 is empty: the first row must be the header with the column names "
            "({columns}, nip or regon, …)",
            code="import.header",
            columns=", ".join(REQUIRED_COLUMNS),
        )
    if len(cells) > MAX_COLUMNS:
        raise ImportFileError(
            plural_message(
                "the header has {n} column; at most {max} are allowed (known columns: {columns})",
                "the header has {n} columns; at most {max} are allowed (known columns: {columns})",
                n=len(cells),
                max=MAX_COLUMNS,
                columns=", ".join(COLUMNS),
            ),
            code="import.header",
        )
    names: list[str] = []
    unknown: list[Message] = []
    seen: dict[str, int] = {}
    duplicated: list[Message] = []
    for position, cell in enumerate(cells, start=1):
        if not cell.strip():
            raise ImportFileError(
                "column {n} has no name in the header (row 1)", code="import.header", n=position
            )
        name = normalise_header(cell)
        if name not in KNOWN_COLUMNS:
            unknown.append(
                Message(N_("{cell} (column {n})"), {"cell": repr(_shorten(cell)), "n": position})
            )
        elif name in seen:
            duplicated.append(
                Message(
                    N_("columns {a} and {b} both mean {name}"),
                    {"a": seen[name], "b": position, "name": repr(name)},
                )
            )
        else:
            seen[name] = position
        names.append(name)
    for name, target in STANDS_FOR.items():
        if name in seen and target not in seen:
            seen[target] = seen.pop(name)
            names[seen[target] - 1] = target
    problems: list[Message] = []
    if unknown:
        problems.append(
            plural_message(
                "unknown column {names}",
                "unknown columns {names}",
                n=len(unknown),
                names=Joined(tuple(unknown), ", "),
            )
        )
    if duplicated:
        problems.append(
            Message(N_("duplicated columns: {pairs}"), {"pairs": Joined(tuple(duplicated))})
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        problems.append(
            plural_message(
                "missing required column {names}",
                "missing required columns {names}",
                n=len(missing),
                names=", ".join(missing),
            )
        )
    if not any(c in seen for c in IDENTIFIER_COLUMNS):
        problems.append(
            Message(
                N_("missing column nip or regon (needed to recognise organisations on re-import)")
            )
        )
    if problems:
        raise ImportFileError(
            "{problems} (the first row must be the header; known columns: {columns})",
            code="import.header",
            problems=Joined(tuple(problems)),
            columns=", ".join(COLUMNS),
        )
    ignored = [name for name in seen if name not in COLUMNS]
    notes: list[Message] = []
    if ignored:
        notes.append(
            Message(
                N_("columns not imported (written by the export): {names}"),
                {"names": ", ".join(ignored)},
            )
        )
    return Header(names, notes)


def _shorten(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
