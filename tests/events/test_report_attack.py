"""The partner area's report played by an attacker: a city officer asks every report they may
(all events, each event alone, each with its breakdown by type) and tries to recover each hidden
count by subtraction, solving every sum the reports hold at once (exact linear algebra over the
rows and columns of the two-way table events x types). No hidden count may follow, and no row or
column whose sum is shown may hide a small number in all."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest
from sqlalchemy.orm import Session

from upland import small_cells
from upland.events.report.figures import ALL, ParticipantRow, Report, Rows, area_report

LUBLIN = "0663011"
TYPES = ("company", "research", "business_support")

Cell = tuple[str, str]


def _world(sizes: dict[Cell, int]) -> Rows:
    """`sizes[(event, type)]` organisations of the area, each at one event under one type (so
    the organisations add up along every row and column, and subtraction is exact)."""
    people = []
    n = 0
    for (event, kind), size in sizes.items():
        for _ in range(size):
            n += 1
            people.append(
                ParticipantRow(n, int(event), f"o{n}", f"o{n}", kind, LUBLIN, "confirmed")
            )
    return Rows(people, [], [])


def _ask_everything(rows: Rows, events: list[str], known: set[str]) -> dict[Cell, int | None]:
    """Every cell the officer reads from every report they may ask (None: not shown)."""
    seen: dict[Cell, int | None] = {}

    def read(report: Report, row: str) -> None:
        seen[(row, ALL)] = report.total.organisations if report.total else None
        for g in report.by_type:
            seen[(row, g.key)] = g.counts.organisations if g.counts else None
        for g in report.by_event:
            cell = (g.key, ALL)
            value = g.counts.organisations if g.counts else None
            assert seen.get(cell, value) == value  # the same cell reads the same everywhere
            seen[cell] = value

    def area(p: ParticipantRow) -> bool:
        return p.area == LUBLIN

    read(area_report(rows, area, events, one=None, known=known), ALL)
    for e in events:
        read(area_report(rows, area, events, one=e, known=known), e)
    return seen


def _recovered(seen: dict[Cell, int | None], events: list[str]) -> dict[Cell, Fraction]:
    """The hidden cells that follow from the shown ones: every row (an event, or all events)
    sums its types to its total, every column (a type, or all) its events to its all-events
    figure; a cell absent from the reports holds nobody. Gauss-Jordan over the hidden cells."""
    types = sorted({c for _, c in seen if c != ALL})

    def value(cell: Cell) -> int | None:
        return seen.get(cell, 0)

    unknown = sorted(c for c in seen if seen[c] is None)
    index = {c: i for i, c in enumerate(unknown)}
    equations: list[list[Fraction]] = []
    lines = [([(r, t) for t in types], (r, ALL)) for r in [*events, ALL]] + [
        ([(e, c) for e in events], (ALL, c)) for c in [*types, ALL]
    ]
    for members, margin in lines:
        row = [Fraction(0)] * (len(unknown) + 1)
        for cell, sign in [*((m, 1) for m in members), (margin, -1)]:
            v = value(cell)
            if v is None:
                row[index[cell]] += sign
            else:
                row[-1] -= sign * v
        equations.append(row)
    # Gauss-Jordan
    pivots: list[int] = []
    r = 0
    for col in range(len(unknown)):
        found = next((i for i in range(r, len(equations)) if equations[i][col] != 0), None)
        if found is None:
            continue
        equations[r], equations[found] = equations[found], equations[r]
        lead = equations[r][col]
        equations[r] = [x / lead for x in equations[r]]
        for i in range(len(equations)):
            if i != r and equations[i][col] != 0:
                f = equations[i][col]
                equations[i] = [a - f * b for a, b in zip(equations[i], equations[r], strict=True)]
        pivots.append(col)
        r += 1
    out = {}
    for i, col in enumerate(pivots):
        others = [j for j in range(len(unknown)) if j != col and equations[i][j] != 0]
        if not others:
            out[unknown[col]] = equations[i][-1]
    return out


def _small_sums(seen: dict[Cell, int | None], events: list[str]) -> list[Cell]:
    """Lines with their sum shown whose hidden cells hold a small number together."""
    types = sorted({c for _, c in seen if c != ALL})
    bad = []
    for members, margin in [([(r, t) for t in types], (r, ALL)) for r in [*events, ALL]] + [
        ([(e, c) for e in events], (ALL, c)) for c in [*types, ALL]
    ]:
        shown_margin = seen.get(margin, 0)
        if shown_margin is None:
            continue
        hidden = [m for m in members if seen.get(m, 0) is None]
        rest = sum(seen.get(m, 0) or 0 for m in members if seen.get(m, 0) is not None)
        if hidden and small_cells.is_small(shown_margin - rest):
            bad.append(margin)
    return bad


def _attack(sizes: dict[Cell, int], known: frozenset[str] = frozenset()) -> dict[Cell, int | None]:
    rows = _world(sizes)
    events = sorted({e for e, _ in sizes}, key=int)
    seen = _ask_everything(rows, events, set(known))
    recovered = _recovered(seen, events)
    assert not recovered, f"recovered by subtraction: {recovered}"
    assert not _small_sums(seen, events)
    for cell, value in seen.items():  # and no small cell is shown outside the known rows
        if value is not None and cell[0] not in known and (not known or cell[0] != ALL):
            assert not small_cells.is_small(value), (cell, value)
    return seen


def test_the_all_events_column_hidden_is_not_given_back_by_the_events_alone():
    """The leak of the review: across the events the 3-organisation day is hidden and the
    6-organisation day with it; asked alone, the 6-organisation day showed its total, and the
    total minus the days shown gave the 3 back."""
    seen = _attack({("1", "company"): 3, ("2", "company"): 6, ("3", "company"): 7})
    assert seen[("1", ALL)] is None
    assert seen[("2", ALL)] is None  # alone too: the same decision in every report


def test_types_at_one_event_do_not_give_back_the_types_across_events():
    seen = _attack(
        {
            ("1", "company"): 6,
            ("1", "research"): 2,
            ("2", "company"): 7,
            ("2", "research"): 5,
            ("3", "company"): 8,
            ("3", "business_support"): 6,
        }
    )
    assert seen[("1", "research")] is None


@pytest.mark.parametrize("seed", range(60))
def test_no_combination_of_reports_gives_a_hidden_cell_back(seed: int):
    rng = random.Random(seed)
    events = [str(i) for i in range(1, rng.randint(2, 6))]
    sizes = {
        (e, t): n
        for e in events
        for t in TYPES
        if (n := rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12])) > 0
    }
    if not sizes:
        return
    _attack(sizes)


@pytest.mark.parametrize("seed", range(20))
def test_a_reader_organising_some_events_learns_nothing_more(seed: int):
    """An officer who organises some of the events sees those whole; the rest stay safe."""
    rng = random.Random(1000 + seed)
    events = [str(i) for i in range(1, rng.randint(3, 6))]
    sizes = {
        (e, t): n for e in events for t in TYPES if (n := rng.choice([0, 1, 2, 3, 5, 7, 9])) > 0
    }
    used = sorted({e for e, _ in sizes}, key=int)
    if len(used) < 2:
        return
    known = {used[0]}
    seen = _attack(sizes, frozenset(known))
    assert all(v is not None for (r, _), v in seen.items() if r in known)


def test_a_reader_organising_every_event_sees_everything():
    sizes = {("1", "company"): 1, ("2", "research"): 2, ("2", "company"): 7}
    seen = _ask_everything(_world(sizes), ["1", "2"], {"1", "2"})
    assert all(v is not None for v in seen.values())


def test_the_officer_through_the_api_recovers_nothing(session: Session, client: Any):
    """The same attack on a real database through the JSON API, as a Lublin city officer:
    three events with 3, 4 + 2 and 7 organisations from Lublin; the all-events report and each
    event's report are asked, every shown count read, every sum solved."""
    from tests import factories
    from tests.browsing import caller_for
    from tests.events.world import event, registered

    days = [event(session, title_pl=f"Dzień {n}") for n in range(3)]
    for day, kinds in zip(
        days, (["company"] * 3, ["company"] * 4 + ["research"] * 2, ["company"] * 7), strict=True
    ):
        for kind in kinds:
            registered(session, day.id, factories.organisation(session), participant_type=kind)
    officer = factories.user(session, role="officer", teryt=LUBLIN)
    session.commit()
    caller = caller_for(session, client, officer)

    def read(answer: dict[str, Any], row: str, seen: dict[Cell, int | None]) -> None:
        def count(c: dict[str, Any] | None) -> int | None:
            return None if c is None else int(c["organisations"])

        seen[(row, ALL)] = count(answer["total"])
        for g in answer["by_type"]:
            seen[(row, g["key"])] = count(g["counts"])
        for g in answer["by_event"]:
            assert seen.get((g["key"], ALL), count(g["counts"])) == count(g["counts"])
            seen[(g["key"], ALL)] = count(g["counts"])

    seen: dict[Cell, int | None] = {}
    whole = caller.send("GET", "/api/v1/events/area-report")
    assert whole.status_code == 200 and whole.json()["small_cells_hidden"]
    read(whole.json(), ALL, seen)
    events = [g["key"] for g in whole.json()["by_event"]]
    assert events == [str(d.id) for d in days]
    for e in events:
        one = caller.send("GET", f"/api/v1/events/area-report?event={e}")
        assert one.status_code == 200
        read(one.json(), e, seen)
    assert seen[(events[0], ALL)] is None  # the 3-organisation day, everywhere
    assert not _recovered(seen, events), seen
    assert not _small_sums(seen, events)
