"""The marketplace's news: for each kind, the people who may act on it get it (and nobody
else), in their own language, naming only what they may know."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.notice_world import World, links, market_news, told, world

from upland.market import service as market
from upland.market.interests import service
from upland.market.interests.schemas import BookingIn, DecisionIn, InterestIn, OutcomeIn, PassIn
from upland.settings import get_settings

pytestmark = pytest.mark.usefixtures("market_notices")

TITLE_PL = "Frezowanie CNC korpusów przekładni"
TITLE_EN = "CNC milling of gearbox housings"
TODAY = dt.datetime.now(dt.UTC).date()


def _express(session: Session, w: World):
    interest = service.express_interest(
        session, w.pair.other_editor, w.pair.opportunity.id, InterestIn(message="Chętnie")
    )
    session.commit()
    return interest


def _only(heard: dict[int, list[str]], *people: int | None) -> None:
    assert set(heard) == set(people)
    assert all(len(sentences) == 1 for sentences in heard.values())


def test_an_interest_goes_to_the_owners_editors_and_admins_in_their_language(session: Session):
    w = world(session)
    _express(session, w)
    heard = told(session, "market.interest_received")
    _only(heard, *w.owner_side)
    other = w.pair.other.short_name
    polish = f"{other} jest zainteresowana ofertą „{TITLE_PL}”"
    assert heard[w.pair.owner_editor.user_id or 0] == [polish]
    assert heard[w.owner_admin.user_id or 0] == [f"{other} is interested in “{TITLE_EN}”"]
    assert links(session, "market.interest_received") == {
        f"/market/{w.pair.opportunity.id}/interests"
    }
    assert market_news(session) == {"market.interest_received"}


def test_a_withdrawn_interest_goes_to_the_owners_side(session: Session):
    w = world(session)
    interest = _express(session, w)
    service.withdraw_interest(session, w.pair.other_editor, interest.id)
    session.commit()
    heard = told(session, "market.interest_withdrawn")
    _only(heard, *w.owner_side)
    assert heard[w.owner_admin.user_id or 0] == [
        f"{w.pair.other.short_name} withdrew its interest in “{TITLE_EN}”"
    ]


def test_acceptance_tells_who_answered_and_discloses_an_anonymous_owner(session: Session):
    w = world(session, anonymous=True)
    interest = _express(session, w)
    service.accept_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    session.commit()
    heard = told(session, "market.interest_accepted")
    _only(heard, w.pair.other_editor.user_id)  # not the interested side's second editor
    assert heard[w.pair.other_editor.user_id or 0] == [
        f"{w.pair.owner.short_name} accepted your organisation's interest in “{TITLE_EN}”: "
        "you can now see each other's contacts"
    ]


def test_a_decline_never_names_an_anonymous_owner(session: Session):
    w = world(session, anonymous=True)
    interest = _express(session, w)
    service.decline_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    session.commit()
    heard = told(session, "market.interest_declined")
    _only(heard, w.pair.other_editor.user_id)
    sentence = heard[w.pair.other_editor.user_id or 0][0]
    assert sentence == f"Your organisation's interest in “{TITLE_EN}” was declined"
    assert w.pair.owner.short_name not in sentence


def test_a_decision_goes_to_the_editors_once_who_answered_has_left(session: Session):
    from upland.accounts import service as accounts
    from upland.actor import SYSTEM

    w = world(session)
    interest = _express(session, w)
    accounts.revoke_role(
        session, SYSTEM, w.pair.other_editor.user_id or 0, "editor", w.pair.other.id
    )
    service.decline_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    session.commit()
    heard = told(session, "market.interest_declined")
    _only(heard, w.other_second.user_id)
    assert heard[w.other_second.user_id or 0] == [
        f"Zgłoszenie zainteresowania Twojej organizacji ofertą „{TITLE_PL}” zostało odrzucone"
    ]


def test_a_pass_tells_the_research_owner_why(session: Session):
    w = world(session, owner_kind="research", kind="technology_offer", trl=4)
    service.pass_on(session, w.pair.other_editor, w.pair.opportunity.id, PassIn(reason="too_early"))
    session.commit()
    heard = told(session, "market.interest_passed")
    _only(heard, *w.owner_side)
    assert heard[w.owner_admin.user_id or 0][0].startswith(
        f"{w.pair.other.short_name} passed on “{TITLE_EN}”: "
    )
    assert "market.interest_received" not in market_news(session)


def test_access_requests_and_decisions_name_no_anonymous_owner(session: Session):
    w = world(session, visibility="restricted", anonymous=True)
    request = market.request_access(session, w.stranger, w.pair.opportunity.id, w.stranger_org.id)
    session.commit()
    asked = told(session, "market.access_requested")
    _only(asked, *w.owner_side)
    assert asked[w.owner_admin.user_id or 0] == [
        f"{w.stranger_org.short_name} asks to see the whole of “{TITLE_EN}”"
    ]
    market.decide_access(session, w.pair.owner_editor, request.id, grant=True)
    session.commit()
    granted = told(session, "market.access_granted")
    _only(granted, w.stranger.user_id)
    assert granted[w.stranger.user_id or 0] == [f"Możesz już zobaczyć całą ofertę „{TITLE_PL}”"]
    assert links(session, "market.access_granted") == {f"/market/{w.pair.opportunity.id}"}


def test_a_refused_access_request_tells_the_requester(session: Session):
    w = world(session, visibility="restricted")
    request = market.request_access(session, w.stranger, w.pair.opportunity.id, w.stranger_org.id)
    market.decide_access(session, w.owner_admin, request.id, grant=False)
    session.commit()
    refused = told(session, "market.access_refused")
    _only(refused, w.stranger.user_id)
    assert w.pair.owner.short_name not in refused[w.stranger.user_id or 0][0]


def test_review_submission_goes_to_coordinators_and_its_result_to_the_owners_side(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    w = world(session)
    monkeypatch.setattr(get_settings(), "market_review", True)

    draft = factories.opportunity(session, w.pair.owner, w.pair.owner_editor, title_en="Casting")
    market.submit_opportunity(session, w.pair.owner_editor, draft.id)
    session.commit()
    submitted = told(session, "market.opportunity_submitted")
    _only(submitted, w.coordinator.user_id)
    assert submitted[w.coordinator.user_id or 0] == [
        f"{w.pair.owner.short_name} submitted “Casting” for review"
    ]
    market.return_opportunity(session, w.coordinator, draft.id, "Dodaj opis maszyn")
    session.commit()
    returned = told(session, "market.opportunity_returned")
    _only(returned, *w.owner_side)
    assert returned[w.pair.owner_editor.user_id or 0] == [
        f"Koordynator zwrócił ofertę „{TITLE_PL}” do poprawy: Dodaj opis maszyn"
    ]
    market.submit_opportunity(session, w.pair.owner_editor, draft.id)
    market.approve_opportunity(session, w.coordinator, draft.id)
    session.commit()
    approved = told(session, "market.opportunity_approved")
    _only(approved, *w.owner_side)
    english = "The coordinator approved “Casting”: it is published"
    assert approved[w.owner_admin.user_id or 0] == [english]


def _lab(session: Session, **opportunity) -> World:
    return world(
        session,
        owner_kind="research",
        kind="infrastructure_offer",
        equipment="Hamownia podwoziowa",
        **opportunity,
    )


def _book(session: Session, w: World):
    booking = service.request_booking(
        session,
        w.pair.other_editor,
        w.pair.opportunity.id,
        BookingIn(
            starts_on=TODAY + dt.timedelta(days=3),
            ends_on=TODAY + dt.timedelta(days=4),
            purpose="Testy",
        ),
    )
    session.commit()
    return booking


def test_a_booking_request_goes_to_the_owners_side_with_its_days(session: Session):
    w = _lab(session)
    _book(session, w)
    heard = told(session, "market.booking_requested")
    _only(heard, *w.owner_side)
    sentence = heard[w.owner_admin.user_id or 0][0]
    start = TODAY + dt.timedelta(days=3)
    assert sentence.startswith(f"{w.pair.other.short_name} asks to book “{TITLE_EN}” from ")
    assert f"{start:%B} {start.day}, {start.year}" in sentence  # a date written out in English


@pytest.mark.parametrize(
    ("decide", "kind", "word"),
    [
        (service.accept_booking, "market.booking_accepted", "accepted"),
        (service.decline_booking, "market.booking_declined", "declined"),
    ],
)
def test_a_booking_decision_goes_to_who_asked(session: Session, decide, kind: str, word: str):
    w = _lab(session)
    booking = _book(session, w)
    decide(session, w.pair.owner_editor, booking.id, DecisionIn())
    session.commit()
    heard = told(session, kind)
    _only(heard, w.pair.other_editor.user_id)
    assert heard[w.pair.other_editor.user_id or 0][0].endswith(f"was {word}")
    assert w.pair.owner.short_name not in heard[w.pair.other_editor.user_id or 0][0]


def test_an_agreement_reported_by_one_side_asks_the_other_to_confirm(session: Session):
    w = world(session)
    interest = _express(session, w)
    introduction = service.accept_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    session.commit()
    report = OutcomeIn(kind="agreement_signed", agreement_type="subcontracting")
    service.record_outcome(session, w.pair.other_editor, introduction.id, report)
    session.commit()
    heard = told(session, "market.outcome_reported")
    _only(heard, *w.owner_side)
    assert heard[w.owner_admin.user_id or 0] == [
        f"{w.pair.other.short_name} reports an agreement signed (commercial agreement: "
        "subcontracting or outsourcing) after your introduction through "
        f"“{TITLE_EN}”: confirm it if you signed it too"
    ]
    service.record_outcome(session, w.pair.owner_editor, introduction.id, report)
    session.commit()
    heard = told(session, "market.outcome_reported")
    interested = {w.pair.other_editor.user_id, w.other_second.user_id}
    assert set(heard) == w.owner_side | interested
    assert heard[w.pair.other_editor.user_id or 0][0].endswith(": it now counts")
    assert heard[w.other_second.user_id or 0][0].endswith(": od teraz jest liczona")


def test_a_meeting_reported_is_news_without_a_question(session: Session):
    w = world(session)
    interest = _express(session, w)
    introduction = service.accept_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    met = OutcomeIn(kind="meeting_held", occurred_on=TODAY)
    service.record_outcome(session, w.pair.owner_editor, introduction.id, met)
    session.commit()
    heard = told(session, "market.outcome_reported")
    assert set(heard) == {w.pair.other_editor.user_id, w.other_second.user_id}
    assert heard[w.pair.other_editor.user_id or 0] == [
        f"{w.pair.owner.short_name} reports a meeting held after your introduction through "
        f"“{TITLE_EN}”"
    ]


def test_the_demo_writing_its_history_tells_nobody(session: Session) -> None:
    """Signals fired while `clock.replay` writes the past leave no news (no e-mail of 2019)."""
    from upland import clock
    from upland.market.models import PendingNews
    from upland.market.signals import OpportunityApproved
    from upland.signals import publish

    signal = OpportunityApproved(opportunity_id=1, owner_id=2)
    with clock.replay(dt.datetime(2019, 5, 6, 9, tzinfo=dt.UTC)):
        publish(session, signal)
    assert session.scalars(select(PendingNews)).all() == []
    publish(session, signal)
    assert [n.signal for n in session.scalars(select(PendingNews))] == ["OpportunityApproved"]


def _accepted_booking(session: Session, w: World):
    booking = _book(session, w)
    service.accept_booking(session, w.pair.owner_editor, booking.id, DecisionIn())
    session.commit()
    return booking


def test_a_booking_the_requester_cancels_tells_the_owners_side(session: Session):
    w = _lab(session)
    booking = _accepted_booking(session, w)
    service.cancel_booking(session, w.pair.other_editor, booking.id, DecisionIn())
    session.commit()
    heard = told(session, "market.booking_withdrawn")
    _only(heard, *w.owner_side)
    start = TODAY + dt.timedelta(days=3)
    sentence = heard[w.owner_admin.user_id or 0][0]
    assert sentence.startswith(f"{w.pair.other.short_name} cancelled its booking of “{TITLE_EN}”")
    assert f"{start:%B} {start.day}, {start.year}" in sentence
    assert heard[w.pair.owner_editor.user_id or 0][0].startswith(
        f"{w.pair.other.short_name} odwołała rezerwację"
    )
    page = f"/market/{w.pair.opportunity.id}/bookings"
    assert links(session, "market.booking_withdrawn") == {page}
    assert told(session, "market.booking_cancelled") == {}


def test_a_booking_the_owner_cancels_tells_who_asked_without_naming_the_owner(session: Session):
    w = _lab(session, anonymous=True)
    booking = _accepted_booking(session, w)
    service.cancel_booking(session, w.pair.owner_editor, booking.id, DecisionIn())
    session.commit()
    heard = told(session, "market.booking_cancelled")
    _only(heard, w.pair.other_editor.user_id)
    sentence = heard[w.pair.other_editor.user_id or 0][0]
    assert sentence.startswith(f"Your booking of “{TITLE_EN}” from ")
    assert sentence.endswith("was cancelled by its owner")
    assert w.pair.owner.short_name not in sentence
    assert told(session, "market.booking_withdrawn") == {}


def test_the_coordinators_confirmation_tells_both_sides(session: Session):
    w = world(session)
    interest = _express(session, w)
    introduction = service.accept_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    report = OutcomeIn(kind="agreement_signed", agreement_type="subcontracting")
    reported = service.record_outcome(session, w.pair.other_editor, introduction.id, report)
    session.commit()
    service.confirm_outcome(session, w.coordinator, reported.id)
    session.commit()
    heard = told(session, "market.agreement_confirmed")
    interested = {w.pair.other_editor.user_id, w.other_second.user_id}
    _only(heard, *(w.owner_side | interested))
    assert heard[w.owner_admin.user_id or 0] == [
        "The coordinator confirmed the agreement (commercial agreement: subcontracting or "
        f"outsourcing) from the introduction through “{TITLE_EN}”: it now counts"
    ]
    assert heard[w.other_second.user_id or 0][0].startswith("Koordynator potwierdził umowę")
