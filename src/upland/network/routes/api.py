"""The network's JSON API under /api/v1: metrics (aggregates for everyone), the graph and its
exports (signed-in users, within what they may see), and relations (list, declare, confirm,
withdraw) over the same services and queries as the CLI."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from upland.db import RowId
from upland.network import exporting, graph, queries, service, snapshots
from upland.network.schemas import RelationDeclare, RelationRead
from upland.network.vocab import RelationStatus
from upland.permissions import require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.routing import Router

api = Router(
    prefix="/api/v1/network", tags=["network"], dependencies=[CsrfChecked], responses=API_ERRORS
)


class MetricsParams(BaseModel):
    model_config = {"extra": "forbid"}

    day: dt.date | None = None


class RelationParams(BaseModel):
    model_config = {"extra": "forbid"}

    organisation_id: RowId | None = None
    status: RelationStatus | None = None
    limit: int = Field(default=100, ge=1, le=500)


@api.get("/metrics", responses={202: {"description": "the figures are being computed"}})
def api_network_metrics(
    session: SessionDep, actor: ActorDep, params: Annotated[MetricsParams, Query()]
) -> Any:
    """Every network figure on `day` (today) and the quarterly trend since March 2018, over
    the ties you may see; an anonymous visitor gets the public aggregates, naming nobody. The
    first request of a view answers 202 while a job computes it: ask again."""
    figures = snapshots.figures_for(session, actor, params.day)
    if figures is None:
        return JSONResponse({"status": "computing"}, status_code=202)
    return figures


@api.get("/graph")
def api_network_graph(session: SessionDep, actor: ActorDep) -> dict[str, Any]:
    """The organisations with a tie you may see, and those ties (confirmed relations). An
    organisation whose profile you may not see is a node without a name (`name` null) that
    keeps only its partner area and a coarse kind (company, research or other)."""
    require(actor, "network.relation.list")
    loaded = graph.load_graph(session, actor)
    tied = {e.source for e in loaded.edges} | {e.target for e in loaded.edges}
    return {
        "nodes": [
            {
                "id": n.id,
                "name": loaded.names.get(n.id),  # null: a profile you may not see
                **vars(loaded.shown(n)),  # of such a profile: area and coarse kind only
            }
            for n in loaded.nodes
            if n.id in tied
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "type": e.type,
                "directed": e.directed,
                "weight": e.weight,
                "start": e.start.isoformat() if e.start else None,
                "end": e.end.isoformat() if e.end else None,
            }
            for e in loaded.edges
        ],
    }


@api.get(
    "/export.{format}",
    responses={200: {"content": {media: {} for _, media in exporting.FORMATS.values()}}},
)
def api_network_export(
    format: Literal["gexf", "graphml", "nodes.csv", "edges.csv"],
    session: SessionDep,
    actor: ActorDep,
) -> Response:
    """The network you may see as GEXF or GraphML (Gephi), or its nodes or edges as CSV."""
    require(actor, "network.relation.list")
    write, media_type = exporting.FORMATS[format]
    body = write(graph.load_graph(session, actor))
    name = f"upland-network.{format}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@api.get("/relations", response_model=list[RelationRead])
def api_list_relations(
    session: SessionDep, actor: ActorDep, params: Annotated[RelationParams, Query()]
) -> list[RelationRead]:
    """Relations you may see (of one organisation, either side), newest first."""
    require(actor, "network.relation.list")
    rows = queries.list_relations(
        session,
        actor,
        organisation_id=params.organisation_id,
        status=params.status,
        limit=params.limit,
    )
    return [RelationRead.model_validate(r) for r in rows]


@api.post("/relations", response_model=RelationRead, status_code=201)
def api_declare_relation(
    data: RelationDeclare, session: SessionDep, actor: ActorDep
) -> RelationRead:
    """Declare that an organisation you edit is a supplier, customer, R&D partner or joint-
    project partner of another: it counts once the other side or the coordinator confirms."""
    with unit_of_work(session):
        made = service.declare_relation(session, actor, data)
    return RelationRead.model_validate(made)


@api.post("/relations/{relation_id}/confirm", response_model=RelationRead)
def api_confirm_relation(relation_id: RowId, session: SessionDep, actor: ActorDep) -> RelationRead:
    """Confirm a relation the other side declared (or, as the coordinator, any)."""
    with unit_of_work(session):
        done = service.confirm_relation(session, actor, relation_id)
    return RelationRead.model_validate(done)


@api.post("/relations/{relation_id}/withdraw", response_model=RelationRead)
def api_withdraw_relation(relation_id: RowId, session: SessionDep, actor: ActorDep) -> RelationRead:
    """Withdraw a relation of an organisation you edit: it no longer counts."""
    with unit_of_work(session):
        done = service.withdraw_relation(session, actor, relation_id)
    return RelationRead.model_validate(done)
