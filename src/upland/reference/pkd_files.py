"""Read an official GUS PKD file, whichever it is, and load the copies shipped with Upland.

Two inputs are understood: the PKD 2025 structure workbook (`pkd_structure`) and the PKD 2007
↔ 2025 key (`pkd_key`). Pure (no database, no web), so ``build_data`` and the
``upland import classification pkd FILE`` command share one strict reading of the files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path

from upland.reference.pkd_codes import (
    VERSIONS,
    PkdCorrespondence,
    PkdEntry,
    PkdFile,
    order_key,
    read_head,
)
from upland.reference.pkd_key import read_key_csv
from upland.reference.pkd_structure import is_workbook, read_structure_xls


def read_pkd_file(path: str | Path) -> PkdFile:
    """Read whichever GUS file this is, judged by content rather than the file name."""
    path = Path(path)
    if is_workbook(read_head(path)):
        entries = read_structure_xls(path)
        return PkdFile("structure", entries[0].version, tuple(entries))
    entries, mapping = read_key_csv(path)
    return PkdFile("key", 2007, tuple(entries), tuple(mapping))


# ------------------------------------------------------------------------- shipped data

_SHIPPED_PACKAGE = "upland.data.pkd"


def shipped_filename(version: int) -> str:
    if version not in VERSIONS:
        raise ValueError(f"PKD version must be one of {VERSIONS}, got {version!r}")
    return f"pkd{version}.csv"


def load_shipped(version: int) -> list[PkdEntry]:
    """The PKD entries shipped with Upland, so it runs without the GUS files."""
    return [
        PkdEntry(
            version=version,
            code=row["code"],
            level=int(row["level"]),
            section=row["section"],
            name_pl=row["name_pl"],
            name_en=row["name_en"],
            parent=row["parent"] or None,
        )
        for row in _shipped_rows(shipped_filename(version))
    ]


def load_shipped_correspondence() -> list[PkdCorrespondence]:
    """The shipped PKD 2007 → 2025 key rows."""
    return [
        PkdCorrespondence(row["code_2007"], row["code_2025"])
        for row in _shipped_rows("pkd_2007_2025.csv")
    ]


def _shipped_rows(name: str) -> list[dict[str, str]]:
    text = (resources.files(_SHIPPED_PACKAGE) / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def iter_rows(entries: Sequence[PkdEntry]) -> Iterator[list[str]]:
    """Rows of the shipped CSV format (header first), in classification order."""
    yield ["code", "level", "section", "parent", "name_pl", "name_en"]
    for e in sorted(entries, key=order_key):
        yield [e.code, str(e.level), e.section, e.parent or "", e.name_pl, e.name_en]
