"""Saved searches and follows in the JSON API (`/api/v1/saved-searches`, `/api/v1/follows`,
`/api/v1/opportunities/{id}/follow`): one's own only, as the pages."""

from __future__ import annotations

from fastapi import Response

from upland.actor import Actor
from upland.db import RowId
from upland.errors import PermissionDenied
from upland.market.saved import queries, service
from upland.market.saved.models import SavedSearch
from upland.market.saved.schemas import (
    Following,
    FollowList,
    FollowRead,
    SavedSearchCreate,
    SavedSearchList,
    SavedSearchRead,
    SavedSearchRename,
)
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.routing import Router

router = Router(
    prefix="/api/v1", tags=["saved searches"], dependencies=[CsrfChecked], responses=API_ERRORS
)


def _logged_in(actor: Actor) -> None:
    if actor.user_id is None:
        raise PermissionDenied("log in to keep saved searches", code="login_required")


def read(search: SavedSearch) -> SavedSearchRead:
    return SavedSearchRead(
        id=search.id,
        name=search.name,
        url=queries.url_of(search),
        created_at=search.created_at,
        **queries.filter_of(search).model_dump(),
    )


@router.get("/saved-searches", response_model=SavedSearchList)
def api_list_saved_searches(session: SessionDep, actor: ActorDep) -> SavedSearchList:
    """Your saved searches, by name; `limit` is how many one may keep."""
    _logged_in(actor)
    return SavedSearchList(
        items=[read(s) for s in queries.list_searches(session, actor)], limit=service.LIMIT
    )


@router.post("/saved-searches", response_model=SavedSearchRead, status_code=201)
def api_save_search(
    data: SavedSearchCreate, session: SessionDep, actor: ActorDep
) -> SavedSearchRead:
    """Save the browse list's filter (the fields of `GET /opportunities`) under a name; you are
    told of new opportunities it matches as your notification settings say. 409
    `saved_search.limit` past the limit, `saved_search.name_taken` for a name you use."""
    _logged_in(actor)
    with unit_of_work(session):
        return read(service.save_search(session, actor, data))


@router.get("/saved-searches/{search_id:int}", response_model=SavedSearchRead)
def api_get_saved_search(search_id: RowId, session: SessionDep, actor: ActorDep) -> SavedSearchRead:
    _logged_in(actor)
    return read(service.own_search(session, actor, search_id))


@router.patch("/saved-searches/{search_id:int}", response_model=SavedSearchRead)
def api_rename_saved_search(
    search_id: RowId, data: SavedSearchRename, session: SessionDep, actor: ActorDep
) -> SavedSearchRead:
    _logged_in(actor)
    with unit_of_work(session):
        return read(service.rename_search(session, actor, search_id, data.name))


@router.delete("/saved-searches/{search_id:int}", status_code=204)
def api_delete_saved_search(search_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    _logged_in(actor)
    with unit_of_work(session):
        service.delete_search(session, actor, search_id)
    return Response(status_code=204)


@router.get("/follows", response_model=FollowList)
def api_list_follows(session: SessionDep, actor: ActorDep) -> FollowList:
    """The opportunities you follow and still see, latest followed first."""
    _logged_in(actor)
    return FollowList(
        items=[
            FollowRead(
                opportunity_id=f.opportunity.id,
                title=f.opportunity.title_pl or f.opportunity.title_en,
                url=f"/market/{f.opportunity.id}",
                followed_at=f.followed_at,
            )
            for f in queries.list_follows(session, actor)
        ]
    )


@router.put("/opportunities/{opportunity_id:int}/follow", response_model=Following)
def api_follow_opportunity(
    opportunity_id: RowId, session: SessionDep, actor: ActorDep
) -> Following:
    """Follow an opportunity you see: told when it changes, is renewed, nears its deadline or
    closes."""
    _logged_in(actor)
    with unit_of_work(session):
        service.follow(session, actor, opportunity_id)
    return Following(opportunity_id=opportunity_id, following=True)


@router.delete("/opportunities/{opportunity_id:int}/follow", status_code=204)
def api_unfollow_opportunity(
    opportunity_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    _logged_in(actor)
    with unit_of_work(session):
        service.unfollow(session, actor, opportunity_id)
    return Response(status_code=204)
