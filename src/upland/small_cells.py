"""Small cells hidden: figures shown to people who cannot see the rows behind them.

DOMAIN.md ("Who sees what"): such figures are aggregates only, with every cell under
`MIN_CELL` organisations suppressed, so no single organisation can be identified. One rule for
every area's figures (the public home page, the marketplace dashboard, later the indicators).
"""

from __future__ import annotations

MIN_CELL = 5


def is_small(n: int) -> bool:
    return 0 < n < MIN_CELL


def suppress(
    counts: list[int], total_known: bool, unlisted: list[int] | None = None
) -> list[int | None]:
    """Cells under MIN_CELL hidden. When the total is shown, the hidden cells together must not
    be recoverable as one small number or as a single cell: then the next smallest cells are
    hidden too.

    `unlisted`: per cell, how many of its organisations the public list does not show. Anyone
    can count the listed ones, so a shown cell reveals its unlisted part by subtraction: a
    cell whose unlisted part is small is hidden too, and so on for the hidden cells together."""
    parts = unlisted or [0] * len(counts)
    hidden = {i for i, n in enumerate(counts) if n < MIN_CELL or is_small(parts[i])}
    if total_known:
        shown = sorted((n, i) for i, n in enumerate(counts) if i not in hidden)
        while shown:
            hidden_sum = sum(counts[i] for i in hidden)
            lone = len([i for i in hidden if counts[i] > 0]) == 1
            hidden_part = sum(parts[i] for i in hidden)
            if not (is_small(hidden_sum) or lone or is_small(hidden_part)):
                break
            hidden.add(shown.pop(0)[1])
    return [None if i in hidden else n for i, n in enumerate(counts)]


# Fewer than MIN_CELL organisations hold at most (MIN_CELL-1)(MIN_CELL-2)/2 ties among them, so
# a count of ties above that always involves MIN_CELL organisations at least.
MIN_TIES = (MIN_CELL - 1) * (MIN_CELL - 2) // 2 + 1


def is_small_ties(n: int) -> bool:
    """A count of ties (pairs of organisations) that could come from fewer than MIN_CELL."""
    return 0 < n < MIN_TIES
