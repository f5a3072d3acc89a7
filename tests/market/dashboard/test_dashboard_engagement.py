"""Interest and acceptance rates, time to first interest, introductions and outcomes by period,
over plain rows: the shape the interests area fills through an `engagement.Source`."""

from __future__ import annotations

import datetime as dt

import pytest

from upland.market.dashboard.engagement import (
    InterestRow,
    IntroductionRow,
    OutcomeRow,
    PublishedRow,
    Rate,
    acceptance_rate,
    days_to_first_interest,
    engagement_figures,
    interest_rate,
    introductions_by_period,
    outcomes_by_period,
)
from upland.market.dashboard.figures import Grain

T0 = dt.datetime(2020, 1, 10, 12, tzinfo=dt.UTC)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def published(n: int, owners: int | None = None) -> list[PublishedRow]:
    return [PublishedRow(i, 100 + (i % (owners or n)), T0) for i in range(n)]


def interest(opportunity: int, org: int, days: float, status: str = "pending") -> InterestRow:
    return InterestRow(opportunity, org, at(days), status)


def test_the_interest_rate_is_the_share_of_published_opportunities_with_an_interest():
    rows = published(10)
    interests = [interest(0, 1, 2), interest(0, 2, 3), interest(1, 3, 1), interest(2, 4, 9)]
    assert interest_rate(rows, interests, hide=False) == Rate(3, 10)
    assert interest_rate(rows, interests, hide=False).value == pytest.approx(0.3)


def test_the_acceptance_rate_counts_answered_interests_only():
    interests = [
        interest(0, 1, 1, "accepted"),
        interest(0, 2, 1, "declined"),
        interest(1, 3, 1, "accepted"),
        interest(2, 4, 1, "pending"),
    ]
    rate = acceptance_rate(interests, hide=False)
    assert rate == Rate(2, 3)
    assert acceptance_rate([], hide=False).value is None  # nothing to divide


def test_the_time_to_first_interest_is_the_median_over_opportunities_that_got_one():
    rows = published(4)
    interests = [
        interest(0, 1, 5),
        interest(0, 2, 1),  # the first for opportunity 0: 1 day
        interest(1, 3, 3),
        interest(2, 4, 10),
        interest(2, 5, -2),  # before publication (a restricted teaser): counts as 0 days
    ]
    assert days_to_first_interest(rows, interests, hide=False) == pytest.approx(1.0)
    assert days_to_first_interest(rows, [], hide=False) is None


def test_rates_are_hidden_when_fewer_than_five_organisations_stand_behind_them():
    rows = published(10, owners=3)  # ten opportunities of three firms
    interests = [interest(i, 50 + i, 1, "accepted") for i in range(6)]
    assert interest_rate(rows, interests, hide=True) == Rate(None, None)
    assert interest_rate(rows, interests, hide=False) == Rate(6, 10)
    assert days_to_first_interest(rows, interests, hide=True) is None
    assert acceptance_rate(interests, hide=True) == Rate(6, 6)  # six interested firms
    assert acceptance_rate(interests[:4], hide=True).value is None


def test_introductions_and_outcomes_are_counted_per_period():
    span = ["2020-Q1", "2020-Q2"]
    intros = [
        IntroductionRow(1, 0, (1, 2), at(0)),
        IntroductionRow(2, 0, (1, 3), at(1)),
        IntroductionRow(3, 1, (4, 5), at(100)),
    ]
    assert [c.count for c in introductions_by_period(intros, Grain.QUARTER, span, False)] == [2, 1]
    outcomes = [
        OutcomeRow(1, "meeting", at(5), (1, 2)),
        OutcomeRow(1, "agreement", at(95), (1, 2)),
        OutcomeRow(3, "abandoned", at(120), (4, 5)),
    ]
    found = outcomes_by_period(outcomes, Grain.QUARTER, span, False)
    assert [c.count for c in found["meeting"]] == [1, 0]
    assert [c.count for c in found["agreement"]] == [0, 1]
    assert [c.count for c in found["abandoned"]] == [0, 1]


def test_introduction_cells_of_few_organisations_are_hidden():
    span = ["2020-Q1", "2020-Q2"]
    intros = [IntroductionRow(i, 0, (2 * i, 2 * i + 1), at(0)) for i in range(4)]  # 8 firms
    intros.append(IntroductionRow(9, 0, (90, 91), at(100)))  # two firms in Q2
    cells = introductions_by_period(intros, Grain.QUARTER, span, hide=True)
    assert [c.count for c in cells] == [None, None]  # Q2 small, Q1 its complement
    assert [c.count for c in introductions_by_period(intros, Grain.QUARTER, span, False)] == [4, 1]


def test_the_engagement_figures_gather_everything_with_a_total_of_introductions():
    span = ["2020-Q1"]
    figures = engagement_figures(
        published(2),
        [interest(0, 1, 2, "accepted")],
        [IntroductionRow(1, 0, (1, 100), at(3))],
        [OutcomeRow(1, "meeting", at(4), (1, 100))],
        grain=Grain.QUARTER,
        span=span,
        hide=False,
    )
    assert figures.interest_rate == Rate(1, 2)
    assert figures.acceptance_rate == Rate(1, 1)
    assert figures.days_to_first_interest == pytest.approx(2.0)
    assert figures.introductions_total == 1
    assert figures.outcomes["meeting"][0].count == 1


def test_the_total_of_introductions_shows_when_enough_organisations_stand_behind_it():
    """Hidden periods do not hide the total: the periods were suppressed knowing it is shown."""
    span = ["2020-Q1", "2020-Q2"]
    intros = [IntroductionRow(i, 0, (2 * i, 2 * i + 1), at(0)) for i in range(4)]
    intros.append(IntroductionRow(9, 0, (90, 91), at(100)))
    figures = engagement_figures(
        published(2), [], intros, [], grain=Grain.QUARTER, span=span, hide=True
    )
    assert [c.count for c in figures.introductions] == [None, None]
    assert figures.introductions_total == 5
    few = engagement_figures(
        published(2), [], intros[:2], [], grain=Grain.QUARTER, span=span, hide=True
    )
    assert few.introductions_total is None  # four organisations only
