"""Metric snapshots: computed by a background job (`upland.jobs`), kept in `network_snapshot`,
forgotten when a relation changes (in the changing transaction).

A reader's view of the network is the set of confirmed relations it may see; a snapshot is
keyed by a digest of that set and the day, so readers who see the same ties share one, and a
reader never gets figures of ties it may not see. The first request for a view queues the job
and answers "computing"; the page or client asks again. An anonymous visitor gets the public
view's aggregates only (no organisation named).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upland import clock, jobs
from upland.actor import SYSTEM, Actor
from upland.jobs import tracked
from upland.network import metrics
from upland.network.graph import Graph, load_graph
from upland.network.models import NetworkSnapshot
from upland.network.public import public_figures
from upland.network.signals import RelationChanged
from upland.organisations import queries as organisations
from upland.signals import record_with

JOB = "upland.network.snapshots.compute_job"
LETTER_OF_INTENT = dt.date(2018, 3, 15)  # the network's growth is shown from here


def key_of(relation_ids: Sequence[int], day: dt.date) -> str:
    text = day.isoformat() + ":" + ",".join(map(str, relation_ids))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def trend_days(day: dt.date) -> list[dt.date]:
    """Each quarter's first day since the letter of intent, and `day`."""
    days = []
    year, month = LETTER_OF_INTENT.year, 4
    while (first := dt.date(year, month, 1)) < day:
        days.append(first)
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
    return [*days, day]


def compute(graph: Graph, day: dt.date, seed: int = 0) -> dict[str, Any]:
    """Every figure of `graph` on `day`, and the quarterly trend: plain JSON-ready data."""
    data = graph.prepared()
    shot = metrics.snapshot(data, metrics.Window.at(day), seed=seed)
    figures = shot.as_dict()
    figures["trend"] = [
        {**vars(point), "day": point.day.isoformat()}
        for point in metrics.trend(data, trend_days(day))
    ]
    return figures


def restricted_to(graph: Graph, relation_ids: Sequence[int]) -> Graph:
    """`graph` (the system's) with only the edges of these relations."""
    wanted = set(relation_ids)
    pairs = [(r, e) for r, e in zip(graph.relation_ids, graph.edges, strict=True) if r in wanted]
    return Graph(graph.nodes, [e for _, e in pairs], graph.names, tuple(r for r, _ in pairs))


def compute_job(key: str, relation_ids: list[int], day: str) -> str:
    """Compute and keep the snapshot of these relations on `day` (ISO), unless kept already."""
    with tracked.transaction() as session:
        if session.scalar(select(NetworkSnapshot.id).where(NetworkSnapshot.key == key)):
            return key
        graph = restricted_to(load_graph(session, SYSTEM), relation_ids)
        on = dt.date.fromisoformat(day)
        session.add(NetworkSnapshot(key=key, day=on, figures=compute(graph, on)))
    return key


def figures_for(
    session: Session, actor: Actor, day: dt.date | None = None, queue: bool = True
) -> dict[str, Any] | None:
    """The kept figures of `actor`'s view on `day` (today), shaped for it; None while the job
    computes them (queued here when `queue`)."""
    day = day or clock.today()
    graph = load_graph(session, actor)
    key = key_of(graph.relation_ids, day)
    kept = session.scalar(select(NetworkSnapshot).where(NetworkSnapshot.key == key))
    if kept is None:
        if queue:
            jobs.enqueue(JOB, key, list(graph.relation_ids), day.isoformat())
        return None
    return present(session, actor, graph, kept.figures, day)


def tied_by_area(graph: Graph, day: dt.date) -> dict[str, int]:
    """Per partner area (and "outside"), its organisations with a tie that held on `day`."""
    held = [
        e
        for e in graph.edges
        if (e.start is None or e.start <= day) and (e.end is None or e.end >= day)
    ]
    tied = {e.source for e in held} | {e.target for e in held}
    found: dict[str, int] = {}
    for node in graph.nodes:
        if node.id in tied:
            area = node.city or metrics.OUTSIDE
            found[area] = found.get(area, 0) + 1
    return found


def present(
    session: Session, actor: Actor, graph: Graph, figures: dict[str, Any], day: dt.date
) -> dict[str, Any]:
    """Figures as `actor` may read them: brokers named only when it may see them; for an
    anonymous visitor aggregates only, small cells suppressed (`network.public`)."""
    if actor.is_anonymous:
        return public_figures(figures, tied_by_area(graph, day))
    shown = dict(figures)
    ids = [int(b["id"]) for b in figures["brokers"]]
    seen = organisations.visible_organisation_ids(session, actor, ids)
    shown["brokers"] = [
        {**b, "name": graph.names.get(b["id"], "")}
        for b in figures["brokers"]
        if int(b["id"]) in seen
    ]
    return shown


def forget(session: Session, _: RelationChanged) -> None:
    """A relation changed: every kept snapshot may be stale."""
    session.execute(delete(NetworkSnapshot))


record_with(RelationChanged, forget)
