"""The network as a table, for people who do not use a mouse or a screen: the confirmed ties a
reader may see (of one type, held in a time window), each with its type, source and dates, and
the organisations they tie with their partner area, kind, degree and brokerage (betweenness
and the Gould–Fernandez roles, `metrics`). Rows and degrees are counted on request; brokerage
is read from the reader's kept snapshot (`snapshots`, a background job) of the whole view on
the window's last day, never computed per request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.network import metrics, snapshots
from upland.network.graph import (
    COARSE_KINDS,
    OTHER_KIND,
    load_graph,
    named_ids,
    partner_codes,
    visible_relations,
)
from upland.network.models import Relation
from upland.organisations import queries as organisations
from upland.settings import get_settings


@dataclass(frozen=True)
class NodeRow:
    id: int
    name: str | None  # None: a profile the reader may not see (`graph.named_ids`)
    city: str | None  # partner area code, None outside
    kind: str  # coarse (`graph.COARSE_KINDS` or OTHER_KIND) when the name is not shown
    degree: int
    betweenness: float | None  # None: not in the snapshot, or it is being computed
    roles: dict[str, int] | None


@dataclass(frozen=True)
class TieRow:
    id: int
    from_id: int
    to_id: int
    type: str
    source: str
    directed: bool
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class Table:
    nodes: list[NodeRow]  # by degree, then name
    ties: list[TieRow]  # newest first
    names: dict[int, str]
    brokerage: snapshots.Brokerage | None  # None: the job is computing it


def _held(r: Relation, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether the tie held on at least one day of the window."""
    return (end is None or r.starts_on <= end) and (
        start is None or r.ends_on is None or r.ends_on >= start
    )


def tabulate(
    session: Session,
    actor: Actor,
    *,
    type: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Table:
    """The ties `actor` may see, of `type` (all when None) held between `start` and `end`."""
    relations = [
        r
        for r in visible_relations(session, actor)
        if (type is None or r.type == type) and _held(r, start, end)
    ]
    tied = {r.from_id for r in relations} | {r.to_id for r in relations}
    settings = get_settings()
    facts = [f for f in organisations.list_network_facts(session) if f.id in tied]
    named = named_ids(session, actor, tied)
    nodes = [
        metrics.Node(str(f.id), settings.partner_of(f.teryt), f.kind, f.pkd_division, f.is_member)
        for f in facts
    ]
    edges = [
        metrics.Edge(str(r.from_id), str(r.to_id), r.type, r.directed, r.weight) for r in relations
    ]
    net = metrics.network(metrics.prepare(nodes, edges, partner_codes()))
    brokerage = snapshots.brokerage_for(session, actor, end)
    kept = brokerage.nodes if brokerage else {}
    rows = [
        NodeRow(
            f.id,
            f.name if f.id in named else None,
            n.city,
            f.kind if f.id in named or f.kind in COARSE_KINDS else OTHER_KIND,
            int(net.degree[i]),
            kept[f.id].betweenness if f.id in kept else None,
            kept[f.id].roles if f.id in kept else None,
        )
        for i, (f, n) in enumerate(zip(facts, nodes, strict=True))
    ]
    rows.sort(key=lambda row: (-row.degree, (row.name or "").casefold(), row.id))
    ties = [
        TieRow(r.id, r.from_id, r.to_id, r.type, r.source, r.directed, r.starts_on, r.ends_on)
        for r in sorted(relations, key=lambda r: (r.starts_on, r.id), reverse=True)
    ]
    return Table(rows, ties, {f.id: f.name for f in facts if f.id in named}, brokerage)


def partners_of_partners(
    session: Session, actor: Actor, organisation_ids: list[int], day: dt.date
) -> dict[int, list[tuple[int, str]]]:
    """For each of these organisations, who its partners work with (`metrics.ego`) on `day`,
    over the confirmed ties `actor` may see: (id, name), by name."""
    loaded = load_graph(session, actor)
    net = metrics.network(loaded.prepared(), metrics.Window.at(day))
    known = set(loaded.names)
    found: dict[int, list[tuple[int, str]]] = {}
    for org in organisation_ids:
        if str(org) not in known:
            found[org] = []
            continue
        further = metrics.ego(net, str(org)).partners_of_partners
        found[org] = sorted(
            ((int(i), loaded.names[i]) for i in further if i in loaded.names),
            key=lambda pair: pair[1].casefold(),
        )
    return found
