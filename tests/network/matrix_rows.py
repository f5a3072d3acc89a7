"""Matrix rows of the network: metrics for everyone (aggregates), the graph, exports and
relations for signed-in users, declaring by the organisation's editors, confirming by the
other side's editors or staff, withdrawing by either side's editors or staff."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.interest_world import editor
from tests.matrix import ELSEWHERE, EVERYONE, STAFF, USERS, Fields, Row, World, make_accounts, row

from upland.actor import SYSTEM
from upland.network import service
from upland.network.models import Relation
from upland.network.schemas import RelationDeclare

VARIANTS = ("members",)
OWN_EDITORS = frozenset({"own_editor", "own_admin"})
OWN_SIDE = frozenset({"own_viewer", "own_editor", "own_admin", "other_viewer"})


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, visibility="public")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    proposed = service.declare_relation(
        session,
        editor(session, other),
        RelationDeclare(
            organisation_id=other.id,
            partner_id=own.id,
            kind="customer_of",
            starts_on=dt.date(2023, 1, 1),
        ),
    )
    confirmed = service.declare_relation(
        session,
        editor(session, own),
        RelationDeclare(
            organisation_id=own.id,
            partner_id=other.id,
            kind="joint_project",
            starts_on=dt.date(2022, 1, 1),
        ),
    )
    service.confirm_relation(session, SYSTEM, confirmed.id)
    fields = {"own": own.id, "other": other.id, "proposed": proposed.id, "confirmed": confirmed.id}
    return World(make_accounts(session, own.id, other.id), fields)


def _status(key: str) -> Any:
    def observe(session: Session, fields: Fields) -> str | None:
        return session.scalar(select(Relation.status).where(Relation.id == fields[key]))

    return observe


def _relations(session: Session, fields: Fields) -> int:
    return session.scalar(select(func.count()).select_from(Relation)) or 0


def staged(
    name: str,
    path: str,
    allowed: frozenset[str],
    sees: frozenset[str],
    ok: int = 200,
    **more: Any,
) -> Row:
    """A write on a relation: `ok` for `allowed`, 403 for who sees it, else 404."""

    def expect(actor: str, _variant: str) -> int:
        return ok if actor in allowed else 403 if actor in sees else 404

    return Row(name, "POST", path, expect, ok, **more)


ROWS: tuple[Row, ...] = (
    row("api-network-metrics", "GET", "/api/v1/network/metrics", EVERYONE, 202),
    row("api-network-metrics-bad-day", "GET", "/api/v1/network/metrics?day=x", EVERYONE, 422),
    row("api-network-graph", "GET", "/api/v1/network/graph", USERS, 200),
    row("network-metrics-page", "GET", "/network/metrics", EVERYONE, 200),
    row("network-metrics-page-day", "GET", "/network/metrics?day=2024-06-01", EVERYONE, 200),
    row("network-table-page", "GET", "/network/table?type=supply", USERS, 200),
    row("network-graph-page", "GET", "/network", USERS, 200),
    row("network-mine-page", "GET", "/network/mine", USERS, 200),
    row(
        "network-declare-form",
        "POST",
        "/network/relations",
        OWN_EDITORS,
        303,
        body={
            "organisation_id": "{own}",
            "partner": "{other}",
            "kind": "rd_partner",
            "starts_on": "2024-02-01",
        },
        observe=_relations,
    ),
    staged(
        "network-confirm-form",
        "/network/relations/{proposed}/confirm",
        OWN_EDITORS | STAFF,
        OWN_SIDE,
        303,
        observe=_status("proposed"),
    ),
    staged(
        "network-withdraw-form",
        "/network/relations/{confirmed}/withdraw",
        OWN_EDITORS | STAFF,
        USERS,
        303,
        observe=_status("confirmed"),
    ),
    row("api-network-gexf", "GET", "/api/v1/network/export.gexf", USERS, 200),
    row("api-network-edges-csv", "GET", "/api/v1/network/export.edges.csv", USERS, 200),
    row("api-network-relations", "GET", "/api/v1/network/relations", USERS, 200),
    row(
        "api-network-declare",
        "POST",
        "/api/v1/network/relations",
        OWN_EDITORS,
        201,
        body={
            "organisation_id": "{own}",
            "partner_id": "{other}",
            "kind": "supplier_of",
            "starts_on": "2024-02-01",
        },
        observe=_relations,
    ),
    staged(
        "api-network-confirm",
        "/api/v1/network/relations/{proposed}/confirm",
        OWN_EDITORS | STAFF,
        OWN_SIDE,
        observe=_status("proposed"),
    ),
    staged(
        "api-network-withdraw",
        "/api/v1/network/relations/{confirmed}/withdraw",
        OWN_EDITORS | STAFF,
        USERS,
        observe=_status("confirmed"),
    ),
)
