"""The audit log and an organisation's history as pages: the same readable entries
(`accounts.history`), filters kept in every link, every URL answering GET in either language."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import Field

from upland.accounts import history, queries
from upland.accounts.schemas import AuditQuery
from upland.db import RowId
from upland.i18n import label
from upland.web.deps import ActorDep, SessionDep
from upland.web.routing import Router
from upland.web.templating import language_of, render

pages = Router(include_in_schema=False)
_FILTERS = "audit_filters"  # the filters last shown, kept in the signed session cookie


class AuditPageQuery(AuditQuery):
    """The API's filter plus the page's language switch (`?lang=en`), which must not 422."""

    lang: str | None = Field(default=None, max_length=5)


def _choices(vocabulary: str, values: dict[str, str], language: str) -> list[tuple[str, str]]:
    return sorted(
        ((code, label(vocabulary, code, language)) for code in values), key=lambda c: c[1]
    )


@pages.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    params: Annotated[AuditPageQuery, Query()],
) -> Response:
    language = language_of(request)
    kept = {k: v for k, v in params.model_dump(exclude={"before", "lang", "limit"}).items() if v}
    remembered = request.session.get(_FILTERS)
    if params.lang and not kept and isinstance(remembered, dict) and remembered:
        # The header's language link is "?lang=en": come back to the filters on screen.
        return RedirectResponse(
            f"/audit?{urlencode({**remembered, 'lang': params.lang})}", status_code=303
        )
    request.session[_FILTERS] = kept
    entries = queries.list_audit(
        session, actor, params, before_id=params.before, limit=params.limit
    )
    return render(
        request,
        "accounts/audit.html",
        {
            "entries": _readable(session, entries, language),
            "flt": params,
            "params": kept,
            "actions": _choices("audit_action", history.ACTIONS, language),
            "objects": _choices("audit_object", history.OBJECTS, language),
            "older": entries[-1].id if len(entries) == params.limit else None,
        },
    )


def _readable(session: Any, entries: list[Any], language: str) -> list[history.Readable]:
    names = queries.organisation_names(session, history.organisation_ids(entries))
    return history.readable_all(entries, language, names)


@pages.get("/organisations/{org_id}/history", response_class=HTMLResponse)
def organisation_history_page(
    org_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    before: Annotated[RowId | None, Query()] = None,
) -> Response:
    """Who changed the profile, its sites, people, capabilities and accounts, and how."""
    limit = 50
    entries = queries.list_organisation_history(session, actor, org_id, before, limit)
    return render(
        request,
        "accounts/history.html",
        {
            "org_id": org_id,
            "org_name": queries.get_organisation_name(session, org_id),
            "entries": _readable(session, entries, language_of(request)),
            "older": entries[-1].id if len(entries) == limit else None,
        },
    )
