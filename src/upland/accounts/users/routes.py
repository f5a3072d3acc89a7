"""The users page of the coordinator and platform admins: find people, set up accounts (city
officers above all), give and take roles, switch accounts off and on, send a reset link.

Every form ends on a page that says what changed, naming the person ("Anna Nowak is now a city
officer of Radom"); a refusal re-renders the page with the reason and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from upland.accounts import flash, queries, service
from upland.accounts.directory import directory
from upland.accounts.models import User
from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.i18n import LANGUAGES, N_, Message, label, label_message
from upland.permissions import allowed, require
from upland.reference import queries as reference
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import field_errors
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)
Text = Annotated[str, Form(max_length=254)]
GRANTABLE = ("officer", "coordinator", "platform-admin")


def _roles(actor: Actor, language: str) -> list[tuple[str, str]]:
    """The global roles this actor may give (only a platform admin gives platform admin)."""
    return [
        (role, label("global_role", role, language))
        for role in GRANTABLE
        if role != "platform-admin" or allowed(actor, "accounts.platform_admin.grant")
    ]


def _common(request: Request, session: Session, actor: Actor) -> dict[str, Any]:
    language = language_of(request)
    return {
        "done": flash.take(request.session, language),
        "global_roles": _roles(actor, language),
        "org_roles": [(r.value, label("org_role", r.value, language)) for r in OrgRole],
        "languages": [(code, label("language", code, language)) for code in LANGUAGES],
        "cities": [(m.teryt, m.name) for m in reference.list_municipalities(session, True)],
    }


def _users_page(
    request: Request,
    session: Session,
    actor: Actor,
    q: str | None = None,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    users = queries.list_users(session, actor, q)
    return render(
        request,
        "accounts/users.html",
        {
            **_common(request, session, actor),
            "users": users,
            "q": q or "",
            "places": {
                u.officer_teryt: queries.place_name(session, u.officer_teryt)
                for u in users
                if u.officer_teryt
            },
            "values": values or {"language": language_of(request)},
            "errors": errors or {},
        },
        status,
    )


def _user_page(
    request: Request,
    session: Session,
    actor: Actor,
    user_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    require(actor, "accounts.user.manage")
    user = queries.get_user(session, user_id)
    return render(
        request,
        "accounts/user.html",
        {
            **_common(request, session, actor),
            "person": user,
            "is_me": user.id == actor.user_id,
            "organisations": queries.organisation_names(
                session, [m.organisation_id for m in user.memberships]
            ),
            "officer_place": queries.place_name(session, user.officer_teryt),
            "errors": errors or {},
        },
        status,
    )


@pages.get("/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    return _users_page(request, session, actor, q)


@pages.post("/users", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_user_form(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    email: Text = "",
    full_name: Text = "",
    language: Annotated[str, Form(max_length=5)] = "pl",
    role: Annotated[str, Form(max_length=20)] = "",
    city: Annotated[str, Form(max_length=7)] = "",
) -> Response:
    """A new account, a global role if chosen, and the e-mail to choose a password."""
    values = {"email": email, "full_name": full_name, "language": language, "role": role}
    values["city"] = city
    try:
        with unit_of_work(session):
            place = queries.place_name(session, city) if role == "officer" else None
            user = service.create_account(
                session,
                actor,
                email,
                full_name,
                language,
                role or None,
                city or None,
                place,
            )
            name, address = user.full_name, user.email
    except (Invalid, Conflict) as exc:
        session.rollback()
        language_now = language_of(request)
        errors = (
            {"email": describe(exc, language_now)}
            if isinstance(exc, Conflict)
            else field_errors(exc, language_now)
        )
        return _users_page(request, session, actor, values=values, errors=errors, status=422)
    flash.flash(
        request.session,
        Message(
            N_("{name}'s account is set up; a link to choose a password went to {email}."),
            {"name": name, "email": address},
        ),
    )
    return RedirectResponse(f"/users/{user.id}", status_code=303)


@pages.get("/users/{user_id}", response_class=HTMLResponse)
def user_page(user_id: RowId, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    return _user_page(request, session, actor, user_id)


def _act(
    request: Request,
    session: Session,
    actor: Actor,
    user_id: int,
    write: Callable[[], Message],
) -> Response:
    """Run one action; back to the person's page saying what changed, or why nothing did."""
    require(actor, "accounts.user.manage")
    try:
        with unit_of_work(session):
            done = write()
    except (Invalid, Conflict, NotFound) as exc:
        session.rollback()
        language = language_of(request)
        said = (
            exc.errors[0].msg.render(language)
            if isinstance(exc, Invalid)
            else describe(exc, language)
        )
        return _user_page(request, session, actor, user_id, {"form": said}, 422)
    flash.flash(request.session, done)
    return RedirectResponse(f"/users/{user_id}", status_code=303)


def _name(session: Session, user_id: int) -> str:
    user: User = queries.get_user(session, user_id)
    return user.full_name or user.email


@pages.post("/users/{user_id}/roles/grant", dependencies=[CsrfChecked])
def grant_role_form(
    user_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    role: Annotated[str, Form(max_length=20)] = "",
    city: Annotated[str, Form(max_length=7)] = "",
    organisation: Text = "",
) -> Response:
    """A global role, or (with an organisation's id, NIP or REGON) a role in it."""

    def write() -> Message:
        if role in {r.value for r in OrgRole}:
            org_id = directory().find(session, organisation.strip()) if organisation else None
            if org_id is None:
                raise Invalid.one(
                    "organisation",
                    "no organisation with the id, NIP or REGON {value}",
                    code="organisation.not_found",
                    value=organisation or "—",
                )
            service.grant_role_on_page(session, actor, user_id, role, org_id)
            return Message(
                N_("{name} now has the role {role} in {organisation}."),
                {
                    "name": _name(session, user_id),
                    "role": label_message("org_role", role),
                    "organisation": queries.get_organisation_name(session, org_id),
                },
            )
        service.grant_role_on_page(session, actor, user_id, role, teryt=city or None)
        if role == "officer":
            return Message(
                N_("{name} is now a city officer of {place}."),
                {"name": _name(session, user_id), "place": queries.place_name(session, city)},
            )
        return Message(
            N_("{name} now has the role: {role}."),
            {"name": _name(session, user_id), "role": label_message("global_role", role)},
        )

    return _act(request, session, actor, user_id, write)


@pages.post("/users/{user_id}/roles/revoke", dependencies=[CsrfChecked])
def revoke_role_form(
    user_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    role: Annotated[str, Form(max_length=20)] = "",
    organisation_id: Annotated[RowId | None, Form()] = None,
) -> Response:
    def write() -> Message:
        name = _name(session, user_id)
        if organisation_id is not None:
            organisation = queries.get_organisation_name(session, organisation_id)
            service.revoke_role_on_page(session, actor, user_id, role, organisation_id)
            return Message(
                N_("{name} no longer has a role in {organisation}."),
                {"name": name, "organisation": organisation},
            )
        if role not in GRANTABLE:
            raise Invalid.one("role", "unknown role {role}", code="role.unknown", role=role)
        service.revoke_global_role(session, actor, user_id, role)
        return Message(
            N_("{name} no longer has the role: {role}."),
            {"name": name, "role": label_message("global_role", role)},
        )

    return _act(request, session, actor, user_id, write)


@pages.post("/users/{user_id}/deactivate", dependencies=[CsrfChecked])
def deactivate_form(
    user_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    def write() -> Message:
        user = service.deactivate(session, actor, user_id)
        return Message(
            N_("{name}'s account is deactivated: every session has ended."),
            {"name": user.full_name},
        )

    return _act(request, session, actor, user_id, write)


@pages.post("/users/{user_id}/reactivate", dependencies=[CsrfChecked])
def reactivate_form(
    user_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    def write() -> Message:
        user = service.reactivate(session, actor, user_id)
        return Message(N_("{name}'s account is active again."), {"name": user.full_name})

    return _act(request, session, actor, user_id, write)


@pages.post("/users/{user_id}/reset", dependencies=[CsrfChecked])
def send_reset_form(
    user_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    def write() -> Message:
        user = service.send_reset(session, actor, user_id)
        return Message(N_("A link to set a new password went to {email}."), {"email": user.email})

    return _act(request, session, actor, user_id, write)


@pages.get("/users/{user_id}/{action:path}")
def user_action_reloaded(user_id: RowId, actor: ActorDep) -> Response:
    """A refused action re-renders the person's page at the form's address; reloading it (or
    switching language there) comes back to the person's page instead of a 405."""
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    return RedirectResponse(f"/users/{user_id}", status_code=303)
