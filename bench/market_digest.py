"""Notification digests for 10 000 people with saved searches; same as `upland bench
market-digest`."""

from __future__ import annotations

import argparse
from pathlib import Path

from upland.bench.market_digest import USERS, main

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=USERS, help="people with saved searches")
    parser.add_argument(
        "--database-url", help="also run against this PostgreSQL URL (postgresql+psycopg://…)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    parser.add_argument("--markdown", type=Path, help="write the tables into this file's sections")
    args = parser.parse_args()
    main(rows=args.rows, database_url=args.database_url, quiet=args.quiet, markdown=args.markdown)
