"""The marketplace's demo history as one timeline: every service call the specs stand for, at
its moment, oldest first. Pure: no session, no clock.

An opportunity is created, submitted, then approved (published) or returned by the
coordinator, later withdrawn, fulfilled or expired by the scheduler; interests are expressed
(or passed on), then accepted, declined or withdrawn; each introduction's reports follow its
acceptance, and a one-sided agreement may be confirmed by the coordinator; bookings are
requested, then accepted or declined. Steps of one moment keep the order they were made in,
so a cause always comes before what follows from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from upland.demo.opportunities.specs import (
    BookingDecision,
    Decision,
    MarketWorld,
    OpportunitySpec,
    Status,
)
from upland.demo.opportunities.timeline import day_start

# The coordinator answers a submission a day after it, when the specs do not say.
RETURN_AFTER = dt.timedelta(days=1)
# The scheduler's nightly run expires what ended the day before.
EXPIRY_RUN = dt.timedelta(days=1, hours=1)


@dataclass(frozen=True, order=True)
class Step:
    """One service call: `action` on `spec` at `at`; `seq` keeps the order of one moment."""

    at: dt.datetime
    seq: int
    action: str = field(compare=False)
    spec: Any = field(compare=False)


class _Timeline:
    def __init__(self) -> None:
        self.steps: list[Step] = []

    def add(self, at: dt.datetime | None, action: str, spec: Any) -> None:
        if at is not None:
            self.steps.append(Step(at, len(self.steps), action, spec))


def _opportunity(line: _Timeline, opp: OpportunitySpec) -> None:
    line.add(opp.created_at, "create", opp)
    if opp.status == Status.DRAFT:
        return
    line.add(opp.submitted_at, "submit", opp)
    if opp.status == Status.RETURNED:
        assert opp.submitted_at is not None
        line.add(opp.submitted_at + RETURN_AFTER, "return", opp)
        return
    line.add(opp.published_at, "approve", opp)
    if opp.status == Status.WITHDRAWN:
        line.add(opp.closed_at, "withdraw", opp)
    elif opp.status == Status.FULFILLED:
        line.add(opp.closed_at, "fulfil", opp)
    elif opp.status == Status.EXPIRED:
        line.add(day_start(opp.expires_on) + EXPIRY_RUN, "expire", opp)


def timeline(market: MarketWorld) -> list[Step]:
    """Every step of the market's history, in the order it happened."""
    line = _Timeline()
    for opp in market.opportunities:
        _opportunity(line, opp)
    for interest in market.interests:
        if interest.decision == Decision.PASSED:
            line.add(interest.at, "pass", interest)
            continue
        line.add(interest.at, "express", interest)
        decision = {
            Decision.ACCEPTED: "accept",
            Decision.DECLINED: "decline",
            Decision.WITHDRAWN: "withdraw_interest",
        }.get(interest.decision)
        if decision is not None:
            line.add(interest.decided_at, decision, interest)
    for outcome in market.outcomes:
        line.add(outcome.at, "report", outcome)
        line.add(outcome.confirmed_at, "confirm", outcome)
    for booking in market.bookings:
        line.add(booking.requested_at, "book", booking)
        if booking.decision == BookingDecision.ACCEPTED:
            line.add(booking.decided_at, "accept_booking", booking)
        elif booking.decision == BookingDecision.DECLINED:
            line.add(booking.decided_at, "decline_booking", booking)
    return sorted(line.steps)
