"""Removing from a profile: a page that asks first (works without JavaScript), the removal, and
its undo. Every URL here answers GET, since a user can land on any of them by reloading."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from upland.accounts import flash
from upland.accounts import queries as account_queries
from upland.actor import Actor
from upland.db import RowId
from upland.errors import NotFound, PermissionDenied
from upland.i18n import N_, Message
from upland.organisations import queries, removals, service
from upland.organisations.routes.common import RemovalToken, detail_context
from upland.permissions import allowed
from upland.reference import queries as reference
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.routing import Router
from upland.web.templating import render

router = Router(include_in_schema=False)

Kind = Literal["sites", "people", "capabilities"]
SECTIONS = {"sites": "SiteIn", "people": "PersonIn", "capabilities": "CapabilityIn"}
QUESTIONS = {
    "sites": N_("Remove this site?"),
    "people": N_("Remove this person?"),
    "capabilities": N_("Remove this capability?"),
}


def _editable(session: Any, actor: Actor, org_id: int) -> Any:
    org = queries.get_organisation(session, actor, org_id)
    if not allowed(actor, "organisations.organisation.edit", org):
        raise PermissionDenied(
            "you may not edit this organisation", code="organisation.edit_denied"
        )
    return org


def _described(session: Any, kind: str, child: Any) -> str:
    """What the confirmation names: the site's address, the person, the capability."""
    if kind == "sites":
        parts = [child.name, child.street, child.postal_code, child.locality or child.teryt]
        return ", ".join(p for p in parts if p)
    if kind == "people":
        return ", ".join(p for p in (child.full_name, child.role_title) if p)
    terms = {t.id: t for t in reference.list_capability_terms(session)} if child.term_id else {}
    term = terms.get(child.term_id)
    names = [term.name_pl if term else "", child.label]
    return " — ".join(n for n in names if n)


def _child_of(org: Any, kind: str, child_id: int) -> Any:
    child = next((c for c in getattr(org, kind) if c.id == child_id), None)
    if child is None:
        raise NotFound(
            "entry {id} of this profile does not exist", code="removal.not_found", id=child_id
        )
    return child


def _confirm(request: Request, **context: Any) -> Response:
    return render(request, "organisations/confirm.html", context)


@router.get("/organisations/{org_id}/delete", response_class=HTMLResponse)
def delete_organisation_page(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    org = queries.get_organisation(session, actor, org_id)
    if not allowed(actor, "organisations.organisation.delete", org):
        raise PermissionDenied(
            "only the cluster coordinator deletes organisations", code="organisation.delete_denied"
        )
    return _confirm(
        request,
        org=org,
        question=N_("Delete this organisation?"),
        what=org.legal_name,
        warning=N_("This cannot be undone."),
        action=f"/organisations/{org.id}/delete",
        button=N_("Delete"),
        back=f"/organisations/{org.id}/edit",
    )


def _remove_page(
    request: Request, session: Any, actor: Actor, org_id: int, kind: Kind, child_id: int
) -> Response:
    org = _editable(session, actor, org_id)
    child = _child_of(org, kind, child_id)
    return _confirm(
        request,
        org=org,
        question=QUESTIONS[kind],
        what=_described(session, kind, child),
        warning=N_("You can undo this from the profile page right after removing."),
        action=f"/organisations/{org.id}/{kind}/{child_id}/delete",
        button=N_("Remove"),
        back=f"/organisations/{org.id}#{SECTIONS[kind]}",
    )


@router.get("/organisations/{org_id}/sites/{child_id}/delete", response_class=HTMLResponse)
def remove_site_page(
    org_id: RowId, child_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _remove_page(request, session, actor, org_id, "sites", child_id)


@router.get("/organisations/{org_id}/people/{child_id}/delete", response_class=HTMLResponse)
def remove_person_page(
    org_id: RowId, child_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _remove_page(request, session, actor, org_id, "people", child_id)


@router.get("/organisations/{org_id}/capabilities/{child_id}/delete", response_class=HTMLResponse)
def remove_capability_page(
    org_id: RowId, child_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _remove_page(request, session, actor, org_id, "capabilities", child_id)


@router.post("/organisations/{org_id}/{kind}/{child_id}/delete", dependencies=[CsrfChecked])
def remove_child_form(
    org_id: RowId, kind: Kind, child_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    """Remove, then show the profile scrolled to "Removed. Undo" at the top of the section the
    user was in (the removal's token in the address; the notice checks it still can be undone)."""
    with unit_of_work(session):
        removal = removals.remove(session, actor, org_id, kind, child_id)
    return RedirectResponse(f"/organisations/{org_id}?removed={removal}#notice", status_code=303)


@router.get("/organisations/{org_id}/people/{person_id}/erase", response_class=HTMLResponse)
def erase_person_page(
    org_id: RowId, person_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    org = _editable(session, actor, org_id)
    person = _child_of(org, "people", person_id)
    return _confirm(
        request,
        org=org,
        question=N_("Erase this person's personal data?"),
        what=_described(session, "people", person),
        warning=N_("This cannot be undone."),
        action=f"/organisations/{org.id}/people/{person_id}/erase",
        button=N_("Erase"),
        back=f"/organisations/{org.id}#PersonIn",
    )


@router.post("/organisations/{org_id}/people/{person_id}/erase", dependencies=[CsrfChecked])
def erase_person_form(
    org_id: RowId, person_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.erase_person(session, actor, person_id)
    return RedirectResponse(f"/organisations/{org_id}", status_code=303)


@router.get("/organisations/{org_id}/removals/{removal}/restore", response_class=HTMLResponse)
def restore_page(
    org_id: RowId, removal: RemovalToken, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """Undo is a POST; whoever lands on its address by reloading sees the profile."""
    org = queries.get_organisation(session, actor, org_id)
    return render(
        request, "organisations/detail.html", detail_context(session, actor, org, request)
    )


@router.post("/organisations/{org_id}/removals/{removal}/restore", dependencies=[CsrfChecked])
def restore_form(
    org_id: RowId, removal: RemovalToken, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        kind = removals.get_removal(session, actor, org_id, removal).kind
        restored = removals.restore(session, actor, org_id, removal)
        if kind == "members":
            user = account_queries.get_user(session, restored)
            name = user.full_name or user.email
    if kind == "members":  # back to the list of user accounts the Undo was on, naming who
        said = Message(N_("{name} has access to this organisation again."), {"name": name})
        flash.flash(request.session, said)
        return RedirectResponse(f"/organisations/{org_id}/members#done", status_code=303)
    return RedirectResponse(f"/organisations/{org_id}?restored={kind}#notice", status_code=303)
