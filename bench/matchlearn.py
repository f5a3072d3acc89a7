"""Feedback lookups per query and learning weights; same as `upland bench matchlearn`."""

from __future__ import annotations

import argparse

from upland.bench.matchlearn import ROWS, main

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS, help="verdicts of the organisation")
    args = parser.parse_args()
    main(rows=args.rows)
