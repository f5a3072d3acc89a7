"""The interests area's engagement source: on a small history made through the services, each
step on its day (`upland.clock.replay`), the dashboard's rates, time to first interest,
introductions and outcomes equal a count by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.market.interest_world import editor

from upland import clock
from upland.market.dashboard import engagement, queries
from upland.market.dashboard.engagement import Rate
from upland.market.dashboard.figures import Grain
from upland.market.interests import queries as interest_queries
from upland.market.interests import service as answers
from upland.market.interests.schemas import InterestIn, OutcomeIn, PassIn

ON = dt.date(2024, 6, 30)


def on(day: str, step: Callable[[], Any]) -> Any:
    """Take `step` on `day` at 10:00 UTC, as the services would have then."""
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=dt.UTC)
    with clock.replay(moment):
        return step()


def _counts(cells: list[Any]) -> dict[str, int | None]:
    return {c.key: c.count for c in cells}


@pytest.fixture
def history(session: Session) -> dict[str, Any]:
    """Four published opportunities (firms A and B, a university's offer), three answering
    firms: X and Y answer A's first offer (X accepted, Y declined), Z withdraws from B's offer
    where X waits for an answer, X passes on the university's offer; A and X meet and sign
    an agreement that both report; A's second offer gets nothing."""
    a, b, x, y, z = (factories.organisation(session) for _ in range(5))
    uni = factories.organisation(session, kind="research")
    ed = {org.id: editor(session, org) for org in (a, b, x, y, z, uni)}

    def publish(org: Any, day: str, **more: Any) -> Any:
        made = factories.opportunity
        return on(day, lambda: made(session, org, ed[org.id], publish=True, **more))

    def interest(org: Any, opp: Any, day: str) -> Any:
        data = InterestIn(organisation_id=org.id, message="Chętnie porozmawiamy.")
        return on(day, lambda: answers.express_interest(session, ed[org.id], opp.id, data))

    first = publish(a, "2024-01-10")
    second = publish(b, "2024-02-01")
    publish(a, "2024-03-01")
    offer = publish(uni, "2024-03-05", kind="technology_offer", trl=4)
    x_first = interest(x, first, "2024-01-12")
    y_first = interest(y, first, "2024-01-15")
    intro = on("2024-01-13", lambda: answers.accept_interest(session, ed[a.id], x_first.id))
    on("2024-01-16", lambda: answers.decline_interest(session, ed[a.id], y_first.id))
    z_second = interest(z, second, "2024-02-05")
    on("2024-02-06", lambda: answers.withdraw_interest(session, ed[z.id], z_second.id))
    x_second = interest(x, second, "2024-02-10")
    passed = PassIn(organisation_id=x.id, reason="too_early")
    on("2024-03-06", lambda: answers.pass_on(session, ed[x.id], offer.id, passed))

    def report(org: Any, day: str, kind: str, **more: Any) -> Any:
        data = OutcomeIn(kind=kind, organisation_id=org.id, occurred_on=day, **more)
        return on(day, lambda: answers.record_outcome(session, ed[org.id], intro.id, data))

    report(x, "2024-01-20", "meeting_held")
    report(a, "2024-01-21", "meeting_held")  # the same meeting: counted once
    report(a, "2024-04-02", "agreement_signed", agreement_type="commercial_supply")
    report(x, "2024-04-04", "agreement_signed", agreement_type="commercial_supply")
    session.flush()
    return {"intro": intro, "b": b, "x": x, "x_second": x_second, "editors": ed}


def test_the_source_is_registered_by_the_interests_area() -> None:
    assert engagement.source() is interest_queries.SOURCE


def test_the_figures_equal_a_hand_count(session: Session, history: dict[str, Any]) -> None:
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    board = queries.get_dashboard(session, coordinator, Grain.QUARTER, ON)
    e = board.engagement
    assert e is not None and not board.opportunities.hidden
    # Two of the four published opportunities got an interest (a withdrawn one and a pass
    # are no interest in the end).
    assert e.interest_rate == Rate(2, 4)
    # Of the two answered, one accepted; X's interest in B's offer still waits.
    assert e.acceptance_rate == Rate(1, 2)
    # First interests after 2 days (A's offer) and 9 days (B's: Z's withdrawn one not counted).
    assert e.days_to_first_interest == pytest.approx(5.5)
    assert e.introductions_total == 1
    assert _counts(e.introductions)["2024-Q1"] == 1
    # The meeting both reported counts once, in Q1; the agreement once confirmed, in Q2.
    assert _counts(e.outcomes["meeting"])["2024-Q1"] == 1
    assert sum(c.count or 0 for c in e.outcomes["meeting"]) == 1
    assert _counts(e.outcomes["agreement"])["2024-Q2"] == 1
    assert sum(c.count or 0 for c in e.outcomes["agreement"]) == 1
    assert sum(c.count or 0 for c in e.outcomes["abandoned"]) == 0


def test_an_agreement_one_side_reports_counts_once_the_coordinator_confirms(
    session: Session, history: dict[str, Any]
) -> None:
    b, x, ed = history["b"], history["x"], history["editors"]
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    waiting = history["x_second"]
    intro = on("2024-04-10", lambda: answers.accept_interest(session, ed[b.id], waiting.id))
    lone = OutcomeIn(
        kind="agreement_signed",
        organisation_id=b.id,
        occurred_on="2024-05-02",
        agreement_type="licence",
    )
    made = on("2024-05-02", lambda: answers.record_outcome(session, ed[b.id], intro.id, lone))

    def agreements() -> dict[str, int | None]:
        board = queries.get_dashboard(session, coordinator, Grain.QUARTER, ON)
        assert board.engagement is not None
        return _counts(board.engagement.outcomes["agreement"])

    assert agreements()["2024-Q2"] == 1  # only A and X's, which both reported
    on("2024-05-10", lambda: answers.confirm_outcome(session, coordinator, made.id))
    assert agreements()["2024-Q2"] == 2
    assert x.id in (intro.owner_id, intro.interested_id)
