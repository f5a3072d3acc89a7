"""What the pages of interests and of bookings share: who may open an opportunity's page, its
head, and one form's write that redirects on success or shows the form again on failure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from upland.accounts import flash
from upland.actor import Actor, OrgRole
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.i18n import Message
from upland.market.interests import presenters, queries
from upland.market.models import Opportunity
from upland.market.permissions import can_view_opportunity, may_see_owner
from upland.organisations import queries as organisations
from upland.web.deps import unit_of_work
from upland.web.forms import field_errors
from upland.web.messages import describe
from upland.web.templating import language_of


def logged_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise PermissionDenied("log in to see this page", code="login_required")


def edited(session: Session, actor: Actor, but: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the organisations the actor edits, the owner left out."""
    ids = [o for o in actor.org_roles if actor.has_role(o, OrgRole.EDITOR) and o != but]
    return organisations.organisation_choices(session, ids)


def opportunity_of(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """The opportunity for its answers and bookings pages: to whoever sees it whole, and to
    an organisation that answered or booked it (after it closed, too)."""
    logged_in(actor)
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is not None and (
        can_view_opportunity(actor, opportunity)
        or queries.list_interests(session, actor, opportunity_id=opportunity_id, limit=1)
        or queries.list_bookings(session, actor, opportunity_id=opportunity_id, limit=1)
    ):
        return opportunity
    raise NotFound(
        "opportunity {id} does not exist", code="opportunity.not_found", id=opportunity_id
    )


def head(session: Session, actor: Actor, opportunity: Opportunity, language: str) -> dict[str, Any]:
    """What heads an opportunity's answers and bookings pages: its title in the reader's
    language (the other one when it has none), its owner where shown, and whether the reader
    may open the opportunity itself (an organisation that answered a closed one may not)."""
    owner = None
    if may_see_owner(actor, opportunity):
        owner = presenters.names_of(session, [opportunity.owner_id]).get(opportunity.owner_id)
    title = opportunity.title_pl or opportunity.title_en
    if language == "en" and opportunity.title_en:
        title = opportunity.title_en
    return {
        "opportunity": opportunity,
        "title": title,
        "viewable": can_view_opportunity(actor, opportunity),
        "owner_name": owner,
        "is_owner": actor.has_role(opportunity.owner_id, OrgRole.VIEWER),
    }


def _failure(
    exc: Invalid | ValidationError | Conflict, language: str
) -> tuple[dict[str, str], int]:
    if isinstance(exc, Conflict):
        return {"form": describe(exc, language)}, 409
    return field_errors(exc, language), 422


def act(
    request: Request,
    session: Session,
    write: Callable[[], Message],
    done: str,
    again: Callable[[dict[str, str], int], Response],
) -> Response:
    """Run one write; to `done` saying what changed, or the form again saying why not."""
    try:
        with unit_of_work(session):
            said = write()
    except (Invalid, ValidationError, Conflict) as exc:
        session.rollback()
        errors, status = _failure(exc, language_of(request))
        return again(errors, status)
    flash.flash(request.session, said)
    return RedirectResponse(done, status_code=303)
