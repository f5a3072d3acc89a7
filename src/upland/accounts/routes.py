"""Accounts over HTTP: log-in, own account (tokens, personal data), users and the audit log
for the coordinator; an organisation's user accounts and invitations. Pages that e-mailed
links lead to are in `accounts.mailed.routes`."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from upland.accounts import flash, queries, service
from upland.accounts.changes import routes as changes
from upland.accounts.mailed import routes as mailed
from upland.accounts.models import User
from upland.accounts.schemas import (
    AuditQuery,
    AuditRead,
    InvitationRead,
    MemberAdd,
    MemberInvited,
    MemberRead,
    MembershipRead,
    MemberUpdate,
    SessionRead,
    UserRead,
)
from upland.accounts.users import routes as users
from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.i18n import LANGUAGES, N_, Message, label, label_message, plural_message
from upland.mail import links
from upland.permissions import allowed
from upland.settings import get_settings
from upland.web.deps import (
    SESSION_KEY,
    ActorDep,
    CsrfChecked,
    SessionDep,
    client_address,
    log_in_browser,
    unit_of_work,
)
from upland.web.errors import API_ERRORS
from upland.web.forms import FormFields, RawFormFields, field_errors
from upland.web.messages import describe
from upland.web.templating import language_of, render

router = APIRouter()
pages = APIRouter(include_in_schema=False)
api = APIRouter(
    prefix="/api/v1", tags=["accounts"], dependencies=[CsrfChecked], responses=API_ERRORS
)


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the log-in form cannot redirect elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/start"  # the starting page of the person's role (upland.home)


def _user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        is_active=user.is_active,
        is_coordinator=user.is_coordinator,
        is_platform_admin=user.is_platform_admin,
        officer_teryt=user.officer_teryt,
        language=user.language,
        memberships=[
            MembershipRead(organisation_id=m.organisation_id, role=OrgRole(m.role))
            for m in user.memberships
        ],
    )


def _dev_link(token: str) -> str | None:
    """The invitation link, only in development mode: otherwise only its addressee gets it."""
    return links.absolute(f"/invitations/{token}") if get_settings().dev_mode else None


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "accounts/login.html", {"next": _safe_next(next), "errors": {}})


@pages.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        with unit_of_work(session):
            user = service.authenticate(session, email, password, client_address(request))
            log_in_browser(request, session, user)
    except (Invalid, PermissionDenied) as exc:
        said = exc.errors[0].msg if isinstance(exc, Invalid) else exc.msg
        message = said.render(language_of(request))
        status = 429 if isinstance(exc, PermissionDenied) else 401
        return render(
            request,
            "accounts/login.html",
            {"next": _safe_next(next), "errors": {"form": message}, "email": email},
            status,
        )
    return RedirectResponse(_safe_next(next), status_code=303)


@pages.post("/logout", dependencies=[CsrfChecked])
def logout(
    request: Request, session: SessionDep, next: Annotated[str | None, Form(max_length=300)] = None
) -> Response:
    """Log out; `next` (same site only) brings back an invitation opened as someone else."""
    token = request.session.get(SESSION_KEY)
    if token:
        with unit_of_work(session):
            service.log_out(session, str(token))
    request.session.clear()
    return RedirectResponse(_safe_next(next), status_code=303)


@pages.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in to see your account", code="login_required")
    return _account(request, session, actor)


def _account(
    request: Request,
    session: Session,
    actor: Actor,
    new_token: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The account page; a token just made is shown in this one answer and kept nowhere."""
    assert actor.user_id is not None
    account = queries.get_user(session, actor.user_id)
    return render(
        request,
        "accounts/account.html",
        {
            "account": account,
            "organisations": queries.organisation_names(
                session, [m.organisation_id for m in account.memberships]
            ),
            "officer_place": queries.place_name(session, account.officer_teryt),
            "tokens": queries.list_tokens(session, actor, actor.user_id),
            "sessions": queries.list_sessions(session, actor),
            "current_session": actor.session_id,
            "new_token": new_token,
            "offers": queries.list_offers(session, actor.user_id),
            "saved": bool(request.query_params.get("saved")),
            "manages_users": allowed(actor, "accounts.user.manage"),
            "done": flash.take(request.session, language_of(request)),
            "errors": errors or {},
            "languages": [
                (code, label("language", code, language_of(request))) for code in LANGUAGES
            ],
        },
        status,
    )


@pages.get("/account/password")
@pages.get("/account/language")
@pages.get("/account/tokens")
def account_form_reloaded(request: Request, actor: ActorDep) -> Response:
    """A form of the account page that failed re-renders at its own address: reloading it, or
    switching language there, comes back to the account page (every address answers GET)."""
    if actor.user_id is None:
        raise PermissionDenied("log in to see your account", code="login_required")
    section = request.url.path.rsplit("/", 1)[-1]
    return RedirectResponse(f"/account#{section}", status_code=303)


@pages.post("/account/password", response_class=HTMLResponse, dependencies=[CsrfChecked])
def change_password_form(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    current_password: Annotated[str, Form(max_length=1000)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    password_repeat: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Current password and the new one twice; the other sessions end, an e-mail tells."""
    try:
        with unit_of_work(session):
            service.change_own_password(session, actor, current_password, password, password_repeat)
    except Invalid as exc:
        session.rollback()
        errors = field_errors(exc, language_of(request))
        return _account(request, session, actor, errors=errors, status=422)
    flash.flash(
        request.session,
        Message(N_("Your password has been changed. Your other sessions have ended.")),
    )
    return RedirectResponse("/account#password", status_code=303)


@pages.post("/account/language", dependencies=[CsrfChecked])
def e_mail_language_form(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    language: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    with unit_of_work(session):
        service.set_language(session, actor, actor.user_id, language)
    flash.flash(
        request.session,
        Message(
            N_("E-mails will be written in {language}."),
            {"language": label_message("language", language)},
        ),
    )
    return RedirectResponse("/account#language", status_code=303)


@pages.post("/account/tokens", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_token_form(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    name: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    with unit_of_work(session):
        _, plain = service.issue_token(session, actor, actor.user_id, name or "token")
    return _account(request, session, actor, new_token=plain)


@pages.post("/account/tokens/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_token_form(token_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.revoke_token(session, actor, token_id)
    return RedirectResponse("/account", status_code=303)


@pages.get("/account/data.json")
def personal_data_download(session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    data = queries.personal_data(session, actor, actor.user_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="upland-my-data.json"'},
    )


@pages.post("/account/erase", dependencies=[CsrfChecked])
def erase_account_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    with unit_of_work(session):
        service.erase_user(session, actor, actor.user_id)
    request.session.clear()
    return RedirectResponse("/organisations", status_code=303)


@pages.post("/account/sessions/{session_id}/end", dependencies=[CsrfChecked])
def end_session_form(
    session_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        device = service.end_session(session, actor, session_id)
    said = N_("The session on {device} has ended.") if device else N_("The session has ended.")
    flash.flash(request.session, Message(said, {"device": device} if device else {}))
    return RedirectResponse("/account#sessions", status_code=303)


@pages.post("/account/sessions/end-others", dependencies=[CsrfChecked])
def end_other_sessions_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        ended = service.end_other_sessions(session, actor)
    flash.flash(
        request.session,
        plural_message("{n} other session has ended.", "{n} other sessions have ended.", n=ended),
    )
    return RedirectResponse("/account#sessions", status_code=303)


@api.get("/me", response_model=UserRead)
def api_me(session: SessionDep, actor: ActorDep) -> UserRead:
    if actor.user_id is None:
        raise PermissionDenied("anonymous: send a bearer token or log in", code="login_required")
    return _user_read(queries.get_user(session, actor.user_id))


@api.get("/me/data")
def api_my_data(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """Everything Upland holds about you (JSON)."""
    if actor.user_id is None:
        raise PermissionDenied("anonymous: send a bearer token or log in", code="login_required")
    return queries.personal_data(session, actor, actor.user_id)


@api.get("/me/sessions", response_model=list[SessionRead])
def api_my_sessions(session: SessionDep, actor: ActorDep) -> list[SessionRead]:
    """Your active log-in sessions (browsers), most recently used first."""
    return [
        SessionRead(
            id=s.id,
            device=s.device,
            address=s.address,
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            current=s.id == actor.session_id,
        )
        for s in queries.list_sessions(session, actor)
    ]


@api.delete("/me/sessions/{session_id}", status_code=204)
def api_end_my_session(session_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """Log out one of your sessions, wherever that browser is."""
    with unit_of_work(session):
        service.end_session(session, actor, session_id)
    return Response(status_code=204)


@api.get("/users", response_model=list[UserRead])
def api_users(
    session: SessionDep, actor: ActorDep, q: Annotated[str | None, Query(max_length=100)] = None
) -> list[UserRead]:
    return [_user_read(u) for u in queries.list_users(session, actor, q)]


@api.get("/audit", response_model=list[AuditRead])
def api_audit(
    session: SessionDep,
    actor: ActorDep,
    params: Annotated[AuditQuery, Query()],
) -> list[AuditRead]:
    """The audit log, newest first; page with `before` = the last id you saw."""
    entries = queries.list_audit(
        session, actor, params, before_id=params.before, limit=params.limit
    )
    return [AuditRead.model_validate(e, from_attributes=True) for e in entries]


# --- an organisation's user accounts and invitations ------------------------------------


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
            "invitations": queries.list_invitations(session, actor, org_id),
            "roles": [r.value for r in OrgRole],
            "values": values or {"role": OrgRole.VIEWER.value},
            "errors": errors or {},
            "row_errors": row_errors or {},
            "invited": request.query_params.get("invited"),
            "saved": bool(request.query_params.get("saved")),
            "done": flash.take(request.session, language_of(request)),
        },
        status,
    )


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
    return RedirectResponse(f"/organisations/{org_id}/members", status_code=303)


def _member_write(
    request: Request,
    session: Any,
    actor: Actor,
    org_id: int,
    user_id: int,
    write: Callable[[], None],
    done: Callable[[str], Message],
) -> Response:
    """One row's form: back to the list, the error shown in that row, or to the organisation
    when org admins changed their own role (they may no longer manage its accounts)."""
    try:
        with unit_of_work(session):
            member = queries.get_member(session, actor, org_id, user_id)
            write()
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
    return RedirectResponse(f"/organisations/{org_id}/members", status_code=303)


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
    return _member_write(
        request,
        session,
        actor,
        org_id,
        user_id,
        lambda: service.change_member_role(session, actor, org_id, user_id, role),
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
        lambda: service.remove_member(session, actor, org_id, user_id),
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
    return RedirectResponse(f"/organisations/{org_id}/members", status_code=303)


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
    return queries.list_invitations(session, actor, org_id)


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


pages.include_router(mailed.pages)
pages.include_router(changes.pages)
pages.include_router(users.pages)
router.include_router(api)
router.include_router(pages)
