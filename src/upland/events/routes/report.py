"""The reports after the event: the organiser's report of one event and a city officer's (or
the coordinator's) report of a partner area's participants, each as a page, as CSV and XLSX
downloads of the same tables, and in the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import Query, Request, Response
from fastapi.responses import HTMLResponse

from upland.db import RowId
from upland.events.report import exporting, present, queries
from upland.events.report.schemas import AreaReportRead, EventReportRead
from upland.spreadsheets import Table
from upland.web.deps import ActorDep, SessionDep
from upland.web.errors import API_ERRORS
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["events"], responses=API_ERRORS)

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Area = Annotated[
    str | None,
    Query(pattern=r"^(\d{7}|outside)$", description="a partner municipality's TERYT or `outside`"),
]
EventChoice = Annotated[RowId | None, Query(description="one event only")]


def _language(request: Request) -> str:
    return "pl" if language_of(request) == "pl" else "en"


def _download(tables: list[Table], fmt: str, name: str, language: str) -> Response:
    day = dt.datetime.now(dt.UTC).date().isoformat()
    headers = {"content-disposition": f'attachment; filename="{name}-{day}.{fmt}"'}
    if fmt == "xlsx":
        return Response(exporting.xlsx_bytes(tables), media_type=MEDIA[fmt], headers=headers)
    return Response(exporting.csv_text(tables, language), media_type=MEDIA[fmt], headers=headers)


@router.get("/events/{event_id:int}/report", response_class=HTMLResponse)
def report_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    found = queries.get_event_report(session, actor, event_id)
    tables = exporting.event_tables(found, _language(request))
    return render(request, "events/report.html", {"event": found.event, "tables": tables})


@router.get("/events/{event_id:int}/report.{fmt}")
def report_export(
    event_id: RowId,
    fmt: Literal["csv", "xlsx"],
    request: Request,
    session: SessionDep,
    actor: ActorDep,
) -> Response:
    found = queries.get_event_report(session, actor, event_id)
    language = _language(request)
    tables = exporting.event_tables(found, language)
    return _download(tables, fmt, f"event-{event_id}-report", language)


@router.get("/events/area-report", response_class=HTMLResponse)
def area_report_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    area: Area = None,
    event: EventChoice = None,
) -> Response:
    found = queries.get_area_report(session, actor, area, event)
    context = {
        "found": found,
        "tables": exporting.area_tables(found, _language(request)),
        "query": request.url.query,
    }
    return render(request, "events/area_report.html", context)


@router.get("/events/area-report.{fmt}")
def area_report_export(
    fmt: Literal["csv", "xlsx"],
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    area: Area = None,
    event: EventChoice = None,
) -> Response:
    found = queries.get_area_report(session, actor, area, event)
    language = _language(request)
    tables = exporting.area_tables(found, language)
    return _download(tables, fmt, f"events-area-{found.area}-report", language)


@api.get("/events/{event_id:int}/report", response_model=EventReportRead)
def api_event_report(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventReportRead:
    """The organiser's report of one event (its organiser's editors and staff): meetings
    requested, accepted, scheduled, held, no-shows and outcomes, in total, by participant type
    and by partner city."""
    return present.event_report_read(queries.get_event_report(session, actor, event_id))


@api.get("/events/area-report", response_model=AreaReportRead)
def api_area_report(
    session: SessionDep, actor: ActorDep, area: Area = None, event: EventChoice = None
) -> AreaReportRead:
    """The same figures for the participants from one partner area, across the events you see
    (or at one): a city officer for their own area, staff for any (`outside` too). A group
    of under 5 organisations is null unless you organise every event counted."""
    return present.area_report_read(queries.get_area_report(session, actor, area, event))
