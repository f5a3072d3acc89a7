"""`upland bench network [--size 10k|100k]`: the network metric suite on generated graphs.

Two graphs, generated with a fixed seed: 10 000 organisations / 100 000 ties and 100 000 /
1 000 000, labelled with a partner area (Lublin, Radom, Starachowice or outside; ties stay in
the area with probability 0.6), a kind (company, research, other), a PKD division, dates since
March 2018 and ties of five types (supplier ties directed). Activity is log-normal, so some
organisations have hundreds of ties. For each graph, the project (`upland.network.metrics`,
igraph) and networkx run in separate spawned processes on the same graph: time and peak
resident memory of the full suite (prepare, snapshot of the whole period, a yearly trend) and
of each metric. networkx's exact betweenness is O(nm) in Python: it runs only when a 32-pivot
run says it would take under 10 minutes, else it is skipped with that estimate. On the
10 000-node graph the run also prints the pivot estimate's error against exact betweenness.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from upland.bench.harness import Report, in_child, machine, number, peak_rss_kib, write_section
from upland.network import metrics as m

SEED = 20180315
SIZES = {"10k": (10_000, 100_000), "100k": (100_000, 1_000_000)}
DEFAULT_SIZES = ("10k", "100k")
SIZES["1k"] = (1_000, 10_000)  # a quick check of the benchmark itself
CITIES = ("lublin", "radom", "starachowice")
TYPES = ("supplier", "rd_partner", "joint_project", "introduction", "agreement")
SECTORS = ("22", "24", "25", "26", "27", "28", "29", "30", "33", "45", "46", "62", "71", "72")
FIRST = dt.date(2018, 3, 15)
LAST = dt.date(2026, 11, 30)
PIVOTS = m.DEFAULT_PIVOTS
NX_PIVOTS_FOR_ESTIMATE = 32
COLUMNS = ("graph", "figure", "project s", "project peak MB", "networkx s", "networkx peak MB", "x")


def generate(nodes: int, edges: int, seed: int = SEED) -> tuple[list[m.Node], list[m.Edge]]:
    """A labelled network of `nodes` organisations and `edges` ties (see the module doc)."""
    rng = np.random.default_rng(seed)
    city = rng.choice(4, size=nodes, p=[0.35, 0.25, 0.15, 0.25])
    kind = rng.choice(3, size=nodes, p=[0.85, 0.05, 0.10])
    sector = rng.integers(0, len(SECTORS), size=nodes)
    joined = rng.integers(FIRST.toordinal(), LAST.toordinal(), size=nodes)
    activity = rng.lognormal(0.0, 1.0, size=nodes)
    source = rng.choice(nodes, size=edges, p=activity / activity.sum())
    target = rng.choice(nodes, size=edges, p=activity / activity.sum())
    local = rng.random(edges) < 0.6
    for c in range(4):
        members = np.flatnonzero(city == c)
        pick = local & (city[source] == c)
        weights = activity[members] / activity[members].sum()
        target[pick] = rng.choice(members, size=int(pick.sum()), p=weights)
    kept = source != target
    type_ = rng.choice(len(TYPES), size=edges, p=[0.4, 0.15, 0.15, 0.2, 0.1])
    start = rng.integers(FIRST.toordinal(), LAST.toordinal(), size=edges)
    length = rng.integers(30, 3000, size=edges)
    ends = rng.random(edges) < 0.2
    weight = rng.integers(1, 4, size=edges)
    kinds = ("company", "research", "business_support")
    node_list = [
        m.Node(
            f"o{i}",
            CITIES[city[i]] if city[i] < 3 else None,
            kinds[kind[i]],
            SECTORS[sector[i]],
            joined=dt.date.fromordinal(int(joined[i])),
        )
        for i in range(nodes)
    ]
    edge_list = [
        m.Edge(
            f"o{source[i]}",
            f"o{target[i]}",
            TYPES[type_[i]],
            directed=bool(type_[i] == 0),
            weight=float(weight[i]),
            start=dt.date.fromordinal(int(start[i])),
            end=dt.date.fromordinal(int(start[i] + length[i])) if ends[i] else None,
        )
        for i in np.flatnonzero(kept)
    ]
    return node_list, edge_list


def yearly() -> list[dt.date]:
    return [dt.date(year, 3, 15) for year in range(2018, 2027)]


# --- measuring in one process ---------------------------------------------------------------


def _reset_peak() -> None:
    """Start a new peak-memory interval (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
    except OSError:
        pass


def _timed(call: Callable[[], Any]) -> tuple[float, float, Any]:
    _reset_peak()
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, peak_rss_kib() / 1024, result


def _project(nodes: int, edges: int) -> dict[str, Any]:
    """The project's figures: the full suite, then each metric on its own."""
    node_list, edge_list = generate(nodes, edges)
    figures: dict[str, Any] = {}

    def suite() -> m.Snapshot:
        data = m.prepare(node_list, edge_list, CITIES)
        m.trend(data, yearly())
        return m.snapshot(data, seed=1, pivots=None if nodes <= 10_000 else PIVOTS)

    figures["full suite"] = _timed(suite)[:2]
    data = m.prepare(node_list, edge_list, CITIES)
    figures["prepare (arrays)"] = _timed(lambda: m.prepare(node_list, edge_list, CITIES))[:2]
    seconds, peak, net = _timed(lambda: m.network(data))
    figures["network (graph of the window)"] = (seconds, peak)
    for name, call in (
        ("counts and density", lambda: m.counts(net)),
        ("components and isolates", lambda: m.components(net)),
        ("cross-city share, E-I index", lambda: m.city_mixing(net)),
        ("cross-sector ties, pairs", lambda: m.sector_mixing(net)),
        ("science-business ties", lambda: m.science_business(net)),
        (f"betweenness, {PIVOTS} pivots", lambda: m.betweenness(net, PIVOTS, seed=1)),
        ("brokerage roles", lambda: m.brokerage(net)),
        ("communities (Leiden; nx Louvain)", lambda: m.communities(net, seed=1)),
        ("ego network", lambda: m.ego(net, "o0")),
        ("trend, 9 yearly dates", lambda: m.trend(data, yearly())),
    ):
        figures[name] = _timed(call)[:2]
    if nodes <= 10_000:
        seconds, peak, exact = _timed(lambda: m.betweenness(net))
        figures["betweenness, exact"] = (seconds, peak)
        errors = {}
        for pivots in (64, PIVOTS, 1024):
            estimate = m.betweenness(net, pivots, seed=1)
            errors[pivots] = _errors(exact, estimate)
        figures["errors"] = errors
    figures["ties"] = m.counts(net).ties
    return figures


def _errors(exact: np.ndarray[Any, Any], estimate: np.ndarray[Any, Any]) -> dict[str, float]:
    """Total relative error, and how many of the exact top 100 the estimate's top 100 holds."""
    top = 100
    exact_top = set(np.argsort(-exact)[:top].tolist())
    estimate_top = set(np.argsort(-estimate)[:top].tolist())
    return {
        "relative_l1": float(np.abs(estimate - exact).sum() / exact.sum()),
        "top100_overlap": len(exact_top & estimate_top) / top,
    }


# --- the networkx baseline ----------------------------------------------------------------------


def _networkx(nodes: int, edges: int) -> dict[str, Any]:
    """The same figures by networkx (and plain Python where it has no function)."""
    import networkx as nx

    node_list, edge_list = generate(nodes, edges)
    info = {n.id: n for n in node_list}
    figures: dict[str, Any] = {}

    def build() -> tuple[Any, Any]:
        graph, arcs = nx.Graph(), nx.DiGraph()
        graph.add_nodes_from(info)
        arcs.add_nodes_from(info)
        for e in edge_list:
            if graph.has_edge(e.source, e.target):
                graph[e.source][e.target]["weight"] += e.weight
            else:
                graph.add_edge(e.source, e.target, weight=e.weight)
            arcs.add_edge(e.source, e.target)
            if not e.directed:
                arcs.add_edge(e.target, e.source)
        return graph, arcs

    def group(node_id: str) -> str:
        return info[node_id].city or m.OUTSIDE

    def mixing(graph: Any) -> dict[str, Any]:
        internal: Counter[str] = Counter()
        external: Counter[str] = Counter()
        for a, b in graph.edges():
            if group(a) == group(b):
                internal[group(a)] += 1
            else:
                external[group(a)] += 1
                external[group(b)] += 1
        return {"internal": internal, "external": external}

    def sectors(graph: Any) -> Counter[tuple[str, str]]:
        pairs: Counter[tuple[str, str]] = Counter()
        for a, b in graph.edges():
            sa, sb = info[a].sector or "", info[b].sector or ""
            if sa and sb and sa != sb:
                pairs[(min(sa, sb), max(sa, sb))] += 1
        return pairs

    def science(graph: Any) -> tuple[int, int]:
        ties, firms = 0, set()
        for a, b in graph.edges():
            for x, y in ((a, b), (b, a)):
                if info[x].kind == "company" and info[y].kind == "research":
                    ties += 1
                    firms.add(x)
        return ties, len(firms)

    def brokerage(arcs: Any) -> Counter[int]:
        roles: Counter[int] = Counter()
        for v in arcs:
            gv = group(v)
            for a, b in itertools.product(arcs.predecessors(v), arcs.successors(v)):
                if a == b or arcs.has_edge(a, b):
                    continue
                ga, gb = group(a), group(b)
                roles[_role(ga, gv, gb)] += 1
        return roles

    def trend() -> None:
        for day in yearly():
            graph = nx.Graph()
            graph.add_nodes_from(info)
            graph.add_edges_from(
                (e.source, e.target)
                for e in edge_list
                if (e.start or FIRST) <= day and (e.end is None or e.end >= day)
            )
            nx.density(graph)
            nx.number_connected_components(graph)
            mixing(graph)
            sectors(graph)
            science(graph)

    def suite() -> None:
        graph, arcs = build()
        trend()
        nx.density(graph)
        list(nx.connected_components(graph))
        mixing(graph)
        sectors(graph)
        science(graph)
        nx.betweenness_centrality(graph, k=min(PIVOTS, nodes), normalized=False, seed=1)
        brokerage(arcs)
        nx.community.louvain_communities(graph, weight="weight", seed=1)
        nx.ego_graph(graph, "o0")

    figures["full suite"] = _timed(suite)[:2]
    seconds, peak, (graph, arcs) = _timed(build)
    figures["network (graph of the window)"] = (seconds, peak)
    for name, call in (
        ("counts and density", lambda: (graph.number_of_edges(), nx.density(graph))),
        ("components and isolates", lambda: list(nx.connected_components(graph))),
        ("cross-city share, E-I index", lambda: mixing(graph)),
        ("cross-sector ties, pairs", lambda: sectors(graph)),
        ("science-business ties", lambda: science(graph)),
        (
            f"betweenness, {PIVOTS} pivots",
            lambda: nx.betweenness_centrality(graph, k=PIVOTS, normalized=False, seed=1),
        ),
        ("brokerage roles", lambda: brokerage(arcs)),
        (
            "communities (Leiden; nx Louvain)",
            lambda: nx.community.louvain_communities(graph, seed=1),
        ),
        ("ego network", lambda: nx.ego_graph(graph, "o0")),
        ("trend, 9 yearly dates", trend),
    ):
        figures[name] = _timed(call)[:2]
    seconds = _timed(
        lambda: nx.betweenness_centrality(graph, k=NX_PIVOTS_FOR_ESTIMATE, normalized=False, seed=1)
    )[0]
    figures["exact betweenness estimate"] = seconds * nodes / NX_PIVOTS_FOR_ESTIMATE
    if figures["exact betweenness estimate"] <= 600:
        figures["betweenness, exact"] = _timed(
            lambda: nx.betweenness_centrality(graph, normalized=False)
        )[:2]
    return figures


def _role(ga: str, gv: str, gb: str) -> int:
    if ga == gv == gb:
        return 0
    if ga == gb:
        return 1
    if ga == gv:
        return 2
    return 3 if gb == gv else 4


# --- the report ---------------------------------------------------------------------------------


def _measure(label: str, nodes: int, edges: int, report: Report, quiet: bool) -> dict[str, Any]:
    if not quiet:
        print(f"{label}: project (igraph) ...", flush=True)
    mine = in_child(_project, nodes, edges)
    if not quiet:
        print(f"{label}: networkx ...", flush=True)
    theirs = in_child(_networkx, nodes, edges)
    report.out(f"{label}: {number(nodes)} organisations, {number(mine['ties'])} tied pairs")
    for name, (seconds, peak) in _figures(mine):
        other = theirs.get(name)
        if name == "betweenness, exact" and other is None:
            estimate = theirs["exact betweenness estimate"]
            other_text = f"skipped (> 10 min: ~{estimate / 60:.0f} min by a 32-pivot run)"
            cells = ("skipped", f"~{estimate:.0f} s est.", "")
            ratio = ""
        elif other is None:
            other_text, cells, ratio = "networkx: part of building its graph", ("", "", ""), ""
        else:
            theirs_s, theirs_mb = other
            ratio = f"{theirs_s / seconds:.1f}" if seconds else ""
            other_text = f"networkx {theirs_s:8.2f} s {theirs_mb:7.0f} MB  x{ratio}"
            cells = (f"{theirs_s:.2f}", f"{theirs_mb:.0f}", ratio)
        report.line(
            f"[{label}] {name:<32} {seconds:8.2f} s {peak:7.0f} MB   {other_text}",
            label,
            name,
            f"{seconds:.2f}",
            f"{peak:.0f}",
            *cells,
        )
    return mine


def _figures(found: dict[str, Any]) -> list[tuple[str, tuple[float, float]]]:
    return [
        (name, value)
        for name, value in found.items()
        if isinstance(value, tuple) and name != "exact betweenness estimate"
    ]


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    size: str | None = None,
    markdown: Path | None = None,
) -> None:
    """Run the named size (10k or 100k), or both."""
    del rows, database_url  # generated in memory: no database
    names = [size] if size else list(DEFAULT_SIZES)
    report = Report("Network metrics, project (igraph) against networkx", COLUMNS)
    notes = []
    for name in names:
        if name not in SIZES:
            raise SystemExit(f"unknown size {name!r}; choose from {', '.join(SIZES)}")
        nodes, edges = SIZES[name]
        mine = _measure(name, nodes, edges, report, quiet)
        suite_s, suite_mb = mine["full suite"]
        verdict = "met" if suite_s < 60 and suite_mb < 4096 else "missed"
        notes.append(
            f"{name}: full suite {suite_s:.1f} s, peak {suite_mb:.0f} MB "
            f"(target < 60 s, < 4 GB: {verdict})"
        )
        for pivots, error in mine.get("errors", {}).items():
            notes.append(
                f"{name}: betweenness from {pivots} pivots against exact: total relative error "
                f"{error['relative_l1']:.1%}, top 100 brokers shared {error['top100_overlap']:.0%}"
            )
    for note in notes:
        report.out(note)
    where = machine()
    report.out(where)
    if markdown is not None:
        when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
        body = "\n".join(f"- {note}" for note in notes)
        text = f"{report.markdown()}\n\n{body}\n\n_{when} UTC, {where}._"
        write_section(markdown, "network", text)
