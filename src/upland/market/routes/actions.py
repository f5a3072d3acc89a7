"""The marketplace's forms: creating and editing an opportunity (forgiving: the input stays on
error, each message beside its field), the lifecycle buttons, access requests, attachments.
Every write goes through `market.service`; an error is shown on the page it came from."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.actor import Actor
from upland.controls import printable_name
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied, UplandError
from upland.i18n import N_
from upland.market import queries, service
from upland.market.routes.common import today
from upland.market.routes.forms import OpportunityForm, form_values, schema_data
from upland.market.routes.pages import detail_context, editor_organisations, options
from upland.market.schemas import OpportunityCreate, OpportunityUpdate, RenewIn
from upland.market.service.core import visible_opportunity
from upland.permissions import allowed
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import form_page_errors, schema_input
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render
from upland.web.upload_gate import RequireFirst

router = Router(include_in_schema=False, dependencies=[CsrfChecked])
pages = Router(include_in_schema=False)
MayUpload = Depends(RequireFirst("market.attachment.upload"))
Step = Literal["submit", "publish", "approve", "return", "withdraw", "fulfil", "renew"]


def _form_page(
    request: Request,
    session: Any,
    actor: Actor,
    opportunity: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "opportunity": opportunity,
        "values": values,
        "errors": errors,
        "owners": editor_organisations(session, actor),
        **options(session),
    }
    return render(request, "market/edit.html", context, status)


def _errors(request: Request, exc: Exception, problems: dict[str, str]) -> dict[str, str]:
    return form_page_errors(
        language_of(request), exc, problems, N_("nothing found for “%(entry)s”")
    )


@pages.get("/market/new", response_class=HTMLResponse)
def new_opportunity_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    owners = editor_organisations(session, actor)
    if not owners:
        raise PermissionDenied(
            "only an organisation's editors put its offers and requests on the marketplace",
            code="market.create_denied",
        )
    values = {"kind": "business_offer", "visibility": "members", "owner_id": owners[0][0]}
    return _form_page(request, session, actor, None, values, {})


@router.post("/market/new", response_class=HTMLResponse)
def create_opportunity_form(
    request: Request, session: SessionDep, actor: ActorDep, form: OpportunityForm
) -> Response:
    data, problems = schema_data(session, form)
    try:
        if problems:
            raise Invalid([])
        with unit_of_work(session):
            made = service.create_opportunity(
                session,
                actor,
                OpportunityCreate.model_validate(schema_input(OpportunityCreate, data)),
                today=today(),
            )
    except PermissionDenied:
        raise
    except (ValidationError, Invalid, Conflict) as exc:
        return _form_page(request, session, actor, None, form, _errors(request, exc, problems), 422)
    return RedirectResponse(f"/market/{made.id}?saved=1", status_code=303)


@pages.get("/market/{opportunity_id:int}/edit", response_class=HTMLResponse)
def edit_opportunity_page(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    opportunity = visible_opportunity(session, actor, opportunity_id)
    if not allowed(actor, "market.opportunity.edit", opportunity):
        raise PermissionDenied(
            "only the owner's editors change an opportunity", code="market.edit_denied"
        )
    return _form_page(request, session, actor, opportunity, form_values(opportunity), {})


@router.post("/market/{opportunity_id:int}/edit", response_class=HTMLResponse)
def edit_opportunity_form(
    opportunity_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: OpportunityForm,
) -> Response:
    data, problems = schema_data(session, form)
    data.pop("owner_id", None)
    try:
        if problems:
            raise Invalid([])
        change = OpportunityUpdate.model_validate(schema_input(OpportunityUpdate, data))
        with unit_of_work(session):
            service.update_opportunity(session, actor, opportunity_id, change, today=today())
    except PermissionDenied:
        raise
    except (ValidationError, Invalid, Conflict) as exc:
        opportunity = queries.get_opportunity(session, actor, opportunity_id).opportunity
        return _form_page(
            request, session, actor, opportunity, form, _errors(request, exc, problems), 422
        )
    return RedirectResponse(f"/market/{opportunity_id}?saved=1", status_code=303)


def _on_detail(
    request: Request, session: Any, actor: Actor, opportunity_id: int, exc: UplandError
) -> Response:
    """The detail page again, with the refusal at the top (409/422)."""
    status = 409 if isinstance(exc, Conflict) else 422
    message = describe(exc, language_of(request))
    context = detail_context(session, actor, opportunity_id, problem=message)
    return render(request, "market/detail.html", context, status)


@router.post("/market/{opportunity_id:int}/step/{step}", response_class=HTMLResponse)
def opportunity_step(
    opportunity_id: RowId,
    step: Step,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    reason: Annotated[str, Form(max_length=2000)] = "",
    expires_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """One step of the lifecycle (the buttons of the detail page and of "my opportunities")."""
    try:
        with unit_of_work(session):
            if step == "return":
                service.return_opportunity(session, actor, opportunity_id, reason)
            elif step == "renew":
                day = RenewIn.model_validate({"expires_on": expires_on}).expires_on
                service.renew_opportunity(session, actor, opportunity_id, day)
            else:
                STEPS[step](session, actor, opportunity_id)
    except ValidationError:
        bad = Invalid.one("expires_on", "enter a date written YYYY-MM-DD", code="date.invalid")
        return _on_detail(request, session, actor, opportunity_id, bad)
    except (Invalid, Conflict) as exc:
        return _on_detail(request, session, actor, opportunity_id, exc)
    return RedirectResponse(f"/market/{opportunity_id}?done={step}", status_code=303)


STEPS = {
    "submit": service.submit_opportunity,
    "publish": service.publish_opportunity,
    "approve": service.approve_opportunity,
    "withdraw": service.withdraw_opportunity,
    "fulfil": service.fulfil_opportunity,
}


@router.post("/market/{opportunity_id:int}/delete", response_class=HTMLResponse)
def delete_opportunity_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    try:
        with unit_of_work(session):
            service.delete_opportunity(session, actor, opportunity_id)
    except Conflict as exc:
        return _on_detail(request, session, actor, opportunity_id, exc)
    return RedirectResponse("/market/mine?deleted=1", status_code=303)


@router.post("/market/{opportunity_id:int}/access", response_class=HTMLResponse)
def request_access_form(
    opportunity_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    organisation_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
    message: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        with unit_of_work(session):
            service.request_access(session, actor, opportunity_id, organisation_id, message)
    except (Invalid, Conflict) as exc:
        return _on_detail(request, session, actor, opportunity_id, exc)
    return RedirectResponse(f"/market/{opportunity_id}?asked=1", status_code=303)


@router.post("/market/access/{request_id}/decision", response_class=HTMLResponse)
def decide_access_form(
    request_id: RowId,
    session: SessionDep,
    actor: ActorDep,
    grant: Annotated[Literal["yes", "no"], Form()],
) -> Response:
    with unit_of_work(session):
        service.decide_access(session, actor, request_id, grant=grant == "yes")
    return RedirectResponse("/market/access?decided=1", status_code=303)


@router.post(
    "/market/{opportunity_id:int}/attachments",
    response_class=HTMLResponse,
    dependencies=[MayUpload],
)
def add_attachment_form(
    opportunity_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        if file is None or not file.filename:
            raise Invalid.one("file", "choose a file", code="file.missing")
        with unit_of_work(session):
            service.add_attachment(
                session, actor, opportunity_id, printable_name(file.filename), file.file
            )
    except Invalid as exc:
        return _on_detail(request, session, actor, opportunity_id, exc)
    return RedirectResponse(f"/market/{opportunity_id}?attached=1#attachments", status_code=303)


@router.post("/market/attachments/{attachment_id}/delete", response_class=HTMLResponse)
def remove_attachment_form(attachment_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        opportunity = service.remove_attachment(session, actor, attachment_id)
        target = opportunity.id
    return RedirectResponse(f"/market/{target}#attachments", status_code=303)
