"""What the registry's pages and API share: list and export parameters, filter options."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from fastapi import Path, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import Field, ValidationError

from upland.actor import Actor
from upland.organisations import choices, exporting, presenters, queries, removals, workbook
from upland.organisations.schemas import (
    OrganisationFilter,
)
from upland.organisations.vocab import (
    CapabilityKind,
    MembershipStatus,
    OrganisationKind,
    SizeClass,
    SupplyTier,
    Visibility,
)
from upland.permissions import allowed
from upland.reference import queries as reference
from upland.web.forms import field_errors

ExportFormat = Literal["csv", "xlsx", "json"]

# A removal as addresses name it: its random token (`organisations.removals`).
RemovalToken = Annotated[str, Path(pattern=removals.REMOVAL_KEY_PATTERN)]


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


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def city_names(session: Any, organisations: Iterable[Any]) -> dict[str, str]:
    """Names of the municipalities the listed organisations are in."""
    return reference.municipality_names(session, (o.teryt for o in organisations))


def export(
    session: Any,
    actor: Actor,
    flt: OrganisationFilter,
    fmt: ExportFormat,
    language: exporting.Language = "en",
) -> Response:
    # A bad filter (unknown city, malformed PKD) must be a 422 now, not an error mid-stream.
    queries.filtered(session, actor, flt, today())
    organisations = queries.iter_organisations(session, actor, flt, today())
    filename = f"organisations-{today().isoformat()}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    if fmt == "xlsx":  # for people: labels, real numbers and dates, contacts and capabilities
        content = workbook.workbook_bytes(session, actor, organisations, language)
        return Response(content, media_type=MEDIA[fmt], headers=headers)
    rows = exporting.rows_of(session, actor, organisations)
    chunks = exporting.csv_chunks(rows, language) if fmt == "csv" else exporting.json_chunks(rows)
    return StreamingResponse(chunks, media_type=MEDIA[fmt], headers=headers)


SORT_LABELS = {
    "relevance": "Relevance",
    "name": "Name A–Z",
    "-name": "Name Z–A",
    "-updated": "Recently updated",
    "-employees": "Largest first",
    "founded": "Oldest first",
}


def filter_options(session: Any) -> dict[str, Any]:
    return {
        "kinds": list(OrganisationKind),
        "sizes": list(SizeClass),
        "tiers": list(SupplyTier),
        "memberships": list(MembershipStatus),
        "visibilities": list(Visibility),
        "sorts": SORT_LABELS,
        "city_partners": choices.partner_choices(session),
        "terms": reference.capability_term_choices(session),
        "capability_kinds": list(CapabilityKind),
    }


def filter_params(request: Request) -> dict[str, str]:
    return {
        k: v for k, v in request.query_params.items() if v and k in OrganisationFilter.model_fields
    }


def filter_from_query(request: Request, language: str) -> tuple[OrganisationFilter, dict[str, str]]:
    try:
        return OrganisationFilter.model_validate(filter_params(request)), {}
    except ValidationError as exc:
        return OrganisationFilter(), field_errors(exc, language)


SECTIONS = ("sites", "people", "capabilities")
SECTION_OF = {"SiteIn": "sites", "PersonIn": "people", "CapabilityIn": "capabilities"}


def _undo(session: Any, actor: Actor, org: Any, request: Request) -> Any:
    """The removal named by `?removed=<token>` if its Undo would work now, else None."""
    raw = request.query_params.get("removed", "")
    if not re.fullmatch(removals.REMOVAL_KEY_PATTERN, raw):
        return None
    return removals.offered_removal(session, actor, org, raw)


def _section_notice(request: Request, name: str) -> str | None:
    """Which section a "Saved." or "Restored." belongs to, so it is shown where the user is."""
    value = request.query_params.get(name, "")
    return value if value in SECTIONS else None


def detail_context(session: Any, actor: Actor, org: Any, request: Request) -> dict[str, Any]:
    can_edit = allowed(actor, "organisations.organisation.edit", org)
    return {
        "undo": _undo(session, actor, org, request) if can_edit else None,
        "saved_in": _section_notice(request, "saved"),
        "restored_in": _section_notice(request, "restored"),
        "org": org,
        "read": presenters.detail(session, actor, org, request.state.language),
        "can_edit": can_edit,
        "can_manage_members": allowed(actor, "accounts.membership.manage", org.id),
        "terms_all": reference.list_capability_terms(session) if can_edit else [],
    }
