"""Import benchmark: `python bench/import.py [--rows N] [--database-url URL] [--quiet]`.

The same as `upland bench import`, plus `--memory-rows M` for a second, bigger SQLite import
that only reports its time and peak memory. See src/upland/bench/imports.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from upland.bench.imports import DEFAULT_ROWS, main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=None, help=f"organisations to import (default {DEFAULT_ROWS})"
    )
    parser.add_argument(
        "--database-url", default=None, help="also run on PostgreSQL (postgresql+psycopg://…)"
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    parser.add_argument(
        "--memory-rows",
        type=int,
        default=None,
        help="also import this many rows in a child process and report its peak RSS",
    )
    parser.add_argument("--markdown", type=Path, help="write the figures into this file's section")
    return parser.parse_args()


if __name__ == "__main__":
    args = parse_args()
    main(
        rows=args.rows,
        database_url=args.database_url,
        quiet=args.quiet,
        memory_rows=args.memory_rows,
        markdown=args.markdown,
    )
