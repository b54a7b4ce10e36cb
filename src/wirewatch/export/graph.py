"""The actor network: events and affiliations as typed, dated edges between actors.

``build_network`` builds it from the service's event and relation rows (what counts:
rejected facts and near-copies left out, merged actors counted as the actor they were
merged into); ``write_gexf`` and ``write_graphml`` write it for Gephi and Cytoscape with
time-stamped edges.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from wirewatch.model import ISO_DAY

NODE_ATTRS = ("type", "kind", "country", "mention_count")
EDGE_ATTRS = ("kind", "type", "date", "modality", "confidence", "sentence", "article_id",
              "fact_id")


@dataclass
class Network:
    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def to_cytoscape(self) -> list[dict[str, Any]]:
        """Elements in the shape cytoscape.js takes."""
        out: list[dict[str, Any]] = [{"group": "nodes", "data": n} for n in self.nodes.values()]
        out += [{"group": "edges", "data": e} for e in self.edges]
        return out

    def describe_nodes(self, actors: dict[str, dict[str, Any]]) -> None:
        """Label each node from its actor row."""
        for nid, node in self.nodes.items():
            a = actors.get(nid) or {}
            node.update(label=a.get("name") or nid, type=a.get("type"), kind=a.get("kind"),
                        country=a.get("country"), mention_count=a.get("mention_count") or 0)


def build_network(
    events: list[dict[str, Any]], relations: list[dict[str, Any]],
    types: list[str] | None = None, actor: str | None = None,
) -> Network:
    """Actors joined by events (actor -> recipient) and relations (subject -> object).

    ``events`` and ``relations`` are the service's list rows (what counts, reviews
    applied); ``types`` keeps only these PLOVER or relation types; ``actor`` keeps the
    edges touching that actor (its ego network).
    """
    wanted = {t.upper() for t in types or []} | {t.lower() for t in types or []}
    edges: list[dict[str, Any]] = []
    for ev in events:
        if wanted and ev["type"] not in wanted:
            continue
        for a in ev["actors"]:
            for r in ev["recipients"]:
                if not a.get("entity") or not r.get("entity") or a["entity"] == r["entity"]:
                    continue
                edges.append(dict(
                    id=f"{ev['id']}:{a['entity']}>{r['entity']}", source=a["entity"],
                    target=r["entity"], kind="event", type=ev["type"],
                    date=ev.get("day") or None, modality=ev.get("modality"),
                    confidence=ev.get("confidence"), sentence=ev.get("sentence"),
                    article_id=ev["article_id"], fact_id=ev["id"],
                    label=f"{ev['type']} {a['text']} → {r['text']}"))
    for rel in relations:
        if wanted and rel["type"] not in wanted:
            continue
        if not rel.get("subject_id") or not rel.get("object_id"):
            continue
        if rel["subject_id"] == rel["object_id"]:
            continue
        day = rel.get("observed_at") or ""
        edges.append(dict(
            id=rel["id"], source=rel["subject_id"], target=rel["object_id"],
            kind="relation", type=rel["type"], date=day[:10] if ISO_DAY.match(day) else None,
            modality=None, confidence=rel.get("confidence"), sentence=rel.get("sentence"),
            article_id=rel["article_id"], fact_id=rel["id"],
            label=f"{rel['type']} {rel['object_text']}"))
    edges = list({e["id"]: e for e in edges}.values())  # one edge per fact and actor pair
    if actor:
        edges = [e for e in edges if actor in (e["source"], e["target"])]
    node_ids = {e["source"] for e in edges} | {e["target"] for e in edges}
    nodes = {nid: {"id": nid, "label": nid} for nid in sorted(node_ids)}
    edges.sort(key=lambda e: (e["date"] or "", e["id"]))
    return Network(nodes, edges)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def write_gexf(net: Network, out: IO[bytes] | str | Path) -> None:
    """GEXF 1.3, dynamic graph: each edge starts (and ends) on its date."""
    root = ET.Element("gexf", {"xmlns": "http://gexf.net/1.3", "version": "1.3"})
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "wirewatch"
    ET.SubElement(meta, "description").text = "Actors joined by events and affiliations"
    graph = ET.SubElement(root, "graph", {"mode": "dynamic", "defaultedgetype": "directed",
                                          "timeformat": "date"})
    node_attrs = ET.SubElement(graph, "attributes", {"class": "node", "mode": "static"})
    for i, name in enumerate(NODE_ATTRS):
        ET.SubElement(node_attrs, "attribute", {
            "id": f"n{i}", "title": name,
            "type": "integer" if name == "mention_count" else "string"})
    edge_attrs = ET.SubElement(graph, "attributes", {"class": "edge", "mode": "static"})
    for i, name in enumerate(EDGE_ATTRS):
        ET.SubElement(edge_attrs, "attribute", {
            "id": f"e{i}", "title": name, "type": "double" if name == "confidence" else "string"})
    nodes = ET.SubElement(graph, "nodes")
    for n in net.nodes.values():
        el = ET.SubElement(nodes, "node", {"id": n["id"], "label": _text(n["label"])})
        vals = ET.SubElement(el, "attvalues")
        for i, name in enumerate(NODE_ATTRS):
            if n.get(name) is not None:
                ET.SubElement(vals, "attvalue", {"for": f"n{i}", "value": _text(n[name])})
    edges = ET.SubElement(graph, "edges")
    for e in net.edges:
        attrs = {"id": e["id"], "source": e["source"], "target": e["target"],
                 "label": _text(e["type"])}
        if e.get("date"):
            attrs["start"] = attrs["end"] = e["date"]
        el = ET.SubElement(edges, "edge", attrs)
        vals = ET.SubElement(el, "attvalues")
        for i, name in enumerate(EDGE_ATTRS):
            if e.get(name) is not None:
                ET.SubElement(vals, "attvalue", {"for": f"e{i}", "value": _text(e[name])})
    _write(root, out)


def write_graphml(net: Network, out: IO[bytes] | str | Path) -> None:
    """GraphML with a ``date`` key on every edge (Cytoscape, Gephi, networkx read it)."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    root = ET.Element("graphml", {"xmlns": ns})
    ET.SubElement(root, "key", {"id": "label", "for": "node", "attr.name": "label",
                                "attr.type": "string"})
    for name in NODE_ATTRS:
        ET.SubElement(root, "key", {
            "id": f"n_{name}", "for": "node", "attr.name": name,
            "attr.type": "int" if name == "mention_count" else "string"})
    for name in EDGE_ATTRS:
        ET.SubElement(root, "key", {
            "id": f"e_{name}", "for": "edge", "attr.name": name,
            "attr.type": "double" if name == "confidence" else "string"})
    graph = ET.SubElement(root, "graph", {"id": "wirewatch", "edgedefault": "directed"})
    for n in net.nodes.values():
        el = ET.SubElement(graph, "node", {"id": n["id"]})
        ET.SubElement(el, "data", {"key": "label"}).text = _text(n["label"])
        for name in NODE_ATTRS:
            if n.get(name) is not None:
                ET.SubElement(el, "data", {"key": f"n_{name}"}).text = _text(n[name])
    for e in net.edges:
        el = ET.SubElement(graph, "edge", {"id": e["id"], "source": e["source"],
                                           "target": e["target"]})
        for name in EDGE_ATTRS:
            if e.get(name) is not None:
                ET.SubElement(el, "data", {"key": f"e_{name}"}).text = _text(e[name])
    _write(root, out)


def _write(root: ET.Element, out: IO[bytes] | str | Path) -> None:
    ET.indent(root)
    tree = ET.ElementTree(root)
    if isinstance(out, str | Path):
        tree.write(str(out), encoding="utf-8", xml_declaration=True)
    else:
        tree.write(out, encoding="utf-8", xml_declaration=True)
