"""Regenerate the shipped municipalities from GUS's official TERC file.

    python -m upland.reference.teryt_build TERC_Urzedowy_2020-01-01.csv

Writes ``upland/data/municipalities.csv``: every unit of the file (municipalities and their
parts, `teryt.KIND_NAMES`) with its county, voivodeship and NUTS 2 region, and the rounded
population figures kept in ``municipality_population.csv`` (TERC has none). The GUS file itself
stays out of the repository. Output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from upland.reference.teryt import TercFileError, TercUnit, iter_rows, read_terc

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
POPULATION = "municipality_population.csv"


def read_population(path: Path) -> dict[str, int]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["teryt"]: int(row["population"]) for row in csv.DictReader(handle)}


def build_table(terc_path: Path, population_path: Path = DATA_DIR / POPULATION) -> str:
    """The CSV text of the shipped table; a population for an unknown unit is an error."""
    units = read_terc(terc_path).units
    population = read_population(population_path)
    unknown = sorted(set(population) - {u.teryt for u in units})
    if unknown:
        raise ValueError(f"{population_path.name} names units absent from the file: {unknown}")
    with_population: list[TercUnit] = [
        dataclasses.replace(u, population=population.get(u.teryt)) for u in units
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(iter_rows(with_population))
    return buffer.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("terc", type=Path, help="TERC_Urzedowy_YYYY-MM-DD.csv")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "municipalities.csv")
    args = parser.parse_args(argv)
    try:
        text = build_table(args.terc)
    except (TercFileError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(text, encoding="utf-8", newline="")
    print(f"{args.out.name}: {text.count(chr(10)) - 1} units")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
