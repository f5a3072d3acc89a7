"""The network benchmark's graphs: the stated sizes, labelled, seeded; its figures run."""

from __future__ import annotations

from collections import Counter

from upland.bench import network as bench
from upland.network import metrics as m


def test_generated_graph_is_labelled_sized_and_seeded():
    nodes, edges = bench.generate(500, 3_000)
    assert len(nodes) == 500
    assert 2_900 < len(edges) <= 3_000  # self-ties dropped
    cities = Counter(n.city for n in nodes)
    assert set(cities) == {*bench.CITIES, None}
    assert {e.type for e in edges} == set(bench.TYPES)
    assert all(e.directed == (e.type == "supplier") for e in edges)
    assert bench.generate(500, 3_000) == (nodes, edges)
    net = m.network(m.prepare(nodes, edges, bench.CITIES))
    assert m.city_mixing(net).cross_city_share < 0.75  # ties stay in their area more often


def test_project_figures_in_process():
    figures = bench._project(300, 1_500)
    assert {"full suite", "brokerage roles", "betweenness, exact", "errors"} <= set(figures)
    assert figures["errors"][1024]["relative_l1"] == 0.0  # every node a pivot: exact
