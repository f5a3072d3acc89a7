"""Answers to an opportunity: an expression of interest (the owner's editors accept it, which
records an introduction, or decline it; the interested side may withdraw it while it waits),
or a firm's pass on a research organisation's offer, with its reason. Each function: the
permission first, the rules (a Conflict with a code, nothing changed), the change, the audit
entry, the signal after commit."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.errors import Conflict, NotFound
from upland.market.interests import lifecycle
from upland.market.interests.models import Interest, Introduction
from upland.market.interests.permissions import OnBehalf
from upland.market.interests.schemas import DecisionIn, InterestIn, PassIn
from upland.market.interests.service.core import (
    acting_for,
    answerable,
    check_live,
    check_open,
    now_utc,
    record,
    title_of,
)
from upland.market.interests.vocab import (
    OFFER_KINDS,
    InterestAction,
    InterestStatus,
    Response,
)
from upland.market.models import Opportunity
from upland.market.signals import (
    InterestAccepted,
    InterestDeclined,
    InterestExpressed,
    InterestWithdrawn,
    IntroductionRecorded,
)
from upland.organisations import queries as organisations
from upland.permissions import allowed, require
from upland.signals import publish


def visible_interest(session: Session, actor: Actor, interest_id: int) -> Interest:
    interest = session.get(Interest, interest_id)
    if interest is None or not allowed(actor, "market.interest.view", interest):
        raise NotFound("interest {id} does not exist", code="interest.not_found", id=interest_id)
    return interest


def _answer(
    session: Session,
    actor: Actor,
    opportunity_id: int,
    organisation_id: int | None,
) -> tuple[Opportunity, int]:
    opportunity = answerable(session, actor, opportunity_id)
    org = acting_for(actor, organisation_id)
    require(actor, "market.interest.express", OnBehalf(opportunity, org))
    check_open(session, opportunity, org, now_utc().date(), "interest")
    taken = session.scalar(
        select(Interest.response).where(
            Interest.opportunity_id == opportunity.id, Interest.organisation_id == org
        )
    )
    if taken is not None:
        raise Conflict(
            "your organisation has answered this opportunity already",
            code="interest.already_expressed",
        )
    return opportunity, org


def _store(
    session: Session,
    actor: Actor,
    opportunity: Opportunity,
    interest: Interest,
) -> Interest:
    session.add(interest)
    session.flush()
    record(
        session,
        actor,
        f"market.interest.{'pass' if interest.response == Response.PASS else 'express'}",
        "interest",
        interest.id,
        interest.organisation_id,
        title_of(opportunity),
        after={
            "opportunity_id": opportunity.id,
            "status": interest.status,
            "decline_reason": interest.decline_reason,
        },
    )
    publish(
        session,
        InterestExpressed(
            opportunity.id,
            opportunity.owner_id,
            interest.id,
            interest.organisation_id,
            actor.user_id,
            interest.response,
            interest.decline_reason,
        ),
    )
    return interest


def express_interest(
    session: Session, actor: Actor, opportunity_id: int, data: InterestIn
) -> Interest:
    """An editor of a member organisation says it is interested, with a message."""
    opportunity, org = _answer(session, actor, opportunity_id, data.organisation_id)
    interest = Interest(
        opportunity_id=opportunity.id,
        organisation_id=org,
        created_by_id=actor.user_id,
        response=Response.INTEREST.value,
        status=InterestStatus.PENDING.value,
        message=data.message,
    )
    return _store(session, actor, opportunity, interest)


def pass_on(session: Session, actor: Actor, opportunity_id: int, data: PassIn) -> Interest:
    """A company passes on a research organisation's offer it was shown, saying why (the
    university learns what industry missed). Final: nothing to accept or decline."""
    opportunity, org = _answer(session, actor, opportunity_id, data.organisation_id)
    facts = organisations.owner_facts(session, [opportunity.owner_id, org])
    owner, firm = facts.get(opportunity.owner_id), facts.get(org)
    if (
        opportunity.kind not in OFFER_KINDS
        or owner is None
        or owner.kind != "research"
        or firm is None
        or firm.kind != "company"
    ):
        raise Conflict(
            "a pass with a reason is how a company answers a research organisation's offer; "
            "here, simply do not answer",
            code="interest.pass_not_applicable",
        )
    interest = Interest(
        opportunity_id=opportunity.id,
        organisation_id=org,
        created_by_id=actor.user_id,
        response=Response.PASS.value,
        status=InterestStatus.PASSED.value,
        decline_reason=data.reason.value,
        message=data.message,
    )
    return _store(session, actor, opportunity, interest)


def _step(
    session: Session,
    actor: Actor,
    interest: Interest,
    action: InterestAction,
    acting_org: int,
    answer: str = "",
) -> InterestStatus:
    new = lifecycle.next_interest_status(interest.status, action)
    old = interest.status
    interest.status = new.value
    if action != InterestAction.WITHDRAW:
        interest.answer = answer
        interest.decided_by_id = actor.user_id
    interest.decided_at = now_utc()
    session.flush()
    record(
        session,
        actor,
        f"market.interest.{action.value}",
        "interest",
        interest.id,
        acting_org,
        title_of(interest.opportunity),
        before={"status": old},
        after={"status": new.value, "opportunity_id": interest.opportunity_id},
    )
    return new


def accept_interest(
    session: Session, actor: Actor, interest_id: int, data: DecisionIn | None = None
) -> Introduction:
    """The owner's editors accept: an introduction is recorded and both sides now see each
    other's consented contacts and, for an anonymous opportunity, the owner. Only while the
    opportunity is open: once withdrawn, fulfilled or expired, its interests wait (renewing
    opens them again) or are declined."""
    interest = visible_interest(session, actor, interest_id)
    require(actor, "market.interest.decide", interest)
    opportunity = interest.opportunity
    lifecycle.next_interest_status(interest.status, InterestAction.ACCEPT)
    check_live(opportunity, now_utc().date(), "interest")
    _step(
        session,
        actor,
        interest,
        InterestAction.ACCEPT,
        opportunity.owner_id,
        data.message if data else "",
    )
    introduction = Introduction(
        interest_id=interest.id,
        opportunity_id=opportunity.id,
        owner_id=opportunity.owner_id,
        interested_id=interest.organisation_id,
        owner_user_id=actor.user_id,
        interested_user_id=interest.created_by_id,
        created_at=interest.decided_at,
    )
    session.add(introduction)
    session.flush()
    record(
        session,
        actor,
        "market.introduction.record",
        "introduction",
        introduction.id,
        opportunity.owner_id,
        title_of(opportunity),
        after={"opportunity_id": opportunity.id, "interested_id": interest.organisation_id},
    )
    publish(
        session,
        InterestAccepted(
            opportunity.id,
            opportunity.owner_id,
            interest.id,
            interest.organisation_id,
            actor.user_id,
        ),
    )
    publish(
        session,
        IntroductionRecorded(
            opportunity.id,
            opportunity.owner_id,
            introduction.id,
            interest.organisation_id,
            actor.user_id,
            interest.created_by_id,
        ),
    )
    return introduction


def decline_interest(
    session: Session, actor: Actor, interest_id: int, data: DecisionIn | None = None
) -> Interest:
    interest = visible_interest(session, actor, interest_id)
    require(actor, "market.interest.decide", interest)
    opportunity = interest.opportunity
    _step(
        session,
        actor,
        interest,
        InterestAction.DECLINE,
        opportunity.owner_id,
        data.message if data else "",
    )
    publish(
        session,
        InterestDeclined(
            opportunity.id,
            opportunity.owner_id,
            interest.id,
            interest.organisation_id,
            actor.user_id,
        ),
    )
    return interest


def withdraw_interest(session: Session, actor: Actor, interest_id: int) -> Interest:
    """The interested side takes back an interest the owner has not decided on."""
    interest = visible_interest(session, actor, interest_id)
    require(actor, "market.interest.withdraw", interest)
    _step(session, actor, interest, InterestAction.WITHDRAW, interest.organisation_id)
    opportunity = interest.opportunity
    publish(
        session,
        InterestWithdrawn(
            opportunity.id, opportunity.owner_id, interest.id, interest.organisation_id
        ),
    )
    return interest
