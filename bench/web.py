"""Requests/s and p50/p95 of the main pages against a bare app on the same SQL, with one and
with several worker processes; same as `upland bench web`."""

from __future__ import annotations

import argparse

from upland.bench.web import DURATION, ROWS, run

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=ROWS, help="organisations to generate")
    parser.add_argument("--seconds", type=float, default=DURATION, help="seconds per figure")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    args = parser.parse_args()
    run(args.rows, args.seconds, tuple(args.workers), args.quiet)
