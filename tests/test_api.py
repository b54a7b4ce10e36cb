"""The JSON API: every endpoint, auth on writes, pagination, CSV, bad parameters -> 4xx JSON."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient

from tests.webdata import fill
from wirewatch.api.app import create_app
from wirewatch.store.repository import Store
from wirewatch.store.tokens import create_token, revoke_token


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """A read-mostly client over the fictional corpus (tests that write use their own)."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}")
    fill(store)
    client = TestClient(create_app(store=store, read_token_required=False))
    yield client
    store.close()


@pytest.fixture
def writable(store):
    """A fresh store (SQLite, and PostgreSQL when configured) with a token."""
    fill(store)
    _, token = create_token(store, "tester")
    client = TestClient(create_app(store=store, read_token_required=False))
    client.headers["Authorization"] = f"Bearer {token}"
    return client, store, token


def error_of(resp) -> str:
    body = resp.json()
    assert set(body) >= {"error"}, body
    assert "Traceback" not in resp.text
    return body["error"]["message"]


# -- schema and docs ----------------------------------------------------------------


def test_openapi_and_offline_docs(api):
    schema = api.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/actors",
                 "/api/actors/{actor_id}", "/api/quotes", "/api/events", "/api/relations",
                 "/api/places", "/api/search", "/api/stats", "/api/network", "/api/changes",
                 "/api/reviews", "/api/ingest", "/api/export/{fmt}"):
        assert path in schema["paths"], path
    docs = api.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower() and "https://" not in docs.text


# -- read endpoints -----------------------------------------------------------------


def test_articles_list_and_record(api):
    body = api.get("/api/articles").json()
    assert set(body) == {"items", "next", "prev", "total"} and body["next"] is None
    assert body["prev"] is None
    assert body["total"] == len(body["items"])
    assert [a["published"] for a in body["items"]] == ["2025-03-02", "2025-03-05", "2025-03-09"]
    rec = api.get("/api/articles/art_a000000000000001").json()
    assert rec["article"]["title"] == "Brigade attacks police post"
    assert rec["quotes"][0]["content"] == "We will not disarm"
    assert api.get("/api/articles/art_a0").json()["article"]["id"] == "art_a000000000000001"
    resp = api.get("/api/articles/art_nope")
    assert resp.status_code == 404 and "no article" in error_of(resp)


def test_article_full_text_search(api):
    items = api.get("/api/articles", params={"q": "disarm"}).json()["items"]
    assert [a["id"] for a in items] == ["art_a000000000000001"]
    assert api.get("/api/articles", params={"q": "tribal lead"}).json()["items"][0]["id"] == (
        "art_b000000000000002")
    assert api.get("/api/articles", params={"q": "zeppelin"}).json()["items"] == []
    # Search syntax characters are words, not operators.
    assert api.get("/api/articles", params={"q": '"AND (OR'}).status_code == 200


def test_actors(api):
    items = api.get("/api/actors").json()["items"]
    ids = [a["id"] for a in items]
    assert "act_nahr" in ids and "act_basra" not in ids  # places are not actors
    assert ids[0] == "act_nahr"  # most mentioned first
    people = api.get("/api/actors", params={"type": "PERSON"}).json()["items"]
    assert {a["id"] for a in people} == {"act_varda", "act_haddar"}
    prof = api.get("/api/actors/act_nahr").json()
    types = {r["type"]: r for r in prof["affiliations"]}
    assert types["backed_by"]["sentence"].startswith("The Iran-backed Nahr Brigade")
    assert "part_of" in types
    assert {e["type"] for e in prof["events"]} == {"ASSAULT", "ACCUSE"}
    varda = api.get("/api/actors/act_varda").json()
    assert varda["roles"][0]["role"] == "commander"
    assert varda["quotes"][0]["content"] == "We will not disarm"
    assert api.get("/api/actors/act_nobody").status_code == 404
    net = api.get("/api/actors/act_nahr/network").json()
    assert {"act_nahr", "act_police", "IRQ:GOV", "IRQ_PMF"} <= {n["id"] for n in net["nodes"]}


def test_quotes(api):
    items = api.get("/api/quotes").json()["items"]
    assert len(items) == 2
    by_speaker = api.get("/api/quotes", params={"speaker": "Haddar"}).json()["items"]
    assert [q["speaker_text"] for q in by_speaker] == ["Haddar"]
    topic = api.get("/api/quotes", params={"about": "disarm"}).json()["items"]
    assert [q["speaker_id"] for q in topic] == ["act_varda"]
    text = api.get("/api/quotes", params={"q": "restore order"}).json()["items"]
    assert [q["speaker_id"] for q in text] == ["act_haddar"]
    assert api.get("/api/quotes", params={"type": "shouted"}).status_code == 400


def test_events(api):
    items = api.get("/api/events").json()["items"]
    assert {e["type"] for e in items} == {"ASSAULT", "CONSULT", "COERCE", "ACCUSE"}
    first = items[0]
    assert first["sentence"] and first["trigger"]["text"] and first["actors"]
    assert [e["type"] for e in api.get("/api/events", params={"type": "assault"}).json()[
        "items"]] == ["ASSAULT"]
    planned = api.get("/api/events", params={"modality": "planned"}).json()["items"]
    assert [e["trigger"]["text"] for e in planned] == ["restore order"]
    by_actor = api.get("/api/events", params={"actor": "Nahr"}).json()["items"]
    assert {e["type"] for e in by_actor} == {"ASSAULT", "ACCUSE"}
    by_recipient = api.get("/api/events", params={"recipient": "IRQ:GOV"}).json()["items"]
    assert [e["type"] for e in by_recipient] == ["ACCUSE"]
    in_basra = api.get("/api/events", params={"place": "basra"}).json()["items"]
    assert {e["type"] for e in in_basra} == {"ASSAULT", "CONSULT"}
    window = api.get("/api/events", params={"since": "2025-03-05", "until": "2025-03-05"})
    assert {e["type"] for e in window.json()["items"]} == {"CONSULT", "COERCE"}
    assert api.get("/api/events", params={"source": "delta"}).json()["items"][0][
        "source"] == "Delta Post"


def test_relations_places_failures_search_stats(api):
    rels = api.get("/api/relations", params={"type": "backed_by"}).json()["items"]
    assert rels[0]["object_text"] == "Iran" and rels[0]["sentence"]
    assert api.get("/api/relations", params={"type": "likes"}).status_code == 400
    places = api.get("/api/places").json()["items"]
    assert places[0]["name"] == "Basra" and places[0]["level"] == "city"
    assert api.get("/api/failures").json() == {"items": [], "next": None, "prev": None,
                                                 "total": 0}
    found = api.get("/api/search", params={"q": "disarm"}).json()["items"]
    assert {(x["kind"], x["article_id"]) for x in found} == {
        ("article", "art_a000000000000001"), ("quote", "art_a000000000000001")}
    assert api.get("/api/search").status_code == 422
    stats = api.get("/api/stats").json()
    assert stats["counts"]["articles"] == 3
    assert stats["event_types"]["COERCE"] == 2
    assert stats["top_actors"][0]["id"] == "act_nahr"
    assert {d["date"] for d in stats["per_day"]} >= {"2025-03-02", "2025-03-09"}


def test_network(api):
    net = api.get("/api/network").json()
    kinds = {(e["kind"], e["type"]) for e in net["edges"]}
    assert ("event", "ASSAULT") in kinds and ("relation", "backed_by") in kinds
    assert all(e["date"] for e in net["edges"])
    only = api.get("/api/network", params={"kind": "relation"}).json()["edges"]
    assert {e["kind"] for e in only} == {"relation"}
    typed = api.get("/api/network", params=[("type", "ACCUSE"), ("type", "part_of")]).json()
    assert {e["type"] for e in typed["edges"]} == {"ACCUSE", "part_of"}
    window = api.get("/api/network", params={"since": "2025-03-09"}).json()["edges"]
    assert {e["type"] for e in window} == {"ACCUSE"}
    assert api.get("/api/network", params={"kind": "gossip"}).status_code == 400


def test_exports(api):
    gexf = api.get("/api/export/gexf")
    assert gexf.status_code == 200
    root = ET.fromstring(gexf.content)
    assert root.tag == "{http://gexf.net/1.3}gexf"
    graphml = ET.fromstring(api.get("/api/export/graphml").content)
    assert graphml.tag.endswith("graphml")
    geo = api.get("/api/export/geojson")
    assert geo.headers["content-type"].startswith("application/geo+json")
    assert {f["properties"]["precision"] for f in geo.json()["features"]} == {"city", "country"}
    pq = api.get("/api/export/parquet", params={"table": "events"})
    assert pq.status_code == 200 and pq.content[:4] == b"PAR1"
    assert api.get("/api/export/parquet", params={"table": "secrets"}).status_code == 400
    import zipfile

    bundle = zipfile.ZipFile(io.BytesIO(api.get("/api/export/parquet").content))
    assert {"articles.parquet", "events.parquet", "reviews.parquet"} <= set(bundle.namelist())
    assert api.get("/api/export/pdf").status_code == 404


# -- pagination and content negotiation --------------------------------------------


def test_cursor_pagination_is_stable_and_complete(api):
    full = [e["id"] for e in api.get("/api/events").json()["items"]]
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/events", params=params).json()
        seen += [e["id"] for e in body["items"]]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            break
    assert seen == full and len(set(seen)) == len(seen) and pages == 3
    dates = [e["date"] for e in api.get("/api/events").json()["items"]]
    assert dates == sorted(dates)
    resp = api.get("/api/events", params={"cursor": "%%%not-a-cursor"})
    assert resp.status_code == 400 and "cursor" in error_of(resp)


def test_csv_negotiation(api):
    by_param = api.get("/api/events", params={"format": "csv", "limit": 2})
    assert by_param.headers["content-type"].startswith("text/csv")
    assert by_param.headers.get("x-next-cursor")
    rows = list(csv.DictReader(io.StringIO(by_param.text)))
    assert len(rows) == 2 and rows[0]["sentence"]
    assert json.loads(rows[0]["actors"])[0]["text"]
    by_header = api.get("/api/quotes", headers={"Accept": "text/csv"})
    assert by_header.headers["content-type"].startswith("text/csv")
    assert api.get("/api/quotes", headers={"Accept": "application/json"}).json()["items"]
    assert api.get("/api/quotes", params={"format": "xml"}).status_code == 400


@pytest.mark.parametrize("url", [
    "/api/events?since=last-week", "/api/events?until=2025-13", "/api/events?limit=0",
    "/api/events?limit=5000", "/api/events?limit=many", "/api/events?type=PARTY",
    "/api/events?modality=maybe", "/api/articles?include_rejected=perhaps",
    "/api/changes", "/api/changes?since=yesterday", "/api/nothing-here",
])
def test_bad_parameters_give_4xx_json(api, url):
    resp = api.get(url)
    assert 400 <= resp.status_code < 500
    assert error_of(resp)


def test_server_errors_are_json_without_trace(tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 'e.db'}")
    client = TestClient(create_app(store=store), raise_server_exceptions=False)

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(Store, "per_day", boom)
    resp = client.get("/api/stats")
    assert resp.status_code == 500
    assert "secret internals" not in resp.text and "Traceback" not in resp.text
    assert resp.json()["error"]["message"]


# -- auth -----------------------------------------------------------------------------


def test_writes_need_a_valid_token(writable):
    client, store, token = writable
    body = {"target_type": "event", "target_id": _event_id(client, "ASSAULT"),
            "action": "reject", "reviewer": "ana"}
    anon = TestClient(client.app)
    resp = anon.post("/api/reviews", json=body)
    assert resp.status_code == 401 and "token" in error_of(resp)
    assert anon.post("/api/reviews", json=body,
                     headers={"Authorization": "Bearer ww_forged"}).status_code == 401
    assert anon.post("/api/ingest", json={"text": "x"}).status_code == 401
    ok = client.post("/api/reviews", json=body)
    assert ok.status_code == 201 and ok.json()["reviewer"] == "ana"
    revoke_token(store, "tester")
    assert client.post("/api/reviews", json=body).status_code == 401


def test_tokens_are_stored_hashed(writable):
    _, store, token = writable
    from sqlalchemy import text

    with store.engine.connect() as conn:
        dump = json.dumps([list(r) for r in conn.execute(text("SELECT * FROM api_tokens"))])
    assert token not in dump and "tester" in dump


def test_reads_can_require_a_token(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'r.db'}")
    fill(store)
    _, token = create_token(store, "reader")
    client = TestClient(create_app(store=store, read_token_required=True))
    assert client.get("/api/events").status_code == 401
    assert client.get("/").status_code == 401
    assert client.get("/api/events", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    assert client.post("/login", data={"token": "wrong"}).status_code == 401
    login = client.post("/login", data={"token": token}, follow_redirects=False)
    assert login.status_code == 303
    assert client.get("/").status_code == 200  # the cookie now carries the token


def test_read_token_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WIREWATCH_READ_TOKEN_REQUIRED", "1")
    client = TestClient(create_app(f"sqlite:///{tmp_path / 'env.db'}"))
    assert client.get("/api/articles").status_code == 401


# -- reviews over the API ---------------------------------------------------------------


def _event_id(client, type_: str) -> str:
    return client.get("/api/events", params={"type": type_}).json()["items"][0]["id"]


def test_review_endpoints(writable):
    client, _, _ = writable
    ev = _event_id(client, "CONSULT")
    edit = client.post("/api/reviews", json={
        "target_type": "event", "target_id": ev, "action": "edit", "reviewer": "ana",
        "payload": {"fields": {"type": "AGREE"}}, "comment": "they agreed"})
    assert edit.status_code == 201
    item = client.get("/api/events", params={"type": "AGREE"}).json()["items"][0]
    assert item["id"] == ev and item["review"]["action"] == "edit" and item["edited"] == ["type"]
    assert client.get("/api/events", params={"type": "CONSULT"}).json()["items"] == []
    rec = client.get("/api/articles/art_b000000000000002").json()
    assert [e["type"] for e in rec["events"] if e["id"] == ev] == ["AGREE"]
    rej = client.post("/api/reviews", json={"target_type": "event", "target_id": ev,
                                            "action": "reject", "reviewer": "ben"})
    assert rej.status_code == 201
    ids = [e["id"] for e in client.get("/api/events").json()["items"]]
    assert ev not in ids
    assert ev in [e["id"] for e in client.get(
        "/api/events", params={"include_rejected": "true"}).json()["items"]]
    log = client.get("/api/reviews", params={"target_id": ev}).json()["items"]
    assert [r["action"] for r in log] == ["edit", "reject"]
    changes = client.get("/api/changes", params={"since": "2000-01-01"}).json()["items"]
    assert {(c["change"], c["target_id"]) for c in changes} >= {
        ("updated", ev), ("deleted", ev)}
    assert {c["target_id"] for c in changes if c["change"] == "added"} == {
        "art_a000000000000001", "art_b000000000000002", "art_c000000000000003"}
    future = client.get("/api/changes", params={"since": "2999-01-01"}).json()["items"]
    assert future == []


@pytest.mark.parametrize("body, status", [
    ({"target_type": "event", "target_id": "ev_nope", "action": "reject"}, 404),
    ({"target_type": "planet", "target_id": "x", "action": "reject"}, 400),
    ({"target_type": "event", "action": "reject"}, 400),
    ({"target_type": "quote", "target_id": "Q", "action": "merge"}, 400),
    ({"target_type": "event", "target_id": "E", "action": "edit",
      "payload": {"fields": {"sentence": "x"}}}, 400),
    ({"target_type": "event", "target_id": "E", "action": "edit",
      "payload": {"fields": {"type": "PARTY"}}}, 400),
    ({"target_type": "actor", "target_id": "act_nahr", "action": "merge",
      "payload": {"into": "act_nobody"}}, 404),
    ({"target_type": "event", "target_id": "E", "action": "reject", "payload": [1]}, 400),
    ({"target_type": "event", "target_id": "E", "action": "reject", "comment": {"a": 1}}, 400),
    ({"target_type": "actor", "target_id": "act_nahr", "action": "merge",
      "payload": {"into": ["IRN"]}}, 400),
])
def test_bad_reviews_are_rejected(writable, body, status):
    client, _, _ = writable
    if body.get("target_id") == "E":
        body["target_id"] = _event_id(client, "ASSAULT")
    resp = client.post("/api/reviews", json={**body, "reviewer": "ana"})
    assert resp.status_code == status, resp.text
    assert error_of(resp)


def test_merge_and_split_actors_over_api(writable):
    client, _, _ = writable
    resp = client.post("/api/reviews", json={
        "target_type": "actor", "target_id": "act_varda", "action": "merge",
        "payload": {"into": "act_haddar"}, "reviewer": "ana"})
    assert resp.status_code == 201
    ids = [a["id"] for a in client.get("/api/actors").json()["items"]]
    assert "act_varda" not in ids and "act_haddar" in ids
    prof = client.get("/api/actors/act_varda").json()
    assert prof["actor"]["id"] == "act_haddar" and prof["merged_from"] == ["act_varda"]
    assert {q["content"] for q in prof["quotes"]} == {
        "We will not disarm", "the government would restore order in the south"}
    assert "Salim Varda" in prof["aliases"]
    page = client.get("/actors/act_varda", follow_redirects=False)
    assert page.status_code == 307 and page.headers["location"] == "/actors/act_haddar"
    client.post("/api/reviews", json={"target_type": "actor", "target_id": "act_varda",
                                      "action": "split", "reviewer": "ana"})
    assert client.get("/api/actors/act_varda").json()["actor"]["id"] == "act_varda"


# -- ingest -----------------------------------------------------------------------------


@pytest.fixture
def ingest_client(tmp_path, nlp):
    store = Store(f"sqlite:///{tmp_path / 'ingest.db'}")
    _, token = create_token(store, "ingester")
    app = create_app(store=store)
    app.state.service._nlp = nlp  # share the session's pipeline instead of loading another
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    yield client, store
    store.close()


ARTICLE = ("BASRA, March 3 (Harbor Wire) - Fighters of the fictional Nahr Brigade attacked a "
           "police post in Basra on Sunday, officials said. \"We will not disarm,\" said Salim "
           "Varda, the group's commander.")


def test_ingest_json_and_upload(ingest_client):
    client, store = ingest_client
    resp = client.post("/api/ingest", json={"text": ARTICLE, "title": "Post attacked",
                                            "source": "Harbor Wire", "published": "2025-03-03"})
    assert resp.status_code == 201, resp.text
    (art,) = resp.json()["articles"]
    assert art["status"] == "new"
    rec = client.get(f"/api/articles/{art['id']}").json()
    assert rec["article"]["source"] == "Harbor Wire" and rec["article"]["published"] == (
        "2025-03-03")
    again = client.post("/api/ingest", json={"text": ARTICLE})
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "unchanged"
    upload = client.post("/api/ingest", files={"file": ("b.txt", ARTICLE.replace(
        "Sunday", "Monday").encode(), "text/plain")}, data={"source": "Delta Post"})
    assert upload.status_code == 201, upload.text
    new_id = upload.json()["articles"][0]["id"]
    assert store.get_record(new_id)["article"]["source"] == "Delta Post"
    lines = "\n".join(json.dumps({"text": ARTICLE + f" Line {i}.", "title": f"t{i}"})
                      for i in range(2))
    jsonl = client.post("/api/ingest", files={"file": ("w.jsonl", lines.encode(),
                                                       "application/x-ndjson")})
    assert len(jsonl.json()["articles"]) == 2


def test_ingest_bad_inputs(ingest_client):
    client, store = ingest_client
    assert client.post("/api/ingest", files={"file": ("x.pdf", b"%PDF", "application/pdf")
                                             }).status_code == 415
    assert client.post("/api/ingest", json={"title": "no text"}).status_code == 400
    assert client.post("/api/ingest", json=[1, 2]).status_code == 400
    assert client.post("/api/ingest", content=b"not json",
                       headers={"Content-Type": "application/json"}).status_code == 400
    empty = client.post("/api/ingest", json={"text": "   "})
    assert empty.status_code == 422 and error_of(empty)
    assert store.failures()


# -- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("path, expect", [
    ("/", "Latest events"), ("/articles", "Brigade attacks police post"),
    ("/articles?q=tribal", "Minister meets tribal leaders"),
    ("/articles/art_a000000000000001", "k-trigger"), ("/actors", "Nahr Brigade"),
    ("/actors/act_nahr", "Affiliations"), ("/events", "Timeline"), ("/quotes", "disarm"),
    ("/quotes?speaker=Haddar", "restore order"), ("/network", "id=\"cy\""),
    ("/map", "id=\"map\""), ("/reviews", "Review log"), ("/search?q=disarm", "Search"),
    ("/login", "token"),
])
def test_pages_render(api, path, expect):
    resp = api.get(path)
    assert resp.status_code == 200, path
    assert expect in resp.text
    assert "https://" not in resp.text.replace('href="https://', "")  # no remote assets


def test_missing_page_is_html_404(api):
    resp = api.get("/actors/act_nobody")
    assert resp.status_code == 404 and "text/html" in resp.headers["content-type"]


def test_full_text_search_on_each_database(store):
    from wirewatch.service import Service
    from wirewatch.store.lists import Filters
    from wirewatch.store.search import search_articles

    def search_quote_ids(store, q):
        return [x["id"] for x in Service(store).quotes(Filters(q=q)).items]

    fill(store)
    assert [a["id"] for a in search_articles(store, "disarm")] == ["art_a000000000000001"]
    assert [a["id"] for a in search_articles(store, "tribal leaders")] == [
        "art_b000000000000002"]
    assert search_articles(store, "zeppelin") == []
    assert len(search_quote_ids(store, "restore order")) == 1
    assert search_quote_ids(store, "()*\"") == []
    # Re-saving an article (re-processing) keeps the index in step.
    from tests.webdata import record_a

    store.save(record_a(version="t2"))
    assert [a["id"] for a in search_articles(store, "disarm")] == ["art_a000000000000001"]


def test_start_up_does_the_first_requests_work(tmp_path):
    """create_app compiles the page templates and builds the route tables; a server's
    start-up (the ASGI lifespan) freezes what it made out of the garbage collector, and its
    shutdown lets go of it again."""
    import gc

    from wirewatch.api import pages

    store = Store(f"sqlite:///{tmp_path / 'start.db'}")
    pages.templates.env.cache.clear()
    app = create_app(store=store, read_token_required=False)
    env = pages.templates.env
    compiled = {name for (_, name) in env.cache.keys()}
    assert compiled >= set(env.list_templates(extensions=["html"]))
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 0
        assert client.get("/api/events?limit=1").status_code == 200
        assert client.get("/").status_code == 200
    assert gc.get_freeze_count() == 0
    store.close()
