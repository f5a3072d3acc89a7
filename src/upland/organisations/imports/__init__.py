"""Bulk import of organisations from CSV or XLSX files (format: docs/import-format.md).

`reader.read_rows` streams a file's rows, `validate.RowValidator` checks them against the
reference data in memory, and `service.import_organisations` matches and writes them.
"""

from upland.organisations.imports.reader import ImportFileError, RawRow, read_rows
from upland.organisations.imports.report import ImportReport
from upland.organisations.imports.service import import_file, import_organisations
from upland.organisations.imports.validate import (
    ImportLookups,
    RowError,
    RowValidator,
    ValidRow,
    validate_row,
)

__all__ = [
    "ImportFileError",
    "ImportLookups",
    "ImportReport",
    "RawRow",
    "RowError",
    "RowValidator",
    "ValidRow",
    "import_file",
    "import_organisations",
    "read_rows",
    "validate_row",
]
