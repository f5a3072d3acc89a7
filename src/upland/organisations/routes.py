"""Registry pages (HTML + HTMX fragments) and the JSON API, over the same queries and services."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from pydantic import Field, ValidationError

from upland import uploads
from upland.actor import Actor
from upland.db import RowId
from upland.errors import Conflict, Gone, Invalid, PermissionDenied
from upland.i18n import gettext_in
from upland.organisations import exporting, presenters, queries, service
from upland.organisations.schemas import (
    CapabilityIn,
    OrganisationCreate,
    OrganisationFilter,
    OrganisationPage,
    OrganisationRead,
    OrganisationUpdate,
    PersonIn,
    PersonRead,
    SiteIn,
)
from upland.organisations.vocab import (
    CapabilityKind,
    MembershipStatus,
    OrganisationKind,
    SizeClass,
    SupplyTier,
    Visibility,
)
from upland.permissions import allowed, require
from upland.reference import queries as reference
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import field_errors, form_dict
from upland.web.messages import describe
from upland.web.templating import language_of, render

router = APIRouter()
pages = APIRouter(include_in_schema=False)
api = APIRouter(
    prefix="/api/v1", tags=["organisations"], dependencies=[CsrfChecked], responses=API_ERRORS
)

ExportFormat = Literal["csv", "xlsx", "json"]


CURSOR = "a `next_cursor` or `prev_cursor` of an earlier page (opaque; anything else is a 422)"


class ListParams(OrganisationFilter):
    """The list filter plus keyset paging: one query model, since the filter forbids extras."""

    limit: int = Field(default=25, ge=1, le=200)
    after: str | None = Field(default=None, max_length=500, description=CURSOR)
    before: str | None = Field(default=None, max_length=500, description=CURSOR)


class ExportParams(OrganisationFilter):
    format: ExportFormat = "csv"


MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _city_names(session: Any) -> dict[str, str]:
    return {m.teryt: m.name for m in reference.list_municipalities(session)}


def _export(
    session: Any,
    actor: Actor,
    flt: OrganisationFilter,
    fmt: ExportFormat,
    language: exporting.Language = "en",
) -> Response:
    # A bad filter (unknown city, malformed PKD) must be a 422 now, not an error mid-stream.
    queries.filtered(session, actor, flt, _today())
    rows = exporting.rows_of(
        session, actor, queries.iter_organisations(session, actor, flt, _today())
    )
    filename = f"organisations-{_today().isoformat()}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":
        content = exporting.xlsx_bytes(rows, language)
        return Response(content, media_type=MEDIA[fmt], headers=headers)
    chunks = exporting.csv_chunks(rows, language) if fmt == "csv" else exporting.json_chunks(rows)
    return StreamingResponse(chunks, media_type=MEDIA[fmt], headers=headers)


# --- JSON API ---------------------------------------------------------------------------------


@api.get("/organisations", response_model=OrganisationPage)
def api_list_organisations(
    session: SessionDep, actor: ActorDep, params: Annotated[ListParams, Query()]
) -> OrganisationPage:
    """Organisations you may see, filtered; keyset pages via `next_cursor` / `prev_cursor`."""
    page = queries.list_organisations(
        session,
        actor,
        params,
        today=_today(),
        limit=params.limit,
        after=params.after,
        before=params.before,
    )
    names = _city_names(session)
    return OrganisationPage(
        items=[presenters.summary(o, names) for o in page.items],
        total=page.total,
        next_cursor=page.next_cursor,
        prev_cursor=page.prev_cursor,
    )


@api.get(
    "/organisations/export",
    response_class=Response,
    responses={200: {"content": {m: {} for m in MEDIA.values()}}},
)
def api_export_organisations(
    session: SessionDep, actor: ActorDep, params: Annotated[ExportParams, Query()]
) -> Response:
    """Exactly the rows the same filter lists for you, as CSV, XLSX or JSON."""
    return _export(session, actor, params, params.format)


# `:int` keeps /organisations/export from being taken for an id (so PATCH there is a 405).
@api.get("/organisations/{org_id:int}", response_model=OrganisationRead)
def api_get_organisation(
    org_id: RowId, session: SessionDep, actor: ActorDep, request: Request
) -> OrganisationRead:
    org = queries.get_organisation(session, actor, org_id)
    return presenters.detail(session, actor, org, request.state.language)


@api.post("/organisations", response_model=OrganisationRead, status_code=201)
def api_create_organisation(
    data: OrganisationCreate, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        org = service.create_organisation(session, actor, data)
        return presenters.detail(session, actor, org)


@api.patch("/organisations/{org_id:int}", response_model=OrganisationRead)
def api_update_organisation(
    org_id: RowId, data: OrganisationUpdate, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        org = service.update_organisation(session, actor, org_id, data)
        return presenters.detail(session, actor, org)


@api.delete("/organisations/{org_id:int}", status_code=204)
def api_delete_organisation(org_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.delete_organisation(session, actor, org_id)
    return Response(status_code=204)


@api.post("/organisations/{org_id}/sites", response_model=OrganisationRead, status_code=201)
def api_add_site(
    org_id: RowId, data: SiteIn, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        site = service.add_site(session, actor, org_id, data)
        return presenters.detail(session, actor, site.organisation)


@api.put("/sites/{site_id}", response_model=OrganisationRead)
def api_update_site(
    site_id: RowId, data: SiteIn, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        site = service.update_site(session, actor, site_id, data)
        return presenters.detail(session, actor, site.organisation)


@api.delete("/sites/{site_id}", status_code=204)
def api_remove_site(site_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_site(session, actor, site_id)
    return Response(status_code=204)


@api.post("/organisations/{org_id}/people", response_model=PersonRead, status_code=201)
def api_add_person(
    org_id: RowId, data: PersonIn, session: SessionDep, actor: ActorDep
) -> PersonRead:
    with unit_of_work(session):
        return presenters.person(actor, service.add_person(session, actor, org_id, data))


@api.put("/people/{person_id}", response_model=PersonRead)
def api_update_person(
    person_id: RowId, data: PersonIn, session: SessionDep, actor: ActorDep
) -> PersonRead:
    with unit_of_work(session):
        return presenters.person(actor, service.update_person(session, actor, person_id, data))


@api.delete("/people/{person_id}", status_code=204)
def api_remove_person(person_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_person(session, actor, person_id)
    return Response(status_code=204)


@api.post("/people/{person_id}/erase", response_model=PersonRead)
def api_erase_person(person_id: RowId, session: SessionDep, actor: ActorDep) -> PersonRead:
    """Remove a contact person's personal data; the row stays for statistics."""
    with unit_of_work(session):
        return presenters.person(actor, service.erase_person(session, actor, person_id))


@api.post("/organisations/{org_id}/capabilities", response_model=OrganisationRead, status_code=201)
def api_add_capability(
    org_id: RowId, data: CapabilityIn, session: SessionDep, actor: ActorDep
) -> OrganisationRead:
    with unit_of_work(session):
        capability = service.add_capability(session, actor, org_id, data)
        return presenters.detail(session, actor, capability.organisation)


@api.delete("/capabilities/{capability_id}", status_code=204)
def api_remove_capability(capability_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.remove_capability(session, actor, capability_id)
    return Response(status_code=204)


# --- HTML pages -------------------------------------------------------------------------------

SORT_LABELS = {
    "name": "Name A–Z",
    "-name": "Name Z–A",
    "-updated": "Recently updated",
    "-employees": "Largest first",
    "founded": "Oldest first",
}


def _filter_options(session: Any) -> dict[str, Any]:
    return {
        "kinds": list(OrganisationKind),
        "sizes": list(SizeClass),
        "tiers": list(SupplyTier),
        "memberships": list(MembershipStatus),
        "visibilities": list(Visibility),
        "sorts": SORT_LABELS,
        "municipalities": reference.list_municipalities(session),
        "terms": reference.list_capability_terms(session),
        "capability_kinds": list(CapabilityKind),
    }


def _filter_params(request: Request) -> dict[str, str]:
    return {
        k: v for k, v in request.query_params.items() if v and k in OrganisationFilter.model_fields
    }


def _filter_from_query(
    request: Request, language: str
) -> tuple[OrganisationFilter, dict[str, str]]:
    try:
        return OrganisationFilter.model_validate(_filter_params(request)), {}
    except ValidationError as exc:
        return OrganisationFilter(), field_errors(exc, language)


@pages.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/organisations", status_code=307)


@pages.get("/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    after: str | None = None,
    before: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> Response:
    language = language_of(request)
    flt, errors = _filter_from_query(request, language)
    try:
        page = queries.list_organisations(
            session, actor, flt, today=_today(), limit=limit, after=after, before=before
        )
    except Invalid as exc:
        errors.update(field_errors(exc, language))
        page = queries.list_organisations(
            session, actor, OrganisationFilter(), today=_today(), limit=limit
        )
    context = {
        "page": page,
        "flt": flt,
        "params": _filter_params(request),
        "errors": errors,
        "limit": limit,
        "city_names": _city_names(session),
        **_filter_options(session),
        "can_create": allowed(actor, "organisations.organisation.create"),
        "can_import": allowed(actor, "organisations.organisation.import"),
    }
    template = (
        "organisations/_results.html"
        if request.headers.get("hx-request")
        else "organisations/list.html"
    )
    return render(request, template, context)


@pages.get("/organisations/export.{fmt}")
def organisations_export(
    fmt: ExportFormat, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    try:
        flt = OrganisationFilter.model_validate(_filter_params(request))
    except ValidationError as exc:
        # Answered as any bad query parameter is: English JSON, or a page in its language.
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None
    return _export(session, actor, flt, fmt, "pl" if language_of(request) == "pl" else "en")


def _run_import(
    session: Any, actor: Actor, path: Path, filename: str, mode: Any, dry_run: bool
) -> Any:
    from upland.organisations.imports.service import import_file

    with unit_of_work(session):
        return import_file(session, actor, path, filename=filename, mode=mode, dry_run=dry_run)


def _drop_pending(request: Request) -> None:
    """Delete the upload this browser session left waiting, if any."""
    pending = request.session.pop("import_upload", None) or {}
    uploads.discard(str(pending.get("token", "")))


@pages.get("/organisations/import", response_class=HTMLResponse)
def import_page(request: Request, actor: ActorDep) -> Response:
    require(actor, "organisations.organisation.import")
    return render(request, "organisations/import.html", {"report": None, "errors": {}})


@pages.post("/organisations/import", response_class=HTMLResponse, dependencies=[CsrfChecked])
def import_check(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Step 1: upload and dry run; the report lists every problem by row and column.

    A file refused as a whole is deleted at once; one that can be imported waits for step 2
    until it expires (`uploads`). A new upload replaces the one the session left waiting.
    """
    require(actor, "organisations.organisation.import")
    language = language_of(request)
    if file is None or not file.filename:
        return render(
            request,
            "organisations/import.html",
            {"report": None, "errors": {"file": gettext_in(language, "choose a CSV or XLSX file")}},
            422,
        )
    _drop_pending(request)
    filename = file.filename[:200]
    token = ""
    try:
        token = uploads.save(file.file)
        report = _run_import(
            session, actor, uploads.path_of(token), filename, "valid_only", dry_run=True
        )
    except Invalid as exc:
        uploads.discard(token)
        return render(
            request,
            "organisations/import.html",
            {"report": None, "errors": {"file": describe(exc, language)}},
            422,
        )
    request.session["import_upload"] = {"token": token, "filename": filename}
    return render(
        request,
        "organisations/import.html",
        {"report": report, "filename": filename, "token": token, "errors": {}},
    )


@pages.post("/organisations/import/cancel", dependencies=[CsrfChecked])
def import_cancel(request: Request, actor: ActorDep) -> Response:
    """Give up the checked upload: its file is deleted at once."""
    require(actor, "organisations.organisation.import")
    _drop_pending(request)
    return RedirectResponse("/organisations/import", status_code=303)


@pages.post(
    "/organisations/import/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def import_commit(
    token: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    mode: Annotated[str, Form()] = "all_or_nothing",
) -> Response:
    """Step 2: import everything (all-or-nothing) or only the valid rows; 410 once expired."""
    require(actor, "organisations.organisation.import")
    pending = request.session.get("import_upload") or {}
    if pending.get("token") != token:
        raise Invalid.one("file", "unknown upload; upload the file again", code="upload.unknown")
    try:
        path = uploads.path_of(token)
    except Gone:
        request.session.pop("import_upload", None)
        raise
    chosen = "valid_only" if mode == "valid_only" else "all_or_nothing"
    report = _run_import(session, actor, path, pending["filename"], chosen, dry_run=False)
    if report.written:
        _drop_pending(request)
    return render(
        request,
        "organisations/import.html",
        {
            "report": report,
            "filename": pending["filename"],
            "token": token,
            "errors": {},
            "done": report.written,
        },
    )


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
        **_filter_options(session),
        "can_manage": allowed(actor, "organisations.organisation.manage_membership", org),
        "can_delete": allowed(actor, "organisations.organisation.delete", org),
    }


@pages.get("/organisations/new", response_class=HTMLResponse)
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


@pages.post("/organisations/new", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def create_organisation_form(
    request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    raw = await form_dict(request)
    teryt = raw.pop("teryt", None)
    try:
        data = _profile_form_data(dict(raw), True)
        if teryt:
            data["sites"] = [{"teryt": teryt, "is_headquarters": True}]
        with unit_of_work(session):
            org = service.create_organisation(
                session, actor, OrganisationCreate.model_validate(data)
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


def _detail_context(session: Any, actor: Actor, org: Any, request: Request) -> dict[str, Any]:
    can_edit = allowed(actor, "organisations.organisation.edit", org)
    return {
        "org": org,
        "read": presenters.detail(session, actor, org, request.state.language),
        "can_edit": can_edit,
        "can_manage_members": allowed(actor, "accounts.membership.manage", org.id),
        "municipalities_all": reference.list_municipalities(session) if can_edit else [],
        "terms_all": reference.list_capability_terms(session) if can_edit else [],
    }


@pages.get("/organisations/{org_id}", response_class=HTMLResponse)
def organisation_page(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    org = queries.get_organisation(session, actor, org_id)
    return render(
        request, "organisations/detail.html", _detail_context(session, actor, org, request)
    )


@pages.get("/organisations/{org_id}/edit", response_class=HTMLResponse)
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


@pages.post("/organisations/{org_id}/edit", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def edit_organisation_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    org = queries.get_organisation(session, actor, org_id)
    raw = await form_dict(request)
    can_manage = allowed(actor, "organisations.organisation.manage_membership", org)
    try:
        data = _profile_form_data(dict(raw), can_manage)
        if not can_manage:
            data.pop("kind", None)
        with unit_of_work(session):
            service.update_organisation(
                session, actor, org_id, OrganisationUpdate.model_validate(data)
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


@pages.post("/organisations/{org_id}/delete", dependencies=[CsrfChecked])
def delete_organisation_form(org_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        service.delete_organisation(session, actor, org_id)
    return RedirectResponse("/organisations", status_code=303)


async def _child_form(
    request: Request,
    session: Any,
    actor: Actor,
    org_id: int,
    model: type[SiteIn] | type[PersonIn] | type[CapabilityIn],
    action: Any,
) -> Response:
    raw = await form_dict(request)
    if model is SiteIn:
        raw["is_headquarters"] = raw.get("is_headquarters") == "on"
    try:
        data = model.model_validate(raw)
        with unit_of_work(session):
            action(session, actor, org_id, data)
    except (ValidationError, Invalid) as exc:
        session.rollback()
        org = queries.get_organisation(session, actor, org_id)
        context = _detail_context(session, actor, org, request)
        errors = field_errors(exc, language_of(request))
        context |= {"child_errors": {model.__name__: errors}, "child_values": raw}
        return render(request, "organisations/detail.html", context, 422)
    return RedirectResponse(f"/organisations/{org_id}?saved=1#{model.__name__}", status_code=303)


@pages.post("/organisations/{org_id}/sites", dependencies=[CsrfChecked])
async def add_site_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return await _child_form(request, session, actor, org_id, SiteIn, service.add_site)


@pages.post("/organisations/{org_id}/people", dependencies=[CsrfChecked])
async def add_person_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return await _child_form(request, session, actor, org_id, PersonIn, service.add_person)


@pages.post("/organisations/{org_id}/capabilities", dependencies=[CsrfChecked])
async def add_capability_form(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return await _child_form(request, session, actor, org_id, CapabilityIn, service.add_capability)


REMOVERS = {
    "sites": service.remove_site,
    "people": service.remove_person,
    "capabilities": service.remove_capability,
}


@pages.post("/organisations/{org_id}/{kind}/{child_id}/delete", dependencies=[CsrfChecked])
def remove_child_form(
    org_id: RowId,
    kind: Literal["sites", "people", "capabilities"],
    child_id: RowId,
    session: SessionDep,
    actor: ActorDep,
) -> Response:
    with unit_of_work(session):
        REMOVERS[kind](session, actor, child_id)
    return RedirectResponse(f"/organisations/{org_id}", status_code=303)


@pages.post("/organisations/{org_id}/people/{person_id}/erase", dependencies=[CsrfChecked])
def erase_person_form(
    org_id: RowId, person_id: RowId, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.erase_person(session, actor, person_id)
    return RedirectResponse(f"/organisations/{org_id}", status_code=303)


router.include_router(api)
router.include_router(pages)
