"""Missing-tie recommendations on the web: a page for the coordinator and the city officers,
and the same as JSON under /api/v1/network/recommendations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from upland.accounts import flash
from upland.errors import Conflict
from upland.i18n import N_, Message
from upland.network.recommendations import presenters, queries, service
from upland.permissions import require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)
api = Router(
    prefix="/api/v1/network", tags=["network"], dependencies=[CsrfChecked], responses=API_ERRORS
)


class RecommendationParams(BaseModel):
    model_config = {"extra": "forbid"}

    limit: int = Field(default=queries.LIMIT, ge=1, le=100)


@api.get("/recommendations")
def api_network_recommendations(
    session: SessionDep, actor: ActorDep, params: Annotated[RecommendationParams, Query()]
) -> dict[str, Any]:
    """Pairs of organisations that have never had a relation but that the network's structure
    (shared partners, Adamic–Adar, raised across cities and between science and business)
    and the matching engine both suggest, best first, each with why and an introduction
    note; and the next brokerage day to invite both to. For the coordinator; a city officer
    gets the pairs involving their partner area."""
    shown = queries.list_recommendations(session, actor, limit=params.limit)
    invitation = queries.next_brokerage_day(session, actor)
    return {
        "items": [presenters.as_dict(s, invitation, "en") for s in shown],
        "brokerage_day": presenters.invitation_dict(invitation, "en"),
        "invitations": [
            presenters.invited_dict(i, "en") for i in queries.list_invitations(session, actor)
        ],
    }


class PairIn(BaseModel):
    model_config = {"extra": "forbid"}

    a: int = Field(ge=1, le=2**31 - 1)
    b: int = Field(ge=1, le=2**31 - 1)


@api.post("/recommendations/invite", status_code=201)
def api_invite_pair(data: PairIn, session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Invite both organisations of a pair to the next published brokerage day: their editors
    and admins get a notice; the invitation is recorded (409 when the pair is invited to that
    day already)."""
    with unit_of_work(session):
        invited = service.invite_pair(session, actor, data.a, data.b)
    return {
        "invitation_id": invited.invitation_id,
        "event_id": invited.event_id,
        "notified": invited.recipients,
    }


@pages.get("/network/recommendations", response_class=HTMLResponse)
def recommendations_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Missing ties to act on, each with why and an introduction note."""
    require(actor, "network.recommendation.list")
    language = language_of(request)
    shown = queries.list_recommendations(session, actor)
    invitation = queries.next_brokerage_day(session, actor)
    context = {
        "items": [presenters.as_dict(s, invitation, language) for s in shown],
        "invitations": [
            presenters.invited_dict(i, language) for i in queries.list_invitations(session, actor)
        ],
        "brokerage_day": presenters.invitation_dict(invitation, language),
        "officer_area": queries.area_of(actor) if not actor.is_staff else None,
        "done": flash.take(request.session, language),
    }
    return render(request, "network/recommendations.html", context)


OrganisationId = Annotated[int, Form(ge=1, le=2**31 - 1)]


@pages.post("/network/recommendations/invite", dependencies=[CsrfChecked])
def invite_pair_form(
    request: Request, session: SessionDep, actor: ActorDep, a: OrganisationId, b: OrganisationId
) -> Response:
    """Invite both organisations of a missing tie to the next brokerage day: their editors and
    admins get a notice linking to its page (`service.invite_pair`)."""
    try:
        with unit_of_work(session):
            invited = service.invite_pair(session, actor, a, b)
    except Conflict as exc:
        flash.flash(request.session, exc.msg)
    else:
        flash.flash(
            request.session,
            Message(
                N_("Both organisations are invited to the brokerage day; people notified: {n}."),
                {"n": invited.recipients},
            ),
        )
    return RedirectResponse("/network/recommendations", status_code=303)


# The API in the OpenAPI schema, the pages not (a router left out of the schema would take
# the API out with it).
router = Router()
router.include_router(api)
router.include_router(pages)
