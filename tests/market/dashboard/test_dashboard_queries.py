"""The dashboard read from the database: whose scope, what each reader sees, hidden cells for
an officer who cannot see every row, and an engagement source wired in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.dashboard.world import LUBLIN, RADOM, build, moment

from upland.errors import PermissionDenied
from upland.market.dashboard import engagement, queries
from upland.market.dashboard.engagement import InterestRow, IntroductionRow, OutcomeRow
from upland.market.dashboard.figures import Grain

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    return build(session, monkeypatch)


def _actor(session: Session, **grant: Any):
    return factories.actor_of(session, factories.user(session, **grant))


def _counts(cells) -> dict[str, int | None]:
    return {c.key: c.count for c in cells}


def test_the_coordinator_sees_the_whole_cluster_exactly(session, world):
    coordinator = _actor(session, role="coordinator")
    board = queries.get_dashboard(session, coordinator, Grain.QUARTER, TODAY)
    f = board.opportunities
    assert board.scope == queries.CLUSTER and not f.hidden
    assert (f.put_forward, f.published, f.live, f.owners) == (9, 9, 8, 9)  # the draft is not
    assert _counts(f.by_kind)["business_offer"] == 6
    assert _counts(f.by_kind)["technology_offer"] == 3
    assert _counts(f.by_status)["withdrawn"] == 1
    assert "draft" not in _counts(f.by_status)
    assert _counts(f.by_area) == {LUBLIN: 6, RADOM: 2, "2611011": 0, "outside": 1}
    assert board.span[0] == "2018-Q1" and board.span[-1] == "2026-Q1"
    totals = dict(zip(board.span, (c.count for c in f.over_time["kind"].totals), strict=True))
    assert totals["2018-Q1"] == 1 and totals["2018-Q2"] == 1 and totals["2024-Q2"] == 3
    assert sum(c.count or 0 for c in f.published_over_time.totals) == 9
    e = board.engagement  # the interests area's source, with nothing to count yet
    assert e is not None and e.interest_rate == engagement.Rate(0, 9)
    assert e.introductions_total == 0


def test_months_are_calendar_months(session, world):
    coordinator = _actor(session, role="coordinator")
    board = queries.get_dashboard(session, coordinator, Grain.MONTH, TODAY)
    totals = dict(
        zip(
            board.span, (c.count for c in board.opportunities.over_time["kind"].totals), strict=True
        )
    )
    assert board.span[0] == "2018-03"
    assert totals["2018-03"] == 1 and totals["2018-05"] == 1 and totals["2024-04"] == 3


def test_an_officer_sees_their_partner_area_with_small_cells_hidden(session, world):
    officer = _actor(session, role="officer", teryt=LUBLIN)
    board = queries.get_dashboard(session, officer, Grain.QUARTER, TODAY)
    f = board.opportunities
    assert board.scope == LUBLIN and board.scope_name == "Lublin"
    # The withdrawn offer is not the officer's to see: one unseen firm, so small cells go.
    assert f.hidden
    assert f.live == 5  # five live offers, all seen
    assert f.put_forward is None  # six minus the five seen would give the withdrawn one back
    assert _counts(f.by_status)["withdrawn"] is None
    assert [c.key for c in f.by_area] == [LUBLIN]
    assert f.over_time["kind"].columns == []  # breakdowns over time: totals only


def test_an_officer_who_sees_every_row_gets_exact_figures(session, monkeypatch):
    history = build(session, monkeypatch)["history"]
    radom_officer = _actor(session, role="officer", teryt=RADOM)
    board = queries.get_dashboard(session, radom_officer, Grain.QUARTER, TODAY)
    assert board.scope == RADOM
    assert not board.opportunities.hidden  # both Radom offers are live and seen
    assert board.opportunities.put_forward == 2
    assert history.editors  # the world was built through the service


@pytest.mark.parametrize("grant", [{}, {"role": "viewer"}, {"role": "editor"}, {"role": "admin"}])
def test_nobody_else_gets_a_dashboard(session, world, grant):
    if "role" in grant:
        grant = {**grant, "org": world["lublin"][0]}
    with pytest.raises(PermissionDenied):
        queries.get_dashboard(session, _actor(session, **grant), Grain.QUARTER, TODAY)


class PlainSource:
    """An engagement source over plain rows, keeping those of the opportunities it is asked
    about (as the interests area's will, through its queries)."""

    def __init__(
        self, rows: dict[int, tuple[list[InterestRow], list[IntroductionRow], list[OutcomeRow]]]
    ):
        self.rows = rows
        self.asked: list[set[int]] = []

    def _ids(self, session: Session, opportunities: Select[Any]) -> set[int]:
        ids = set(session.scalars(opportunities))
        self.asked.append(ids)
        return ids

    def interests(self, session, opportunities):
        return [
            i for o in self._ids(session, opportunities) for i in self.rows.get(o, ([], [], []))[0]
        ]

    def introductions(self, session, opportunities):
        return [
            i for o in self._ids(session, opportunities) for i in self.rows.get(o, ([], [], []))[1]
        ]

    def outcomes(self, session, opportunities):
        return [
            i for o in self._ids(session, opportunities) for i in self.rows.get(o, ([], [], []))[2]
        ]


def test_a_registered_engagement_source_fills_the_rates_and_introductions(session, world):
    offers = world["offers"]
    radom = world["radom"]
    asked_for = offers[1].id
    rows = {
        asked_for: (
            [
                InterestRow(asked_for, radom[0].id, moment("2018-05-05"), "accepted"),
                InterestRow(asked_for, radom[1].id, moment("2018-05-06"), "declined"),
            ],
            [
                IntroductionRow(
                    1, asked_for, (offers[1].owner_id, radom[0].id), moment("2018-05-07")
                )
            ],
            [OutcomeRow(1, "meeting", moment("2018-06-01"), (offers[1].owner_id, radom[0].id))],
        )
    }
    source = engagement.register_source(PlainSource(rows))
    try:
        coordinator = _actor(session, role="coordinator")
        board = queries.get_dashboard(session, coordinator, Grain.QUARTER, TODAY)
    finally:
        engagement.unregister_source(source)
    e = board.engagement
    assert e is not None
    assert (e.interest_rate.part, e.interest_rate.whole) == (1, 9)
    assert (e.acceptance_rate.part, e.acceptance_rate.whole) == (1, 2)
    assert e.days_to_first_interest == pytest.approx(3.0)
    assert e.introductions_total == 1
    q2 = board.span.index("2018-Q2")
    assert e.outcomes["meeting"][q2].count == 1
    assert len(source.asked[0]) == 9  # the cluster's opportunities, the draft left out
