"""The desk's security model: scoped tokens, header-only writes, no script from stored data,
headers on every response, literal LIKE filters, truthful CLI exit codes."""

from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.webdata import TEXT_A, fill
from wirewatch.api.app import create_app
from wirewatch.cli import app as cli
from wirewatch.model import Article, ArticleRecord
from wirewatch.service import Service
from wirewatch.store.lists import Filters
from wirewatch.store.repository import Store

runner = CliRunner()


@pytest.fixture
def desk(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    fill(store)
    svc = Service(store)
    return svc, TestClient(create_app(service=svc, read_token_required=False))


def _event_id(svc: Service) -> str:
    return svc.events().items[0]["id"]


def test_a_javascript_url_never_becomes_a_link(desk):
    svc, client = desk
    art = Article(id="art_5c41pt0000000001", text=TEXT_A, title="Bad link",
                  url="javascript:alert(document.cookie)", published="2025-03-02")
    svc.store.save(ArticleRecord(art, pipeline_version="t1"))
    page = client.get("/articles/art_5c41pt0000000001")
    assert page.status_code == 200
    assert 'href="javascript' not in page.text.lower()
    fine = Article(id="art_5c41pt0000000002", text=TEXT_A + " More.", title="Good link",
                   url="https://example.org/story", published="2025-03-02")
    svc.store.save(ArticleRecord(fine, pipeline_version="t1"))
    assert 'href="https://example.org/story"' in client.get(f"/articles/{fine.id}").text


def test_every_response_carries_the_security_headers(desk):
    _, client = desk
    for url in ("/", "/api/events", "/static/wirewatch.css", "/api/nothing"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split(
            "script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"


def test_the_login_cookie_reads_but_never_writes(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    fill(store)
    svc = Service(store)
    _, token = svc.create_token("ana")
    client = TestClient(create_app(service=svc, read_token_required=True))
    client.post("/login", data={"token": token}, follow_redirects=False)
    cookie = next(iter(client.cookies.values()))
    assert token not in cookie  # the cookie holds the hash, not the token
    assert client.get("/api/events").status_code == 200
    review = {"target_type": "event", "target_id": _event_id(svc), "action": "reject"}
    # A form or script on another origin would send the cookie, never the header.
    assert client.post("/api/reviews", json=review).status_code == 401
    assert client.post("/api/ingest", json={"text": TEXT_A}).status_code == 401
    ok = client.post("/api/reviews", json=review, headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 201


def test_json_bodies_need_the_json_content_type(desk):
    svc, client = desk
    _, token = svc.create_token("ingest", ["ingest"])
    auth = {"Authorization": f"Bearer {token}"}
    resp = client.post("/api/ingest", content=b'{"text": "x"}',
                       headers={**auth, "Content-Type": "text/plain"})
    assert resp.status_code == 415


def test_scopes_limit_what_a_token_may_do(desk):
    svc, client = desk
    _, reader = svc.create_token("reader", ["read"])
    _, reviewer = svc.create_token("reviewer", ["review"])
    review = {"target_type": "event", "target_id": _event_id(svc), "action": "accept"}
    resp = client.post("/api/reviews", json=review, headers={"Authorization": f"Bearer {reader}"})
    assert resp.status_code == 403 and "review" in resp.json()["error"]["message"]
    assert client.post("/api/reviews", json=review,
                       headers={"Authorization": f"Bearer {reviewer}"}).status_code == 201
    assert client.post("/api/ingest", json={"text": TEXT_A},
                       headers={"Authorization": f"Bearer {reviewer}"}).status_code == 403
    with pytest.raises(ValueError):
        svc.create_token("x", ["admin"])


def test_like_filters_take_percent_and_underscore_literally(desk):
    svc, client = desk
    assert svc.events().total > 0
    for pattern in ("%", "_", "%%", "\\"):
        assert svc.events(Filters(source=pattern)).total == 0
        assert svc.quotes(Filters(about=pattern)).total == 0
        assert client.get("/api/actors", params={"actor": pattern}).json()["total"] == 0


@pytest.mark.parametrize(("args", "named"), [
    (["events", "--since", "last-week"], "YYYY-MM-DD"),
    (["events", "--until", "2025-13-45"], "YYYY-MM-DD"),
    (["events", "--type", "ATTACK"], "ASSAULT"),
    (["events", "--modality", "maybe"], "hypothetical"),
    (["quotes", "--type", "rumour"], "indirect"),
    (["relations", "--type", "likes"], "backed_by"),
    (["events", "--limit", "-1"], "greater than or equal to 1"),
    (["events", "--format", "xml"], "csv"),
])
def test_bad_filter_values_exit_2_naming_the_valid_ones(tmp_path, args, named):
    result = runner.invoke(cli, [*args, "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 2
    assert named in result.output


def test_version_and_failed_inputs_exit_codes(tmp_path):
    from wirewatch import __version__

    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(empty), "--db", f"sqlite:///{tmp_path / 'e.db'}"])
    assert result.exit_code == 1
    assert "1 failed" in result.output


def test_a_taken_port_is_one_clear_line(tmp_path):
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--db", f"sqlite:///{tmp_path / 'p.db'}",
                                     "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_each_upload_has_its_own_origin(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'u.db'}")
    svc = Service(store)
    one = svc.ingest_upload("a.jsonl", b'{"title": "no text"}\n')
    two = svc.ingest_upload("a.jsonl", b'{"title": "still no text", "x": 1}\n')
    origins = {one["failures"][0]["origin"], two["failures"][0]["origin"]}
    assert len(origins) == 2
    assert svc.failures().total == 2


def test_full_text_search_finds_the_same_rows_on_every_database(store):
    fill(store)
    svc = Service(store)
    expected = {  # query -> (articles, quotes) found, on SQLite and PostgreSQL alike
        "Basra": (2, 0), "basra": (2, 0), "disarm": (1, 1), "will not": (1, 1),
        "the": (3, 2), "Nahr Brigade": (2, 1), "Brig": (2, 1), "Brigades": (0, 0),
        "restore order": (1, 1), "%": (0, 0), "()*\"": (0, 0),
    }
    for q, (n_articles, n_quotes) in expected.items():
        arts = [r for r in svc.search(q) if r["kind"] == "article"]
        assert len(arts) == n_articles, q
        assert svc.quotes(Filters(q=q)).total == n_quotes, q
        assert svc.articles(Filters(q=q)).total == n_articles, q
