"""What an import did, row by row and in one line: the report shown after an import."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from upland.i18n import N_, Message, plural_message
from upland.organisations.imports.rows import RowError

MODES = {"valid_only": N_("valid rows only"), "all_or_nothing": N_("all or nothing")}

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
    notes: list[Message] = field(default_factory=list)  # parts of the file not read, and why
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
        return self.summary_message.english()

    @property
    def summary_message(self) -> Message:
        """The summary as a message, for pages in their own language."""
        counts = Message(
            N_(
                "{rows}: {created} created, {updated} updated, {unchanged} unchanged, "
                "{skipped} skipped; {errors} {invalid}"
            ),
            {
                "rows": plural_message("{n} row", "{n} rows", n=self.rows_total),
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "skipped": self.skipped,
                "errors": plural_message("{n} error", "{n} errors", n=self.error_count),
                "invalid": plural_message("in {n} row", "in {n} rows", n=self.invalid_rows),
            },
        )
        if self.dry_run:
            mode = Message(MODES[self.mode]) if self.mode in MODES else self.mode
            return Message(
                N_("Dry run ({mode}), nothing written. Would import {counts}."),
                {"mode": mode, "counts": counts},
            )
        if self.mode == "all_or_nothing" and self.invalid_rows:
            return plural_message(
                "Nothing imported: {invalid} of {n} row has errors ({errors}); fix them and "
                "import the file again.",
                "Nothing imported: {invalid} of {n} rows have errors ({errors}); fix them and "
                "import the file again.",
                invalid=self.invalid_rows,
                n=self.rows_total,
                errors=plural_message("{n} error", "{n} errors", n=self.error_count),
            )
        if not (self.created or self.updated):
            return Message(N_("Nothing written: {counts}."), {"counts": counts})
        return Message(N_("Imported {counts}."), {"counts": counts})

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
