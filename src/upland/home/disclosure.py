"""Statistical disclosure control for figures shown to people who cannot see every row.

The figures are one-way tables (members by partner area, by sector; the registry as members plus
non-members), each with a total, some totals shared between tables. A reader also knows, for
every cell, how many of its organisations the public list shows (`listed`): they can count them.
What they must never learn is anything about the organisations they cannot see in small numbers.

Each figure is published at one of three levels, decided by `protect`:

* **exact** — a count of 0 or at least `MIN_CELL`, whose unlisted part (count − listed) is 0 or
  at least `MIN_CELL`;
* **rounded** — a count of at least `MIN_CELL` whose unlisted part is 1–4, published rounded to
  the nearest multiple of `BASE` ("≈20": the true count lies within ±2 of it);
* **hidden** — a count of 1–4 (never published, not even rounded), or a complementary cell.

Then the whole publication is **audited** as an attacker would read it (`ranges`): every cell's
possible values are narrowed from its published level, its listed count (a lower bound), the
rule that a rounded figure is at least `MIN_CELL`, and every table's sum (interval propagation,
exact here because the tables share at most one figure and form no cycle). A publication is safe
when, for every cell, total and sum of not-exactly-shown cells of a table:

1. its count cannot be narrowed into 1–4 (a small cell stays hidden, even when the list shows
   all of its organisations: that there are no more of them is not the list's to tell), and
2. its unlisted part cannot be narrowed into 1–4 (nothing about a few unseen organisations).

While the audit finds an exposure, the table where it lies gives up detail, least first: round
its smallest exactly shown cell, then round its total, then hide its smallest rounded cell, then
hide its total (complementary rounding, then complementary suppression). Everything hidden is
always safe (every range is open above), so this ends. Last, every figure (totals first, then
the biggest cells) gets back the most detail it may have that keeps the audit clean, undoing
steps that turned out not to be needed. Small categories are best combined
before this runs (the caller folds sectors under `MIN_CELL` into "other"), so that fewer cells
need protecting in the first place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from upland.small_cells import MIN_CELL as MIN_CELL  # one threshold for every figure

BASE = 5
UNBOUNDED = 10**12


class Level(StrEnum):
    EXACT = "exact"
    ROUNDED = "rounded"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class Table:
    """`total` is the sum of `cells` (keys of figures)."""

    total: str
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Shown:
    """A figure as published: its level and value (rounded when ROUNDED, None when HIDDEN)."""

    level: Level
    value: int | None

    @property
    def approximate(self) -> bool:
        return self.level is Level.ROUNDED


Range = tuple[int, int]


def rounded(count: int) -> int:
    """To the nearest multiple of BASE, halves up (12 → 10, 13 → 15)."""
    return (count + BASE // 2) // BASE * BASE


def _small(n: int) -> bool:
    return 0 < n < MIN_CELL


def first_level(count: int, listed: int) -> Level:
    """A figure's level by itself, before any complementary protection: hidden when it is
    small, or when even rounded it would give a small unlisted part away (5 of which 4 listed:
    "≈5" means 5 to 7, so 1 to 3 unlisted)."""
    if _small(count):
        return Level.HIDDEN
    if not _small(count - listed):
        return Level.EXACT
    alone = _box(shown(Level.ROUNDED, count), listed)
    return Level.HIDDEN if _exposed(alone, listed) else Level.ROUNDED


def shown(level: Level, count: int) -> Shown:
    if level is Level.EXACT:
        return Shown(level, count)
    return Shown(level, rounded(count) if level is Level.ROUNDED else None)


def _box(figure: Shown, listed: int) -> Range:
    """What a reader knows of one figure by itself."""
    if figure.level is Level.EXACT:
        return (int(figure.value or 0), int(figure.value or 0))
    if figure.level is Level.ROUNDED:
        value = int(figure.value or 0)
        return (max(listed, value - BASE // 2, MIN_CELL), value + BASE // 2)
    return (listed, UNBOUNDED)


def _sum_range(total: Range, parts: Sequence[Range], others: Sequence[Range]) -> Range:
    """The range of the sum of `parts`, knowing the table's `total` and its `others` cells."""
    low = max(sum(p[0] for p in parts), total[0] - sum(o[1] for o in others))
    high = min(sum(p[1] for p in parts), total[1] - sum(o[0] for o in others))
    return (low, min(high, UNBOUNDED))


def ranges(
    published: Mapping[str, Shown], listed: Mapping[str, int], tables: Iterable[Table]
) -> dict[str, Range]:
    """Every figure's possible values to a reader who sees `published` and counts the public
    list, narrowed through the tables' sums until nothing changes."""
    tables = list(tables)
    known = {key: _box(figure, listed.get(key, 0)) for key, figure in published.items()}
    changed = True
    while changed:
        changed = False
        for table in tables:
            cells = [known[c] for c in table.cells]
            found = {
                table.total: _sum_range(known[table.total], cells, ()),
                **{
                    c: _sum_range(known[table.total], [cells[i]], cells[:i] + cells[i + 1 :])
                    for i, c in enumerate(table.cells)
                },
            }
            for key, (low, high) in found.items():
                if (low, high) != known[key]:
                    known[key] = (max(low, known[key][0]), min(high, known[key][1]))
                    changed = True
    return known


def _exposed(bounds: Range, listed: int) -> bool:
    low, high = bounds
    unlisted_small = low - listed >= 1 and high - listed < MIN_CELL
    count_small = low >= 1 and high < MIN_CELL
    return unlisted_small or count_small


def exposures(
    counts: Mapping[str, int],
    listed: Mapping[str, int],
    tables: Sequence[Table],
    published: Mapping[str, Shown],
) -> list[tuple[int, str]]:
    """What a reader could narrow into 1–4 (see the module's rules): (index of the table where
    it lies, a description), first the totals, then each table's cells and their sums."""
    known = ranges(published, listed, tables)
    found: list[tuple[int, str]] = []
    homes: dict[str, int] = {}
    for i, table in enumerate(tables):
        homes.setdefault(table.total, i)
        for cell in table.cells:
            homes.setdefault(cell, i)
    for key, bounds in known.items():
        if _exposed(bounds, listed.get(key, 0)):
            found.append((homes.get(key, 0), key))
    for i, table in enumerate(tables):
        loose = [c for c in table.cells if published[c].level is not Level.EXACT]
        for mask in range(1, 1 << len(loose)):
            group = [c for bit, c in enumerate(loose) if mask >> bit & 1]
            if len(group) < 2:
                continue  # single cells were checked above
            others = [known[c] for c in table.cells if c not in group]
            bounds = _sum_range(known[table.total], [known[c] for c in group], others)
            if _exposed(bounds, sum(listed.get(c, 0) for c in group)):
                found.append((i, "+".join(group)))
    return found


def _steps(
    table: Table, levels: Mapping[str, Level], counts: Mapping[str, int], fixed: set[str]
) -> list[tuple[str, Level]]:
    """The ways `table` can give up detail, least loss first: round a cell shown exactly
    (smallest first), round the total, hide a rounded cell (smallest first), hide the total."""
    own = [c for c in table.cells if c not in fixed]
    exact = sorted((counts[c], c) for c in own if levels[c] is Level.EXACT and counts[c] > 0)
    approximate = sorted((counts[c], c) for c in own if levels[c] is Level.ROUNDED)
    total = levels[table.total]
    return [
        *((c, Level.ROUNDED) for _, c in exact if counts[c] >= MIN_CELL),
        *([(table.total, Level.ROUNDED)] if total is Level.EXACT and counts[table.total] else []),
        *((c, Level.HIDDEN) for _, c in approximate),
        *((c, Level.HIDDEN) for _, c in exact if counts[c] < MIN_CELL),
        *([(table.total, Level.HIDDEN)] if total is not Level.HIDDEN else []),
    ]


def protect(
    counts: Mapping[str, int],
    listed: Mapping[str, int],
    tables: Sequence[Table],
    unpublished: Iterable[str] = (),
) -> dict[str, Shown]:
    """How to publish every figure of `tables` (the module's rule); `unpublished` figures are
    never shown (they count only through the sums). A figure that is the total of one table and
    a cell of another (members, in the registry's table) gives up detail as a total."""
    never = set(unpublished)
    first = {
        key: Level.HIDDEN if key in never else first_level(n, listed.get(key, 0))
        for key, n in counts.items()
    }
    levels = dict(first)
    totals = {t.total for t in tables}

    def publish(chosen: Mapping[str, Level]) -> dict[str, Shown]:
        return {key: shown(chosen[key], n) for key, n in counts.items()}

    found = exposures(counts, listed, tables, publish(levels))
    while found:
        # Where the exposures lie first, then every other table: the least loss that helps, or
        # when no single step helps, the least loss.
        homes = [*dict.fromkeys(i for i, _ in found), *range(len(tables))]
        steps = [
            step for i in dict.fromkeys(homes) for step in _steps(tables[i], levels, counts, totals)
        ]
        if not steps:  # not reached: everything hidden leaves every range open above
            return {key: Shown(Level.HIDDEN, None) for key in counts}
        tried = []
        for key, level in steps:
            trial = {**levels, key: level}
            left = exposures(counts, listed, tables, publish(trial))
            tried.append((trial, left))
            if len(left) < len(found):
                break
        levels, found = next(((t, f) for t, f in tried if len(f) < len(found)), tried[0])
    # Then give back what the steps took without need (a cell rounded in vain, say): totals
    # first, then the biggest cells, each as detailed as it may be while nothing comes out.
    order = sorted(counts, key=lambda k: (k not in totals, -counts[k], k))
    for key in order:
        for better in (Level.EXACT, Level.ROUNDED):
            if _DETAIL[better] <= _DETAIL[levels[key]] or _DETAIL[better] > _DETAIL[first[key]]:
                continue
            trial = {**levels, key: better}
            if not exposures(counts, listed, tables, publish(trial)):
                levels = trial
                break
    return publish(levels)


_DETAIL = {Level.HIDDEN: 0, Level.ROUNDED: 1, Level.EXACT: 2}
