"""The marketplace's demo history, replayed through the services onto the demo world: every
kind and state, dated from the letter of intent on with growth year by year, the demo log-ins
find their own, and the dashboard has engagement figures for the coordinator and an officer."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests.browsing import log_in
from tests.demo_database import DemoDatabase

from upland.accounts.models import User
from upland.accounts.queries import actor_for
from upland.demo.opportunities import MarketWorld
from upland.demo.opportunities.specs import BookingDecision, Decision, Status
from upland.demo.opportunities.timeline import LETTER
from upland.demo.world import World
from upland.market import queries as market_queries
from upland.market.interests.models import Booking, Interest, Introduction, OutcomeReport
from upland.market.models import Opportunity
from upland.market.vocab import OpportunityKind
from upland.notifications.models import Notification


@pytest.fixture
def connection(demo_connection: Connection) -> Connection:
    """Every test here reads the demo database (tests/demo_database.py), loaded once per run."""
    return demo_connection


@pytest.fixture
def loaded(demo_database: DemoDatabase) -> dict[str, int]:
    return demo_database.counts


def _tally(session: Session, column: Any) -> Counter[str]:
    return Counter(dict(session.execute(select(column, func.count()).group_by(column)).all()))


def test_the_history_holds_every_kind_and_state_from_2018_on(
    session: Session, market: MarketWorld, loaded: dict[str, int]
) -> None:
    assert loaded["opportunities"] == len(market.opportunities) >= 280
    assert _tally(session, Opportunity.status) == Counter(o.status for o in market.opportunities)
    assert set(_tally(session, Opportunity.status)) == set(Status)
    assert set(_tally(session, Opportunity.kind)) == set(OpportunityKind)

    created = [c.astimezone(dt.UTC) for c in session.scalars(select(Opportunity.created_at))]
    assert min(created).date() >= LETTER and min(created).year == 2018
    assert max(created).date() >= dt.date(2026, 9, 1)
    per_year = Counter(c.year for c in created)
    assert per_year[2018] < per_year[2020] < per_year[2022] < per_year[2024] < per_year[2025]

    published = session.scalars(select(Opportunity).where(Opportunity.published_at.is_not(None)))
    for opp in published:  # the coordinator approved each after its submission
        assert opp.created_at <= opp.submitted_at <= opp.published_at, opp.id

    statuses = _tally(session, Interest.status)
    wanted = {"pending", "accepted", "declined", "withdrawn", "passed"}
    assert set(statuses) == wanted
    decisions = Counter(i.decision.value for i in market.interests)
    assert statuses == decisions
    assert session.scalar(select(func.count(Introduction.id))) == decisions[Decision.ACCEPTED]
    assert loaded["introductions"] == decisions[Decision.ACCEPTED]

    reports = _tally(session, OutcomeReport.kind)
    assert set(reports) == {"meeting_held", "agreement_signed", "abandoned"}
    assert sum(reports.values()) == len(market.outcomes)
    confirmed = _tally(session, OutcomeReport.confirmed_as)
    assert confirmed["partner"] > 0 and confirmed["coordinator"] > 0  # both ways of counting
    unconfirmed = session.scalar(
        select(func.count(OutcomeReport.id)).where(
            OutcomeReport.kind == "agreement_signed",
            OutcomeReport.confirmed_at.is_(None),
            OutcomeReport.confirms_id.is_(None),
        )
    )
    assert unconfirmed and unconfirmed > 0

    bookings = _tally(session, Booking.status)
    assert bookings["accepted"] == sum(
        1 for b in market.bookings if b.decision == BookingDecision.ACCEPTED
    )
    assert sum(bookings.values()) == loaded["bookings"] > 0


def test_the_history_keeps_its_dates_and_sends_no_news(
    session: Session, market: MarketWorld, loaded: dict[str, int]
) -> None:
    expressed = sorted(i.at for i in market.interests)
    stored = sorted(c.astimezone(dt.UTC) for c in session.scalars(select(Interest.created_at)))
    assert stored == expressed
    intros = session.scalars(select(Introduction).order_by(Introduction.created_at))
    first = next(iter(intros))
    assert first.created_at.year in (2018, 2019)
    # The brokerage days' notices of the past are listed as read; nothing is e-mailed.
    unread_or_mailed = select(func.count(Notification.id)).where(
        (Notification.read_at.is_(None)) | (Notification.mail_message_id.is_not(None))
    )
    assert session.scalar(unread_or_mailed) == 0


def test_the_demo_log_ins_see_their_own_opportunities(
    session: Session, demo_world: World, market: MarketWorld, loaded: dict[str, int]
) -> None:
    for login in ("redaktor.firma", "podglad.firma", "nauka", "czlonek"):
        user = session.scalar(select(User).where(User.email.startswith(f"{login}@")))
        assert user is not None
        actor = actor_for(session, user)
        own = market_queries.list_own(session, actor)
        mine = [u for u in demo_world.users if u.email == user.email]
        (org,) = (g.organisation for u in mine for g in u.roles)
        assert len(own) == sum(1 for o in market.opportunities if o.owner == org) > 0, login


def _figure(html: str, label: str) -> str:
    found = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", html)
    assert found, f"no {label}"
    return found.group(1)


def test_the_dashboard_shows_engagement_on_the_demo_data(
    session: Session, client: Any, demo_world: World, loaded: dict[str, int]
) -> None:
    for login in ("koordynator@upland.example", "urzednik.lublin@upland.example"):
        assert log_in(client, login, demo_world.password).status_code == 303
        page = client.get("/market/dashboard?lang=en")
        assert page.status_code == 200
        for label in ("Interest rate", "Acceptance rate"):
            assert re.fullmatch(r"\d+(\.\d)? %", _figure(page.text, label)), (login, label)
        assert re.fullmatch(r"[\d.]+ days", _figure(page.text, "Median time to first interest"))
        assert int(_figure(page.text, "Introductions")) > 0
        client.cookies.clear()  # the next one logs in afresh
    listing = client.get("/market?lang=en")
    assert listing.status_code == 200
