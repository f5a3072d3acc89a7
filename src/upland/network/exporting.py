"""The network a reader may see as files: GEXF and GraphML (open in Gephi), nodes and edges
as CSV. Nodes are the organisations with at least one visible tie; every attribute the
metrics use is written (partner area, kind, PKD division, membership). An organisation whose
profile the reader may not see is labelled `UNNAMED` (`graph.named_ids`) and keeps only its
partner area and a coarse kind (`Graph.shown`), its other cells empty. CSV cells a
spreadsheet would run as a formula are neutralised as in the registry's export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from xml.etree import ElementTree as ET

from upland.i18n import N_
from upland.network.graph import Graph
from upland.network.metrics import OUTSIDE, Edge, Node
from upland.organisations.imports.format import neutralise

# The label of a node whose organisation the reader may not see (files are in English, like
# the API; the msgid is in the catalogues).
UNNAMED = N_("organisation (not public)")
NODE_FIELDS = ("id", "label", "city", "kind", "pkd_division", "member")
EDGE_FIELDS = ("source", "target", "type", "directed", "weight", "start", "end")


def _nodes(graph: Graph) -> list[Node]:
    tied = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    return [n for n in graph.nodes if n.id in tied]


def _node_row(graph: Graph, node: Node) -> dict[str, str]:
    shown = graph.shown(node)  # an unnamed organisation: no PKD division, no membership
    return {
        "id": node.id,
        "label": graph.names.get(node.id, UNNAMED),
        "city": shown.city or OUTSIDE,
        "kind": shown.kind,
        "pkd_division": shown.pkd_division or "",
        "member": "" if shown.member is None else "true" if shown.member else "false",
    }


def _edge_row(edge: Edge) -> dict[str, str]:
    return {
        "source": edge.source,
        "target": edge.target,
        "type": edge.type,
        "directed": "true" if edge.directed else "false",
        "weight": f"{edge.weight:g}",
        "start": edge.start.isoformat() if edge.start else "",
        "end": edge.end.isoformat() if edge.end else "",
    }


def _cells(row: dict[str, str]) -> dict[str, str]:
    """A CSV row with each text a spreadsheet would run as a formula neutralised."""
    return {key: neutralise(value) for key, value in row.items()}


def nodes_csv(graph: Graph) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, NODE_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_cells(_node_row(graph, n)) for n in _nodes(graph))
    return out.getvalue()


def edges_csv(graph: Graph) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, EDGE_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_cells(_edge_row(e)) for e in graph.edges)
    return out.getvalue()


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def graphml(graph: Graph) -> str:
    """GraphML: node and edge attributes declared as keys; each edge its own direction."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", xmlns=ns)
    for name in NODE_FIELDS[1:]:
        ET.SubElement(root, "key", {"id": f"n_{name}", "for": "node", "attr.name": name})
        root[-1].set("attr.type", "string")
    for name in EDGE_FIELDS[2:]:
        kind = "double" if name == "weight" else "string"
        ET.SubElement(
            root, "key", {"id": f"e_{name}", "for": "edge", "attr.name": name, "attr.type": kind}
        )
    body = ET.SubElement(root, "graph", id="upland", edgedefault="undirected")
    for node in _nodes(graph):
        element = ET.SubElement(body, "node", id=node.id)
        for name, value in _node_row(graph, node).items():
            if name != "id":
                ET.SubElement(element, "data", key=f"n_{name}").text = value
    for i, edge in enumerate(graph.edges):
        row = _edge_row(edge)
        element = ET.SubElement(
            body,
            "edge",
            id=f"e{i}",
            source=edge.source,
            target=edge.target,
            directed=row["directed"],
        )
        for name in EDGE_FIELDS[2:]:
            ET.SubElement(element, "data", key=f"e_{name}").text = row[name]
    return _xml(root)


def gexf(graph: Graph) -> str:
    """GEXF 1.3 with the ties' dates as spells, so Gephi's timeline plays the growth."""
    root = ET.Element("gexf", xmlns="http://gexf.net/1.3", version="1.3")
    ET.SubElement(root, "meta").append(_text("creator", "Upland"))
    body = ET.SubElement(
        root, "graph", defaultedgetype="undirected", mode="dynamic", timeformat="date"
    )
    node_attributes = ET.SubElement(body, "attributes", {"class": "node", "mode": "static"})
    for i, name in enumerate(NODE_FIELDS[2:]):
        ET.SubElement(node_attributes, "attribute", id=str(i), title=name, type="string")
    edge_attributes = ET.SubElement(body, "attributes", {"class": "edge", "mode": "static"})
    ET.SubElement(edge_attributes, "attribute", id="0", title="type", type="string")
    nodes = ET.SubElement(body, "nodes")
    for node in _nodes(graph):
        row = _node_row(graph, node)
        element = ET.SubElement(nodes, "node", id=node.id, label=row["label"])
        values = ET.SubElement(element, "attvalues")
        for i, name in enumerate(NODE_FIELDS[2:]):
            ET.SubElement(values, "attvalue", {"for": str(i), "value": row[name]})
    edges = ET.SubElement(body, "edges")
    for i, edge in enumerate(graph.edges):
        row = _edge_row(edge)
        attributes = {
            "id": str(i),
            "source": edge.source,
            "target": edge.target,
            "type": "directed" if edge.directed else "undirected",
            "weight": row["weight"],
        }
        if row["start"]:
            attributes["start"] = row["start"]
        if row["end"]:
            attributes["end"] = row["end"]
        element = ET.SubElement(edges, "edge", attributes)
        values = ET.SubElement(element, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "0", "value": row["type"]})
    return _xml(root)


def _text(tag: str, text: str) -> ET.Element:
    element = ET.Element(tag)
    element.text = text
    return element


FORMATS: dict[str, tuple[Callable[[Graph], str], str]] = {
    "gexf": (gexf, "application/gexf+xml"),
    "graphml": (graphml, "application/graphml+xml"),
    "nodes.csv": (nodes_csv, "text/csv"),
    "edges.csv": (edges_csv, "text/csv"),
}
