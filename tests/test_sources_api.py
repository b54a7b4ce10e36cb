"""The live sources over the API: list, add and remove as ``wirewatch sources`` does, writes
with the ingest scope only, in the OpenAPI document like every other route."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from wirewatch.api.app import create_app
from wirewatch.cli import app as cli
from wirewatch.service import Service

FEED = "https://news.example.org/harbour/feed.xml"


def _client(svc: Service, *scopes: str) -> TestClient:
    _, token = svc.create_token("-".join(scopes) or "none", scopes)
    client = TestClient(create_app(service=svc))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_sources_are_listed_added_and_removed_like_the_cli(store):
    svc = Service(store)
    writer, reader = _client(svc, "read", "ingest"), _client(svc, "read")
    assert writer.get("/api/sources").json() == {"items": []}

    resp = writer.post("/api/sources", json={"url": FEED, "every": "30m",
                                             "name": "Harbour Wire"})
    assert resp.status_code == 201, resp.text
    row = resp.json()
    assert (row["kind"], row["every_seconds"], row["allow_private"]) == ("feed", 1800, 0)
    # The CLI sees what the API added, and the API what the CLI lists.
    out = CliRunner().invoke(cli, ["sources", "list", "--db", svc.url, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"Harbour Wire"' in out.stdout
    assert [s["id"] for s in reader.get("/api/sources").json()["items"]] == [row["id"]]

    # Writes need the ingest scope; bad input is a 400, not a stored row.
    assert reader.post("/api/sources", json={"url": FEED}).status_code == 403
    assert reader.delete(f"/api/sources/{row['id']}").status_code == 403
    assert writer.post("/api/sources", json={"url": "file:///etc/passwd"}).status_code == 400
    assert writer.post("/api/sources", json={"url": FEED, "every": "soon"}).status_code == 400
    assert writer.post("/api/sources", json={"url": FEED, "kind": "ftp"}).status_code == 422
    # Private addresses cannot be allowed over the API (the field does not exist).
    again = writer.post("/api/sources", json={"url": FEED, "name": "Harbour Wire",
                                              "allow_private": True})
    assert again.status_code == 201 and again.json()["allow_private"] == 0

    assert writer.delete("/api/sources/Harbour Wire").json() == {"removed": "Harbour Wire"}
    assert writer.delete("/api/sources/Harbour Wire").status_code == 404
    assert writer.get("/api/sources").json() == {"items": []}
    assert writer.get("/api/sources/log").json()["total"] == 0


def test_sources_routes_are_documented(store):
    spec = _client(Service(store), "read").get("/openapi.json").json()
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/sources"])
    assert "delete" in paths["/api/sources/{source}"]
    body = paths["/api/sources"]["post"]["requestBody"]["content"]["application/json"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(spec["components"]["schemas"][ref]["properties"]) == {"url", "kind", "every",
                                                                      "name"}
    for method in ("post",):
        assert "403" in paths["/api/sources"][method]["responses"]
