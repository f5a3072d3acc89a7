"""The network as the metrics read it: every organisation a node (partner area, kind, PKD
division, membership) and the confirmed relations a reader may see as edges. An anonymous
reader's figures come from the ties any signed-in user sees (`PUBLIC`), and only as
aggregates (`snapshots` leaves names out for it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.network import metrics
from upland.network.models import Relation
from upland.network.permissions import visible_to
from upland.network.vocab import RelationStatus
from upland.organisations import queries as organisations
from upland.settings import get_settings

# The kinds an unnamed organisation keeps (the science–business aggregates show them); any
# other kind is shown as OTHER_KIND, a rare one would point at the organisation.
COARSE_KINDS = frozenset(metrics.BUSINESS_KINDS | metrics.SCIENCE_KINDS)
OTHER_KIND = "other"

# A signed-in user of no organisation: what everyone may count.
PUBLIC = Actor(user_id=0, label="public")


def reader(actor: Actor) -> Actor:
    """Whose view of the ties `actor` gets: its own, or PUBLIC's for an anonymous visitor."""
    return PUBLIC if actor.is_anonymous else actor


@dataclass(frozen=True)
class Graph:
    nodes: list[metrics.Node]
    edges: list[metrics.Edge]
    names: dict[str, str]  # node id → name, of the organisations the reader may see only
    relation_ids: tuple[int, ...]  # the edges' relations, ascending: what the view holds

    def prepared(self) -> metrics.Prepared:
        return metrics.prepare(self.nodes, self.edges, partner_codes())

    def shown(self, node: metrics.Node) -> ShownNode:
        """What a graph, file or table shows of `node`: everything when the reader may see the
        organisation; else only what the anonymous aggregates show and a drawing needs (its
        partner area and a coarse kind), no PKD division, membership or other detail."""
        if node.id in self.names:
            return ShownNode(node.city, node.kind, node.sector, node.member)
        kind = node.kind if node.kind in COARSE_KINDS else OTHER_KIND
        return ShownNode(node.city, kind, None, None)


@dataclass(frozen=True)
class ShownNode:
    city: str | None  # partner area, None outside
    kind: str
    pkd_division: str | None
    member: bool | None  # None: not shown


def partner_codes() -> tuple[str, ...]:
    """The partner areas, as the metrics name them (their main municipality's TERYT)."""
    return tuple(get_settings().partner_municipalities)


def visible_relations(session: Session, actor: Actor) -> list[Relation]:
    stmt = visible_to(
        reader(actor), select(Relation).where(Relation.status == RelationStatus.CONFIRMED.value)
    )
    return list(session.scalars(stmt.order_by(Relation.id)))


def named_ids(session: Session, actor: Actor, ids: Iterable[int]) -> set[int]:
    """Those of `ids` the graph names for `actor`: the organisations whose profile it may see
    (the registry's `visible_to`, the one rule). The others stay unnamed nodes: their ties
    still count, but a restricted or members-only organisation is not betrayed by a tie."""
    return organisations.visible_organisation_ids(session, actor, ids)


def load_graph(session: Session, actor: Actor) -> Graph:
    """Every organisation and the confirmed relations `actor` may see; names only of the
    organisations with a tie that `actor` may see (`named_ids`)."""
    settings = get_settings()
    facts = organisations.list_network_facts(session)
    nodes = [
        metrics.Node(
            str(f.id),
            settings.partner_of(f.teryt),
            f.kind,
            f.pkd_division,
            f.is_member,
            f.member_since,
        )
        for f in facts
    ]
    relations = visible_relations(session, actor)
    edges = [
        metrics.Edge(
            str(r.from_id),
            str(r.to_id),
            r.type,
            r.directed,
            r.weight,
            r.starts_on,
            r.ends_on,
        )
        for r in relations
    ]
    tied = {r.from_id for r in relations} | {r.to_id for r in relations}
    named = named_ids(session, actor, tied)
    names = {str(f.id): f.name for f in facts if f.id in named}
    return Graph(nodes, edges, names, tuple(r.id for r in relations))
