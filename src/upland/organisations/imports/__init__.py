"""Bulk import of organisations from CSV, XLSX or the JSON export (docs/import-format.md).

`reader.read_rows` streams a file's rows (its first row read by `header`),
`validate.RowValidator` checks them (the cell checkers of `checks`, built from
`organisations.columns`; the reference data of `lookups`), `service.import_organisations`
matches them to the registry and `writer` writes them with the bulk statements of `bulk`.
"""

from upland.organisations.imports.header import ImportFileError
from upland.organisations.imports.lookups import ImportLookups
from upland.organisations.imports.reader import RawRow, read_rows
from upland.organisations.imports.report import ImportReport
from upland.organisations.imports.rows import RowError, ValidRow
from upland.organisations.imports.service import import_file, import_organisations
from upland.organisations.imports.validate import RowValidator, validate_row

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
