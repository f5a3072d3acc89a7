"""The marketplace dashboard's page and its exports for the mayor's office."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from upland.market.dashboard import exporting, queries
from upland.market.dashboard.figures import Grain
from upland.web.deps import ActorDep, SessionDep
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/market/dashboard", response_class=HTMLResponse)
def dashboard_page(
    request: Request, session: SessionDep, actor: ActorDep, by: Grain = Grain.QUARTER
) -> Response:
    board = queries.get_dashboard(session, actor, by)
    return render(request, "market/dashboard/page.html", {"board": board, "grains": list(Grain)})


@router.get("/market/dashboard/export.{fmt}")
def dashboard_export(
    fmt: Literal["csv", "xlsx"],
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    by: Grain = Grain.QUARTER,
) -> Response:
    board = queries.get_dashboard(session, actor, by)
    language = "pl" if language_of(request) == "pl" else "en"
    day = dt.datetime.now(dt.UTC).date().isoformat()
    headers = {"content-disposition": f'attachment; filename="market-dashboard-{day}.{fmt}"'}
    if fmt == "xlsx":
        return Response(
            exporting.xlsx_bytes(board, language), media_type=MEDIA[fmt], headers=headers
        )
    return Response(exporting.csv_text(board, language), media_type=MEDIA[fmt], headers=headers)
