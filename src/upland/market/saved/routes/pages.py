"""The pages of saved searches and follows: `/market/saved` lists one's saved searches (open,
rename, delete) and followed opportunities; the browse list's "Save this search" form posts
its filter here; an opportunity's page follows and unfollows it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from upland.accounts import flash
from upland.actor import Actor
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.i18n import N_, Message
from upland.market.saved import queries, service
from upland.market.saved.schemas import SavedSearchCreate, SavedSearchRename
from upland.market.saved.service import FILTER_FIELDS
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import FormFields, field_errors, validate_form
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
PAGE = "/market/saved"


def _logged_in(actor: Actor) -> None:
    if actor.user_id is None:
        raise PermissionDenied("log in to see this page", code="login_required")


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    searches = queries.list_searches(session, actor)
    context = {
        "searches": [(s, queries.url_of(s)) for s in searches],
        "follows": queries.list_follows(session, actor),
        "limit": service.LIMIT,
        "errors": errors or {},
        "values": values or {},
        "filter_fields": (*FILTER_FIELDS, "sort"),
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "market/saved.html", context, status_code=status)


def _act(
    request: Request,
    session: Session,
    actor: Actor,
    raw: dict[str, Any],
    write: Callable[[], Message],
    done: str = PAGE,
) -> Response:
    """Run one write; to `done` saying what changed, or the page again saying why not."""
    try:
        with unit_of_work(session):
            said = write()
    except (Invalid, ValidationError, Conflict) as exc:
        session.rollback()
        language = language_of(request)
        if isinstance(exc, Conflict):
            errors, status = {"form": describe(exc, language)}, 409
        else:
            errors, status = field_errors(exc, language), 422
        return _page(request, session, actor, errors, raw, status)
    flash.flash(request.session, said)
    return RedirectResponse(done, status_code=303)


@router.get(PAGE)
def saved_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    _logged_in(actor)
    return _page(request, session, actor)


@router.post(PAGE, dependencies=[CsrfChecked])
def save_search_form(
    request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    _logged_in(actor)
    fields = {k: v for k, v in raw.items() if k in {"name", *FILTER_FIELDS, "sort"}}

    def write() -> Message:
        search = service.save_search(session, actor, validate_form(SavedSearchCreate, fields))
        return Message(N_("Search saved as “{name}”."), {"name": search.name})

    return _act(request, session, actor, fields, write)


@router.post(PAGE + "/{search_id}/rename", dependencies=[CsrfChecked])
def rename_search_form(
    search_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    _logged_in(actor)

    def write() -> Message:
        data = validate_form(SavedSearchRename, {"name": raw.get("name")})
        search = service.rename_search(session, actor, search_id, data.name)
        return Message(N_("Search renamed to “{name}”."), {"name": search.name})

    return _act(request, session, actor, {}, write)


@router.post(PAGE + "/{search_id}/delete", dependencies=[CsrfChecked])
def delete_search_form(
    search_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    _logged_in(actor)

    def write() -> Message:
        service.delete_search(session, actor, search_id)
        return Message(N_("The saved search was deleted."))

    return _act(request, session, actor, {}, write)


@router.post("/market/{opportunity_id:int}/follow", dependencies=[CsrfChecked])
def follow_form(opportunity_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    _logged_in(actor)
    with unit_of_work(session):
        service.follow(session, actor, opportunity_id)
    return RedirectResponse(f"/market/{opportunity_id}?followed=1", status_code=303)


@router.post("/market/{opportunity_id:int}/unfollow", dependencies=[CsrfChecked])
def unfollow_form(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    """Back to the opportunity, or to the list of follows when it was sent from there."""
    _logged_in(actor)
    with unit_of_work(session):
        service.unfollow(session, actor, opportunity_id)
    if raw.get("back") == "saved":
        flash.flash(request.session, Message(N_("You no longer follow this opportunity.")))
        return RedirectResponse(PAGE, status_code=303)
    return RedirectResponse(f"/market/{opportunity_id}?unfollowed=1", status_code=303)
