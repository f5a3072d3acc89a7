"""An organisation's user accounts and invitations: the members page (add, change the role,
remove, withdraw an invitation) and the same over the API, for its admins and staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.accounts import flash, invitations, queries, service
from upland.accounts.directory import directory
from upland.accounts.schemas import (
    InvitationRead,
    MemberAdd,
    MemberInvited,
    MemberRead,
    MemberUpdate,
)
from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.errors import Conflict, Invalid
from upland.i18n import N_, Message, label_message
from upland.mail import links
from upland.settings import get_settings
from upland.web.deps import (
    ActorDep,
    CsrfChecked,
    SessionDep,
    unit_of_work,
)
from upland.web.errors import API_ERRORS
from upland.web.forms import FormFields, RawFormFields, field_errors
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["accounts"], dependencies=[CsrfChecked], responses=API_ERRORS)


def _dev_link(token: str) -> str | None:
    """The invitation link, only in development mode: otherwise only its addressee gets it."""
    return links.absolute(f"/invitations/{token}") if get_settings().dev_mode else None


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
    return render(
        request,
        "accounts/members.html",
        {
            "org_id": org_id,
            "org_name": queries.get_organisation_name(session, org_id),
            "members": listed,
            "invitations": invitations.list_invitations(session, actor, org_id),
            "roles": [r.value for r in OrgRole],
            "values": values or {"role": OrgRole.VIEWER.value},
            "errors": errors or {},
            "row_errors": row_errors or {},
            "invited": request.query_params.get("invited"),
            "saved": bool(request.query_params.get("saved")),
            "done": flash.take(request.session, language_of(request)),
            "undo": _offered_removal(request, session, actor, org_id),
        },
        status,
    )


def _offered_removal(request: Request, session: Any, actor: Actor, org_id: int) -> str | None:
    raw = request.query_params.get("removed", "")
    if not raw or len(raw) > 32:
        return None
    return directory().offered_removal(session, actor, org_id, raw)


@pages.get("/organisations/{org_id}/members", response_class=HTMLResponse)
def members_page(org_id: RowId, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _members_page(request, session, actor, org_id)


@pages.post(
    "/organisations/{org_id}/members", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def add_member_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: RawFormFields
) -> Response:
    try:
        data = MemberAdd.model_validate(raw)
        with unit_of_work(session):
            invited = service.add_member(session, actor, org_id, data.email, data.role)
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        language = language_of(request)
        errors = (
            {"email": describe(exc, language)}
            if isinstance(exc, Conflict)
            else field_errors(exc, language)
        )
        return _members_page(request, session, actor, org_id, values=raw, errors=errors, status=422)
    flash.flash(
        request.session,
        Message(
            N_(
                "Invitation for {email} ({role}) sent by e-mail. The person gets the access "
                "when they accept it."
            ),
            {"email": invited.email, "role": label_message("org_role", data.role)},
        ),
    )
    return RedirectResponse(f"/organisations/{org_id}/members#done", status_code=303)


def _member_write(
    request: Request,
    session: Any,
    actor: Actor,
    org_id: int,
    user_id: int,
    write: Callable[[], str | None],
    done: Callable[[str], Message],
) -> Response:
    """One row's form: back to the list, the error shown in that row, or to the organisation
    when org admins changed their own role (they may no longer manage its accounts). A write
    that returns a removal's token brings the list back with its Undo."""
    try:
        with unit_of_work(session):
            member = queries.get_member(session, actor, org_id, user_id)
            removal = write()
    except (Invalid, Conflict) as exc:
        session.rollback()
        said = exc.errors[0].msg if isinstance(exc, Invalid) else exc.msg
        message = said.render(language_of(request))
        return _members_page(
            request, session, actor, org_id, row_errors={user_id: message}, status=422
        )
    flash.flash(request.session, done(member.full_name or member.email))
    if user_id == actor.user_id and not actor.is_staff:
        return RedirectResponse(f"/organisations/{org_id}", status_code=303)
    undo = f"?removed={removal}" if removal is not None else ""
    return RedirectResponse(f"/organisations/{org_id}/members{undo}#done", status_code=303)


@pages.post("/organisations/{org_id}/members/{user_id}/role", dependencies=[CsrfChecked])
def change_member_role_form(
    org_id: RowId,
    user_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormFields,
) -> Response:
    role = form.get("role") or ""

    def change() -> None:
        service.change_member_role(session, actor, org_id, user_id, role)

    return _member_write(
        request,
        session,
        actor,
        org_id,
        user_id,
        change,
        lambda name: Message(
            N_("{name} now has the role: {role}."),
            {"name": name, "role": label_message("org_role", role)},
        ),
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
        lambda: directory().remove_member(session, actor, org_id, user_id),
        lambda name: Message(
            N_("{name} no longer has access to this organisation."), {"name": name}
        ),
    )


@pages.post(
    "/organisations/{org_id}/invitations/{invitation_id}/cancel", dependencies=[CsrfChecked]
)
def cancel_invitation_form(
    org_id: RowId, invitation_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        email = service.cancel_invitation(session, actor, org_id, invitation_id)
    flash.flash(
        request.session,
        Message(
            N_("The invitation for {email} is withdrawn; its link no longer works."),
            {"email": email},
        ),
    )
    return RedirectResponse(f"/organisations/{org_id}/members#done", status_code=303)


@api.get("/organisations/{org_id}/members", response_model=list[MemberRead])
def api_members(org_id: RowId, session: SessionDep, actor: ActorDep) -> list[MemberRead]:
    """Everyone with a role in the organisation; for its admins and staff."""
    return queries.list_members(session, actor, org_id)


@api.post("/organisations/{org_id}/members", response_model=MemberInvited, status_code=202)
def api_add_member(
    org_id: RowId, data: MemberAdd, session: SessionDep, actor: ActorDep
) -> MemberInvited:
    """Invite a person by e-mail; they get the role when they accept. The answer is the same
    whether or not the address has an account; the link goes by e-mail only."""
    with unit_of_work(session):
        invited = service.add_member(session, actor, org_id, data.email, data.role)
    return MemberInvited(email=invited.email, url=_dev_link(invited.token))


@api.get("/organisations/{org_id}/invitations", response_model=list[InvitationRead])
def api_invitations(org_id: RowId, session: SessionDep, actor: ActorDep) -> list[InvitationRead]:
    """Invitations nobody has accepted yet; for the organisation's admins and staff."""
    return invitations.list_invitations(session, actor, org_id)


@api.delete("/organisations/{org_id}/invitations/{invitation_id}", status_code=204)
def api_cancel_invitation(
    org_id: RowId, invitation_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.cancel_invitation(session, actor, org_id, invitation_id)
    return Response(status_code=204)


@api.patch("/organisations/{org_id}/members/{user_id}", response_model=MemberRead)
def api_change_member_role(
    org_id: RowId, user_id: RowId, data: MemberUpdate, session: SessionDep, actor: ActorDep
) -> MemberRead:
    with unit_of_work(session):
        service.change_member_role(session, actor, org_id, user_id, data.role)
        return queries.get_member(session, actor, org_id, user_id)


# DELETE /api/v1/organisations/{org_id}/members/{user_id} is the registry's
# (organisations/routes/api.py): the removal is kept there so that it can be undone.
