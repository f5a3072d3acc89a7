"""Network metrics on generated graphs against networkx; same as `upland bench network`."""

from __future__ import annotations

import argparse
from pathlib import Path

from upland.bench.network import SIZES, main

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), help="one size (default: 10k and 100k)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    parser.add_argument("--markdown", type=Path, help="write the table into this file's section")
    args = parser.parse_args()
    main(size=args.size, quiet=args.quiet, markdown=args.markdown)
