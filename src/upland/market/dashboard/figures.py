"""The marketplace dashboard's figures, as pure functions over plain rows.

Opportunities are counted from `Tally` rows (one per period, kind, status, partner area and
owner, with how many of them the reader sees whole); interests, introductions and outcomes from
the rows of `engagement`. Nothing here reads the database or the clock.

Who cannot see every row behind a figure (a city officer: expired, withdrawn or waiting
opportunities of their area are not theirs to see) gets aggregates only: every cell under
`MIN_CELL` organisations is hidden, with its complements (`upland.small_cells.suppress`), and
the breakdowns over time shrink to one total per period, so no table lets a hidden cell be
recovered by subtraction. Months, quarters and years are calendar periods in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from upland.small_cells import suppress

# The letter of intent was signed on 19 March 2018: the dashboard's time runs from that month.
START = dt.date(2018, 3, 1)
OUTSIDE = "outside"


class Grain(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"  # a city's part of the cluster: quarters of fewer than 5 firms are hidden


@dataclass(frozen=True)
class Tally:
    """How many opportunities share a period (year, month), kind, status, partner area
    (`OUTSIDE` for none), owner and whether they were ever published or are live now; `seen`
    of them the reader sees whole."""

    year: int
    month: int
    kind: str
    status: str
    area: str
    owner_id: int
    published: bool
    live: bool
    count: int
    seen: int


@dataclass(frozen=True)
class Cell:
    """One bar or table cell: `count` is None when suppressed. `label` is a msgid unless
    `proper` (a city's name, shown as it is)."""

    key: str
    label: str
    count: int | None
    proper: bool = False

    @property
    def suppressed(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class Group:
    """What one cell gathers: opportunities, their owners, and the owners of those the reader
    does not see (what subtracting the visible list from the figure would reveal)."""

    count: int = 0
    owners: frozenset[int] = frozenset()
    unseen_owners: frozenset[int] = frozenset()

    def add(self, tally: Tally) -> Group:
        unseen = {tally.owner_id} if tally.seen < tally.count else set()
        return Group(
            self.count + tally.count,
            self.owners | {tally.owner_id},
            self.unseen_owners | unseen,
        )


def period_of(year: int, month: int, grain: Grain) -> str:
    """`2018-03` for a month, `2018-Q1` for a quarter, `2018` for a year."""
    if grain == Grain.YEAR:
        return str(year)
    if grain == Grain.QUARTER:
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


def periods(since: dt.date, until: dt.date, grain: Grain) -> list[str]:
    """Every period from the one holding `since` to the one holding `until`, oldest first."""
    found: list[str] = []
    year, month = since.year, since.month
    while (year, month) <= (until.year, until.month):
        name = period_of(year, month, grain)
        if not found or found[-1] != name:
            found.append(name)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def slot(period: str, span: list[str]) -> str:
    """The period of `span` a period falls in: earlier ones count in the first, later ones in
    the last (periods of one grain sort as text)."""
    if not span:
        return period
    return min(max(period, span[0]), span[-1])


def _grouped(tallies: Iterable[Tally], key: str) -> dict[str, Group]:
    groups: dict[str, Group] = defaultdict(Group)
    for t in tallies:
        value = getattr(t, key)
        groups[value] = groups[value].add(t)
    return groups


def cells_of(
    keys: Sequence[str],
    labels: dict[str, str],
    groups: dict[str, Group],
    hide: bool,
    proper: Iterable[str] = (),
) -> list[Cell]:
    """A chart's cells in `keys` order; with `hide`, small ones suppressed (the total shown)."""
    raw = [groups.get(k, Group()) for k in keys]
    counts: list[int | None] = [g.count for g in raw]
    if hide:
        owners = [len(g.owners) for g in raw]
        unseen = [len(g.unseen_owners) for g in raw]
        kept = suppress(owners, total_known=True, unlisted=unseen)
        counts = [None if k is None else g.count for k, g in zip(kept, raw, strict=True)]
    names = set(proper)
    return [Cell(k, labels.get(k, k), n, k in names) for k, n in zip(keys, counts, strict=True)]


def single(group: Group, hide: bool) -> int | None:
    """One key number, hidden like a cell of its own."""
    if not hide:
        return group.count
    kept = suppress([len(group.owners)], False, [len(group.unseen_owners)])
    return None if kept[0] is None else group.count


def total(tallies: Iterable[Tally]) -> Group:
    group = Group()
    for t in tallies:
        group = group.add(t)
    return group


@dataclass(frozen=True)
class Series:
    """A breakdown over time: one row per period, one column per group (`columns`), with the
    period's total; `rows[i][j]` is the cell of period i and column j."""

    periods: list[str]
    columns: list[Cell]  # the column headings (their counts: the column totals)
    rows: list[list[Cell]]
    totals: list[Cell]  # per period

    @property
    def biggest(self) -> int:
        return max((c.count for c in self.totals if c.count is not None), default=0)


def series(
    tallies: Sequence[Tally],
    grain: Grain,
    span: list[str],
    key: str,
    columns: list[Cell],
    hide: bool,
) -> Series:
    """Opportunities per period and per `key` (kind, status, area). With `hide`, only the
    per-period totals are kept (suppressed like any chart), the columns left out."""
    by_period: dict[str, list[Tally]] = defaultdict(list)
    for t in tallies:
        by_period[slot(period_of(t.year, t.month, grain), span)].append(t)
    per_period = {p: total(by_period.get(p, [])) for p in span}
    totals = cells_of(span, {}, per_period, hide)
    if hide:
        return Series(span, [], [[] for _ in span], totals)
    keys = [c.key for c in columns]
    rows = [
        cells_of(
            keys, {c.key: c.label for c in columns}, _grouped(by_period.get(p, []), key), False
        )
        for p in span
    ]
    return Series(span, columns, rows, totals)


@dataclass(frozen=True)
class Opportunities:
    """The dashboard's opportunity figures for one reader."""

    put_forward: int | None  # every opportunity submitted (drafts are their owners' own)
    published: int | None  # ever published
    live: int | None  # published and unexpired today
    owners: int | None  # organisations behind them
    by_kind: list[Cell]
    by_status: list[Cell]
    by_area: list[Cell]
    over_time: dict[str, Series]  # "kind", "status", "area": put forward per period
    published_over_time: Series  # by the period of publication, per kind
    hidden: bool  # whether small cells were suppressed


def opportunity_figures(
    tallies: Sequence[Tally],
    *,
    grain: Grain,
    span: list[str],
    kinds: dict[str, str],
    statuses: dict[str, str],
    areas: dict[str, str],
    proper_areas: Iterable[str],
    hide: bool,
) -> Opportunities:
    """Every opportunity figure from the tallies; `kinds`, `statuses` and `areas` map the keys
    shown, in order, to their labels."""
    everything = total(tallies)
    owners = Group(len(everything.owners), everything.owners, everything.unseen_owners)
    published = [t for t in tallies if t.published]
    by_kind = cells_of(list(kinds), kinds, _grouped(tallies, "kind"), hide)
    by_status = cells_of(list(statuses), statuses, _grouped(tallies, "status"), hide)
    by_area = cells_of(list(areas), areas, _grouped(tallies, "area"), hide, proper_areas)
    return Opportunities(
        put_forward=single(everything, hide),
        published=single(total(published), hide),
        live=single(total(t for t in tallies if t.live), hide),
        owners=single(owners, hide),
        by_kind=by_kind,
        by_status=by_status,
        by_area=by_area,
        over_time={
            "kind": series(tallies, grain, span, "kind", by_kind, hide),
            "status": series(tallies, grain, span, "status", by_status, hide),
            "area": series(tallies, grain, span, "area", by_area, hide),
        },
        published_over_time=series(published, grain, span, "kind", by_kind, hide),
        hidden=hide,
    )
