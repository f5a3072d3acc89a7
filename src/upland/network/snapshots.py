"""Metric snapshots: computed by a background job (`upland.jobs`), kept in `network_snapshot`
and read for `KEPT_FOR` after they were computed.

A reader's view of the network is the set of confirmed relations it may see; a snapshot is
keyed by a digest of that set (each relation with what the figures read of it: its sides,
type, weight and dates) and the day, so readers who see the same ties share one, and a reader
never gets figures of ties it may not see. A change of a relation changes the key of every view
that sees it, and no other: nothing is forgotten across views, so a reader whose view did not
change cannot tell from its figures being computed again that a tie it may not see was made
(a brokerage-day meeting of others, say). Snapshots older than `KEPT_FOR` are computed again
(so organisations' own changes show within a day) and dropped. The day is first `snap`ped to
the last day a tie or membership changed, so arbitrary days share a bounded set of snapshots.
Each snapshot also keeps every tied organisation's brokerage (read by the table, never shown to
an anonymous visitor). The first request for a view queues the job and answers "computing";
the page or client asks again. An anonymous visitor gets the public view's aggregates only (no
organisation named).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
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
from upland.organisations import queries as organisations

JOB = "upland.network.snapshots.compute_job"
LETTER_OF_INTENT = dt.date(2018, 3, 15)  # the network's growth is shown from here
FORMAT = 3  # of the kept figures and the key: older rows are not read
KEPT_FOR = dt.timedelta(days=1)  # a snapshot is read this long after it was computed


def key_of(graph: Graph, day: dt.date, today: dt.date) -> str:
    """The key of a view's snapshot on `day`, computed in `today`'s quarter (its trend reaches
    that quarter): a digest of each of the view's relations with what the figures read of
    it, so a change of a relation changes the key of exactly the views that see it."""
    quarter = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    edges = ",".join(
        f"{r}:{e.source}>{e.target}:{e.type}:{int(e.directed)}:{e.weight!r}:{e.start}:{e.end}"
        for r, e in zip(graph.relation_ids, graph.edges, strict=True)
    )
    text = f"{FORMAT}:{day.isoformat()}:{quarter.isoformat()}:{edges}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fresh() -> Any:
    """The kept snapshots still read (computed within `KEPT_FOR`)."""
    return NetworkSnapshot.computed_at >= clock.now() - KEPT_FOR


def trend_days(day: dt.date) -> list[dt.date]:
    """Each quarter's first day since the letter of intent, and `day`."""
    days = []
    year, month = LETTER_OF_INTENT.year, 4
    while (first := dt.date(year, month, 1)) < day:
        days.append(first)
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
    return [*days, day]


def _trend_days(day: dt.date, through: dt.date | None) -> list[dt.date]:
    """`trend_days(day)`, and each quarter's first day before `through` too: a snapshot
    `snap`ped to `day` serves every requested day up to `through` (today)."""
    quarters = trend_days(through)[:-1] if through else []
    return sorted({*trend_days(day), *quarters})


def compute(
    graph: Graph, day: dt.date, seed: int = 0, through: dt.date | None = None
) -> dict[str, Any]:
    """Every figure of `graph` on `day`, the quarterly trend and, under "nodes", each tied
    organisation's betweenness and brokerage roles (for the table): plain JSON-ready data."""
    data = graph.prepared()
    shot = metrics.snapshot(data, metrics.Window.at(day), seed=seed, per_node=True)
    figures = shot.as_dict()
    figures["nodes"] = figures.pop("extra")["nodes"]
    figures["trend"] = [
        {**vars(point), "day": point.day.isoformat()}
        for point in metrics.trend(data, _trend_days(day, through))
    ]
    return figures


def restricted_to(graph: Graph, relation_ids: Sequence[int]) -> Graph:
    """`graph` (the system's) with only the edges of these relations."""
    wanted = set(relation_ids)
    pairs = [(r, e) for r, e in zip(graph.relation_ids, graph.edges, strict=True) if r in wanted]
    return Graph(graph.nodes, [e for _, e in pairs], graph.names, tuple(r for r, _ in pairs))


def compute_job(key: str, relation_ids: list[int], day: str) -> str:
    """Compute and keep the snapshot of these relations on `day` (ISO), unless kept already;
    drop the snapshots no longer read (older than `KEPT_FOR`: nobody could tell them gone)."""
    with tracked.transaction() as session:
        session.execute(delete(NetworkSnapshot).where(~_fresh()))
        if session.scalar(select(NetworkSnapshot.id).where(NetworkSnapshot.key == key)):
            return key
        graph = restricted_to(load_graph(session, SYSTEM), relation_ids)
        on = dt.date.fromisoformat(day)
        figures = compute(graph, on, through=clock.today())
        session.add(NetworkSnapshot(key=key, day=on, figures=figures, computed_at=clock.now()))
    return key


def snap(graph: Graph, day: dt.date) -> dt.date:
    """The day whose snapshot shows `day`: the last day on or before it (and no later than
    today, no earlier than the letter of intent) when a tie of the view began or ended or an
    organisation joined. The figures cannot differ between two such days, so every requested
    day maps to one of a bounded set and arbitrary days cannot flood the job queue."""
    day = max(LETTER_OF_INTENT, min(day, clock.today()))
    changes = {e.start for e in graph.edges if e.start}
    changes |= {e.end + dt.timedelta(days=1) for e in graph.edges if e.end and e.end < day}
    changes |= {n.joined for n in graph.nodes if n.joined}
    return max((c for c in changes if c <= day), default=LETTER_OF_INTENT)


def _kept(
    session: Session, actor: Actor, day: dt.date | None, queue: bool
) -> tuple[Graph, dt.date, dict[str, Any] | None]:
    """`actor`'s graph, the snapped day and the kept figures (None: queued when `queue`)."""
    graph = load_graph(session, actor)
    on = snap(graph, day or clock.today())
    key = key_of(graph, on, clock.today())
    kept = session.scalar(select(NetworkSnapshot).where(NetworkSnapshot.key == key, _fresh()))
    if kept is None:
        if queue:
            jobs.enqueue(JOB, key, list(graph.relation_ids), on.isoformat())
        return graph, on, None
    return graph, on, kept.figures


def figures_for(
    session: Session, actor: Actor, day: dt.date | None = None, queue: bool = True
) -> dict[str, Any] | None:
    """The kept figures of `actor`'s view on `day` (today), shaped for it; None while the job
    computes them (queued here when `queue`). The day is `snap`ped."""
    asked = max(LETTER_OF_INTENT, min(day or clock.today(), clock.today()))
    graph, on, figures = _kept(session, actor, asked, queue)
    if figures is None:
        return None
    return present(session, actor, graph, as_of(figures, on, asked), on)


def as_of(figures: dict[str, Any], on: dt.date, asked: dt.date) -> dict[str, Any]:
    """The figures kept for `on` shown for `asked` (no tie or member changed in between):
    the window and the trend's last point are `asked`, after each quarter's first day."""
    quarters = {d.isoformat() for d in trend_days(asked)[:-1]}
    points = {point["day"]: point for point in figures["trend"]}
    last = {**points[on.isoformat()], "day": asked.isoformat()}
    shown = dict(figures)
    shown["window"] = {"start": asked.isoformat(), "end": asked.isoformat()}
    shown["trend"] = [p for p in figures["trend"] if p["day"] in quarters] + [last]
    return shown


@dataclass(frozen=True)
class NodeFigures:
    """One organisation's brokerage in a snapshot."""

    betweenness: float
    roles: dict[str, int]


@dataclass(frozen=True)
class Brokerage:
    """Per organisation tied in a reader's view on `day`, its betweenness and roles."""

    day: dt.date
    pivots: int | None  # betweenness sampled on this many sources; None: exact
    nodes: dict[int, NodeFigures]


def brokerage_for(
    session: Session, actor: Actor, day: dt.date | None = None, queue: bool = True
) -> Brokerage | None:
    """The kept per-organisation figures of a signed-in `actor`'s view on `day` (today,
    `snap`ped); None while the job computes them. An anonymous visitor sees aggregates only."""
    if actor.is_anonymous:
        raise ValueError("per-organisation figures are not for an anonymous reader")
    _, on, figures = _kept(session, actor, day, queue)
    if figures is None:
        return None
    nodes = {
        int(node_id): NodeFigures(
            values[0], {role: int(v) for role, v in zip(metrics.ROLES, values[1:], strict=True)}
        )
        for node_id, values in figures["nodes"].items()
    }
    return Brokerage(on, figures["betweenness_pivots"], nodes)


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
    figures = {k: v for k, v in figures.items() if k != "nodes"}  # the table reads those
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
