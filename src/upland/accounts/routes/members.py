"""An organisation's user accounts (pages and JSON API) and the invitation page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.accounts import queries, service
from upland.accounts.actor import Actor, OrgRole
from upland.accounts.schemas import InvitationLink, MemberAdd, MemberAdded, MemberRead, MemberUpdate
from upland.db import RowId
from upland.errors import Conflict, Invalid
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, csrf_token, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import field_errors, form_dict
from upland.web.messages import translate
from upland.web.templating import language_of, render

router = APIRouter()
pages = APIRouter(include_in_schema=False)
api = APIRouter(
    prefix="/api/v1", tags=["accounts"], dependencies=[CsrfChecked], responses=API_ERRORS
)


InvitationToken = Annotated[str, Path(max_length=200)]


def _invitation_url(request: Request, token: str) -> str:
    return str(request.url_for("invitation_page", token=token))


def _members_page(
    request: Request,
    session: Any,
    actor: Actor,
    org_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    row_errors: dict[int, str] | None = None,
    status: int = 200,
) -> Response:
    listed = queries.list_members(session, actor, org_id)
    invitation = request.session.pop("new_invitation", None)
    if invitation:  # kept in the session cookie as text between the redirect and this page
        invitation["expires_at"] = dt.datetime.fromisoformat(invitation["expires_at"])
    return render(
        request,
        "accounts/members.html",
        {
            "org_id": org_id,
            "org_name": queries.get_organisation_name(session, org_id),
            "members": listed,
            "roles": [r.value for r in OrgRole],
            "values": values or {"role": OrgRole.VIEWER.value},
            "errors": errors or {},
            "row_errors": row_errors or {},
            "invitation": invitation,
            "saved": bool(request.query_params.get("saved")),
        },
        status,
    )


@pages.get("/organisations/{org_id}/members", response_class=HTMLResponse)
def members_page(org_id: RowId, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _members_page(request, session, actor, org_id)


@pages.post(
    "/organisations/{org_id}/members", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
async def add_member_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    raw = await form_dict(request, blank_is_none=False)
    try:
        data = MemberAdd.model_validate(raw)
        with unit_of_work(session):
            added = service.add_member(
                session, actor, org_id, data.email, data.role, data.full_name
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        language = language_of(request)
        errors = (
            {"email": translate(str(exc), language)}
            if isinstance(exc, Conflict)
            else field_errors(exc, language)
        )
        return _members_page(request, session, actor, org_id, values=raw, errors=errors, status=422)
    if added.invitation and added.token:
        request.session["new_invitation"] = {
            "email": data.email,
            "url": _invitation_url(request, added.token),
            "expires_at": added.invitation.expires_at.isoformat(),
        }
    return RedirectResponse(f"/organisations/{org_id}/members?saved=1", status_code=303)


def _member_write(
    request: Request,
    session: Any,
    actor: Actor,
    org_id: int,
    user_id: int,
    write: Callable[[], None],
) -> Response:
    """One row's form: back to the list, the error shown in that row, or to the organisation
    when org admins changed their own role (they may no longer manage its accounts)."""
    try:
        with unit_of_work(session):
            write()
    except (Invalid, Conflict) as exc:
        session.rollback()
        message = exc.errors[0].message if isinstance(exc, Invalid) else str(exc)
        message = translate(message, language_of(request))
        return _members_page(
            request, session, actor, org_id, row_errors={user_id: message}, status=422
        )
    if user_id == actor.user_id and not actor.is_staff:
        return RedirectResponse(f"/organisations/{org_id}", status_code=303)
    return RedirectResponse(f"/organisations/{org_id}/members?saved=1", status_code=303)


@pages.post("/organisations/{org_id}/members/{user_id}/role", dependencies=[CsrfChecked])
async def change_member_role_form(
    org_id: RowId, user_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    role = (await form_dict(request)).get("role") or ""
    return _member_write(
        request,
        session,
        actor,
        org_id,
        user_id,
        lambda: service.change_member_role(session, actor, org_id, user_id, role),
    )


@pages.post("/organisations/{org_id}/members/{user_id}/remove", dependencies=[CsrfChecked])
def remove_member_form(
    org_id: RowId, user_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _member_write(
        request,
        session,
        actor,
        org_id,
        user_id,
        lambda: service.remove_member(session, actor, org_id, user_id),
    )


def _invitation_form(
    request: Request, token: str, view: queries.InvitationView, values: dict, errors: dict
) -> Response:
    context = {"invitation": view, "token": token, "values": values, "errors": errors}
    return render(request, "accounts/invitation.html", context, 422 if errors else 200)


@pages.get("/invitations/{token}", response_class=HTMLResponse)
def invitation_page(token: InvitationToken, request: Request, session: SessionDep) -> Response:
    view = queries.get_invitation(session, token)
    return _invitation_form(request, token, view, {"full_name": view.full_name}, {})


@pages.post("/invitations/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def accept_invitation_form(
    token: InvitationToken, request: Request, session: SessionDep
) -> Response:
    """Set the name and password, then log in as the invited account."""
    view = queries.get_invitation(session, token)
    data = await form_dict(request, blank_is_none=False)
    password = data.get("password") or ""
    if password != data.get("password_repeat"):
        errors = {"password_repeat": translate("the two passwords differ", language_of(request))}
        return _invitation_form(request, token, view, data, errors)
    try:
        with unit_of_work(session):
            user = service.accept_invitation(session, token, data.get("full_name") or "", password)
    except Invalid as exc:
        session.rollback()
        errors = field_errors(exc, language_of(request))
        return _invitation_form(request, token, view, data, errors)
    request.session.clear()
    request.session["user_id"] = user.id
    csrf_token(request)
    return RedirectResponse(f"/organisations/{view.organisation_id}", status_code=303)


@api.get("/organisations/{org_id}/members", response_model=list[MemberRead])
def api_members(org_id: RowId, session: SessionDep, actor: ActorDep) -> list[MemberRead]:
    """Everyone with a role in the organisation; for its admins and staff."""
    return queries.list_members(session, actor, org_id)


@api.post("/organisations/{org_id}/members", response_model=MemberAdded, status_code=201)
def api_add_member(
    org_id: RowId, data: MemberAdd, request: Request, session: SessionDep, actor: ActorDep
) -> MemberAdded:
    """Give an existing account a role, or invite a new person: the link is returned once."""
    with unit_of_work(session):
        added = service.add_member(session, actor, org_id, data.email, data.role, data.full_name)
        member = queries.get_member(session, actor, org_id, added.user_id)
    invitation = None
    if added.invitation and added.token:
        invitation = InvitationLink(
            url=_invitation_url(request, added.token), expires_at=added.invitation.expires_at
        )
    return MemberAdded(member=member, invitation=invitation)


@api.patch("/organisations/{org_id}/members/{user_id}", response_model=MemberRead)
def api_change_member_role(
    org_id: RowId, user_id: RowId, data: MemberUpdate, session: SessionDep, actor: ActorDep
) -> MemberRead:
    with unit_of_work(session):
        service.change_member_role(session, actor, org_id, user_id, data.role)
        return queries.get_member(session, actor, org_id, user_id)


@api.delete("/organisations/{org_id}/members/{user_id}", status_code=204)
def api_remove_member(
    org_id: RowId, user_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.remove_member(session, actor, org_id, user_id)
    return Response(status_code=204)


router.include_router(api)
router.include_router(pages)
