"""Pages reached from e-mails: accepting an invitation, answering a role offer, setting a new
password, switching notices off. Tokens stay in the path (`/invitations/{token}`,
`/password/reset/{token}`, `/notices/{token}`), where logged paths are redacted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from upland.accounts import invitations, queries, service
from upland.accounts.service.members import ShownOffer
from upland.actor import Actor
from upland.db import MAX_ROW_ID, RowId
from upland.errors import Conflict, Invalid, PermissionDenied, UplandError
from upland.i18n import gettext_in
from upland.web.deps import (
    ActorDep,
    CsrfChecked,
    SessionDep,
    client_address,
    log_in_browser,
    unit_of_work,
)
from upland.web.forms import field_errors
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)

LinkToken = Annotated[str, Path(max_length=200)]
Text = Annotated[str, Form(max_length=500)]


def _message(request: Request, exc: UplandError) -> str:
    if isinstance(exc, Invalid):
        return exc.errors[0].msg.render(language_of(request))
    return describe(exc, language_of(request))


# --- invitations ----------------------------------------------------------------------------


def _invitation_form(
    request: Request,
    token: str,
    view: invitations.InvitationView,
    values: dict[str, Any],
    errors: dict[str, Any],
    signed_in_as: str | None = None,
) -> Response:
    context = {
        "invitation": view,
        "token": token,
        "values": values,
        "errors": errors,
        "signed_in_as": signed_in_as,
    }
    return render(request, "accounts/invitation.html", context, 422 if errors else 200)


@pages.get("/invitations/{token}", response_class=HTMLResponse)
def invitation_page(
    token: LinkToken, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """A new address sets up its account here; an existing one is sent to its account page.
    Opened while logged in as another account, the page says so and offers to log out."""
    view = invitations.get_invitation(session, token)
    signed_in = queries.get_user(session, actor.user_id).email if actor.user_id else None
    return _invitation_form(request, token, view, {}, {}, signed_in)


@pages.post("/invitations/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def accept_invitation_form(
    token: LinkToken,
    request: Request,
    session: SessionDep,
    full_name: Text = "",
    password: Text = "",
    password_repeat: Text = "",
) -> Response:
    """Set the name and password, then log in as the new account."""
    view = invitations.get_invitation(session, token)
    values = {"full_name": full_name}
    if password != password_repeat:
        errors = {"password_repeat": gettext_in(language_of(request), "the two passwords differ")}
        return _invitation_form(request, token, view, values, errors)
    try:
        with unit_of_work(session):
            user = service.accept_invitation(
                session, token, full_name, password, language_of(request)
            )
            log_in_browser(request, session, user)
    except (Invalid, Conflict) as exc:
        session.rollback()
        if isinstance(exc, Conflict):
            errors = {"form": _message(request, exc)}
        else:
            errors = field_errors(exc, language_of(request))
        return _invitation_form(request, token, view, values, errors)
    return RedirectResponse(f"/organisations/{view.organisation_id}", status_code=303)


# --- role offers and notices on the account page --------------------------------------------


def _answer(
    session: Session, actor: Actor, invitation_id: int, accept: bool, shown: ShownOffer | None
) -> Response:
    with unit_of_work(session):
        if accept:
            service.accept_offer(session, actor, invitation_id, shown)
        else:
            service.decline_offer(session, actor, invitation_id, shown)
    return RedirectResponse("/account?saved=1#offers", status_code=303)


def _shown(organisation_id: int | None, role: str) -> ShownOffer | None:
    """The offer as the account page showed it (its form carries both)."""
    return ShownOffer(organisation_id, role) if organisation_id is not None else None


ShownOrganisation = Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)]
ShownRole = Annotated[str, Form(max_length=20)]


@pages.post("/account/offers/{invitation_id}/accept", dependencies=[CsrfChecked])
def accept_offer_form(
    invitation_id: RowId,
    session: SessionDep,
    actor: ActorDep,
    organisation_id: ShownOrganisation = None,
    role: ShownRole = "",
) -> Response:
    return _answer(session, actor, invitation_id, True, _shown(organisation_id, role))


@pages.post("/account/offers/{invitation_id}/decline", dependencies=[CsrfChecked])
def decline_offer_form(
    invitation_id: RowId,
    session: SessionDep,
    actor: ActorDep,
    organisation_id: ShownOrganisation = None,
    role: ShownRole = "",
) -> Response:
    return _answer(session, actor, invitation_id, False, _shown(organisation_id, role))


@pages.post("/account/notices", dependencies=[CsrfChecked])
def mail_notices_form(
    session: SessionDep, actor: ActorDep, mail_notices: Annotated[str, Form()] = ""
) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    with unit_of_work(session):
        service.set_mail_notices(session, actor, actor.user_id, bool(mail_notices))
    return RedirectResponse("/account?saved=1#notices", status_code=303)


@pages.get("/notices/{token}", response_class=HTMLResponse)
def unsubscribe_page(token: LinkToken, request: Request) -> Response:
    """A page with one button, so mail scanners that open links switch nothing off."""
    service.unsubscribe_link_user(token)
    return render(request, "accounts/unsubscribe.html", {"token": token, "done": False})


@pages.post("/notices/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def unsubscribe_form(token: LinkToken, request: Request, session: SessionDep) -> Response:
    with unit_of_work(session):
        service.unsubscribe(session, token)
    return render(request, "accounts/unsubscribe.html", {"token": token, "done": True})


# --- forgotten passwords --------------------------------------------------------------------


@pages.get("/password/forgot", response_class=HTMLResponse)
def forgot_password_page(request: Request) -> Response:
    return render(request, "accounts/forgot.html", {"sent": False, "errors": {}})


@pages.post("/password/forgot", response_class=HTMLResponse, dependencies=[CsrfChecked])
def forgot_password_form(
    request: Request, session: SessionDep, email: Annotated[str, Form(max_length=254)] = ""
) -> Response:
    """The same answer whether or not the address has an account."""
    try:
        with unit_of_work(session):
            service.request_password_reset(session, email, client_address(request))
    except PermissionDenied as exc:
        context = {"sent": False, "errors": {"form": _message(request, exc)}, "email": email}
        return render(request, "accounts/forgot.html", context, 429)
    return render(request, "accounts/forgot.html", {"sent": True, "errors": {}, "email": email})


def _reset_form(
    request: Request, token: str, errors: dict[str, Any], done: bool = False
) -> Response:
    context = {"token": token, "errors": errors, "done": done}
    return render(request, "accounts/reset.html", context, 422 if errors else 200)


@pages.get("/password/reset/{token}", response_class=HTMLResponse)
def reset_password_page(token: LinkToken, request: Request, session: SessionDep) -> Response:
    queries.open_password_reset(session, token)
    return _reset_form(request, token, {})


@pages.post("/password/reset/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def reset_password_form(
    token: LinkToken,
    request: Request,
    session: SessionDep,
    password: Text = "",
    password_repeat: Text = "",
) -> Response:
    queries.open_password_reset(session, token)
    if password != password_repeat:
        errors = {"password_repeat": gettext_in(language_of(request), "the two passwords differ")}
        return _reset_form(request, token, errors)
    try:
        with unit_of_work(session):
            service.reset_password(session, token, password)
    except Invalid as exc:
        session.rollback()
        return _reset_form(request, token, field_errors(exc, language_of(request)))
    request.session.clear()
    return _reset_form(request, token, {}, done=True)
