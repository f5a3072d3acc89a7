"""The marketplace's JSON API under /api/v1, over the same queries and services as the pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile

from upland.controls import printable_name
from upland.db import RowId
from upland.market import presenters, queries, service
from upland.market.models import AccessRequest
from upland.market.routes.common import MEDIA, ExportParams, ListParams, export, today
from upland.market.schemas import (
    AccessDecisionIn,
    AccessRequestIn,
    AccessRequestRead,
    AttachmentRead,
    OpportunityCreate,
    OpportunityPage,
    OpportunityRead,
    OpportunityUpdate,
    RenewIn,
    ReturnIn,
)
from upland.organisations import queries as organisations
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.model_json import model_json
from upland.web.upload_gate import RequireFirst

router = APIRouter(
    prefix="/api/v1", tags=["market"], dependencies=[CsrfChecked], responses=API_ERRORS
)
# Checked before the body is read (web/upload_gate), then again as a dependency.
MayUpload = Depends(RequireFirst("market.attachment.upload"))


def _read(session: SessionDep, actor: ActorDep, opportunity_id: int) -> OpportunityRead:
    return presenters.detail(
        session, actor, queries.get_opportunity(session, actor, opportunity_id)
    )


def access_read(session: SessionDep, request: AccessRequest) -> AccessRequestRead:
    names = organisations.owner_facts(session, [request.organisation_id])
    found = names.get(request.organisation_id)
    return AccessRequestRead(
        id=request.id,
        opportunity_id=request.opportunity_id,
        organisation_id=request.organisation_id,
        organisation=found.name if found else "",
        message=request.message,
        status=request.status,
        created_at=request.created_at,
        decided_at=request.decided_at,
    )


@router.get("/opportunities", response_model=OpportunityPage)
def api_list_opportunities(
    session: SessionDep, actor: ActorDep, params: Annotated[ListParams, Query()]
) -> Response:
    """Published, unexpired opportunities you may see (restricted ones you were not named on
    as teasers), filtered; pages via `next_cursor` / `prev_cursor`."""
    page = queries.list_opportunities(
        session,
        actor,
        params,
        on=today(),
        limit=params.limit,
        after=params.after,
        before=params.before,
    )
    owners = presenters.owners_of(session, page.items)
    answer = OpportunityPage(
        items=[presenters.summary(item, owners) for item in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )
    return model_json(answer)


@router.get(
    "/opportunities/export",
    response_class=Response,
    responses={200: {"content": {m: {} for m in MEDIA.values()}}},
)
def api_export_opportunities(
    session: SessionDep, actor: ActorDep, params: Annotated[ExportParams, Query()]
) -> Response:
    """Exactly the rows the same filter lists for you, as CSV or JSON."""
    return export(session, actor, params, params.format)


@router.get("/opportunities/{opportunity_id:int}", response_model=OpportunityRead)
def api_get_opportunity(
    opportunity_id: RowId, session: SessionDep, actor: ActorDep
) -> OpportunityRead:
    """The opportunity, or its teaser (`teaser: true`) when it is restricted to others."""
    return _read(session, actor, opportunity_id)


@router.post("/opportunities", response_model=OpportunityRead, status_code=201)
def api_create_opportunity(
    data: OpportunityCreate, session: SessionDep, actor: ActorDep
) -> OpportunityRead:
    """A draft of an organisation you are an editor of."""
    with unit_of_work(session):
        made = service.create_opportunity(session, actor, data, today=today())
        return _read(session, actor, made.id)


@router.patch("/opportunities/{opportunity_id:int}", response_model=OpportunityRead)
def api_update_opportunity(
    opportunity_id: RowId, data: OpportunityUpdate, session: SessionDep, actor: ActorDep
) -> OpportunityRead:
    with unit_of_work(session):
        service.update_opportunity(session, actor, opportunity_id, data, today=today())
        return _read(session, actor, opportunity_id)


@router.delete("/opportunities/{opportunity_id:int}", status_code=204)
def api_delete_opportunity(opportunity_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """Delete a draft that was never submitted (later ones are withdrawn instead)."""
    with unit_of_work(session):
        service.delete_opportunity(session, actor, opportunity_id)
    return Response(status_code=204)


STEPS = {
    "submit": service.submit_opportunity,
    "publish": service.publish_opportunity,
    "approve": service.approve_opportunity,
    "withdraw": service.withdraw_opportunity,
    "fulfil": service.fulfil_opportunity,
}


def _step_route(name: str) -> None:
    step = STEPS[name]

    def api_step(opportunity_id: RowId, session: SessionDep, actor: ActorDep) -> OpportunityRead:
        with unit_of_work(session):
            step(session, actor, opportunity_id)
            return _read(session, actor, opportunity_id)

    api_step.__name__ = f"api_{name}_opportunity"
    api_step.__doc__ = (
        f"`{name}` in the opportunity's lifecycle; 409 with code `market.transition` when its "
        "state does not allow it."
    )
    router.post(f"/opportunities/{{opportunity_id:int}}/{name}", response_model=OpportunityRead)(
        api_step
    )


for _name in STEPS:
    _step_route(_name)


@router.post("/opportunities/{opportunity_id:int}/return", response_model=OpportunityRead)
def api_return_opportunity(
    opportunity_id: RowId, data: ReturnIn, session: SessionDep, actor: ActorDep
) -> OpportunityRead:
    """The coordinator returns a submitted opportunity to its owner with a reason."""
    with unit_of_work(session):
        service.return_opportunity(session, actor, opportunity_id, data.reason)
        return _read(session, actor, opportunity_id)


@router.post("/opportunities/{opportunity_id:int}/renew", response_model=OpportunityRead)
def api_renew_opportunity(
    opportunity_id: RowId, data: RenewIn, session: SessionDep, actor: ActorDep
) -> OpportunityRead:
    """A new expiry date for a published or expired opportunity."""
    with unit_of_work(session):
        service.renew_opportunity(session, actor, opportunity_id, data.expires_on)
        return _read(session, actor, opportunity_id)


@router.post(
    "/opportunities/{opportunity_id:int}/access-requests",
    response_model=AccessRequestRead,
    status_code=201,
)
def api_request_access(
    opportunity_id: RowId, data: AccessRequestIn, session: SessionDep, actor: ActorDep
) -> AccessRequestRead:
    """Ask, for an organisation you edit, to see a restricted opportunity whole."""
    with unit_of_work(session):
        made = service.request_access(
            session, actor, opportunity_id, data.organisation_id, data.message
        )
        return access_read(session, made)


@router.get("/access-requests", response_model=list[AccessRequestRead])
def api_list_access_requests(session: SessionDep, actor: ActorDep) -> list[AccessRequestRead]:
    """Requests for access to your organisations' opportunities (as their editor)."""
    return [access_read(session, r) for r in queries.list_access_requests(session, actor)]


@router.post("/access-requests/{request_id:int}/decision", response_model=AccessRequestRead)
def api_decide_access(
    request_id: RowId, data: AccessDecisionIn, session: SessionDep, actor: ActorDep
) -> AccessRequestRead:
    """Grant (the organisation is named on the opportunity) or refuse."""
    with unit_of_work(session):
        decided = service.decide_access(session, actor, request_id, grant=data.grant)
        return access_read(session, decided)


@router.post(
    "/opportunities/{opportunity_id:int}/attachments",
    response_model=AttachmentRead,
    status_code=201,
    dependencies=[MayUpload],
)
def api_add_attachment(
    opportunity_id: RowId,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="a PDF, PNG, JPEG or WebP file")],
) -> AttachmentRead:
    """Attach a file (its type is read from its content; at most UPLAND_ATTACHMENT_MAX_MB)."""
    with unit_of_work(session):
        added = service.add_attachment(
            session, actor, opportunity_id, printable_name(file.filename or ""), file.file
        )
        return AttachmentRead(
            id=added.id,
            name=added.name,
            content_type=added.content_type,
            size=added.size,
            url=f"/market/attachments/{added.id}",
        )


@router.delete("/attachments/{attachment_id:int}", status_code=204)
def api_remove_attachment(attachment_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_attachment(session, actor, attachment_id)
    return Response(status_code=204)
