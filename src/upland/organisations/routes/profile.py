"""Editing a profile through HTML forms: the organisation, its sites, people and capabilities."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.actor import Actor
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.organisations import queries, service
from upland.organisations.routes import removing
from upland.organisations.routes.common import SECTION_OF, detail_context, filter_options
from upland.organisations.schemas import (
    CapabilityIn,
    OrganisationCreate,
    OrganisationUpdate,
    PersonIn,
    SiteIn,
)
from upland.permissions import allowed
from upland.reference.vocabulary import resolve_term
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import FormFields, field_errors, validate_form
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
router.include_router(removing.router)


def _profile_form_data(data: dict[str, Any], can_manage: bool) -> dict[str, Any]:
    """The form's fields as the profile schema takes them; `pkd` is "29.32.Z; 28.30.Z@2007".

    PKD entries stay unchecked here: the schema validates them with the rest of the form, so a
    bad code or version is a message beside the field, not an error page.
    """
    if "pkd" not in data:
        data.pop("pkd_codes", None)
        return _without_membership(data, can_manage)
    pkd_text = data.pop("pkd", None) or ""
    codes = [c.strip() for c in pkd_text.replace(",", ";").split(";") if c.strip()]
    pkd = []
    for index, entry in enumerate(codes):
        code, at, version = entry.partition("@")
        number = int(version) if version.isascii() and version.isdigit() else version
        pkd.append({"code": code, "version": number if at else 2025, "is_primary": index == 0})
    data["pkd_codes"] = pkd
    return _without_membership(data, can_manage)


def _without_membership(data: dict[str, Any], can_manage: bool) -> dict[str, Any]:
    if not can_manage:
        data.pop("membership_status", None)
        data.pop("member_since", None)
    return data


def _pkd_text(org: Any) -> str:
    rows = sorted(org.pkd_codes, key=lambda p: (not p.is_primary, p.id))
    return "; ".join(p.code if p.version == 2025 else f"{p.code}@{p.version}" for p in rows)


def _edit_context(
    session: Any, actor: Actor, org: Any, values: dict[str, Any], errors: dict[str, Any]
) -> dict[str, Any]:
    return {
        "org": org,
        "values": values,
        "errors": errors,
        **filter_options(session),
        "can_manage": allowed(actor, "organisations.organisation.manage_membership", org),
        "can_delete": allowed(actor, "organisations.organisation.delete", org),
    }


@router.get("/organisations/new", response_class=HTMLResponse)
def new_organisation_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if not allowed(actor, "organisations.organisation.create"):
        raise PermissionDenied(
            "only the cluster coordinator registers organisations",
            code="organisation.create_denied",
        )
    return render(
        request,
        "organisations/edit.html",
        _edit_context(session, actor, None, {"kind": "company", "visibility": "public"}, {}),
    )


@router.post("/organisations/new", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_organisation_form(
    request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    teryt = raw.pop("teryt", None)
    try:
        data = _profile_form_data(dict(raw), True)
        if teryt:
            data["sites"] = [{"teryt": teryt, "is_headquarters": True}]
        with unit_of_work(session):
            org = service.create_organisation(
                session, actor, validate_form(OrganisationCreate, data)
            )
    except (ValidationError, Invalid, Conflict) as exc:
        language = language_of(request)
        errors = (
            {"form": describe(exc, language)}
            if isinstance(exc, Conflict)
            else field_errors(exc, language)
        )
        return render(
            request,
            "organisations/edit.html",
            _edit_context(session, actor, None, raw | {"teryt": teryt}, errors),
            422,
        )
    return RedirectResponse(f"/organisations/{org.id}", status_code=303)


@router.get("/organisations/{org_id}/edit", response_class=HTMLResponse)
def edit_organisation_page(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    org = queries.get_organisation(session, actor, org_id)
    if not allowed(actor, "organisations.organisation.edit", org):
        raise PermissionDenied(
            "you may not edit this organisation", code="organisation.edit_denied"
        )
    values = {c: getattr(org, c) for c in OrganisationUpdate.model_fields if hasattr(org, c)}
    values["pkd"] = _pkd_text(org)
    return render(
        request, "organisations/edit.html", _edit_context(session, actor, org, values, {})
    )


@router.post(
    "/organisations/{org_id}/edit", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def edit_organisation_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    org = queries.get_organisation(session, actor, org_id)
    can_manage = allowed(actor, "organisations.organisation.manage_membership", org)
    try:
        data = _profile_form_data(dict(raw), can_manage)
        if not can_manage:
            data.pop("kind", None)
        with unit_of_work(session):
            service.update_organisation(
                session, actor, org_id, validate_form(OrganisationUpdate, data)
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        org = queries.get_organisation(session, actor, org_id)
        language = language_of(request)
        errors = (
            {"form": describe(exc, language)}
            if isinstance(exc, Conflict)
            else field_errors(exc, language)
        )
        return render(
            request, "organisations/edit.html", _edit_context(session, actor, org, raw, errors), 422
        )
    return RedirectResponse(f"/organisations/{org_id}?saved=1", status_code=303)


@router.post("/organisations/{org_id}/delete", dependencies=[CsrfChecked])
def delete_organisation_form(org_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.delete_organisation(session, actor, org_id)
    return RedirectResponse("/organisations", status_code=303)


ChildModel = type[SiteIn] | type[PersonIn] | type[CapabilityIn]


def _child_input(
    request: Request, session: Any, raw: dict[str, Any], model: ChildModel
) -> dict[str, Any]:
    """The posted fields as the schema takes them: a checkbox is a boolean, and a capability
    term may be written as its name in either language (resolved to its slug here)."""
    data = dict(raw)
    if model is SiteIn:
        data["is_headquarters"] = raw.get("is_headquarters") == "on"
    if model is CapabilityIn and raw.get("term"):
        data["term"] = resolve_term(session, raw["term"], raw.get("kind"), language_of(request))
    return data


def _child_form(
    request: Request,
    session: Any,
    actor: Actor,
    org_id: int,
    raw: dict[str, Any],
    model: ChildModel,
    action: Any,
) -> Response:
    """Add a site, person or capability; a refused form is the profile again (422), at the
    form (its action carries the anchor), with the input kept and the errors beside it."""
    try:
        data = validate_form(model, _child_input(request, session, raw, model))
        with unit_of_work(session):
            action(session, actor, org_id, data)
    except (ValidationError, Invalid) as exc:
        session.rollback()
        org = queries.get_organisation(session, actor, org_id)
        context = detail_context(session, actor, org, request)
        errors = field_errors(exc, language_of(request))
        context |= {"child_errors": {model.__name__: errors}, "child_values": raw}
        return render(request, "organisations/detail.html", context, 422)
    kind = SECTION_OF[model.__name__]
    return RedirectResponse(f"/organisations/{org_id}?saved={kind}#notice", status_code=303)


@router.get("/organisations/{org_id}/sites", response_class=HTMLResponse)
@router.get("/organisations/{org_id}/people", response_class=HTMLResponse)
@router.get("/organisations/{org_id}/capabilities", response_class=HTMLResponse)
def child_form_page(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """Where a refused form left the browser: reloading it or switching the language there
    asks for it with GET, which shows the profile (the page the form is on)."""
    org = queries.get_organisation(session, actor, org_id)
    return render(
        request, "organisations/detail.html", detail_context(session, actor, org, request)
    )


@router.post("/organisations/{org_id}/sites", dependencies=[CsrfChecked])
def add_site_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _child_form(request, session, actor, org_id, raw, SiteIn, service.add_site)


@router.post("/organisations/{org_id}/people", dependencies=[CsrfChecked])
def add_person_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _child_form(request, session, actor, org_id, raw, PersonIn, service.add_person)


@router.post("/organisations/{org_id}/capabilities", dependencies=[CsrfChecked])
def add_capability_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep, raw: FormFields
) -> Response:
    return _child_form(request, session, actor, org_id, raw, CapabilityIn, service.add_capability)
