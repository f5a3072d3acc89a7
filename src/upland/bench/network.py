"""`upland bench network [--size 10k|100k]`: the network metric suite on generated graphs.

Two graphs, generated with a fixed seed: 10 000 organisations / 100 000 ties and 100 000 /
1 000 000, labelled with a partner area (Lublin, Radom, Starachowice or outside; ties stay in
the area with probability 0.6), a kind (company, research, other), a PKD division, dates since
March 2018 and ties of five types (supplier ties directed). Activity is log-normal, so some
organisations have hundreds of ties. For each graph, the project (`upland.network.metrics`,
igraph) and networkx run in separate spawned processes on the same graph: time and peak
resident memory of the full suite (prepare, snapshot of the whole period, a yearly trend) and
of each metric; networkx's full suite is the sum of its parts. A networkx figure that would take
over 10 minutes is skipped with its estimate (betweenness from a 16-pivot run, brokerage from
every 50th broker, the trend from nine graph builds; Louvain is stopped at 10 minutes). On the
10 000-node graph the run also prints the pivot estimate's error against exact betweenness.
"""

from __future__ import annotations

import datetime as dt
import itertools
import signal
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
NX_PROBE_PIVOTS = 16  # networkx's betweenness is timed on these first, then estimated
NX_PROBE_SHARE = 50  # its brokerage on every 50th broker first, then estimated
NX_LIMIT = 600.0  # seconds: networkx is skipped (with its estimate) beyond 10 minutes
SKIPPED = "skipped"
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
        return m.snapshot(data, seed=1)  # its own pivots: 256, or 128 above 50 000 nodes

    figures["full suite"] = _timed(suite)[:2]
    data = m.prepare(node_list, edge_list, CITIES)
    figures["prepare (arrays)"] = _timed(lambda: m.prepare(node_list, edge_list, CITIES))[:2]
    seconds, peak, net = _timed(lambda: _built(m.network(data)))
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


def _built(net: m.Network) -> m.Network:
    """`net` with its lazily built parts (arcs, igraph graph) built, as networkx builds its."""
    _ = (net.graph, net.arcs)
    return net


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

    def brokerage(arcs: Any, brokers: Any = None) -> Counter[int]:
        roles: Counter[int] = Counter()
        for v in arcs if brokers is None else brokers:
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

    seconds, peak, (graph, arcs) = _timed(build)
    figures["network (graph of the window)"] = (seconds, peak)
    for name, call in (
        ("counts and density", lambda: (graph.number_of_edges(), nx.density(graph))),
        ("components and isolates", lambda: list(nx.connected_components(graph))),
        ("cross-city share, E-I index", lambda: mixing(graph)),
        ("cross-sector ties, pairs", lambda: sectors(graph)),
        ("science-business ties", lambda: science(graph)),
        ("ego network", lambda: nx.ego_graph(graph, "o0")),
    ):
        figures[name] = _timed(call)[:2]

    def pivots(k: int) -> Callable[[], Any]:
        return lambda: nx.betweenness_centrality(graph, k=k, normalized=False, seed=1)

    probe = _timed(pivots(NX_PROBE_PIVOTS))[0]
    figures[f"betweenness, {PIVOTS} pivots"] = _unless_over(
        probe * PIVOTS / NX_PROBE_PIVOTS, pivots(PIVOTS)
    )
    every = sorted(arcs)
    probe = _timed(lambda: brokerage(arcs, every[::NX_PROBE_SHARE]))[0]
    figures["brokerage roles"] = _unless_over(probe * NX_PROBE_SHARE, lambda: brokerage(arcs))
    figures["communities (Leiden; nx Louvain)"] = _bounded(
        lambda: nx.community.louvain_communities(graph, seed=1)
    )
    # Its nine graphs alone take nine builds: skipped when they would pass the limit.
    build_seconds = figures["network (graph of the window)"][0]
    figures["trend, 9 yearly dates"] = _unless_over(9 * build_seconds, trend)
    probe = _timed(pivots(NX_PROBE_PIVOTS))[0]
    figures["exact betweenness estimate"] = probe * nodes / NX_PROBE_PIVOTS
    exact = _unless_over(figures["exact betweenness estimate"], pivots(nodes))
    if exact[0] != SKIPPED:
        figures["betweenness, exact"] = exact
    parts = [v for k, v in figures.items() if isinstance(v, tuple) and k != "betweenness, exact"]
    total = sum(float(v[1] if v[0] == SKIPPED else v[0]) for v in parts)
    if any(v[0] == SKIPPED for v in parts):
        figures["full suite"] = (SKIPPED, total)
    else:
        figures["full suite"] = (total, max(float(v[1]) for v in parts))
    return figures


def _unless_over(estimate: float, call: Callable[[], Any]) -> tuple[Any, float]:
    """`call` timed, unless `estimate` (seconds) passes the limit: then (SKIPPED, estimate)."""
    if estimate > NX_LIMIT:
        return SKIPPED, estimate
    return _timed(call)[:2]


def _bounded(call: Callable[[], Any]) -> tuple[Any, float]:
    """`call` timed, stopped at the limit (pure-Python code: an alarm interrupts it)."""

    def stop(*_: Any) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(int(NX_LIMIT))
    try:
        return _timed(call)[:2]
    except TimeoutError:
        return SKIPPED, NX_LIMIT
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


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
            other = (SKIPPED, theirs["exact betweenness estimate"])
        if other is not None and other[0] == SKIPPED:
            estimate = other[1]
            other_text = f"networkx skipped (> 10 min: ~{estimate / 60:.0f} min estimated)"
            cells = (SKIPPED, f"~{estimate:.0f} s est.", "")
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
