"""The news an opportunity's life brings, and to whom: the coordinators hear of a submission,
the owner's editors of the review's result, of expiry (a reminder before it, with the renew
form) and of requests for access, the requesting organisation of the decision.

A notice names only what its reader may know: the owner's editors read about their own
opportunity; a requester learns the title the teaser showed them, never an anonymous owner."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.i18n import N_
from upland.market.models import AccessRequest, Opportunity
from upland.market.notify import (
    coordinators,
    editors,
    kind,
    name_of,
    on,
    person_or_editors,
    titled,
)
from upland.market.signals import (
    AccessDecided,
    AccessRequested,
    OpportunityApproved,
    OpportunityExpired,
    OpportunityReturned,
    OpportunitySubmitted,
)
from upland.notifications.kinds import Delivery
from upland.notifications.service import notify

SUBMITTED = kind(
    "market.opportunity_submitted",
    N_("An opportunity waits for your review"),
    N_("{organisation} submitted “{title}” for review"),
)
APPROVED = kind(
    "market.opportunity_approved",
    N_("The coordinator approved your opportunity"),
    N_("The coordinator approved “{title}”: it is published"),
)
RETURNED = kind(
    "market.opportunity_returned",
    N_("The coordinator returned your opportunity"),
    N_("The coordinator returned “{title}” for changes: {reason}"),
)
EXPIRY_REMINDER = kind(
    "market.expiry_reminder",
    N_("Your opportunity expires soon"),
    N_("“{title}” expires on {expires_on}: renew it to keep it open"),
)
EXPIRED = kind(
    "market.opportunity_expired",
    N_("Your opportunity has expired"),
    N_("“{title}” has expired and is no longer shown: renew it to open it again"),
    Delivery.DAILY,
)
ACCESS_REQUESTED = kind(
    "market.access_requested",
    N_("An organisation asks to see your restricted opportunity"),
    N_("{organisation} asks to see the whole of “{title}”"),
)
ACCESS_GRANTED = kind(
    "market.access_granted",
    N_("Your request for access was granted"),
    N_("You may now see the whole of “{title}”"),
)
ACCESS_REFUSED = kind(
    "market.access_refused",
    N_("Your request for access was refused"),
    N_("Your request to see the whole of “{title}” was refused"),
)


def page(opportunity_id: int) -> str:
    return f"/market/{opportunity_id}"


def renew_link(opportunity_id: int) -> str:
    return f"/market/{opportunity_id}#renew"


@on(OpportunitySubmitted)
def _submitted(session: Session, event: OpportunitySubmitted) -> None:
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is None:
        return
    params = titled(opportunity, organisation=name_of(session, opportunity.owner_id))
    notify(session, coordinators(session), SUBMITTED, params, "/market/review")


@on(OpportunityApproved)
def _approved(session: Session, event: OpportunityApproved) -> None:
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is not None:
        notify(
            session,
            editors(session, opportunity.owner_id),
            APPROVED,
            titled(opportunity),
            page(opportunity.id),
        )


@on(OpportunityReturned)
def _returned(session: Session, event: OpportunityReturned) -> None:
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is not None:
        notify(
            session,
            editors(session, opportunity.owner_id),
            RETURNED,
            titled(opportunity, reason=event.reason[:1000]),
            page(opportunity.id),
        )


@on(OpportunityExpired)
def _expired(session: Session, event: OpportunityExpired) -> None:
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is not None:
        notify(
            session,
            editors(session, opportunity.owner_id),
            EXPIRED,
            titled(opportunity),
            renew_link(opportunity.id),
        )


def remind(session: Session, opportunity: Opportunity) -> None:
    """Tell the owner's editors that `opportunity` expires soon (the reminder job's words)."""
    assert opportunity.expires_on is not None
    notify(
        session,
        editors(session, opportunity.owner_id),
        EXPIRY_REMINDER,
        titled(opportunity, expires_on=opportunity.expires_on.isoformat()),
        renew_link(opportunity.id),
    )


@on(AccessRequested)
def _access_requested(session: Session, event: AccessRequested) -> None:
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is not None:
        params = titled(opportunity, organisation=name_of(session, event.organisation_id))
        notify(
            session,
            editors(session, opportunity.owner_id),
            ACCESS_REQUESTED,
            params,
            "/market/access",
        )


@on(AccessDecided)
def _access_decided(session: Session, event: AccessDecided) -> None:
    request = session.get(AccessRequest, event.request_id)
    opportunity = session.get(Opportunity, event.opportunity_id)
    if request is None or opportunity is None:
        return
    people = person_or_editors(session, request.requested_by_id, request.organisation_id)
    if event.granted:
        notify(session, people, ACCESS_GRANTED, titled(opportunity), page(opportunity.id))
    else:
        notify(session, people, ACCESS_REFUSED, titled(opportunity))
