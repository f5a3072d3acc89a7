"""Expressions of interest and passes: who may answer what, the rules (a Conflict with a code,
nothing written), the owner's decision, the introduction and the owner's identity."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.market.interest_world import editor, pair

from upland.accounts.models import User
from upland.actor import SYSTEM
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.market import service as market
from upland.market.interests import service
from upland.market.interests.models import Interest, Introduction
from upland.market.interests.schemas import DecisionIn, InterestIn, PassIn
from upland.market.permissions import may_see_owner
from upland.market.signals import (
    InterestAccepted,
    InterestDeclined,
    InterestExpressed,
    IntroductionRecorded,
)
from upland.signals import subscribe, unsubscribe


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Interest)) or 0


def test_expressing_accepting_records_an_introduction_and_signals(session: Session):
    world = pair(session, anonymous=True)
    heard: list[object] = []
    kinds = (InterestExpressed, InterestAccepted, IntroductionRecorded)
    for kind in kinds:
        subscribe(kind, heard.append)
    try:
        interest = service.express_interest(
            session, world.other_editor, world.opportunity.id, InterestIn(message="Chętnie")
        )
        assert interest.status == "pending" and interest.organisation_id == world.other.id
        assert not may_see_owner(world.other_editor, world.opportunity)
        introduction = service.accept_interest(
            session, world.owner_editor, interest.id, DecisionIn(message="Zapraszamy")
        )
        session.commit()
    finally:
        for kind in kinds:
            unsubscribe(kind, heard.append)
    assert interest.status == "accepted" and interest.answer == "Zapraszamy"
    assert introduction.owner_id == world.owner.id
    assert introduction.interested_id == world.other.id
    assert introduction.owner_user_id == world.owner_editor.user_id
    assert introduction.interested_user_id == world.other_editor.user_id
    assert [type(s) for s in heard] == [InterestExpressed, InterestAccepted, IntroductionRecorded]
    recorded = heard[2]
    assert isinstance(recorded, IntroductionRecorded)
    assert recorded.introduction_id == introduction.id
    assert recorded.interested_id == world.other.id and recorded.owner_id == world.owner.id
    # The anonymous owner is now known to the interested side, for good.
    assert may_see_owner(world.other_editor, world.opportunity)
    market.withdraw_opportunity(session, world.owner_editor, world.opportunity.id)
    assert may_see_owner(world.other_editor, world.opportunity)
    stranger = editor(session, factories.organisation(session))
    assert not may_see_owner(stranger, world.opportunity)


def test_declining_keeps_no_introduction(session: Session):
    world = pair(session)
    heard: list[object] = []
    subscribe(InterestDeclined, heard.append)
    try:
        interest = service.express_interest(
            session, world.other_editor, world.opportunity.id, InterestIn()
        )
        service.decline_interest(session, world.owner_editor, interest.id, DecisionIn())
        session.commit()
    finally:
        unsubscribe(InterestDeclined, heard.append)
    assert interest.status == "declined"
    assert session.scalar(select(func.count()).select_from(Introduction)) == 0
    assert len(heard) == 1


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("own", "interest.own_opportunity"),
        ("twice", "interest.already_expressed"),
        ("withdrawn", "interest.closed"),
        ("expired", "interest.closed"),
        ("fulfilled", "interest.closed"),
    ],
)
def test_rules_are_conflicts_and_nothing_is_written(session: Session, case: str, code: str):
    world = pair(session)
    actor, org = world.other_editor, world.other.id
    if case == "own":
        actor, org = world.owner_editor, world.owner.id
    elif case == "twice":
        service.express_interest(session, actor, world.opportunity.id, InterestIn())
    elif case == "withdrawn":
        market.withdraw_opportunity(session, world.owner_editor, world.opportunity.id)
    elif case == "fulfilled":
        market.fulfil_opportunity(session, world.owner_editor, world.opportunity.id)
    elif case == "expired":
        world.opportunity.expires_on = dt.date(2020, 1, 1)
        market.expire_due(session, SYSTEM, dt.datetime.now(dt.UTC))
    before = _count(session)
    with pytest.raises(Conflict) as refused:
        service.express_interest(
            session, actor, world.opportunity.id, InterestIn(organisation_id=org)
        )
    assert refused.value.code == code
    assert _count(session) == before


def test_a_draft_is_not_found_by_others(session: Session):
    owner, other = factories.organisation(session), factories.organisation(session)
    draft = factories.opportunity(session, owner)
    with pytest.raises(NotFound):
        service.express_interest(session, editor(session, other), draft.id, InterestIn())


def test_restricted_not_named_cannot_answer(session: Session):
    world = pair(session, visibility="restricted")
    with pytest.raises(PermissionDenied) as refused:
        service.express_interest(session, world.other_editor, world.opportunity.id, InterestIn())
    assert refused.value.code == "interest.restricted"
    assert _count(session) == 0


def test_restricted_named_may_answer(session: Session):
    owner = factories.organisation(session)
    other = factories.organisation(session)
    made = factories.opportunity(
        session, owner, publish=True, visibility="restricted", named=[other.id]
    )
    interest = service.express_interest(session, editor(session, other), made.id, InterestIn())
    assert interest.status == "pending"


def test_viewers_and_non_members_cannot_answer(session: Session):
    world = pair(session, visibility="public")  # an applicant sees it, but may not answer
    viewer = editor(session, world.other, role="viewer")
    with pytest.raises(PermissionDenied):
        service.express_interest(session, viewer, world.opportunity.id, InterestIn())
    applicant = factories.organisation(session, membership_status="applicant")
    with pytest.raises(PermissionDenied) as refused:
        service.express_interest(
            session, editor(session, applicant), world.opportunity.id, InterestIn()
        )
    assert refused.value.code == "interest.not_member"
    assert _count(session) == 0


def test_unique_constraint_holds_without_the_service(session: Session):
    from sqlalchemy.exc import IntegrityError

    world = pair(session)
    service.express_interest(session, world.other_editor, world.opportunity.id, InterestIn())
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Interest(opportunity_id=world.opportunity.id, organisation_id=world.other.id))
        session.flush()


def test_nobody_but_the_owners_editors_decides(session: Session):
    world = pair(session)
    interest = service.express_interest(
        session, world.other_editor, world.opportunity.id, InterestIn()
    )
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    owner_viewer = editor(session, world.owner, role="viewer")
    for actor in (world.other_editor, coordinator, owner_viewer):
        with pytest.raises(PermissionDenied):
            service.accept_interest(session, actor, interest.id)
    stranger = editor(session, factories.organisation(session))
    with pytest.raises(NotFound):
        service.accept_interest(session, stranger, interest.id)
    with pytest.raises(PermissionDenied):  # and only the interested side withdraws
        service.withdraw_interest(session, world.owner_editor, interest.id)
    assert interest.status == "pending"


def test_a_pass_needs_a_research_offer_and_a_company(session: Session):
    world = pair(session, owner_kind="research", kind="technology_offer")
    passed = service.pass_on(
        session, world.other_editor, world.opportunity.id, PassIn(reason="too_early")
    )
    assert (passed.status, passed.response, passed.decline_reason) == (
        "passed",
        "pass",
        "too_early",
    )
    with pytest.raises(Conflict) as refused:  # final: nothing to decide
        service.accept_interest(session, world.owner_editor, passed.id)
    assert refused.value.code == "interest.transition"

    firm_offer = pair(session, kind="technology_offer")
    with pytest.raises(Conflict) as refused:
        service.pass_on(
            session, firm_offer.other_editor, firm_offer.opportunity.id, PassIn(reason="too_early")
        )
    assert refused.value.code == "interest.pass_not_applicable"


def test_acting_for_must_be_chosen_when_editing_two(session: Session):
    world = pair(session)
    second = factories.organisation(session)
    user = factories.user(session, role="editor", org=world.other)
    from upland.accounts import service as accounts

    accounts.grant_role(session, SYSTEM, user.id, "editor", second.id, None)
    actor = factories.actor_of(session, user)
    with pytest.raises(Invalid):
        service.express_interest(session, actor, world.opportunity.id, InterestIn())
    made = service.express_interest(
        session, actor, world.opportunity.id, InterestIn(organisation_id=second.id)
    )
    assert made.organisation_id == second.id


def test_a_list_of_introductions_asks_who_may_see_the_owners_once(session: Session, client):
    """The interested side's list names each anonymous owner it was introduced to, asking
    once for the list: the statements of the API call do not grow with its rows."""
    world = pair(session, anonymous=True)
    account = session.get(User, world.other_editor.user_id)
    caller = caller_for(session, client, account)

    def introduce() -> None:
        made = factories.opportunity(
            session, world.owner, world.owner_editor, publish=True, anonymous=True
        )
        interest = service.express_interest(session, world.other_editor, made.id, InterestIn())
        service.accept_interest(session, world.owner_editor, interest.id, DecisionIn())
        session.commit()

    sent: list[str] = []

    def listed() -> int:
        sent.clear()
        engine = session.get_bind().engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            items = caller.client.get(
                "/api/v1/introductions", headers={"authorization": f"Bearer {caller.bearer}"}
            ).json()["items"]
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert all(i["owner"]["id"] == world.owner.id for i in items)
        return len(items)

    def count(_conn, _cursor, statement: str, *_args) -> None:
        if statement.startswith("SELECT"):  # not the test's savepoints around them
            sent.append(statement)

    introduce()
    listed()  # the first call of a token or a page may read what later ones keep
    assert listed() == 1
    one = len(sent)
    introduce()
    introduce()
    assert listed() == 3
    assert len(sent) == one
