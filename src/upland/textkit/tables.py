"""The two-column tables shipped in `upland/data/textkit/` (tab-separated, a line starting
with '#' is a note): lemma overrides, the trades' glossary, capabilities' everyday names."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=8)
def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """Each row of `data/textkit/<name>` as its two columns, stripped, in file order."""
    path = resources.files("upland") / "data" / "textkit" / name
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            left, right = line.split("\t")
            rows.append((left.strip(), right.strip()))
    return tuple(rows)
