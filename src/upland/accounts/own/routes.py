"""The account page and its forms: password, e-mail language, API tokens, one's data and
erasure. A form that fails re-renders the whole page (`_account`) at its own address."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from upland.accounts import flash, invitations, queries, service
from upland.actor import Actor
from upland.db import RowId
from upland.errors import Invalid, PermissionDenied
from upland.i18n import LANGUAGES, N_, Message, label, label_message
from upland.permissions import allowed
from upland.web.deps import (
    ActorDep,
    CsrfChecked,
    SessionDep,
    unit_of_work,
)
from upland.web.forms import field_errors
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)


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
            "offers": invitations.list_offers(session, actor.user_id),
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
