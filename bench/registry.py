"""Registry list/search latency with 100 000 organisations; same as `upland bench registry`."""

from __future__ import annotations

import argparse
from pathlib import Path

from upland.bench.registry import REPEAT, ROWS, main

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS, help="organisations to generate")
    parser.add_argument(
        "--database-url", help="also run against this PostgreSQL URL (postgresql+psycopg://…)"
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="repetitions per figure")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    parser.add_argument("--markdown", type=Path, help="write the tables into this file's sections")
    parser.add_argument(
        "--postgresql-only", action="store_true", help="leave SQLite out (needs --database-url)"
    )
    args = parser.parse_args()
    main(
        rows=args.rows,
        database_url=args.database_url,
        quiet=args.quiet,
        repeat=args.repeat,
        markdown=args.markdown,
        postgresql_only=args.postgresql_only,
    )
