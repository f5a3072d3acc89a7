"""The registry's list, export and detail pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from upland.db import RowId
from upland.errors import Invalid
from upland.organisations import choices, presenters, queries, search
from upland.organisations.routes.common import (
    ExportFormat,
    city_names,
    detail_context,
    export,
    filter_from_query,
    filter_options,
    filter_params,
    today,
)
from upland.organisations.schemas import (
    OrganisationFilter,
)
from upland.permissions import allowed
from upland.settings import get_settings
from upland.web.deps import ActorDep, SessionDep
from upland.web.forms import field_errors
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)


@router.get("/organisations", response_class=HTMLResponse)
def organisations_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    after: str | None = None,
    before: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> Response:
    language = language_of(request)
    flt, errors = filter_from_query(request, language)
    try:
        page = queries.list_organisations(
            session,
            actor,
            flt,
            today=today(),
            limit=limit,
            after=after,
            before=before,
            summaries=True,
        )
    except Invalid as exc:
        errors.update(field_errors(exc, language))
        page = queries.list_organisations(
            session, actor, OrganisationFilter(), today=today(), limit=limit, summaries=True
        )
    context = {
        "page": page,
        "flt": flt,
        "no_words": search.has_no_words(flt.q),
        "params": filter_params(request),
        "errors": errors,
        "limit": limit,
        "city_names": city_names(session, page.items),
        **filter_options(session),
        "can_create": allowed(actor, "organisations.organisation.create"),
        "can_import": allowed(actor, "organisations.organisation.import"),
    }
    template = (
        "organisations/_results.html"
        if request.headers.get("hx-request")
        else "organisations/list.html"
    )
    return render(request, template, context)


@router.get("/organisations/export.{fmt}")
def organisations_export(
    fmt: ExportFormat, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    try:
        flt = OrganisationFilter.model_validate(filter_params(request))
    except ValidationError as exc:
        # Answered as any bad query parameter is: English JSON, or a page in its language.
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None
    return export(session, actor, flt, fmt, "pl" if language_of(request) == "pl" else "en")


@router.get("/organisations/city-options", response_class=HTMLResponse)
def city_options(
    request: Request,
    session: SessionDep,
    city: Annotated[str, Query(max_length=100)] = "",
    q: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The <option>s of the list's city field for what has been typed so far (htmx sends the
    field's own name, `city`): the filter's choices whose name or TERYT code begins with it."""
    found = choices.suggest_cities(session, q or city)
    return render(request, "organisations/_city_options.html", {"options": found})


@router.get("/organisations/{org_id}", response_class=HTMLResponse)
def organisation_page(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    org = queries.get_organisation(session, actor, org_id)
    return render(
        request, "organisations/detail.html", detail_context(session, actor, org, request)
    )


@router.get("/organisations/{org_id}/print", response_class=HTMLResponse)
def organisation_print(
    org_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """One A4 page of the profile, for handing on: what the profile shows this reader (the
    same visibility and contact consent), without forms or navigation."""
    org = queries.get_organisation(session, actor, org_id)
    context = {
        "read": presenters.detail(session, actor, org, language_of(request)),
        "printed_on": today().isoformat(),
        "public_url": (get_settings().public_url or "").rstrip("/"),
    }
    return render(request, "organisations/print.html", context)
