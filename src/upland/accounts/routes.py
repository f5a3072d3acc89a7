"""Accounts over HTTP: log-in and log-out, who one is over the API (`/me`), the users and
audit log API; and the one router that mounts the rest, each in its own module: the account
page (`own`), one's sessions (`sessions`), an organisation's user accounts and invitations
(`members`), pages e-mailed links lead to (`mailed`), the audit log pages (`changes`) and the
users page (`users`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from upland.accounts import queries, service
from upland.accounts.changes import routes as changes
from upland.accounts.mailed import routes as mailed
from upland.accounts.members import routes as members
from upland.accounts.models import User
from upland.accounts.own import routes as own
from upland.accounts.schemas import (
    AuditQuery,
    AuditRead,
    MembershipRead,
    UserRead,
)
from upland.accounts.sessions import routes as sessions
from upland.accounts.users import routes as users
from upland.actor import OrgRole
from upland.errors import Invalid, PermissionDenied
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
from upland.web.return_to import same_site
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router()
pages = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["accounts"], dependencies=[CsrfChecked], responses=API_ERRORS)


def _safe_next(target: str | None) -> str:
    """Only same-site paths (with their query), so the log-in form cannot redirect elsewhere;
    the starting page of the person's role (upland.home) by default."""
    return same_site(target) or "/start"


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
    response = RedirectResponse(_safe_next(next), status_code=303)
    # A shared phone keeps nothing of whoever logged out (the agenda's offline copy).
    response.headers["clear-site-data"] = '"cache", "storage"'
    return response


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


pages.include_router(own.pages)
pages.include_router(sessions.pages)
pages.include_router(members.pages)
pages.include_router(mailed.pages)
pages.include_router(changes.pages)
pages.include_router(users.pages)
router.include_router(api)
router.include_router(sessions.api)
router.include_router(members.api)
router.include_router(pages)
