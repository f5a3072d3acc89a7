"""The network metrics on hand-computed graphs, the five textbook brokerage cases, and
agreement with networkx's reference values on seeded random graphs."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import networkx as nx
import pytest

from upland.network import metrics as m
from upland.network.metrics import Edge, Node, Window

CITIES = ("lublin", "radom", "starachowice")
D = dt.date


def small() -> m.Prepared:
    """L1, L2 in Lublin; R1, R2 in Radom; S1 in Starachowice; O1 outside, not a member."""
    nodes = [
        Node("L1", "lublin", "company", "29", joined=D(2018, 3, 1)),
        Node("L2", "lublin", "research", "72", joined=D(2018, 3, 1)),
        Node("R1", "radom", "company", "28", joined=D(2019, 1, 1)),
        Node("R2", "radom", "company", "28", joined=D(2018, 3, 1)),
        Node("S1", "starachowice", "company", "29", joined=D(2020, 1, 1)),
        Node("O1", None, "company", None, member=False),
    ]
    edges = [
        Edge("L1", "L2", "rd_partner", start=D(2018, 6, 1)),
        Edge("L1", "L2", "introduction", start=D(2018, 4, 1), weight=0.5),
        Edge("L1", "R1", "supplier", directed=True, start=D(2019, 2, 1), weight=2),
        Edge("R1", "S1", "joint_project", start=D(2020, 2, 1)),
        Edge("S1", "O1", "supplier", directed=True, start=D(2020, 3, 1), end=D(2021, 1, 1)),
        Edge("S1", "nobody", "supplier"),  # an unknown node is left out
    ]
    return m.prepare(nodes, edges, CITIES)


def test_counts_density_components_by_hand() -> None:
    net = m.network(small(), Window.at(D(2020, 6, 1)))
    c = m.counts(net)
    assert (c.members, c.active_members, c.organisations, c.ties) == (5, 4, 5, 4)
    assert c.density == pytest.approx(4 / 15)
    assert c.ties_by_type == {
        "introduction": 1,
        "joint_project": 1,
        "rd_partner": 1,
        "supplier": 2,
    }
    assert m.components(net) == m.Components(count=1, largest=5, isolates=1)


def test_window_cuts_ties_and_members() -> None:
    early = m.counts(m.network(small(), Window.at(D(2018, 5, 1))))
    assert (early.members, early.active_members, early.ties) == (3, 2, 1)
    late = m.network(small(), Window.at(D(2022, 1, 1)))
    assert m.counts(late).ties == 3  # S1 → O1 ended in 2021
    assert m.components(late) == m.Components(count=1, largest=4, isolates=1)
    spanning = m.network(small(), Window(D(2018, 1, 1), D(2022, 1, 1)))
    assert m.counts(spanning).ties == 4
    only = m.network(small(), Window.at(D(2022, 1, 1)), types=["supplier"])
    assert m.counts(only).ties == 1


def test_city_mixing_and_ei_index_by_hand() -> None:
    mixing = m.city_mixing(m.network(small(), Window.at(D(2020, 6, 1))))
    # L1-L2 internal; L1-R1, R1-S1, S1-O1 cross.
    assert mixing.cross_city_ties == 3
    assert mixing.cross_city_share == pytest.approx(3 / 4)
    assert mixing.ei_index == {
        "lublin": pytest.approx((1 - 1) / 2),
        "radom": 1.0,
        "starachowice": 1.0,
        "outside": 1.0,
    }
    assert mixing.ei_overall == pytest.approx((3 - 1) / 4)
    # The ties touching each area (the page hides an area's index over fewer than 5).
    assert mixing.ties_by_area == {"lublin": 2, "radom": 2, "starachowice": 2, "outside": 1}


def test_sector_and_science_business_by_hand() -> None:
    net = m.network(small(), Window.at(D(2020, 6, 1)))
    sectors = m.sector_mixing(net)
    # L1(29)-L2(72), L1(29)-R1(28) cross; R1(28)-S1(29) cross; S1-O1 unknown.
    assert sectors.cross_sector_ties == 3
    assert sectors.cross_sector_share == 1.0
    assert sectors.strongest[0] == m.SectorPair(("28", "29"), 2, 3.0)
    assert sectors.strongest[1] == m.SectorPair(("29", "72"), 1, 1.5)
    science = m.science_business(net)
    assert science == m.ScienceBusiness(ties=1, firms_with_science_partners=1)


def test_trend_follows_growth() -> None:
    days = [D(2018, 5, 1), D(2019, 6, 1), D(2020, 6, 1)]
    points = m.trend(small(), days)
    assert [p.ties for p in points] == [1, 2, 4]
    assert [p.members for p in points] == [3, 4, 5]
    assert points[-1].cross_city_share == pytest.approx(0.75)


def group_world(arcs: list[tuple[str, str]], groups: dict[str, str | None]) -> m.Network:
    nodes = [Node(name, city) for name, city in groups.items()]
    edges = [Edge(a, b, directed=True) for a, b in arcs]
    return m.network(m.prepare(nodes, edges, CITIES))


@pytest.mark.parametrize(
    ("a", "b", "role"),
    [
        ("lublin", "lublin", "coordinator"),
        ("radom", "radom", "itinerant"),
        ("lublin", "radom", "representative"),
        ("radom", "lublin", "gatekeeper"),
        ("radom", None, "liaison"),
    ],
)
def test_the_five_textbook_brokerage_roles(a: str, b: str | None, role: str) -> None:
    """A → V → B with V in Lublin: the groups of A and B name V's role."""
    net = group_world([("A", "V"), ("V", "B")], {"A": a, "V": "lublin", "B": b})
    roles = m.brokerage(net)
    v = net.data.ids.index("V")
    assert dict(zip(m.ROLES, roles[v].tolist(), strict=True)) == {
        r: int(r == role) for r in m.ROLES
    }
    assert roles.sum() == 1


def test_closed_and_reciprocal_two_paths_broker_nothing() -> None:
    closed = group_world([("A", "V"), ("V", "B"), ("A", "B")], dict.fromkeys("AVB", "radom"))
    assert m.brokerage(closed).sum() == 0
    back = group_world([("A", "V"), ("V", "A")], {"A": "lublin", "V": "radom"})
    assert m.brokerage(back).sum() == 0


def test_an_undirected_tie_counts_both_ways() -> None:
    nodes = [Node("A", "lublin"), Node("V", "lublin"), Node("B", "radom")]
    edges = [Edge("A", "V"), Edge("V", "B")]
    roles = m.brokerage(m.network(m.prepare(nodes, edges, CITIES)))
    # A → V → B (representative) and B → V → A (gatekeeper).
    assert roles[1].tolist() == [0, 0, 1, 1, 0]


def random_world(seed: int, n: int = 40, m_edges: int = 90) -> tuple[m.Prepared, list[Edge]]:
    rng = random.Random(seed)
    nodes = [
        Node(f"n{i}", rng.choice([*CITIES, None]), rng.choice(["company", "research"]))
        for i in range(n)
    ]
    edges = []
    for _ in range(m_edges):
        a, b = rng.sample(range(n), 2)
        edges.append(Edge(f"n{a}", f"n{b}", directed=rng.random() < 0.5, weight=rng.randint(1, 3)))
    return m.prepare(nodes, edges, CITIES), edges


def reference_brokerage(data: m.Prepared, edges: list[Edge]) -> dict[str, list[int]]:
    """Gould–Fernandez by enumeration over a networkx DiGraph."""
    graph = nx.DiGraph()
    graph.add_nodes_from(data.ids)
    for e in edges:
        graph.add_edge(e.source, e.target)
        if not e.directed:
            graph.add_edge(e.target, e.source)
    group = {node_id: int(data.group[i]) for i, node_id in enumerate(data.ids)}
    found = {node_id: [0] * 5 for node_id in data.ids}
    for v in graph:
        for a, b in itertools.product(graph.predecessors(v), graph.successors(v)):
            if a == b or graph.has_edge(a, b):
                continue
            ga, gv, gb = group[a], group[v], group[b]
            if ga == gv == gb:
                role = 0
            elif ga == gb:
                role = 1
            elif ga == gv:
                role = 2
            elif gb == gv:
                role = 3
            else:
                role = 4
            found[v][role] += 1
    return found


def undirected(data: m.Prepared, edges: list[Edge]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(data.ids)
    graph.add_edges_from((e.source, e.target) for e in edges)
    return graph


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_brokerage_agrees_with_enumeration(seed: int) -> None:
    data, edges = random_world(seed)
    roles = m.brokerage(m.network(data))
    expected = reference_brokerage(data, edges)
    assert {i: roles[k].tolist() for k, i in enumerate(data.ids)} == expected


@pytest.mark.parametrize("seed", [1, 2])
def test_betweenness_components_density_agree_with_networkx(seed: int) -> None:
    data, edges = random_world(seed, n=60, m_edges=80)
    net = m.network(data)
    graph = undirected(data, edges)
    reference = nx.betweenness_centrality(graph, normalized=False)
    exact = m.by_id(data, m.betweenness(net))
    assert exact == pytest.approx(reference)
    assert m.by_id(data, m.betweenness(net, pivots=60)) == pytest.approx(reference)
    assert m.counts(net).density == pytest.approx(nx.density(graph))
    parts = [c for c in nx.connected_components(graph) if len(c) > 1]
    assert m.components(net).count == len(parts)
    assert m.components(net).largest == max(len(c) for c in parts)


def test_pivot_sampling_estimates_betweenness() -> None:
    data, _ = random_world(4, n=300, m_edges=900)
    net = m.network(data)
    exact = m.betweenness(net)
    sampled = m.betweenness(net, pivots=150, seed=7)
    assert m.betweenness(net, pivots=150, seed=7).tolist() == sampled.tolist()
    error = abs(sampled - exact).sum() / exact.sum()
    assert error < 0.25
    assert abs(sampled.sum() - exact.sum()) / exact.sum() < 0.1


def test_communities_are_seeded_and_agree_with_networkx_modularity() -> None:
    # Two cliques joined by one tie: two communities.
    nodes = [Node(f"n{i}", "lublin") for i in range(10)]
    edges = [Edge(f"n{a}", f"n{b}") for a, b in itertools.combinations(range(5), 2)]
    edges += [Edge(f"n{a}", f"n{b}") for a, b in itertools.combinations(range(5, 10), 2)]
    edges.append(Edge("n0", "n5"))
    data = m.prepare(nodes, edges, CITIES)
    found = m.communities(m.network(data), seed=3)
    assert found.count == 2 and found.sizes == [5, 5]
    graph = undirected(data, edges)
    parts = [
        {data.ids[i] for i, c in enumerate(found.membership) if c == k}
        for k in set(found.membership)
    ]
    assert found.modularity == pytest.approx(nx.community.modularity(graph, parts))
    assert m.communities(m.network(data), seed=3) == found


def test_ego_network() -> None:
    net = m.network(small(), Window.at(D(2020, 6, 1)))
    mine = m.ego(net, "R1")
    assert mine.partners == ["L1", "S1"]
    assert mine.partners_of_partners == ["L2", "O1"]
    assert mine.ties == [("L1", "R1"), ("R1", "S1")]


def test_snapshot_gathers_every_figure() -> None:
    shot = m.snapshot(small(), Window.at(D(2020, 6, 1)))
    figures = shot.as_dict()
    assert figures["counts"]["ties"] == 4
    assert figures["window"] == {"start": "2020-06-01", "end": "2020-06-01"}
    assert shot.betweenness_pivots is None
    # The chain L2 - L1 - R1 - S1 - O1: R1 brokers most (2 * 2 + ... pairs across it).
    assert [b.id for b in shot.brokers] == ["R1", "L1", "S1"]
    assert shot.brokers[0].betweenness == 4.0
    assert sum(shot.brokerage_totals.values()) > 0
    assert "membership" not in figures["communities"]


def test_empty_network() -> None:
    shot = m.snapshot(m.prepare([Node("a")], []))
    assert shot.counts.ties == 0 and shot.counts.density == 0.0
    assert shot.cities.cross_city_share is None and shot.brokers == []
