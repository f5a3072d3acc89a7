"""The disclosure rule of the public figures, checked against a brute-force reader.

The reader sees the published figures and counts the public list, and tries every true table
that agrees with both: whatever all those tables share is what the figures give away. No cell
of 1–4 may be published (not even rounded), every published figure must be true, and no cell,
group of cells or total may have its count or its unlisted part pinned within 1–4.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upland.home.disclosure import (
    BASE,
    MIN_CELL,
    Level,
    Shown,
    Table,
    exposures,
    first_level,
    protect,
    rounded,
    shown,
)

CAP_ABOVE = MIN_CELL + 1  # a hidden value this far above everything is "open above"


def _candidates(figure: Shown, listed: int, cap: int) -> list[int]:
    """The true values a reader finds possible for one figure by itself: the list shows
    `listed` of them, a rounded figure is at least MIN_CELL and rounds to what is shown."""
    if figure.level is Level.EXACT:
        return [int(figure.value or 0)]
    if figure.level is Level.ROUNDED:
        return [n for n in range(listed, cap + 1) if n >= MIN_CELL and rounded(n) == figure.value]
    return list(range(listed, cap + 1))


def _pinned_small(values: np.ndarray, listed: int) -> bool:
    low, high = int(values.min()), int(values.max())
    unlisted_small = low - listed >= 1 and high - listed < MIN_CELL
    count_small = low >= 1 and high < MIN_CELL
    return unlisted_small or count_small


def _grid(*candidates: list[int]) -> np.ndarray:
    """Every combination of the candidates, one row each."""
    mesh = np.meshgrid(*(np.array(c, dtype=np.int64) for c in candidates), indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1)


def _groups_pinned(
    grid: np.ndarray, counts: list[int], listed: list[int], name: str = ""
) -> list[str]:
    """The groups of the grid's columns (cells of one table) the rows pin within 1–4."""
    found = []
    for size in range(1, len(counts) + 1):
        for group in itertools.combinations(range(len(counts)), size):
            values = grid[:, list(group)].sum(axis=1)
            if _pinned_small(values, sum(listed[i] for i in group)):
                found.append(name + "+".join(map(str, group)))
    return found


def reader_finds(
    counts: list[int], listed: list[int], published: list[Shown], total: Shown
) -> list[str]:
    """Every group of cells (and the total) that a reader of one table pins within 1–4."""
    cap = sum(counts) + CAP_ABOVE
    grid = _grid(*(_candidates(f, n, cap) for f, n in zip(published, listed, strict=True)))
    sums = grid.sum(axis=1)
    agree = np.isin(sums, _candidates(total, sum(listed), 2 * cap))
    grid, sums = grid[agree], sums[agree]
    assert len(grid), "the true table itself must agree with what is published"
    found = ["total"] if _pinned_small(sums, sum(listed)) else []
    return found + _groups_pinned(grid, counts, listed)


def _truthful(count: int, figure: Shown) -> None:
    if figure.level is Level.EXACT:
        assert figure.value == count and not 0 < count < MIN_CELL
    elif figure.level is Level.ROUNDED:
        assert count >= MIN_CELL and figure.value == rounded(count)
        assert figure.value % BASE == 0


tables_with_lists = st.lists(st.integers(0, 9), min_size=1, max_size=4).flatmap(
    lambda counts: st.tuples(st.just(counts), st.tuples(*(st.integers(0, n) for n in counts)))
)


@settings(max_examples=150, deadline=None)
@given(tables_with_lists)
def test_a_reader_works_out_nothing_small_from_one_table(case: Any) -> None:
    counts, listed = case[0], list(case[1])
    keys = [f"c{i}" for i in range(len(counts))]
    shown = protect(
        {"T": sum(counts), **dict(zip(keys, counts, strict=True))},
        {"T": sum(listed), **dict(zip(keys, listed, strict=True))},
        [Table("T", tuple(keys))],
    )
    for key, n in zip(keys, counts, strict=True):
        _truthful(n, shown[key])
    _truthful(sum(counts), shown["T"])
    assert reader_finds(counts, listed, [shown[k] for k in keys], shown["T"]) == []


@settings(max_examples=150, deadline=None)
@given(tables_with_lists, st.data())
def test_the_audit_finds_exactly_what_the_reader_finds(case: Any, data: Any) -> None:
    """Any publication the first rule allows, protected or not: `exposures` (which `protect`
    trusts, also for tables too big to try every candidate) flags it exactly when the
    brute-force reader works something small out."""
    counts, listed = case[0], list(case[1])
    keys = [f"c{i}" for i in range(len(counts))]
    published = {}
    for key, n, seen in zip(
        ["T", *keys], [sum(counts), *counts], [sum(listed), *listed], strict=True
    ):
        allowed = [Level.HIDDEN]
        allowed += [Level.ROUNDED] if n >= MIN_CELL else []
        allowed += [Level.EXACT] if first_level(n, seen) is Level.EXACT else []
        published[key] = shown(data.draw(st.sampled_from(allowed)), n)
    audit = exposures(
        {"T": sum(counts), **dict(zip(keys, counts, strict=True))},
        {"T": sum(listed), **dict(zip(keys, listed, strict=True))},
        [Table("T", tuple(keys))],
        published,
    )
    reader = reader_finds(counts, listed, [published[k] for k in keys], published["T"])
    assert bool(audit) == bool(reader)


@settings(max_examples=40, deadline=None)
@given(
    st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 6)).flatmap(
        lambda c: st.tuples(
            st.just(c), st.integers(0, c[0]), st.integers(0, c[1]), st.integers(0, c[2])
        )
    ),
    st.data(),
)
def test_two_tables_sharing_their_total_give_nothing_small_away(case: Any, data: Any) -> None:
    """Members by area (a, b, c) and the same members by sector (s, r): a reader combines both
    tables through their shared total, and the public list's counts of all five cells."""
    (a, b, c), la, lb, lc = case
    total, in_list = a + b + c, la + lb + lc
    s_ = data.draw(st.integers(0, total), label="sector s")
    ls = data.draw(st.integers(max(0, in_list - (total - s_)), min(s_, in_list)), label="listed")
    counts = {"T": total, "a": a, "b": b, "c": c, "s": s_, "r": total - s_}
    listed = {"T": in_list, "a": la, "b": lb, "c": lc, "s": ls, "r": in_list - ls}
    shown = protect(counts, listed, [Table("T", ("a", "b", "c")), Table("T", ("s", "r"))])
    for key, n in counts.items():
        _truthful(n, shown[key])

    cap = total + CAP_ABOVE
    grid = _grid(*(_candidates(shown[k], listed[k], cap) for k in ("a", "b", "c", "s")))
    sums = grid[:, :3].sum(axis=1)
    rest = sums - grid[:, 3]
    agree = np.isin(sums, _candidates(shown["T"], in_list, 2 * cap)) & np.isin(
        rest, _candidates(shown["r"], listed["r"], 2 * cap)
    )
    grid, sums, rest = grid[agree], sums[agree], rest[agree]
    assert len(grid)
    sectors = np.stack([grid[:, 3], rest], axis=1)
    found = ["total"] if _pinned_small(sums, in_list) else []
    found += _groups_pinned(grid[:, :3], [a, b, c], [la, lb, lc], "area ")
    found += _groups_pinned(sectors, [s_, total - s_], [ls, in_list - ls], "sector ")
    assert found == []


@pytest.mark.parametrize(
    ("count", "listed", "level"),
    [
        (0, 0, Level.EXACT),  # a zero tells nothing of any firm
        (3, 3, Level.HIDDEN),  # under 5: never shown
        (12, 12, Level.EXACT),
        (12, 2, Level.EXACT),  # 10 unlisted: not a small number
        (13, 9, Level.ROUNDED),  # 4 unlisted: "≈15" means 13 to 17, so 4 to 8 unlisted
        (5, 4, Level.HIDDEN),  # "≈5" would mean 5 to 7: 1 to 3 unlisted
    ],
)
def test_the_level_of_a_figure_by_itself(count: int, listed: int, level: Level) -> None:
    assert first_level(count, listed) is level


def test_rounding_is_to_the_nearest_five_halves_up() -> None:
    assert [rounded(n) for n in (5, 7, 8, 12, 13, 105)] == [5, 5, 10, 10, 15, 105]


def test_a_rounded_cell_and_an_exact_total_take_another_cell_with_them() -> None:
    """Lublin 40 of which 37 listed: rounded to ≈40; with the total and the other cells exact,
    Lublin would be the total minus the rest, so the rule rounds more."""
    counts = {"T": 105, "lublin": 40, "radom": 29, "starachowice": 26, "outside": 10}
    listed = {"T": 90, "lublin": 37, "radom": 24, "starachowice": 19, "outside": 10}
    shown = protect(counts, listed, [Table("T", ("lublin", "radom", "starachowice", "outside"))])
    assert shown["lublin"] == Shown(Level.ROUNDED, 40)
    assert sum(f.level is not Level.EXACT for f in shown.values()) >= 2
    assert shown["T"] == Shown(Level.EXACT, 105)  # the headline stays exact here
