"""What the validator hands on: the problems of a row, or the row parsed for the writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from upland.i18n import Message
from upland.organisations.imports.lookups import PkdRef


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong with one cell (column '' when it is the row as a whole)."""

    row: int
    column: str
    value: str
    said: Message

    @property
    def message(self) -> str:
        return self.said.english()


@dataclass(slots=True)
class ValidRow:
    """A row that passed every check, in the shape the writer needs.

    `fields` holds only the organisation columns the row gives (parsed, ready for the
    database), so a re-import leaves the columns it leaves empty as they are.
    `pkd` and `capabilities` are None when their cell is empty.
    """

    row: int
    fields: dict[str, Any]
    teryt: str
    address: dict[str, str]
    pkd: tuple[PkdRef, ...] | None = None
    capabilities: tuple[int, ...] | None = None
    contact: dict[str, str] | None = None
    nip: str | None = None
    regon: str | None = None
