"""Every step of an opportunity's lifecycle: permission, the transition table
(`market.lifecycle`), the change, the audit entry, the signal. An invalid step is a Conflict
and changes nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Invalid
from upland.market import lifecycle
from upland.market.models import Opportunity
from upland.market.service.core import (
    check_opportunity,
    record,
    review_enabled,
    visible_opportunity,
)
from upland.market.signals import (
    OpportunityApproved,
    OpportunityEvent,
    OpportunityExpired,
    OpportunityFulfilled,
    OpportunityPublished,
    OpportunityRenewed,
    OpportunityReturned,
    OpportunitySubmitted,
    OpportunityWithdrawn,
)
from upland.market.vocab import Action, Status
from upland.permissions import require
from upland.signals import publish

CLOSING = {Status.WITHDRAWN, Status.FULFILLED, Status.EXPIRED}


def _step(
    session: Session,
    actor: Actor,
    opportunity: Opportunity,
    action: Action,
    audit_action: str,
    *,
    now: dt.datetime | None = None,
    extra: dict[str, object] | None = None,
) -> Status:
    """Move `opportunity` by `action` (the permission was checked by the caller)."""
    new = lifecycle.next_status(opportunity.status, action, review=review_enabled())
    old = opportunity.status
    moment = now or utcnow()
    opportunity.status = new.value
    if new == Status.SUBMITTED or action == Action.SUBMIT:
        opportunity.submitted_at = moment
    if new == Status.PUBLISHED and old != Status.PUBLISHED:
        opportunity.published_at = moment
        opportunity.closed_at = None
        opportunity.review_reason = ""
    if new in CLOSING:
        opportunity.closed_at = moment
    opportunity.updated_at = moment
    session.flush()
    record(
        session,
        actor,
        audit_action,
        opportunity,
        before={"status": old},
        after={"status": new.value, **(extra or {})},
    )
    if new == Status.PUBLISHED and old != Status.PUBLISHED:
        publish(session, OpportunityPublished(opportunity.id, opportunity.owner_id))
    return new


def _signal(session: Session, event: OpportunityEvent) -> None:
    publish(session, event)


def submit_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """To the coordinator's review queue, or straight to publication when nobody reviews."""
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    check_opportunity(opportunity, utcnow().date())
    new = _step(session, actor, opportunity, Action.SUBMIT, "market.opportunity.submit")
    if new == Status.SUBMITTED:
        _signal(session, OpportunitySubmitted(opportunity.id, opportunity.owner_id))
    return opportunity


def publish_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """Publish at once; a deployment that reviews refuses it (submit instead)."""
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    check_opportunity(opportunity, utcnow().date())
    _step(session, actor, opportunity, Action.PUBLISH, "market.opportunity.publish")
    return opportunity


def approve_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.review", opportunity)
    _step(session, actor, opportunity, Action.APPROVE, "market.opportunity.approve")
    _signal(session, OpportunityApproved(opportunity.id, opportunity.owner_id))
    return opportunity


def return_opportunity(
    session: Session, actor: Actor, opportunity_id: int, reason: str
) -> Opportunity:
    """Back to the owner with the coordinator's reason, to change and submit again."""
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.review", opportunity)
    reason = reason.strip()
    if not reason:
        raise Invalid.one("reason", "say what should change", code="reason.missing")
    _step(
        session,
        actor,
        opportunity,
        Action.RETURN,
        "market.opportunity.return",
        extra={"review_reason": reason},
    )
    opportunity.review_reason = reason
    session.flush()
    _signal(session, OpportunityReturned(opportunity.id, opportunity.owner_id, reason))
    return opportunity


def withdraw_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    _step(session, actor, opportunity, Action.WITHDRAW, "market.opportunity.withdraw")
    _signal(session, OpportunityWithdrawn(opportunity.id, opportunity.owner_id))
    return opportunity


def fulfil_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    _step(session, actor, opportunity, Action.FULFIL, "market.opportunity.fulfil")
    _signal(session, OpportunityFulfilled(opportunity.id, opportunity.owner_id))
    return opportunity


def renew_opportunity(
    session: Session, actor: Actor, opportunity_id: int, expires_on: dt.date
) -> Opportunity:
    """A new expiry date for a published or expired opportunity (published again)."""
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    if expires_on < utcnow().date():
        raise Invalid.one("expires_on", "the expiry date is in the past", code="expires_on.past")
    lifecycle.next_status(opportunity.status, Action.RENEW, review=review_enabled())
    old_expiry = opportunity.expires_on
    opportunity.expires_on = expires_on
    opportunity.expiry_reminded_on = None  # the new date gets its own reminder
    _step(
        session,
        actor,
        opportunity,
        Action.RENEW,
        "market.opportunity.renew",
        extra={"expires_on": expires_on.isoformat(), "old_expires_on": str(old_expiry or "")},
    )
    _signal(
        session, OpportunityRenewed(opportunity.id, opportunity.owner_id, expires_on.isoformat())
    )
    return opportunity


def expire_due(session: Session, actor: Actor, now: dt.datetime) -> list[int]:
    """Expire every published opportunity whose expiry date is before `now`'s day (the
    scheduler runs it); the ids expired."""
    require(actor, "market.opportunity.expire")
    due = session.scalars(
        select(Opportunity)
        .where(
            Opportunity.status == Status.PUBLISHED.value,
            Opportunity.expires_on < now.date(),
        )
        .order_by(Opportunity.id)
    ).all()
    for opportunity in due:
        _step(session, actor, opportunity, Action.EXPIRE, "market.opportunity.expire", now=now)
        _signal(session, OpportunityExpired(opportunity.id, opportunity.owner_id))
    return [o.id for o in due]
