"""What the cities measure in the cooperation network, as pure functions over plain edge lists.

Nodes are organisations (partner area or "outside", kind, PKD division, membership); edges are
ties between two of them with a type, a direction (supplier → customer) or none (joint project),
a weight and the dates they held. `prepare` turns the lists into arrays once; `network` cuts the
ties that held in a time window into a compiled graph (igraph); each metric reads that graph.
`snapshot` gives every figure of one window, `trend` the cheap figures at a series of dates.

Betweenness is exact (Brandes, O(nm)) or, for large graphs, estimated from `pivots` sampled
source vertices (Brandes & Pich 2007): the sum of their dependencies scaled by n / pivots.
Brokerage roles follow Gould & Fernandez (1989) over open two-paths a → v → b (a ≠ b, no arc
a → b) of the directed graph, an undirected tie counting as arcs both ways; groups are the
partner areas plus "outside". No session, no clock, no hidden randomness: pass `seed`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import igraph
import numpy as np
import numpy.typing as npt

OUTSIDE = "outside"
BUSINESS_KINDS = frozenset({"company"})
SCIENCE_KINDS = frozenset({"research"})
ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
EXACT_BETWEENNESS_LIMIT = 5_000  # nodes; above it `snapshot` samples pivots
DEFAULT_PIVOTS = 256
LARGE_GRAPH = 50_000  # nodes; above it `snapshot` samples LARGE_PIVOTS
LARGE_PIVOTS = 128
# igraph's default: on the benchmark graphs two passes reach the modularity of iterating to
# convergence (0.4439 against 0.4439 on 100 000 nodes) in a fifth of the time.
LEIDEN_ITERATIONS = 2

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
_NEVER_ENDS = dt.date.max.toordinal()


@dataclass(frozen=True, slots=True)
class Node:
    """An organisation: `city` is its partner area's code (None: outside every area)."""

    id: str
    city: str | None = None
    kind: str = "company"
    sector: str | None = None  # PKD division, e.g. "29"
    member: bool = True
    joined: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    """A tie that held from `start` to `end` (inclusive; None: open)."""

    source: str
    target: str
    type: str = "tie"
    directed: bool = False
    weight: float = 1.0
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Window:
    """The days a figure looks at: a tie counts when it held on at least one of them."""

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def at(cls, day: dt.date) -> Window:
        return cls(day, day)


@dataclass(frozen=True)
class Prepared:
    """Nodes and edges as arrays, ready to be cut into windows many times."""

    ids: tuple[str, ...]
    groups: tuple[str, ...]  # partner areas in the given order, then OUTSIDE
    group: Ints  # per node: index into groups
    kinds: tuple[str, ...]
    sectors: tuple[str | None, ...]
    member: npt.NDArray[np.bool_]
    joined: Ints  # ordinal day, 0 when unknown
    types: tuple[str, ...]
    source: Ints
    target: Ints
    type: Ints
    directed: npt.NDArray[np.bool_]
    weight: Floats
    start: Ints
    end: Ints


def prepare(nodes: Iterable[Node], edges: Iterable[Edge], cities: Sequence[str] = ()) -> Prepared:
    """Arrays of `nodes` and `edges`; an edge naming an unknown node or itself is left out."""
    node_list = list(nodes)
    ids = tuple(n.id for n in node_list)
    index = {node_id: i for i, node_id in enumerate(ids)}
    groups = (*dict.fromkeys([*cities, *(n.city for n in node_list if n.city)]), OUTSIDE)
    group_of = {g: i for i, g in enumerate(groups)}
    kept = [e for e in edges if e.source in index and e.target in index and e.source != e.target]
    type_of: dict[str, int] = {}
    ordinal: dict[dt.date | None, int] = {None: 0}

    def day(value: dt.date | None) -> int:
        found = ordinal.get(value)
        if found is None:
            found = ordinal[value] = value.toordinal()  # type: ignore[union-attr]
        return found

    def column(values: Iterable[Any], dtype: Any) -> Any:
        return np.fromiter(values, dtype=dtype, count=len(kept))

    type_ = column((type_of.setdefault(e.type, len(type_of)) for e in kept), np.int64)
    end = column((day(e.end) for e in kept), np.int64)
    end[end == 0] = _NEVER_ENDS
    return Prepared(
        ids=ids,
        groups=groups,
        group=np.array([group_of[n.city or OUTSIDE] for n in node_list], dtype=np.int64),
        kinds=tuple(n.kind for n in node_list),
        sectors=tuple(n.sector for n in node_list),
        member=np.array([n.member for n in node_list], dtype=np.bool_),
        joined=np.array([day(n.joined) for n in node_list], dtype=np.int64),
        types=tuple(type_of),
        source=column((index[e.source] for e in kept), np.int64),
        target=column((index[e.target] for e in kept), np.int64),
        type=type_,
        directed=column((e.directed for e in kept), np.bool_),
        weight=column((e.weight for e in kept), np.float64),
        start=column((day(e.start) for e in kept), np.int64),
        end=end,
    )


@dataclass
class Network:
    """The ties of one window: `pair_a`/`pair_b` the tied pairs (a < b) with their summed
    `pair_weight` and `pair_count` ties; `arcs` the directed simple graph as (source, target)
    arrays, an undirected tie both ways; `graph` the undirected simple graph of the pairs
    (igraph, edge attributes `weight` and `count`). `keep` marks the edges of `data` in the
    window, `pair_of` each kept edge's pair; arcs, counts by type and the graph are built on
    first use (a trend needs none but the graph's components)."""

    data: Prepared
    window: Window
    keep: npt.NDArray[np.bool_]
    pair_of: Ints
    pair_a: Ints
    pair_b: Ints
    pair_weight: Floats
    pair_count: Ints
    members: npt.NDArray[np.bool_]

    @property
    def n(self) -> int:
        return len(self.data.ids)

    @cached_property
    def degree(self) -> Ints:
        return np.bincount(np.concatenate([self.pair_a, self.pair_b]), minlength=self.n)

    @cached_property
    def arcs(self) -> tuple[Ints, Ints]:
        n, data = self.n, self.data
        s, t = data.source[self.keep], data.target[self.keep]
        undirected = ~data.directed[self.keep]
        keys = _distinct(np.concatenate([s * n + t, t[undirected] * n + s[undirected]]))
        return keys // n, keys % n

    @cached_property
    def ties_by_type(self) -> dict[str, int]:
        """Tied pairs per type: a pair tied by two types counts under each."""
        kinds = max(len(self.data.types), 1)
        typed = _distinct(self.pair_of * kinds + self.data.type[self.keep]) % kinds
        per_type = np.bincount(typed, minlength=len(self.data.types))
        return {t: int(c) for t, c in sorted(zip(self.data.types, per_type, strict=True)) if c}

    @cached_property
    def graph(self) -> igraph.Graph:
        # A list of pairs: igraph reads it several times faster than a numpy array.
        pairs = list(zip(self.pair_a.tolist(), self.pair_b.tolist(), strict=True))
        graph = igraph.Graph(n=self.n, edges=pairs)
        graph.es["weight"] = self.pair_weight.tolist()
        graph.es["count"] = self.pair_count.tolist()
        return graph


def _distinct(values: Ints) -> Ints:
    """The distinct values, ascending (a sort: numpy's hashed `unique` is slower here)."""
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    found: Ints = ordered[np.concatenate([[True], ordered[1:] != ordered[:-1]])]
    return found


def network(data: Prepared, window: Window | None = None, types: Iterable[str] = ()) -> Network:
    """The network of the ties that held in `window` (all when None), of `types` (all when
    empty); members are those that had joined by the window's end."""
    window = window or Window()
    first = window.start.toordinal() if window.start else 0
    last = window.end.toordinal() if window.end else _NEVER_ENDS
    keep = (data.start <= last) & (data.end >= first)
    if types:
        wanted = [i for i, t in enumerate(data.types) if t in set(types)]
        keep &= np.isin(data.type, wanted)
    n = len(data.ids)
    s, t = data.source[keep], data.target[keep]
    keys, inverse = np.unique(np.minimum(s, t) * n + np.maximum(s, t), return_inverse=True)
    pair_weight = np.bincount(inverse, weights=data.weight[keep], minlength=len(keys)).astype(
        np.float64
    )
    pair_count = np.bincount(inverse, minlength=len(keys))
    members = data.member & ((data.joined == 0) | (data.joined <= last))
    return Network(
        data, window, keep, inverse, keys // n, keys % n, pair_weight, pair_count, members
    )


# --- counts, density, components -----------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    members: int
    active_members: int  # members with at least one tie in the window
    organisations: int  # every node with a tie, members or not
    ties: int  # tied pairs
    density: float
    ties_by_type: dict[str, int]


def counts(net: Network) -> Counts:
    degree = net.degree
    n = net.n
    ties = len(net.pair_a)
    return Counts(
        members=int(net.members.sum()),
        active_members=int((net.members & (degree > 0)).sum()),
        organisations=int((degree > 0).sum()),
        ties=ties,
        density=2 * ties / (n * (n - 1)) if n > 1 else 0.0,
        ties_by_type=net.ties_by_type,
    )


@dataclass(frozen=True)
class Components:
    count: int  # connected components of tied organisations (isolates not counted)
    largest: int  # organisations in the largest
    isolates: int  # members without a tie


def components(net: Network) -> Components:
    isolates = int((net.members & (net.degree == 0)).sum())
    if not len(net.pair_a):
        return Components(0, 0, isolates)
    sizes = [size for size in net.graph.connected_components().sizes() if size > 1]
    return Components(len(sizes), max(sizes, default=0), isolates)


# --- mixing: cities, sectors, science and business ---------------------------------------------


@dataclass(frozen=True)
class CityMixing:
    cross_city_ties: int
    cross_city_share: float | None
    ei_index: dict[str, float | None]  # per area: (external - internal) / (external + internal)
    ei_overall: float | None
    ties_by_area: dict[str, int] = field(default_factory=dict)  # per area: external + internal


def _ei(external: int, internal: int) -> float | None:
    total = external + internal
    return (external - internal) / total if total else None


def city_mixing(net: Network) -> CityMixing:
    """Ties across partner-area lines ("outside" is a group of its own) and the E–I index."""
    group = net.data.group
    ga, gb = group[net.pair_a], group[net.pair_b]
    crossing = ga != gb
    cross = int(crossing.sum())
    ties = len(ga)
    groups = len(net.data.groups)
    internal = np.bincount(ga[~crossing], minlength=groups)
    external = np.bincount(ga[crossing], minlength=groups) + np.bincount(
        gb[crossing], minlength=groups
    )
    return CityMixing(
        cross_city_ties=cross,
        cross_city_share=cross / ties if ties else None,
        ei_index={
            name: _ei(int(external[i]), int(internal[i])) for i, name in enumerate(net.data.groups)
        },
        ei_overall=_ei(cross, ties - cross),
        ties_by_area={
            name: int(external[i] + internal[i]) for i, name in enumerate(net.data.groups)
        },
    )


@dataclass(frozen=True)
class SectorPair:
    sectors: tuple[str, str]
    ties: int
    weight: float


@dataclass(frozen=True)
class SectorMixing:
    cross_sector_ties: int  # both ends have a PKD division and they differ
    cross_sector_share: float | None  # of the ties whose both ends have one
    strongest: list[SectorPair]


def sector_mixing(net: Network, top: int = 10) -> SectorMixing:
    """Ties between different PKD divisions and the pairs of divisions tied most often."""
    labels = sorted({s for s in net.data.sectors if s})
    code = {s: i for i, s in enumerate(labels)}
    sector = np.array([code.get(s, -1) if s else -1 for s in net.data.sectors], dtype=np.int64)
    sa, sb = sector[net.pair_a], sector[net.pair_b]
    known = (sa >= 0) & (sb >= 0)
    cross = known & (sa != sb)
    lo, hi = np.minimum(sa[cross], sb[cross]), np.maximum(sa[cross], sb[cross])
    keys, inverse = np.unique(lo * len(labels) + hi, return_inverse=True)
    ties = np.bincount(inverse, minlength=len(keys))
    weight = np.bincount(inverse, weights=net.pair_weight[cross], minlength=len(keys))
    order = sorted(range(len(keys)), key=lambda i: (-ties[i], -weight[i], int(keys[i])))[:top]
    width = max(len(labels), 1)
    strongest = [
        SectorPair(
            (labels[int(keys[i]) // width], labels[int(keys[i]) % width]),
            int(ties[i]),
            float(weight[i]),
        )
        for i in order
    ]
    known_ties = int(known.sum())
    return SectorMixing(
        int(cross.sum()), int(cross.sum()) / known_ties if known_ties else None, strongest
    )


@dataclass(frozen=True)
class ScienceBusiness:
    ties: int  # between a business and a science organisation
    firms_with_science_partners: int  # businesses tied to at least one (RCO10-style)


def science_business(
    net: Network,
    business: frozenset[str] = BUSINESS_KINDS,
    science: frozenset[str] = SCIENCE_KINDS,
) -> ScienceBusiness:
    is_business = np.array([k in business for k in net.data.kinds], dtype=np.bool_)
    is_science = np.array([k in science for k in net.data.kinds], dtype=np.bool_)
    a, b = net.pair_a, net.pair_b
    a_firm = is_business[a] & is_science[b]
    b_firm = is_business[b] & is_science[a]
    firms = np.zeros(net.n, dtype=np.bool_)
    firms[a[a_firm]] = True
    firms[b[b_firm]] = True
    return ScienceBusiness(int((a_firm | b_firm).sum()), int(firms.sum()))


# --- brokers ------------------------------------------------------------------------------------


def betweenness(net: Network, pivots: int | None = None, seed: int = 0) -> Floats:
    """Betweenness of each node on the undirected ties (pairs counted once, not normalised):
    exact when `pivots` is None or covers every node, else the pivot-sampled estimate."""
    n = net.n
    if pivots is None or pivots >= n:
        return np.array(net.graph.betweenness(directed=False), dtype=np.float64)
    sources = np.random.default_rng(seed).choice(n, size=pivots, replace=False)
    partial = net.graph.betweenness(directed=False, sources=sources.tolist())
    return np.array(partial, dtype=np.float64) * (n / pivots)


def brokerage(net: Network) -> npt.NDArray[np.int64]:
    """Gould–Fernandez roles: an (n, 5) array of open two-paths each node brokers, by ROLES."""
    n, groups = net.n, len(net.data.groups)
    group = net.data.group
    src, dst = net.arcs
    flat = groups * groups
    into = np.bincount(dst * groups + group[src], minlength=n * groups).reshape(n, groups)
    out = np.bincount(src * groups + group[dst], minlength=n * groups).reshape(n, groups)
    paths = (into[:, :, None] * out[:, None, :]).reshape(n, flat)
    arc_keys = src * n + dst  # sorted: the arcs come from np.unique
    # a → v → a is no path: remove the reciprocal arcs.
    reverse = _has_arcs(arc_keys, dst * n + src)
    va, aa = dst[reverse], src[reverse]
    paths -= np.bincount(va * flat + group[aa] * groups + group[aa], minlength=n * flat).reshape(
        n, flat
    )
    # a → v → b with an arc a → b is closed: every one lies on a triangle of the skeleton.
    triangles = np.array(net.graph.list_triangles(), dtype=np.int64).reshape(-1, 3)
    for ia, iv, ib in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)):
        a, v, b = triangles[:, ia], triangles[:, iv], triangles[:, ib]
        closed = (
            _has_arcs(arc_keys, a * n + v)
            & _has_arcs(arc_keys, v * n + b)
            & _has_arcs(arc_keys, a * n + b)
        )
        a, v, b = a[closed], v[closed], b[closed]
        paths -= np.bincount(v * flat + group[a] * groups + group[b], minlength=n * flat).reshape(
            n, flat
        )
    cube = paths.reshape(n, groups, groups)
    own = np.zeros((n, groups), dtype=np.bool_)
    own[np.arange(n), group] = True
    same_ends = np.eye(groups, dtype=np.bool_)[None, :, :]
    from_own, to_own = own[:, :, None], own[:, None, :]
    masks = (
        same_ends & from_own & to_own,  # coordinator: all three in one group
        same_ends & ~from_own,  # itinerant: both ends in one other group
        from_own & ~to_own,  # representative: from its own group out
        ~from_own & to_own,  # gatekeeper: from outside into its own group
        ~same_ends & ~from_own & ~to_own,  # liaison: three different groups
    )
    return np.stack([(cube * mask).sum(axis=(1, 2)) for mask in masks], axis=1)


def _has_arcs(sorted_keys: Ints, keys: Ints) -> npt.NDArray[np.bool_]:
    if not len(sorted_keys):
        return np.zeros(len(keys), dtype=np.bool_)
    at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
    found: npt.NDArray[np.bool_] = sorted_keys[at] == keys
    return found


# --- communities and ego networks ----------------------------------------------------------------


@dataclass(frozen=True)
class Communities:
    membership: list[int]  # per node; isolates each form their own
    count: int  # communities of more than one organisation
    sizes: list[int]  # largest first, of more than one organisation
    modularity: float


def communities(net: Network, seed: int = 0) -> Communities:
    """Leiden communities maximising (weighted) modularity."""
    previous = random.getstate()
    igraph.set_random_number_generator(random.Random(seed))
    try:
        found = net.graph.community_leiden(
            objective_function="modularity", weights="weight", n_iterations=LEIDEN_ITERATIONS
        )
    finally:
        igraph.set_random_number_generator(random)
        random.setstate(previous)
    sizes = sorted((s for s in found.sizes() if s > 1), reverse=True)
    modularity = net.graph.modularity(found.membership, weights="weight") if sizes else 0.0
    return Communities(list(found.membership), len(sizes), sizes, float(modularity))


@dataclass(frozen=True)
class Ego:
    id: str
    partners: list[str]
    partners_of_partners: list[str]  # tied to a partner, not to the organisation itself
    ties: list[tuple[str, str]]  # among the organisation and its partners


def ego(net: Network, node_id: str) -> Ego:
    """One organisation's own network: its partners, who they work with, ties among them."""
    ids = net.data.ids
    me = ids.index(node_id)
    partners = sorted(net.graph.neighbors(me))
    circle = {me, *partners}
    further = sorted({w for p in partners for w in net.graph.neighbors(p)} - circle)
    inner = net.graph.induced_subgraph(sorted(circle))
    names = [ids[i] for i in sorted(circle)]
    return Ego(
        node_id,
        [ids[i] for i in partners],
        [ids[i] for i in further],
        sorted(tuple(sorted((names[e.source], names[e.target]))) for e in inner.es),
    )


# --- snapshots and trends ------------------------------------------------------------------------


@dataclass(frozen=True)
class Broker:
    id: str
    betweenness: float
    roles: dict[str, int]


@dataclass(frozen=True)
class Snapshot:
    window: Window
    counts: Counts
    components: Components
    cities: CityMixing
    sectors: SectorMixing
    science: ScienceBusiness
    brokerage_totals: dict[str, int]
    brokers: list[Broker]  # by betweenness, highest first
    betweenness_pivots: int | None  # None: exact
    communities: Communities
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready figures (community membership left out)."""
        figures = asdict(self)
        figures["communities"].pop("membership")
        figures["window"] = {
            "start": self.window.start.isoformat() if self.window.start else None,
            "end": self.window.end.isoformat() if self.window.end else None,
        }
        return figures


def snapshot(
    data: Prepared,
    window: Window | None = None,
    *,
    seed: int = 0,
    pivots: int | None = None,
    top: int = 10,
    per_node: bool = False,
) -> Snapshot:
    """Every figure of one window; betweenness is sampled on `pivots` (default: exact up to
    EXACT_BETWEENNESS_LIMIT nodes, DEFAULT_PIVOTS above, LARGE_PIVOTS above LARGE_GRAPH).
    With `per_node`, `extra["nodes"]` holds each tied node's [betweenness, *roles by ROLES]."""
    net = network(data, window)
    if pivots is None and net.n > EXACT_BETWEENNESS_LIMIT:
        pivots = LARGE_PIVOTS if net.n > LARGE_GRAPH else DEFAULT_PIVOTS
    between = betweenness(net, pivots, seed)
    roles = brokerage(net)
    order = np.argsort(-between, kind="stable")[:top]
    brokers = [
        Broker(
            data.ids[i],
            float(between[i]),
            {role: int(roles[i, r]) for r, role in enumerate(ROLES)},
        )
        for i in order
        if between[i] > 0
    ]
    return Snapshot(
        window=net.window,
        counts=counts(net),
        components=components(net),
        cities=city_mixing(net),
        sectors=sector_mixing(net, top),
        science=science_business(net),
        brokerage_totals={role: int(roles[:, r].sum()) for r, role in enumerate(ROLES)},
        brokers=brokers,
        betweenness_pivots=pivots if pivots is not None and pivots < net.n else None,
        communities=communities(net, seed),
        extra={"nodes": _per_node(net, between, roles)} if per_node else {},
    )


def _per_node(net: Network, between: Floats, roles: Ints) -> dict[str, list[float]]:
    """Each tied node's betweenness and brokerage roles, keyed by id."""
    ids = net.data.ids
    return {
        ids[i]: [float(between[i]), *(float(r) for r in roles[i])]
        for i in np.flatnonzero(net.degree > 0).tolist()
    }


@dataclass(frozen=True)
class TrendPoint:
    day: dt.date
    members: int
    active_members: int
    ties: int
    density: float
    components: int
    isolates: int
    cross_city_share: float | None
    cross_sector_ties: int
    science_business_ties: int
    firms_with_science_partners: int


def trend(data: Prepared, days: Sequence[dt.date]) -> list[TrendPoint]:
    """The cheap figures of the network as it stood on each of `days`."""
    points = []
    for day in days:
        net = network(data, Window.at(day))
        c, parts, science = counts(net), components(net), science_business(net)
        points.append(
            TrendPoint(
                day,
                c.members,
                c.active_members,
                c.ties,
                c.density,
                parts.count,
                parts.isolates,
                city_mixing(net).cross_city_share,
                sector_mixing(net, 0).cross_sector_ties,
                science.ties,
                science.firms_with_science_partners,
            )
        )
    return points


def by_id(data: Prepared, values: Sequence[float] | Floats) -> Mapping[str, float]:
    """Per-node values keyed by node id."""
    return {node_id: float(v) for node_id, v in zip(data.ids, values, strict=True)}
