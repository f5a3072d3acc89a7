"""What an import did, row by row and in one line: the report shown after an import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from upland.organisations.imports.validate import RowError

MAX_STORED_ERRORS = 1000


@dataclass
class ImportReport:
    """What an import did (or, in a dry run or a refused all-or-nothing import, would do)."""

    mode: str
    dry_run: bool
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    error_count: int = 0
    invalid_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # parts of the file not read, and why
    written: bool = False  # the import was carried out (not a dry run, not refused)
    max_errors: int = MAX_STORED_ERRORS

    def add(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < self.max_errors:
                self.errors.append(error)

    @property
    def summary(self) -> str:
        """One line for people: what happened and what to do next."""
        counts = (
            f"{self.rows_total} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.skipped} skipped; "
            f"{self.error_count} errors in {self.invalid_rows} rows"
        )
        if self.dry_run:
            return f"Dry run ({self.mode}), nothing written. Would import {counts}."
        if self.mode == "all_or_nothing" and self.invalid_rows:
            return (
                f"Nothing imported: {self.invalid_rows} of {self.rows_total} rows have errors "
                f"({self.error_count} errors); fix them and import the file again."
            )
        return f"Imported {counts}."

    def as_text(self) -> str:
        """Notes on what was not read, the row-level report (row, column, value, message),
        then the summary line."""
        lines = [f"note: {note}" for note in self.notes]
        lines.append("row\tcolumn\tvalue\tmessage")
        for error in self.errors:
            value = "".join(c if c.isprintable() else " " for c in error.value)
            lines.append(f"{error.row}\t{error.column}\t{value}\t{error.message}")
        if self.error_count > len(self.errors):
            lines.append(f"… and {self.error_count - len(self.errors)} more errors not listed")
        lines.append(self.summary)
        return "\n".join(lines) + "\n"
