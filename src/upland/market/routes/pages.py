"""The marketplace's pages: browse and search, export, detail (a teaser when restricted), the
owner's list, the review queue, access requests, attachment downloads."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, StreamingResponse
from pydantic import ValidationError

from upland.actor import Actor, OrgRole
from upland.db import RowId
from upland.errors import Invalid, PermissionDenied
from upland.market import presenters, queries
from upland.market.routes.common import export, today
from upland.market.saved import queries as saved
from upland.market.saved.service import FILTER_FIELDS
from upland.market.schemas import OpportunityFilter
from upland.market.search import query_terms
from upland.market.service.core import review_enabled
from upland.market.vocab import IpStatus, OpportunityKind, OwnerKind, PartnershipType, Sort, Status
from upland.organisations import queries as organisations
from upland.permissions import allowed
from upland.reference import queries as reference
from upland.storage import get_storage
from upland.web.deps import ActorDep, SessionDep
from upland.web.forms import field_errors
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)


SAVED_FIELDS = frozenset((*FILTER_FIELDS, "sort"))


def filter_params(request: Request) -> dict[str, str]:
    return {
        k: v for k, v in request.query_params.items() if v and k in OpportunityFilter.model_fields
    }


def editor_organisations(session: Any, actor: Actor) -> list[tuple[int, str]]:
    """The organisations the actor may put opportunities on the marketplace for."""
    ids = [o for o in actor.org_roles if actor.has_role(o, OrgRole.EDITOR)]
    return organisations.organisation_choices(session, ids)


def options(session: Any) -> dict[str, Any]:
    return {
        "kinds": list(OpportunityKind),
        "statuses": list(Status),
        "owner_kinds": list(OwnerKind),
        "sorts": list(Sort),
        "ip_statuses": list(IpStatus),
        "partnership_types": list(PartnershipType),
        "terms": reference.list_capability_terms(session),
        "municipalities": reference.municipality_choices(session, ()),
    }


@router.get("/market", response_class=HTMLResponse)
def market_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    after: str | None = None,
    before: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> Response:
    language = language_of(request)
    errors: dict[str, str] = {}
    try:
        flt = OpportunityFilter.model_validate(filter_params(request))
    except ValidationError as exc:
        flt, errors = OpportunityFilter(), field_errors(exc, language)
    try:
        page = queries.list_opportunities(
            session,
            actor,
            flt,
            on=today(),
            limit=limit,
            after=after,
            before=before,
            language=language,
        )
        facets = queries.count_by_kind(session, actor, flt, today())
    except Invalid as exc:
        errors.update(field_errors(exc, language))
        flt = OpportunityFilter()
        page = queries.list_opportunities(
            session, actor, flt, on=today(), limit=limit, language=language
        )
        facets = queries.count_by_kind(session, actor, flt, today())
    context = {
        "page": page,
        "flt": flt,
        "facets": facets,
        "owners": presenters.owners_of(session, page.items),
        "no_words": bool(flt.q and flt.q.strip()) and not query_terms(flt.q or ""),
        "params": filter_params(request),
        "errors": errors,
        "limit": limit,
        "can_create": bool(editor_organisations(session, actor)),
        "can_review": allowed(actor, "market.review_queue.view"),
        "saved_fields": {k: v for k, v in filter_params(request).items() if k in SAVED_FIELDS},
        **options(session),
    }
    template = "market/_results.html" if request.headers.get("hx-request") else "market/list.html"
    return render(request, template, context)


@router.get("/market/export.{fmt}")
def market_export(
    fmt: Literal["csv", "json"], request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    try:
        flt = OpportunityFilter.model_validate(filter_params(request))
    except ValidationError as exc:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors()]
        raise RequestValidationError(errors) from None
    return export(session, actor, flt, fmt)


@router.get("/market/mine", response_class=HTMLResponse)
def my_opportunities_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Every opportunity of the reader's organisations, in every state, with its actions."""
    if actor.is_anonymous:
        raise PermissionDenied("log in first", code="login_required")
    items = queries.list_own(session, actor)
    context = {
        "items": items,
        "reads": {i.opportunity.id: presenters.actions_for(actor, i) for i in items},
        "can_create": bool(editor_organisations(session, actor)),
        "review": review_enabled(),
    }
    return render(request, "market/mine.html", context)


@router.get("/market/review", response_class=HTMLResponse)
def review_queue_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if not allowed(actor, "market.review_queue.view"):
        raise PermissionDenied(
            "only the cluster coordinator reviews opportunities", code="market.review_denied"
        )
    items = queries.list_review_queue(session, actor)
    return render(
        request,
        "market/review.html",
        {
            "items": items,
            "owners": presenters.owners_of(session, items),
            "review": review_enabled(),
        },
    )


@router.get("/market/access", response_class=HTMLResponse)
def access_requests_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Requests for access to the reader's organisations' restricted opportunities."""
    if actor.is_anonymous:
        raise PermissionDenied("log in first", code="login_required")
    found = queries.list_access_requests(session, actor)
    names = organisations.owner_facts(session, [r.organisation_id for r in found])
    return render(request, "market/access.html", {"requests": found, "names": names})


@router.get("/market/attachments/{attachment_id}")
def attachment_download(attachment_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """The file, to whoever sees its opportunity whole (as stored: its checked type)."""
    attachment = queries.visible_attachment(session, actor, attachment_id)
    handle = get_storage().open(attachment.key)
    safe = "".join(c if c.isascii() and c not in '"\\' else "_" for c in attachment.name)
    headers = {
        "content-disposition": f'attachment; filename="{safe}"',
        "x-content-type-options": "nosniff",
    }
    return StreamingResponse(handle, media_type=attachment.content_type, headers=headers)


@router.get("/market/{opportunity_id:int}", response_class=HTMLResponse)
def opportunity_page(
    opportunity_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return render(request, "market/detail.html", detail_context(session, actor, opportunity_id))


def detail_context(session: Any, actor: Actor, opportunity_id: int, **more: Any) -> dict[str, Any]:
    item = queries.get_opportunity(session, actor, opportunity_id)
    read = presenters.detail(session, actor, item)
    o = item.opportunity
    may_ask = not item.whole and allowed(actor, "market.access.request", o)
    may_edit = allowed(actor, "market.opportunity.edit", o)
    terms = {t.slug: t for t in reference.list_capability_terms(session)}
    return {
        "read": read,
        "item": item,
        "terms": terms,
        "places": reference.unit_names(session, read.places),
        "may_edit": may_edit,
        "may_review": allowed(actor, "market.opportunity.review", o),
        "may_ask": may_ask,
        "ask_for": [(i, n) for i, n in organisations.organisation_choices(session, actor.org_roles)]
        if may_ask
        else [],
        "asked": queries.access_requested(session, actor, o.id) if not item.whole else [],
        "values": {},
        "errors": {},
        "may_follow": allowed(actor, "market.opportunity.follow", o),
        "following": saved.is_following(session, actor, o.id),
        **more,
    }
