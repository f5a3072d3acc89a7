"""Outcome reports: both sides' reports kept, field rules, and when an agreement counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.market.interest_world import Pair, editor, pair

from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.market.interests import presenters, service
from upland.market.interests.models import Introduction
from upland.market.interests.schemas import InterestIn, OutcomeIn
from upland.market.signals import AgreementConfirmed, OutcomeRecorded
from upland.signals import subscribe, unsubscribe

TODAY = dt.datetime.now(dt.UTC).date()


def _introduced(session: Session) -> tuple[Pair, Introduction]:
    world = pair(session)
    interest = service.express_interest(
        session, world.other_editor, world.opportunity.id, InterestIn(message="Spotkajmy się")
    )
    return world, service.accept_interest(session, world.owner_editor, interest.id)


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"kind": "meeting_held"}, "occurred_on", "date.missing"),
        (
            {"kind": "meeting_held", "occurred_on": TODAY + dt.timedelta(days=3)},
            "occurred_on",
            "occurred_on.future",
        ),
        ({"kind": "agreement_signed"}, "agreement_type", "agreement_type.missing"),
        ({"kind": "abandoned"}, "reason", "reason.missing"),
    ],
)
def test_each_kind_needs_its_facts(session: Session, data, field, code):
    world, introduction = _introduced(session)
    with pytest.raises(Invalid) as refused:
        service.record_outcome(session, world.other_editor, introduction.id, OutcomeIn(**data))
    assert {e.field: e.code for e in refused.value.errors}[field] == code
    assert introduction.outcomes == []


def test_an_agreement_counts_when_both_sides_say_so(session: Session):
    world, introduction = _introduced(session)
    heard: list[object] = []
    for kind in (OutcomeRecorded, AgreementConfirmed):
        subscribe(kind, heard.append)
    try:
        meeting = service.record_outcome(
            session,
            world.owner_editor,
            introduction.id,
            OutcomeIn(kind="meeting_held", occurred_on=TODAY, note="W Radomiu"),
        )
        mine = service.record_outcome(
            session,
            world.other_editor,
            introduction.id,
            OutcomeIn(kind="agreement_signed", agreement_type="subcontracting"),
        )
        assert not presenters.counts(mine)
        other_type = service.record_outcome(
            session,
            world.owner_editor,
            introduction.id,
            OutcomeIn(kind="agreement_signed", agreement_type="licence"),
        )
        assert not presenters.counts(mine) and other_type.confirms_id is None
        theirs = service.record_outcome(
            session,
            world.owner_editor,
            introduction.id,
            OutcomeIn(kind="agreement_signed", agreement_type="subcontracting"),
        )
        session.commit()
    finally:
        for kind in (OutcomeRecorded, AgreementConfirmed):
            unsubscribe(kind, heard.append)
    assert meeting.organisation_id == world.owner.id
    assert presenters.counts(mine) and mine.confirmed_as == "partner"
    assert theirs.confirms_id == mine.id and not presenters.counts(theirs)
    assert len(introduction.outcomes) == 4  # both sides' reports are kept
    confirmed = [s for s in heard if isinstance(s, AgreementConfirmed)]
    assert len(confirmed) == 1 and confirmed[0].agreement_type == "subcontracting"
    assert sum(isinstance(s, OutcomeRecorded) for s in heard) == 4
    read = presenters.introduction(session, world.owner_editor, introduction, {})
    assert read.agreements_counted == 1


def test_the_partner_or_the_coordinator_confirms(session: Session):
    world, introduction = _introduced(session)
    report = service.record_outcome(
        session,
        world.other_editor,
        introduction.id,
        OutcomeIn(kind="agreement_signed", agreement_type="research_cooperation"),
    )
    with pytest.raises(PermissionDenied):  # not one's own report
        service.confirm_outcome(session, world.other_editor, report.id)
    stranger = editor(session, factories.organisation(session))
    with pytest.raises(NotFound):
        service.confirm_outcome(session, stranger, report.id)
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    service.confirm_outcome(session, coordinator, report.id)
    assert report.confirmed_as == "coordinator" and presenters.counts(report)
    with pytest.raises(Conflict) as refused:
        service.confirm_outcome(session, world.owner_editor, report.id)
    assert refused.value.code == "outcome.confirmed"
    meeting = service.record_outcome(
        session,
        world.other_editor,
        introduction.id,
        OutcomeIn(kind="meeting_held", occurred_on=TODAY),
    )
    with pytest.raises(Conflict) as refused:
        service.confirm_outcome(session, world.owner_editor, meeting.id)
    assert refused.value.code == "outcome.not_agreement"


def test_only_the_sides_report(session: Session):
    world, introduction = _introduced(session)
    viewer = editor(session, world.other, role="viewer")
    with pytest.raises(PermissionDenied):
        service.record_outcome(
            session, viewer, introduction.id, OutcomeIn(kind="abandoned", reason="Brak budżetu")
        )
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    with pytest.raises(PermissionDenied):
        service.record_outcome(
            session, coordinator, introduction.id, OutcomeIn(kind="abandoned", reason="x")
        )


def test_a_persons_data_is_exported_and_erased_keeping_the_statistics(session: Session):
    from upland.accounts import queries as accounts_queries
    from upland.accounts import service as accounts
    from upland.actor import SYSTEM
    from upland.market.interests.models import Interest

    world, introduction = _introduced(session)
    service.record_outcome(
        session,
        world.other_editor,
        introduction.id,
        OutcomeIn(kind="abandoned", reason="Brak budżetu", note="Zadzwonię w 2027"),
    )
    user_id = world.other_editor.user_id
    data = accounts_queries.personal_data(session, SYSTEM, user_id)["market_interests"]
    assert [i["message"] for i in data["interests"]] == ["Spotkajmy się"]
    assert [n["id"] for n in data["introductions"]] == [introduction.id]
    assert data["outcome_reports"][0]["note"] == "Zadzwonię w 2027"

    accounts.erase_user(session, SYSTEM, user_id)
    session.expire_all()
    interest = session.get(Interest, introduction.interest_id)
    assert interest is not None and interest.message == "" and interest.created_by_id is None
    assert interest.status == "accepted"  # the statistics stay
    assert session.get(Introduction, introduction.id) is not None
    assert introduction.interested_user_id is None
    [report] = introduction.outcomes
    assert (report.kind, report.note, report.reason) == ("abandoned", "", "")
    after = accounts_queries.personal_data(session, SYSTEM, user_id)["market_interests"]
    assert after == {"interests": [], "introductions": [], "outcome_reports": [], "bookings": []}
