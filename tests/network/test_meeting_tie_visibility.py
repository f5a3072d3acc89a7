"""Who sees a tie that came of a brokerage-day meeting: as the meeting itself, its two sides,
the users of the event's organiser and staff; not other members, other participants of the
day, nor the city officers, whose partner-area report hides small counts of those meetings
(an attack pass found the officer could count a day's hidden "meetings held" in the network)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.network.test_meeting_relations import _world, the_day_comes

from upland.accounts import queries as accounts
from upland.actor import Actor
from upland.events import service as events_service
from upland.events.report.queries import get_area_report
from upland.events.schemas import MeetingOutcomeIn
from upland.network import queries as network
from upland.network.recommendations.queries import ever_tied
from upland.network.recommendations.scoring import pair_of


def _day(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A day organised by a business-support organisation where a meets b and signs an
    agreement; c takes part and meets nobody."""
    organiser = factories.organisation(session, kind="business_support")
    day, (a, b, c), meeting, alice = _world(session, organiser.id)
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    carol = factories.actor_of(session, accounts.get_user(session, c.user_id))
    the_day_comes(monkeypatch)
    events_service.record_outcome(
        session,
        alice,
        meeting.id,
        MeetingOutcomeIn(outcome="agreement", agreement_type="subcontracting"),
    )
    bob = factories.actor_of(session, accounts.get_user(session, b.user_id))
    events_service.confirm_agreement(session, bob, meeting.id)
    viewer = factories.user(session, role="viewer", org=organiser)
    return {
        "day": day,
        "pair": pair_of(a.organisation_id, b.organisation_id),
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "coordinator": coordinator,
        "organiser's viewer": factories.actor_of(session, viewer),
        "officer": factories.actor_of(
            session, factories.user(session, role="officer", teryt="0663011")
        ),
        "member": factories.actor_of(
            session, factories.user(session, role="editor", org=factories.organisation(session))
        ),
    }


def _meeting_ties(session: Session, reader: Actor) -> set[str]:
    return {
        r.type
        for r in network.list_relations(session, reader)
        if r.source in ("meeting", "agreement")
    }


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("alice", True),
        ("bob", True),
        ("organiser's viewer", True),
        ("coordinator", True),
        ("carol", False),
        ("officer", False),
        ("member", False),
    ],
)
def test_a_meeting_tie_is_seen_as_the_meeting_is(
    session: Session, monkeypatch: pytest.MonkeyPatch, reader: str, sees: bool
) -> None:
    world = _day(session, monkeypatch)
    expected = {"meeting", "agreement"} if sees else set()
    assert _meeting_ties(session, world[reader]) == expected


def test_the_officer_cannot_count_in_the_network_what_the_area_report_hides(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = _day(session, monkeypatch)
    officer = world["officer"]
    report = get_area_report(session, officer, event_id=world["day"].id)
    assert report.report.total is None  # three organisations: hidden
    assert _meeting_ties(session, officer) == set()
    assert not network.list_relations(session, officer)


def test_recommendations_do_not_leave_out_a_pair_for_a_tie_the_reader_may_not_see(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pair missing from an officer's candidates would tell that it met."""
    world = _day(session, monkeypatch)
    assert world["pair"] not in ever_tied(session, world["officer"])
    assert world["pair"] in ever_tied(session, world["coordinator"])
