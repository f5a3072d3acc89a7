"""What the marketplace's pages and API share: list and export parameters, the export."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import Response
from fastapi.responses import StreamingResponse
from pydantic import Field

from upland.actor import Actor
from upland.market import exporting, permissions, queries
from upland.market.schemas import OpportunityFilter

ExportFormat = Literal["csv", "json"]
CURSOR = "a `next_cursor` or `prev_cursor` of an earlier page (opaque; anything else is a 422)"
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class ListParams(OpportunityFilter):
    limit: int = Field(default=25, ge=1, le=200)
    after: str | None = Field(default=None, max_length=500, description=CURSOR)
    before: str | None = Field(default=None, max_length=500, description=CURSOR)


class ExportParams(OpportunityFilter):
    format: ExportFormat = "csv"


def today() -> dt.date:
    return permissions.today()


def export(session: Any, actor: Actor, flt: OpportunityFilter, fmt: ExportFormat) -> Response:
    # A bad filter (unknown city, malformed PKD) must be a 422 now, not an error mid-stream.
    queries.filtered(session, actor, flt, today())
    items = queries.iter_opportunities(session, actor, flt, today())
    rows = exporting.rows_of(session, items)
    chunks = exporting.csv_chunks(rows) if fmt == "csv" else exporting.json_chunks(rows)
    filename = f"opportunities-{today().isoformat()}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(chunks, media_type=MEDIA[fmt], headers=headers)
