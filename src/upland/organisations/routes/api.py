"""The registry's JSON API under /api/v1, over the same queries and services as the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from upland.db import RowId
from upland.organisations import presenters, queries, service
from upland.organisations.routes.common import (
    MEDIA,
    ExportParams,
    ListParams,
    city_names,
    export,
    today,
)
from upland.organisations.schemas import (
    CapabilityIn,
    OrganisationCreate,
    OrganisationPage,
    OrganisationRead,
    OrganisationUpdate,
    PersonIn,
    PersonRead,
    SiteIn,
)
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS

router = APIRouter(
    prefix="/api/v1", tags=["organisations"], dependencies=[CsrfChecked], responses=API_ERRORS
)


@router.get("/organisations", response_model=OrganisationPage)
def api_list_organisations(
    session: SessionDep, actor: ActorDep, params: Annotated[ListParams, Query()]
) -> OrganisationPage:
    """Organisations you may see, filtered; keyset pages via `next_cursor` / `prev_cursor`."""
    page = queries.list_organisations(
        session,
        actor,
        params,
        today=today(),
        limit=params.limit,
        after=params.after,
        before=params.before,
        summaries=True,
    )
    names = city_names(session, page.items)
    return OrganisationPage(
        items=[presenters.summary(o, names) for o in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@router.get(
    "/organisations/export",
    response_class=Response,
    responses={200: {"content": {m: {} for m in MEDIA.values()}}},
)
def api_export_organisations(
    session: SessionDep, actor: ActorDep, params: Annotated[ExportParams, Query()]
) -> Response:
    """Exactly the rows the same filter lists for you, as CSV, XLSX or JSON."""
    return export(session, actor, params, params.format)


# `:int` keeps /organisations/export from being taken for an id (so PATCH there is a 405).
@router.get("/organisations/{org_id:int}", response_model=OrganisationRead)
def api_get_organisation(
    org_id: RowId, session: SessionDep, actor: ActorDep, request: Request
) -> OrganisationRead:
    org = queries.get_organisation(session, actor, org_id)
    return presenters.detail(session, actor, org, request.state.language)


@router.post("/organisations", response_model=OrganisationRead, status_code=201)
def api_create_organisation(
    data: OrganisationCreate, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        org = service.create_organisation(session, actor, data)
        return presenters.detail(session, actor, org)


@router.patch("/organisations/{org_id:int}", response_model=OrganisationRead)
def api_update_organisation(
    org_id: RowId, data: OrganisationUpdate, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        org = service.update_organisation(session, actor, org_id, data)
        return presenters.detail(session, actor, org)


@router.delete("/organisations/{org_id:int}", status_code=204)
def api_delete_organisation(org_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.delete_organisation(session, actor, org_id)
    return Response(status_code=204)


@router.post("/organisations/{org_id}/sites", response_model=OrganisationRead, status_code=201)
def api_add_site(
    org_id: RowId, data: SiteIn, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        site = service.add_site(session, actor, org_id, data)
        return presenters.detail(session, actor, site.organisation)


@router.put("/sites/{site_id}", response_model=OrganisationRead)
def api_update_site(
    site_id: RowId, data: SiteIn, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        site = service.update_site(session, actor, site_id, data)
        return presenters.detail(session, actor, site.organisation)


@router.delete("/sites/{site_id}", status_code=204)
def api_remove_site(site_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_site(session, actor, site_id)
    return Response(status_code=204)


@router.post("/organisations/{org_id}/people", response_model=PersonRead, status_code=201)
def api_add_person(
    org_id: RowId, data: PersonIn, session: SessionDep, actor: ActorDep
) -> PersonRead:
    with unit_of_work(session):
        return presenters.person(actor, service.add_person(session, actor, org_id, data))


@router.put("/people/{person_id}", response_model=PersonRead)
def api_update_person(
    person_id: RowId, data: PersonIn, session: SessionDep, actor: ActorDep
) -> PersonRead:
    with unit_of_work(session):
        return presenters.person(actor, service.update_person(session, actor, person_id, data))


@router.delete("/people/{person_id}", status_code=204)
def api_remove_person(person_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_person(session, actor, person_id)
    return Response(status_code=204)


@router.post("/people/{person_id}/erase", response_model=PersonRead)
def api_erase_person(person_id: RowId, session: SessionDep, actor: ActorDep) -> PersonRead:
    """Remove a contact person's personal data; the row stays for statistics."""
    with unit_of_work(session):
        return presenters.person(actor, service.erase_person(session, actor, person_id))


@router.post(
    "/organisations/{org_id}/capabilities", response_model=OrganisationRead, status_code=201
)
def api_add_capability(
    org_id: RowId, data: CapabilityIn, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        capability = service.add_capability(session, actor, org_id, data)
        return presenters.detail(session, actor, capability.organisation)


@router.delete("/capabilities/{capability_id}", status_code=204)
def api_remove_capability(capability_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_capability(session, actor, capability_id)
    return Response(status_code=204)
