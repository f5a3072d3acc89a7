"""Matching index at 10 000 and 100 000 items (1 000 000 with --rows); same as
`upland bench matching`."""

from __future__ import annotations

import argparse
from pathlib import Path

from upland.bench.matching import REPEAT, main

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, help="one corpus size instead of 10 000 and 100 000")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="queries per latency figure")
    parser.add_argument("--dense-only", action="store_true", help="no BM25 side (a quicker run)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    parser.add_argument("--markdown", type=Path, help="write the table into this file's section")
    args = parser.parse_args()
    main(
        rows=args.rows,
        quiet=args.quiet,
        repeat=args.repeat,
        markdown=args.markdown,
        dense_only=args.dense_only,
    )
