"""Access requests: a user of an organisation that sees only a restricted opportunity's
teaser asks for the whole; the owner's editors grant it (the organisation is then named on the
opportunity, so the one visibility rule shows it) or refuse it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor, OrgRole
from upland.db import utcnow
from upland.errors import Conflict, NotFound, PermissionDenied
from upland.market.models import AccessRequest, Opportunity, OpportunityNamed
from upland.market.permissions import can_view_teaser, is_live, not_found
from upland.market.service.core import record
from upland.market.signals import AccessDecided, AccessRequested
from upland.market.vocab import AccessStatus
from upland.permissions import allowed, require
from upland.signals import publish


def request_access(
    session: Session, actor: Actor, opportunity_id: int, organisation_id: int, message: str = ""
) -> AccessRequest:
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None or not can_view_teaser(actor, opportunity):
        raise not_found(opportunity_id)
    require(actor, "market.access.request", opportunity)
    if not actor.has_role(organisation_id, OrgRole.VIEWER):
        raise PermissionDenied(
            "you may ask only on behalf of an organisation you belong to",
            code="access.not_member",
        )
    existing = session.scalar(
        select(AccessRequest).where(
            AccessRequest.opportunity_id == opportunity_id,
            AccessRequest.organisation_id == organisation_id,
        )
    )
    if existing is not None:
        raise Conflict(
            "your organisation has asked for access already", code="access.already_requested"
        )
    request = AccessRequest(
        opportunity_id=opportunity_id,
        organisation_id=organisation_id,
        requested_by_id=actor.user_id,
        message=message.strip(),
        status=AccessStatus.PENDING.value,
    )
    session.add(request)
    session.flush()
    record(
        session,
        actor,
        "market.access.request",
        opportunity,
        after={"access_request": request.id, "requested_for": organisation_id},
    )
    publish(
        session,
        AccessRequested(opportunity.id, opportunity.owner_id, request.id, organisation_id),
    )
    return request


def decide_access(session: Session, actor: Actor, request_id: int, *, grant: bool) -> AccessRequest:
    """Grant (the organisation is named on the opportunity) or refuse a pending request; only
    an open opportunity grants access (a closed one may still refuse)."""
    request = session.get(AccessRequest, request_id)
    opportunity = session.get(Opportunity, request.opportunity_id) if request else None
    if (
        request is None
        or opportunity is None
        or not allowed(actor, "market.opportunity.view", opportunity)
    ):
        raise NotFound(
            "access request {id} does not exist", code="access_request.not_found", id=request_id
        )
    require(actor, "market.access.decide", opportunity)
    if request.status != AccessStatus.PENDING:
        raise Conflict("this request has been decided already", code="access.decided")
    if grant and not is_live(opportunity, utcnow().date()):
        raise Conflict(
            "this opportunity is not open: it is unpublished, withdrawn, fulfilled or expired",
            code="access.closed",
        )
    request.status = (AccessStatus.GRANTED if grant else AccessStatus.REFUSED).value
    request.decided_by_id = actor.user_id
    request.decided_at = utcnow()
    if grant and request.organisation_id not in opportunity.named_ids:
        opportunity.named.append(OpportunityNamed(organisation_id=request.organisation_id))
    session.flush()
    record(
        session,
        actor,
        "market.access.decide",
        opportunity,
        before={"access_request": request.id, "status": AccessStatus.PENDING.value},
        after={"access_request": request.id, "status": request.status},
    )
    publish(
        session,
        AccessDecided(
            opportunity.id, opportunity.owner_id, request.id, request.organisation_id, grant
        ),
    )
    return request
