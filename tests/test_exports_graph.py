"""Graph (GEXF, GraphML), GeoJSON and Parquet exports, from Python and from the CLI."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

from typer.testing import CliRunner

from tests.webdata import fill
from wirewatch.cli import app
from wirewatch.export.graph import write_gexf, write_graphml
from wirewatch.export.parquet import TABLES, write_parquet
from wirewatch.service import Service
from wirewatch.store import reviews
from wirewatch.store.lists import Filters


def network(store, since=None, types=None, kinds=("event", "relation"), actor=None,
            include_rejected=False):
    return Service(store).network(Filters(since=since, include_rejected=include_rejected),
                                  types=types, kinds=kinds, actor=actor)

GEXF = "{http://gexf.net/1.3}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def test_network_has_typed_dated_edges(store):
    fill(store)
    net = network(store)
    edges = {(e["source"], e["type"], e["target"]): e for e in net.edges}
    assert ("act_nahr", "ASSAULT", "act_police") in edges
    assert ("act_nahr", "ACCUSE", "IRQ:GOV") in edges
    assert ("act_nahr", "backed_by", "IRN") in edges
    assert ("act_varda", "holds_role", "act_nahr") in edges
    assault = edges[("act_nahr", "ASSAULT", "act_police")]
    assert assault["date"] == "2025-03-02" and assault["kind"] == "event"
    assert assault["sentence"].startswith("Fighters of the Nahr Brigade")
    assert net.nodes["act_nahr"]["label"] == "Nahr Brigade"
    assert net.nodes["IRN"]["label"] == "Iran"  # states are nodes even when not listed actors
    # Events without a resolved recipient (Haddar met "tribal leaders") make no edge.
    assert not any(e["type"] == "CONSULT" for e in net.edges)


def test_network_filters_and_reviews(store):
    fill(store)
    assert {e["kind"] for e in network(store, kinds=("relation",)).edges} == {"relation"}
    assert {e["type"] for e in network(store, types=["assault"]).edges} == {"ASSAULT"}
    assert {e["type"] for e in network(store, since="2025-03-09").edges} == {"ACCUSE"}
    ego = network(store, actor="act_varda")
    assert {e["type"] for e in ego.edges} == {"holds_role"}
    target = store.events(Filters(type="ASSAULT"))[0]["id"]
    reviews.add_review(store, "event", target, "reject", "ana")
    assert not any(e["type"] == "ASSAULT" for e in network(store).edges)
    assert any(e["type"] == "ASSAULT" for e in network(store, include_rejected=True).edges)
    reviews.add_review(store, "actor", "act_police", "merge", "ana", payload={"into": "IRQ:GOV"})
    net = network(store)
    assert "act_police" not in net.nodes and "IRQ:GOV" in net.nodes


def test_gexf_is_dynamic_with_dated_edges(store):
    fill(store)
    buf = io.BytesIO()
    write_gexf(network(store), buf)
    root = ET.fromstring(buf.getvalue())
    graph = root.find(f"{GEXF}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    edges = graph.findall(f"{GEXF}edges/{GEXF}edge")
    assert edges and all(e.get("start") == e.get("end") for e in edges)
    assert {e.get("start") for e in edges} >= {"2025-03-02", "2025-03-09"}
    titles = {a.get("id"): a.get("title") for a in graph.findall(
        f"{GEXF}attributes[@class='edge']/{GEXF}attribute")}
    assert "sentence" in titles.values() and "type" in titles.values()
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids))


def test_graphml_round_trips(store, tmp_path):
    fill(store)
    path = tmp_path / "g.graphml"
    write_graphml(network(store), path)
    root = ET.parse(path).getroot()
    keys = {k.get("attr.name") for k in root.findall(f"{GRAPHML}key")}
    assert {"label", "date", "type", "sentence", "kind"} <= keys
    import networkx as nx

    g = nx.read_graphml(path)
    dates = {d["date"] for _, _, d in g.edges(data=True)}
    assert "2025-03-02" in dates
    assert g.nodes["act_nahr"]["label"] == "Nahr Brigade"


def test_xml_exports_escape_text(store):
    from tests.webdata import record_a

    rec = record_a()
    rec.entities[0].name = 'Nahr <Brigade> & "Co"'
    store.save(rec)
    buf = io.BytesIO()
    write_gexf(network(store), buf)
    ET.fromstring(buf.getvalue())  # well-formed despite markup characters


def test_geojson_states_precision(store):
    fill(store)
    data = Service(store).geojson()
    assert data["type"] == "FeatureCollection"
    by_type = {f["properties"]["type"]: f for f in data["features"]}
    assert by_type["ASSAULT"]["properties"]["precision"] == "city"
    assert by_type["ASSAULT"]["geometry"]["coordinates"] == [47.78, 30.508]
    detain = [f for f in data["features"] if f["properties"]["precision"] == "country"]
    assert len(detain) == 1 and detain[0]["properties"]["country_numeric"] == "368"
    assert "ACCUSE" not in by_type  # no location, no feature
    assert all(f["properties"]["sentence"] for f in data["features"])


def test_parquet_of_every_table(store, tmp_path):
    import pyarrow.parquet as pq

    fill(store)
    reviews.add_review(store, "event", store.events()[0]["id"], "accept", "ana")
    paths = write_parquet(Service(store), tmp_path / "pq")
    assert {p.stem for p in paths} == set(TABLES)
    counts = store.stored_counts()
    for name in ("articles", "quotes", "events", "relations", "places", "actors"):
        assert pq.read_table(tmp_path / "pq" / f"{name}.parquet").num_rows == counts[name]
    events = pq.read_table(tmp_path / "pq" / "events.parquet").to_pylist()
    assert json.loads(events[0]["data"])["id"] == events[0]["id"]
    assert pq.read_table(tmp_path / "pq" / "reviews.parquet").num_rows == 1


def test_cli_export_and_tokens(tmp_path):
    from wirewatch.store.repository import Store

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    store = Store(db)
    fill(store)
    runner = CliRunner()
    for fmt in ("gexf", "graphml", "geojson"):
        out = tmp_path / f"net.{fmt}"
        res = runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--db", db])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 100
    res = runner.invoke(app, ["export", "-f", "parquet", "--out", str(tmp_path / "pq"),
                              "--db", db])
    assert res.exit_code == 0 and (tmp_path / "pq" / "events.parquet").exists()
    bad = runner.invoke(app, ["export", "-f", "svg", "--out", str(tmp_path / "x"), "--db", db])
    assert bad.exit_code == 2
    made = runner.invoke(app, ["token", "create", "--name", "ci", "--db", db])
    assert made.exit_code == 0
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("ww_")
    from wirewatch.store.tokens import verify_token

    assert verify_token(store, token)[0] == "ci"
    listed = runner.invoke(app, ["token", "list", "--db", db, "--format", "json"])
    assert token not in listed.stdout and '"ci"' in listed.stdout
    assert runner.invoke(app, ["token", "revoke", "ci", "--db", db]).exit_code == 0
    assert verify_token(store, token) is None
    assert runner.invoke(app, ["token", "revoke", "ci", "--db", db]).exit_code == 1


def test_cli_event_exports_when_available(tmp_path):
    from wirewatch.store.repository import Store

    db = f"sqlite:///{tmp_path / 'ev.db'}"
    store = Store(db)
    fill(store)
    reviews.add_review(store, "event", store.events(Filters(type="ACCUSE"))[0]["id"],
                       "reject", "ana")
    out = tmp_path / "events.jsonl"
    res = CliRunner().invoke(app, ["export", "-f", "plover", "--out", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    text = json.dumps(rows)
    assert "ASSAULT" in text and "ACCUSE" not in text  # rejected events stay out
    assert (tmp_path / "events.jsonl.codebook.json").exists()
