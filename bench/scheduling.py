"""B2B meeting schedules of three generated events; same as `upland bench scheduling`."""

from __future__ import annotations

import argparse

from upland.bench.scheduling import SIZES, main

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), help="one size (default: all three)")
    parser.add_argument("--time-limit", type=float, help="the solver's seconds")
    arguments = parser.parse_args()
    main(size=arguments.size, time_limit=arguments.time_limit)
