"""The registry's JSON API under /api/v1, over the same queries and services as the pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response

from upland.db import RowId
from upland.organisations import presenters, queries, removals, service
from upland.organisations.routes.common import (
    MEDIA,
    ExportParams,
    ListParams,
    RemovalToken,
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
    RestoredRead,
    SiteIn,
)
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS, ErrorRead
from upland.web.model_json import model_json
from upland.web.routing import Router

router = Router(
    prefix="/api/v1", tags=["organisations"], dependencies=[CsrfChecked], responses=API_ERRORS
)

REMOVAL_HEADER = "Upland-Removal"
REMOVED: dict[int | str, dict[str, Any]] = {
    204: {
        "description": "Removed; for 7 days `POST /api/v1/removals/{removal}/restore` undoes it",
        "headers": {
            REMOVAL_HEADER: {
                "description": "the removal's token (random), for "
                "`POST /api/v1/removals/{removal}/restore`",
                "schema": {"type": "string", "pattern": removals.REMOVAL_KEY_PATTERN},
            },
            "Link": {
                "description": 'the restore address, `rel="restore"`',
                "schema": {"type": "string"},
            },
        },
    }
}


def _removed(token: str) -> Response:
    """204 naming the removal that undoes it (header and link)."""
    headers = {
        REMOVAL_HEADER: token,
        "Link": f'</api/v1/removals/{token}/restore>; rel="restore"',
    }
    return Response(status_code=204, headers=headers)


@router.get("/organisations", response_model=OrganisationPage)
def api_list_organisations(
    session: SessionDep, actor: ActorDep, params: Annotated[ListParams, Query()]
) -> Response:
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
    answer = OrganisationPage(
        items=[presenters.summary(o, names) for o in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )
    return model_json(answer)


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


@router.delete("/sites/{site_id}", status_code=204, responses=REMOVED)
def api_remove_site(site_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """Remove a site; undo within 7 days with the removal named in `Upland-Removal`."""
    with unit_of_work(session):
        removal = removals.remove_child(session, actor, "sites", site_id)
    return _removed(removal)


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


@router.delete("/people/{person_id}", status_code=204, responses=REMOVED)
def api_remove_person(person_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """Remove a contact person; undo within 7 days with the removal named in `Upland-Removal`
    (to remove their personal data for good, erase them instead)."""
    with unit_of_work(session):
        removal = removals.remove_child(session, actor, "people", person_id)
    return _removed(removal)


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


@router.delete("/capabilities/{capability_id}", status_code=204, responses=REMOVED)
def api_remove_capability(capability_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """Remove a capability; undo within 7 days with the removal named in `Upland-Removal`."""
    with unit_of_work(session):
        removal = removals.remove_child(session, actor, "capabilities", capability_id)
    return _removed(removal)


@router.delete(
    "/organisations/{org_id}/members/{user_id}",
    status_code=204,
    responses=REMOVED,
    tags=["accounts"],
)
def api_remove_member(
    org_id: RowId, user_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    """Take away the user's role in the organisation; undo within 7 days with the removal
    named in `Upland-Removal`."""
    with unit_of_work(session):
        removal = removals.remove(session, actor, org_id, "members", user_id)
    return _removed(removal)


@router.post(
    "/removals/{removal}/restore",
    response_model=RestoredRead,
    responses={410: {"model": ErrorRead, "description": "The removal is older than 7 days"}},
)
def api_restore_removal(
    removal: RemovalToken, session: SessionDep, actor: ActorDep
) -> RestoredRead:
    """Undo a removal made through the API or the profile forms (its token: the DELETE's
    `Upland-Removal` header) within 7 days, as the web's Undo does: for whoever may edit the
    organisation (a member: manage its accounts). 404: no such removal of an organisation you
    may edit; 409: undone already (or the member has a role again); 410: older than 7 days."""
    with unit_of_work(session):
        record = removals.find_removal(session, actor, removal)
        kind, org_id = record.kind, record.organisation_id
        restored = removals.restore(session, actor, org_id, removal)
    return RestoredRead(removal=removal, kind=kind, organisation_id=org_id, id=restored)
