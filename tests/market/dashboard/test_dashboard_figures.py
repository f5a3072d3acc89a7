"""The dashboard's opportunity figures over plain tallies: periods, cells, small cells hidden
for readers who do not see every row, breakdowns over time."""

from __future__ import annotations

import datetime as dt

import pytest

from upland.market.dashboard.figures import (
    START,
    Cell,
    Grain,
    Group,
    Tally,
    cells_of,
    opportunity_figures,
    period_of,
    periods,
    series,
    single,
    slot,
)

KINDS = {"business_offer": "business offer", "technology_offer": "technology offer"}
STATUSES = {"published": "published", "expired": "expired"}
AREAS = {"0663011": "Lublin", "1463011": "Radom", "outside": "outside the partner areas"}


def tally(
    owner: int,
    *,
    year: int = 2019,
    month: int = 4,
    kind: str = "business_offer",
    status: str = "published",
    area: str = "0663011",
    count: int = 1,
    seen: int | None = None,
) -> Tally:
    published = status != "submitted"
    live = status == "published"
    return Tally(
        year,
        month,
        kind,
        status,
        area,
        owner,
        published,
        live,
        count,
        count if seen is None else seen,
    )


@pytest.mark.parametrize(
    ("year", "month", "grain", "expected"),
    [
        (2018, 3, Grain.MONTH, "2018-03"),
        (2018, 3, Grain.QUARTER, "2018-Q1"),
        (2018, 4, Grain.QUARTER, "2018-Q2"),
        (2026, 12, Grain.QUARTER, "2026-Q4"),
        (2026, 12, Grain.MONTH, "2026-12"),
        (2018, 3, Grain.YEAR, "2018"),
        (2026, 12, Grain.YEAR, "2026"),
    ],
)
def test_a_period_is_named_by_its_year_and_month_or_quarter(year, month, grain, expected):
    assert period_of(year, month, grain) == expected


def test_periods_run_from_march_2018_to_today_without_gaps():
    quarters = periods(START, dt.date(2019, 2, 10), Grain.QUARTER)
    assert quarters == ["2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4", "2019-Q1"]
    months = periods(START, dt.date(2019, 2, 10), Grain.MONTH)
    assert months[0] == "2018-03" and months[-1] == "2019-02" and len(months) == 12
    assert periods(START, dt.date(2020, 1, 1), Grain.YEAR) == ["2018", "2019", "2020"]


def test_a_period_outside_the_span_counts_in_its_first_or_last():
    span = ["2018-Q1", "2018-Q2"]
    assert slot("2017-Q4", span) == "2018-Q1"
    assert slot("2018-Q2", span) == "2018-Q2"
    assert slot("2019-Q1", span) == "2018-Q2"


def test_a_group_counts_opportunities_and_distinct_owners_and_the_unseen_ones():
    group = Group().add(tally(1, count=3)).add(tally(1, count=2, seen=1)).add(tally(2))
    assert group.count == 6
    assert group.owners == {1, 2}
    assert group.unseen_owners == {1}


def test_cells_are_exact_for_a_reader_who_sees_every_row():
    groups = {"a": Group(2, frozenset({1}), frozenset()), "b": Group(9, frozenset(range(9)))}
    cells = cells_of(["a", "b", "c"], {"a": "A", "b": "B", "c": "C"}, groups, hide=False)
    assert [(c.key, c.label, c.count) for c in cells] == [
        ("a", "A", 2),
        ("b", "B", 9),
        ("c", "C", 0),
    ]


def test_hidden_cells_are_judged_by_organisations_not_by_opportunities():
    # 40 opportunities of 2 firms are hidden; 6 of 6 firms are shown; with the total shown,
    # the lone hidden cell would come back by subtraction, so the next smallest goes too.
    groups = {
        "few_firms": Group(40, frozenset({1, 2}), frozenset({1, 2})),
        "many": Group(6, frozenset(range(10, 16)), frozenset(range(10, 16))),
        "most": Group(30, frozenset(range(20, 40)), frozenset(range(20, 40))),
    }
    cells = cells_of(["few_firms", "many", "most"], {}, groups, hide=True)
    assert [c.count for c in cells] == [None, None, 30]


def test_a_cell_whose_unseen_part_is_small_is_hidden_too():
    # Ten firms, all of whose opportunities the reader sees but two: subtracting what the
    # reader sees would reveal those two firms' hidden opportunities.
    groups = {
        "x": Group(10, frozenset(range(10)), frozenset({1, 2})),
        "y": Group(10, frozenset(range(10, 20)), frozenset()),
        "z": Group(10, frozenset(range(20, 30)), frozenset()),
    }
    cells = cells_of(["x", "y", "z"], {}, groups, hide=True)
    # Hiding x alone would not do (the total gives it back), and any group of hidden cells
    # still holds just those two firms' unseen part: everything goes.
    assert [c.count for c in cells] == [None, None, None]
    groups["y"] = Group(10, frozenset(range(10, 20)), frozenset(range(10, 15)))
    cells = cells_of(["x", "y", "z"], {}, groups, hide=True)
    assert [c.count for c in cells] == [None, None, 10]  # x and y hide seven unseen firms


def test_a_key_number_is_hidden_under_five_organisations():
    assert single(Group(50, frozenset({1, 2, 3, 4})), hide=True) is None
    assert single(Group(50, frozenset({1, 2, 3, 4})), hide=False) == 50
    assert single(Group(50, frozenset(range(5))), hide=True) == 50


def test_a_series_has_a_cell_per_period_and_column_and_period_totals():
    tallies = [
        tally(1, year=2018, month=3),
        tally(2, year=2018, month=5, kind="technology_offer", count=2),
        tally(3, year=2018, month=6),
    ]
    columns = [Cell(k, v, None) for k, v in KINDS.items()]
    result = series(tallies, Grain.QUARTER, ["2018-Q1", "2018-Q2"], "kind", columns, hide=False)
    assert [[c.count for c in row] for row in result.rows] == [[1, 0], [1, 2]]
    assert [c.count for c in result.totals] == [1, 3]
    assert result.biggest == 3


def test_a_hidden_series_keeps_only_the_period_totals_suppressed():
    tallies = [tally(o, year=2018, month=4, seen=0) for o in range(6)] + [
        tally(9, year=2018, month=3, seen=0)
    ]
    columns = [Cell(k, v, None) for k, v in KINDS.items()]
    result = series(tallies, Grain.QUARTER, ["2018-Q1", "2018-Q2"], "kind", columns, hide=True)
    assert result.columns == [] and result.rows == [[], []]
    # One firm in Q1: hidden; Q2 then goes too (its total would give Q1 back).
    assert [c.count for c in result.totals] == [None, None]


def _figures(tallies: list[Tally], hide: bool):
    return opportunity_figures(
        tallies,
        grain=Grain.QUARTER,
        span=periods(START, dt.date(2019, 12, 31), Grain.QUARTER),
        kinds=KINDS,
        statuses=STATUSES,
        areas=AREAS,
        proper_areas=("0663011", "1463011"),
        hide=hide,
    )


def test_the_coordinator_gets_every_figure_exactly():
    tallies = [
        tally(1, count=3),
        tally(2, kind="technology_offer", area="1463011"),
        tally(3, status="expired", area="outside", year=2018, month=5),
    ]
    f = _figures(tallies, hide=False)
    assert (f.put_forward, f.published, f.live, f.owners) == (5, 5, 4, 3)
    assert [(c.key, c.count) for c in f.by_kind] == [("business_offer", 4), ("technology_offer", 1)]
    assert [(c.key, c.count) for c in f.by_status] == [("published", 4), ("expired", 1)]
    assert [(c.label, c.count, c.proper) for c in f.by_area] == [
        ("Lublin", 3, True),
        ("Radom", 1, True),
        ("outside the partner areas", 1, False),
    ]
    by_status = f.over_time["status"]
    q2_2018 = by_status.periods.index("2018-Q2")
    q2_2019 = by_status.periods.index("2019-Q2")
    assert [c.count for c in by_status.rows[q2_2018]] == [0, 1]
    assert [c.count for c in by_status.rows[q2_2019]] == [4, 0]
    assert not f.hidden


def test_a_reader_who_does_not_see_every_row_gets_small_cells_hidden():
    # Six firms with a live offer each (seen) and two with an expired one (not seen).
    tallies = [tally(o) for o in range(6)] + [
        tally(10, status="expired", seen=0),
        tally(11, status="expired", seen=0),
    ]
    f = _figures(tallies, hide=True)
    assert f.hidden
    # Subtracting the six the reader sees from eight would give the two unseen firms back.
    assert f.owners is None and f.put_forward is None
    assert f.live == 6  # every one of them seen
    statuses = {c.key: c.count for c in f.by_status}
    assert statuses["expired"] is None  # two firms
    assert statuses["published"] is None  # its complement, or the total gives "expired" back
    assert f.over_time["kind"].columns == []


def test_totals_show_when_the_unseen_part_is_five_organisations_or_more():
    tallies = [tally(o) for o in range(6)] + [
        tally(10 + o, status="expired", seen=0) for o in range(5)
    ]
    f = _figures(tallies, hide=True)
    assert (f.owners, f.put_forward, f.live) == (11, 11, 6)
    assert {c.key: c.count for c in f.by_status} == {"published": 6, "expired": 5}
