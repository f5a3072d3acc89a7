"""Regenerate the shipped PKD tables from the official GUS files.

    python -m upland.reference.build_data StrukturaPKD2025.xls KluczePKD_2007_2025_pop.csv

Writes ``pkd2025.csv``, ``pkd2007.csv`` and ``pkd_2007_2025.csv`` into ``upland/data/pkd``
so the platform works without the GUS files. English names come from the committed
``names_en.csv`` (the GUS files are Polish only), PKD 2025 groups and classes not named there from
NACE Rev. 2.1 (python-stdnum). Output is deterministic: rerunning on
the same inputs gives byte-identical files, which the tests check.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from stdnum.eu import nace

from upland.reference.pkd_codes import VERSIONS, PkdCorrespondence, PkdEntry, PkdFileError
from upland.reference.pkd_files import iter_rows, shipped_filename
from upland.reference.pkd_key import read_key_csv
from upland.reference.pkd_structure import read_structure_xls

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "pkd"
NAMES_EN = "names_en.csv"
CORRESPONDENCE = "pkd_2007_2025.csv"


def read_names_en(path: Path) -> dict[tuple[int, str], str]:
    """(version, code) → English title, from the committed ``names_en.csv``."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (int(row["version"]), row["code"]): row["name_en"].strip()
            for row in csv.DictReader(handle)
            if row["name_en"].strip()
        }


def merge_names_en(
    entries: Sequence[PkdEntry], names: dict[tuple[int, str], str]
) -> list[PkdEntry]:
    """Attach English titles; an "xx.yy.Z" subclass equals its class, so it inherits the name."""
    merged = []
    for entry in entries:
        name = names.get((entry.version, entry.code), "")
        if not name and entry.level == 5 and entry.code.endswith(".Z"):
            name = names.get((entry.version, entry.code[:5]), "")
        if (
            not name
            and entry.version == 2025
            and (entry.level in (3, 4) or entry.code[-2:] == ".Z")
        ):
            name = _nace21_label(entry.code[:5])
        merged.append(dataclasses.replace(entry, name_en=name))
    return merged


def _nace21_label(code: str) -> str:
    """PKD 2025 groups and classes are NACE Rev. 2.1 ones: python-stdnum ships their English
    titles."""
    return str(nace.info(code.replace(".", ""), revision="2.1").get("label", ""))


def build_tables(
    structure_path: Path, key_path: Path, names_path: Path = DATA_DIR / NAMES_EN
) -> dict[str, str]:
    """File name → CSV text of every shipped table, checked for consistency."""
    by_version = {2025: read_structure_xls(structure_path)}
    if by_version[2025][0].version != 2025:
        raise PkdFileError("not the PKD 2025 structure", source=structure_path.name)
    by_version[2007], mapping = read_key_csv(key_path)

    codes = {v: {e.code for e in entries} for v, entries in by_version.items()}
    names = read_names_en(names_path)
    unknown = sorted(f"{v} {c}" for v, c in names if c not in codes.get(v, set()))
    if unknown:
        raise ValueError(f"{names_path.name} names codes absent from the GUS files: {unknown}")
    _check_mapping(mapping, codes, key_path.name)

    tables = {
        shipped_filename(v): _csv_text(iter_rows(merge_names_en(by_version[v], names)))
        for v in VERSIONS
    }
    tables[CORRESPONDENCE] = _csv_text(
        [["code_2007", "code_2025"], *([m.code_2007, m.code_2025] for m in mapping)]
    )
    return tables


def _check_mapping(
    mapping: Sequence[PkdCorrespondence], codes: dict[int, set[str]], source: str
) -> None:
    for row in mapping:
        for version, code in ((2007, row.code_2007), (2025, row.code_2025)):
            if code not in codes[version]:
                raise PkdFileError(f"key maps to unknown PKD {version} code {code}", source=source)


def _csv_text(rows: Iterable[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("structure", type=Path, help="StrukturaPKD2025.xls")
    parser.add_argument("key", type=Path, help="KluczePKD_2007_2025_pop.csv")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output directory")
    parser.add_argument("--names", type=Path, default=DATA_DIR / NAMES_EN, help="English names")
    args = parser.parse_args(argv)
    try:
        tables = build_tables(args.structure, args.key, args.names)
    except (PkdFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for name, text in tables.items():
        (args.out / name).write_text(text, encoding="utf-8", newline="")
        print(f"{name}: {text.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
