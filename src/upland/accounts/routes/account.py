"""Log-in, own account (tokens, personal data), users and the audit log for the coordinator."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from upland.accounts import queries, service
from upland.accounts.actor import OrgRole
from upland.accounts.models import User
from upland.accounts.schemas import AuditQuery, AuditRead, MembershipRead, UserRead
from upland.db import RowId
from upland.errors import Invalid, PermissionDenied
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, csrf_token, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import form_dict
from upland.web.messages import translate
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
    return "/organisations"


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


@pages.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "accounts/login.html", {"next": _safe_next(next), "errors": {}})


@pages.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def login(request: Request, session: SessionDep) -> Response:
    data = await form_dict(request)
    email, password = data.get("email") or "", data.get("password") or ""
    address = request.client.host if request.client else "unknown"
    try:
        with unit_of_work(session):
            user = service.authenticate(session, email, password, address)
    except (Invalid, PermissionDenied) as exc:
        message = exc.errors[0].message if isinstance(exc, Invalid) else str(exc)
        message = translate(message, language_of(request))
        status = 429 if isinstance(exc, PermissionDenied) else 401
        return render(
            request,
            "accounts/login.html",
            {"next": _safe_next(data.get("next")), "errors": {"form": message}, "email": email},
            status,
        )
    request.session.clear()
    request.session["user_id"] = user.id
    csrf_token(request)
    return RedirectResponse(_safe_next(data.get("next")), status_code=303)


@pages.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/organisations", status_code=303)


@pages.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in to see your account")
    user = queries.get_user(session, actor.user_id)
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "tokens": queries.list_tokens(session, actor, actor.user_id),
            "new_token": request.session.pop("new_token", None),
        },
    )


@pages.post("/account/tokens", dependencies=[CsrfChecked])
async def create_token_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first")
    name = (await form_dict(request)).get("name") or "token"
    with unit_of_work(session):
        _, plain = service.issue_token(session, actor, actor.user_id, name)
    request.session["new_token"] = plain
    return RedirectResponse("/account", status_code=303)


@pages.post("/account/tokens/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_token_form(token_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.revoke_token(session, actor, token_id)
    return RedirectResponse("/account", status_code=303)


@pages.get("/account/data.json")
def personal_data_download(session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first")
    data = queries.personal_data(session, actor, actor.user_id)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="upland-my-data.json"'},
    )


@pages.post("/account/erase", dependencies=[CsrfChecked])
def erase_account_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first")
    with unit_of_work(session):
        service.erase_user(session, actor, actor.user_id)
    request.session.clear()
    return RedirectResponse("/organisations", status_code=303)


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    params: Annotated[AuditQuery, Query()],
) -> Response:
    entries = queries.list_audit(
        session, actor, params, before_id=params.before, limit=params.limit
    )
    return render(
        request,
        "accounts/audit.html",
        {
            "entries": entries,
            "flt": params,
            "params": {k: v for k, v in params.model_dump(exclude={"before"}).items() if v},
            "older": entries[-1].id if len(entries) == params.limit else None,
        },
    )


@api.get("/me", response_model=UserRead)
def api_me(session: SessionDep, actor: ActorDep) -> UserRead:
    if actor.user_id is None:
        raise PermissionDenied("anonymous: send a bearer token or log in")
    return _user_read(queries.get_user(session, actor.user_id))


@api.get("/me/data")
def api_my_data(session: SessionDep, actor: ActorDep) -> dict:
    """Everything Upland holds about you (JSON)."""
    if actor.user_id is None:
        raise PermissionDenied("anonymous: send a bearer token or log in")
    return queries.personal_data(session, actor, actor.user_id)


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


router.include_router(api)
router.include_router(pages)
