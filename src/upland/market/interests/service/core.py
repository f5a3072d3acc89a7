"""What the writers of interests, outcomes and bookings share: finding the opportunity an
organisation may answer, on whose behalf the actor acts, the audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from upland import audit, clock, visibility
from upland.actor import Actor, OrgRole
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.market.models import Opportunity
from upland.market.permissions import can_view_teaser, is_live, is_own, record_of
from upland.organisations import queries as organisations


def now_utc() -> dt.datetime:
    """When an answer, decision or report is made (`upland.clock`)."""
    return clock.now()


def answerable(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """The opportunity if the visibility rule shows it to the actor whole, live or not (whether
    it is still open is a Conflict the caller explains). A restricted one the actor sees only
    as a teaser: PermissionDenied (ask for access first); one never published, or not seen:
    NotFound (no leak)."""
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is not None:
        if is_own(actor, opportunity):
            return opportunity
        # Never published: nobody but the owner learns it exists.
        seen = opportunity.published_at is not None or is_live(opportunity, now_utc().date())
        if seen and visibility.can_see(actor, record_of(opportunity)):
            return opportunity
        if can_view_teaser(actor, opportunity):
            raise PermissionDenied(
                "the owner shows this opportunity only to named organisations; ask for access",
                code="interest.restricted",
            )
    raise NotFound(
        "opportunity {id} does not exist", code="opportunity.not_found", id=opportunity_id
    )


def acting_for(actor: Actor, organisation_id: int | None) -> int:
    """The organisation the actor acts for: the one named, or the only one it edits."""
    if organisation_id is not None:
        return organisation_id
    edited = sorted(o for o in actor.org_roles if actor.has_role(o, OrgRole.EDITOR))
    if len(edited) == 1:
        return edited[0]
    if not edited:
        raise PermissionDenied(
            "only an editor of an organisation can do this on its behalf", code="not_editor"
        )
    raise Invalid.one(
        "organisation_id",
        "choose the organisation you act for",
        code="organisation_id.missing",
    )


def check_live(opportunity: Opportunity, on: dt.date, subject: str) -> None:
    """A Conflict (`<subject>.closed`) unless the opportunity is published and unexpired: no
    answer, acceptance or booking once it is withdrawn, fulfilled or expired."""
    if not is_live(opportunity, on):
        raise Conflict(
            "this opportunity is not open: it is unpublished, withdrawn, fulfilled or expired",
            code=f"{subject}.closed",
        )


def check_open(
    session: Session, opportunity: Opportunity, organisation_id: int, on: dt.date, subject: str
) -> None:
    """What must hold before an organisation answers or books: the opportunity is published
    and unexpired, not its own, and the organisation is a cluster member."""
    check_live(opportunity, on, subject)
    if organisation_id == opportunity.owner_id:
        raise Conflict(
            "an organisation cannot answer its own opportunity", code=f"{subject}.own_opportunity"
        )
    facts = organisations.owner_facts(session, [organisation_id]).get(organisation_id)
    if facts is None or not facts.is_member:
        raise PermissionDenied(
            "only cluster members' organisations can do this", code=f"{subject}.not_member"
        )


def names_of(session: Session, ids: list[int]) -> dict[int, str]:
    return {i: f.name for i, f in organisations.owner_facts(session, ids).items()}


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: int,
    organisation_id: int,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """The audit entry, in the history of `organisation_id` (the side that acted)."""
    audit.record(
        session,
        actor,
        action,
        object_type,
        object_id,
        before=before,
        after={**(after or {}), "organisation_id": organisation_id},
        summary=summary,
    )


def title_of(opportunity: Opportunity) -> str:
    return opportunity.title_pl or opportunity.title_en
