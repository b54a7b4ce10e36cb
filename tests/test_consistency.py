"""One definition of what counts: every surface reports the same numbers.

A small fictional corpus with a republished wire story (a near-copy) goes in through the
one ingest path; the CLI, the API, the overview, the actor pages, the network, the map
and every export must then agree, on SQLite and on PostgreSQL, before and after a review.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from wirewatch.api.app import create_app
from wirewatch.cli import app as cli
from wirewatch.service import Service
from wirewatch.store.lists import Filters

CORPUS = Path(__file__).parent / "data" / "consistency"
runner = CliRunner()


@pytest.fixture
def desk(store, nlp):
    svc = Service(store)
    svc._nlp = nlp
    # 04 tells 01's checkpoint attack in other words: one incident, two reports
    summary = svc.ingest([CORPUS / "01_wire.txt", CORPUS / "02_other.txt",
                          CORPUS / "04_second_outlet.txt"])
    assert summary.new == 3
    _, token = svc.create_token("desk")
    client = TestClient(create_app(service=svc))
    client.headers["Authorization"] = f"Bearer {token}"
    return svc, client


def _cli_rows(svc: Service, *args: str) -> list[dict]:
    result = runner.invoke(cli, [*args, "--db", svc.url, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _surfaces(svc: Service, client: TestClient, tmp_path: Path,
              unit: str = "events") -> dict[str, int]:
    """What every surface counts, in ``unit`` (incidents or events)."""
    out: dict[str, int] = {}
    u = {"unit": unit}
    out["service"] = svc.counts()[unit]
    stats = client.get("/api/stats", params=u).json()
    out["overview"] = stats["window"][unit]
    out["overview_types"] = sum(stats["event_types"].values())
    out["overview_days"] = sum(d.get("counted", 0) for d in stats["per_day"])
    out["overview_counts"] = stats["counts"][unit]
    out["timeline"] = sum(sum(d.values()) for d in svc.events_per_day_by_type(
        unit=unit).values())  # type: ignore[arg-type]
    out["api_list"] = client.get("/api/events", params={"limit": 1, **u}).json()["total"]
    out["api_pages"] = _walk(client, "/api/events", u)
    out["cli"] = len(_cli_rows(svc, "events", "--unit", unit))
    out["cli_stats"] = _cli_rows(svc, "stats", "--unit", unit)["window"][unit]
    geo = client.get("/api/export/geojson", params=u).json()
    out["geojson"] = len(geo["features"]) + geo["unlocated"]
    for fmt in ("acled", "plover", "polecat", "gdelt"):
        out[fmt] = _export_rows(svc, tmp_path, fmt, "--unit", unit)
    if unit == "incidents":  # the incident lists, and the exports' default
        out["api_incidents"] = client.get("/api/incidents", params={"limit": 1}).json()["total"]
        out["cli_incidents"] = len(_cli_rows(svc, "incidents")["items"])
        out["overview_default"] = client.get("/api/stats").json()["window"]["incidents"]
        for fmt in ("acled", "polecat", "gdelt"):
            out[fmt + "_default"] = _export_rows(svc, tmp_path, fmt)
    else:
        out["plover_default"] = _export_rows(svc, tmp_path, "plover")
    # The API's ACLED file says in a header how many rows it left out.
    resp = client.get("/api/export/acled", params=u)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(resp.text)))
    left = json.loads(resp.headers["X-Wirewatch-Left-Out-Reasons"])
    assert sum(left.values()) == int(resp.headers["X-Wirewatch-Left-Out"])
    out["api_acled"] = len(rows) - 1 + int(resp.headers["X-Wirewatch-Left-Out"])
    return out


def _export_rows(svc: Service, tmp_path: Path, fmt: str, *args: str) -> int:
    path = tmp_path / f"out.{fmt}"
    result = runner.invoke(cli, ["export", "--format", fmt, "--out", str(path),
                                 "--db", svc.url, *args])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    if fmt == "plover":
        return len(text.splitlines())
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if fmt == "gdelt" else ","))
    codebook = json.loads(path.with_name(path.name + ".codebook.json").read_text())
    if fmt != "acled":
        assert "left_out" not in codebook
        return len(rows) - 1  # the header
    # ACLED rows = counted rows - those ACLED has no type for, which the codebook's note
    # and the command's summary both report.
    unmappable = codebook["left_out"]["events"]
    assert sum(codebook["left_out"]["reasons"].values()) == unmappable
    if unmappable:
        assert f"{unmappable} {codebook['unit']} left out" in result.output
    return len(rows) - 1 + unmappable


def _walk(client: TestClient, url: str, params: dict[str, str] | None = None) -> int:
    n, cursor = 0, None
    while True:
        body = client.get(url, params={"limit": 2, **(params or {}),
                                       **({"cursor": cursor} if cursor else {})}).json()
        n += len(body["items"])
        cursor = body["next"]
        if not cursor:
            return n


def test_every_surface_counts_the_same_events(desk, tmp_path):
    svc, client = desk
    before = _surfaces(svc, client, tmp_path)
    assert len(set(before.values())) == 1, before
    n = before["service"]
    assert n >= 3  # attack, accusation, meeting, protest, arrest, ... of the fictional corpus
    incidents = _surfaces(svc, client, tmp_path, "incidents")
    assert len(set(incidents.values())) == 1, incidents
    # One happening is reported by both outlets: fewer incidents than events.
    assert incidents["service"] < n

    # The republished copy comes in through the API: it is marked as a near-copy of the
    # wire story and adds nothing to any count.
    body = _as_json(CORPUS / "03_republished.txt")
    resp = client.post("/api/ingest", json=body)
    assert resp.status_code == 201, resp.text
    (row,) = resp.json()["articles"]
    assert row["duplicate_of"] is not None
    wire = svc.articles(Filters(source="Tigris")).items[0]["id"]
    assert row["duplicate_of"] == wire
    after = _surfaces(svc, client, tmp_path)
    assert set(after.values()) == {n}, after
    again = _surfaces(svc, client, tmp_path, "incidents")
    assert set(again.values()) == {incidents["service"]}, again
    # ... but it is stored, and shown when asked for.
    assert svc.events(Filters(include_copies=True)).total > n

    # A rejected event leaves every surface at once.
    first = svc.events().items[0]["id"]
    svc.review("event", first, "reject", "ana")
    rejected = _surfaces(svc, client, tmp_path)
    assert set(rejected.values()) == {n - 1}, rejected
    after_review = _surfaces(svc, client, tmp_path, "incidents")
    assert len(set(after_review.values())) == 1, after_review


def test_actor_page_counts_match_the_lists(desk):
    svc, client = desk
    for actor in svc.actors().items[:5]:
        profile = client.get(f"/api/actors/{actor['id']}").json()
        as_actor = client.get("/api/events", params={"actor": actor["id"]}).json()["total"]
        assert profile["counts"]["events_as_actor"] == as_actor
        cli = _cli_rows(svc, "actor", actor["id"])
        assert cli["counts"] == profile["counts"]
    stats = client.get("/api/stats").json()
    assert stats["counts"]["actors"] == client.get("/api/actors").json()["total"]
    assert stats["counts"]["actors"] == len(_cli_rows(svc, "actors"))
    assert stats["counts"]["quotes"] == client.get("/api/quotes").json()["total"]
    assert stats["counts"]["quotes"] == len(_cli_rows(svc, "quotes"))


def test_facets_count_the_matching_rows(desk):
    svc, client = desk
    body = client.get("/api/events", params=[("facet", "type"), ("facet", "source")]).json()
    assert sum(f["count"] for f in body["facets"]["type"]) == body["total"]
    assert sum(f["count"] for f in body["facets"]["source"]) == body["total"]
    some = body["facets"]["type"][0]
    narrowed = client.get("/api/events", params={"type": some["value"]}).json()
    assert narrowed["total"] == some["count"]
    assert client.get("/api/events", params={"facet": "nope"}).status_code == 400


def _as_json(path: Path) -> dict[str, str]:
    """A front-matter .txt file as the API's JSON article."""
    _, head, text = path.read_text(encoding="utf-8").split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
    return {**fields, "text": text}


def test_the_earlier_story_stays_the_original_whatever_the_order(store, nlp):
    svc = Service(store)
    svc._nlp = nlp
    svc.ingest([CORPUS / "03_republished.txt"])  # the republication arrives first
    svc.ingest([CORPUS / "01_wire.txt"])  # then the wire story it copied, published earlier
    rows = {a["source"]: a for a in svc.articles().items}
    wire, copy = rows["Tigris Wire"], rows["Euphrates Daily"]
    assert wire["duplicate_of"] is None
    assert copy["duplicate_of"] == wire["id"]
    assert {e["article_id"] for e in svc.events().items} == {wire["id"]}


def test_review_fixes_who_did_what_and_keeps_rejections(desk):
    svc, client = desk
    attack = svc.events(Filters(source="Tigris")).items[0]
    rec = svc.article(attack["article_id"])
    militia = next(e for e in rec["entities"] if e["name"] == "Kataib al-Nahr")
    # The actor of the event, set by a reviewer.
    resp = client.post("/api/reviews", json={
        "target_type": "event", "target_id": attack["id"], "action": "edit",
        "payload": {"fields": {"actors": [militia["id"]]}}})
    assert resp.status_code == 201, resp.text
    edited = svc.events(Filters(actor=militia["id"], type=attack["type"])).items
    assert [e["id"] for e in edited] == [attack["id"]]
    assert edited[0]["actors"][0]["text"] == militia["name"]
    assert edited[0]["edited"] == ["actors"]
    # An unknown actor id is refused.
    bad = client.post("/api/reviews", json={
        "target_type": "event", "target_id": attack["id"], "action": "edit",
        "payload": {"fields": {"recipients": ["act_nobody"]}}})
    assert bad.status_code == 404
    # Rejected, then edited: still rejected until accepted explicitly.
    svc.review("event", attack["id"], "reject", "ana")
    svc.review("event", attack["id"], "edit", "ana", payload={"fields": {"type": "COERCE"}})
    assert svc.article(attack["article_id"], include_rejected=True) is not None
    assert attack["id"] not in {e["id"] for e in svc.events(Filters(include_unasserted=True)).items}
    svc.review("event", attack["id"], "accept", "ana")
    back = {e["id"]: e for e in svc.events().items}[attack["id"]]
    assert back["type"] == "COERCE" and back["actors"][0]["entity"] == militia["id"]

    # A quote's speaker, chosen among stored actors.
    quote = svc.quotes().items[0]
    minister = svc.find_actor("Rana Falih")
    assert minister is not None
    svc.review("quote", quote["id"], "edit", "ana",
               payload={"fields": {"speaker": minister["id"]}})
    fixed = {q["id"]: q for q in svc.quotes(Filters(speaker=minister["id"])).items}
    assert fixed[quote["id"]]["speaker_text"] == minister["name"]


def test_reviews_survive_reprocessing(desk):
    svc, _ = desk
    attack = svc.events(Filters(source="Tigris")).items[0]
    svc.review("event", attack["id"], "edit", "ana", payload={"fields": {"modality": "negated"}})
    assert attack["id"] not in {e["id"] for e in svc.events().items}
    svc.ingest([CORPUS / "01_wire.txt"], reprocess=True)
    assert attack["id"] not in {e["id"] for e in svc.events().items}
    again = {e["id"]: e for e in svc.events(Filters(include_unasserted=True)).items}
    assert again[attack["id"]]["modality"] == "negated"


def test_casualties_reach_the_api_and_the_acled_fatalities(desk, tmp_path):
    svc, client = desk
    events = client.get("/api/events", params={"type": "ASSAULT"}).json()["items"]
    killed = [e["casualties"]["killed"] for e in events if e.get("casualties")]
    assert killed == [2, 2]  # "killing two officers", told by two outlets
    out = tmp_path / "acled.csv"
    result = runner.invoke(cli, ["export", "--format", "acled", "--out", str(out),
                                 "--db", svc.url])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    # one row for the one attack (incidents are the default unit), not a toll per report
    assert [r["fatalities"] for r in rows if r["fatalities"] not in {"", "0"}] == ["2"]
