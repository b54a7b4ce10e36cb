"""Live ingestion: the safe fetcher, feeds, sitemaps, WARC files, sources and their
schedule, on a fictional site served on 127.0.0.1 (tests/livesite.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time

import pytest
from typer.testing import CliRunner

from wirewatch.cli import app
from wirewatch.ingest.fetch import (
    Fetcher,
    FetchError,
    FetchPolicy,
    Refused,
    address_problem,
    decode_page,
)

from .livesite import CP1252, CP1256, serve

runner = CliRunner()


@pytest.fixture(scope="module")
def site():
    server, state = serve()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def fresh(site):
    site.reset()
    return site


@pytest.fixture
def one_pipeline(nlp, monkeypatch):
    """The session pipeline wherever wirewatch would load one (CLI and service)."""
    import wirewatch.ingest.run
    import wirewatch.nlp.pipeline

    monkeypatch.setattr(wirewatch.nlp.pipeline, "build_nlp", lambda *a, **k: nlp)
    monkeypatch.setattr(wirewatch.ingest.run, "build_nlp", lambda *a, **k: nlp)
    return nlp


@pytest.fixture
def no_connect(monkeypatch):
    """Every attempt to open a TCP connection is recorded and fails."""
    calls: list[object] = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return calls


def fast(**overrides) -> FetchPolicy:
    values = dict(timeout=0.5, retries=1, backoff=0.01, host_delay=0.0, max_bytes=100_000,
                  allow_private=True)
    values.update(overrides)
    return FetchPolicy(**values)


def db_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'live.db'}"


# -- safety ------------------------------------------------------------------------------


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.20.30.40", "172.16.5.4", "192.168.1.1",
                                "169.254.169.254", "0.0.0.0", "224.0.0.251", "::1",
                                "fe80::1", "ff02::1", "fc00::1", "::ffff:127.0.0.1",
                                "100.64.0.9"])
def test_unsafe_addresses_are_named(ip):
    assert address_problem(ip)


@pytest.mark.parametrize("ip", ["93.184.215.14", "2a00:1450:4001:80b::200e"])
def test_public_addresses_pass(ip):
    assert address_problem(ip) is None


def test_metadata_address_is_refused_without_a_connection(tmp_path, no_connect):
    result = runner.invoke(app, ["ingest", "http://169.254.169.254/latest/meta-data/",
                                 "--db", db_url(tmp_path), "-f", "json"])
    assert result.exit_code == 1, result.output
    assert "refused: private address" in result.output
    assert "link-local" in result.output
    assert no_connect == []
    failures = json.loads(runner.invoke(
        app, ["failures", "--db", db_url(tmp_path), "-f", "json"]).stdout)
    assert [f["reason"] for f in failures] == ["refused: private address"]


def test_a_name_with_any_private_address_is_refused(monkeypatch, no_connect):
    def resolve(host, port, *args, **kwargs):
        # A public answer and a private one: one bad address refuses the name.
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with Fetcher(FetchPolicy()) as f, pytest.raises(Refused, match="private address"):
        f.fetch("http://news.example.org/story")
    assert no_connect == []


def test_dns_rebinding_is_checked_at_connection_time(monkeypatch, no_connect):
    answers = iter(["93.184.215.14"] + ["127.0.0.1"] * 10)

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with Fetcher(FetchPolicy(obey_robots=False)) as f, pytest.raises(Refused):
        f.fetch("http://rebind.example.org/")
    assert no_connect == []


def test_every_redirect_hop_is_checked(fresh, monkeypatch):
    import wirewatch.ingest.fetch as fetch_module

    real = fetch_module.address_problem
    # Our test server is on loopback: let loopback through, keep every other check.
    monkeypatch.setattr(fetch_module, "address_problem",
                        lambda ip: None if ip == "127.0.0.1" else real(ip))
    with Fetcher(fast(allow_private=False)) as f:
        with pytest.raises(Refused, match="link-local"):
            f.fetch(fresh.base + "/to-metadata")
        with pytest.raises(Refused, match="scheme"):
            f.fetch(fresh.base + "/to-file")


def test_only_http_sources(tmp_path):
    result = runner.invoke(app, ["sources", "add", "ftp://files.example.org/feed.xml",
                                 "--db", db_url(tmp_path)])
    assert result.exit_code == 2
    assert "only http and https" in result.output


# -- politeness and limits -----------------------------------------------------------------


def test_robots_txt_is_honoured_and_cached(fresh):
    with Fetcher(fast(user_agent="wirewatch-test/1.0")) as f:
        with pytest.raises(FetchError, match="robots.txt"):
            f.fetch(fresh.base + "/private/draft")
        assert f.fetch(fresh.base + "/news/ferry-terminal").status == 200
        assert f.fetch(fresh.base + "/news/flood-barrier").status == 200
    assert fresh.hits["/private/draft"] == 0
    assert fresh.hits["/robots.txt"] == 1
    assert set(fresh.agents) == {"wirewatch-test/1.0"}


def test_limits_hold(fresh):
    with Fetcher(fast()) as f:
        started = time.monotonic()
        with pytest.raises(FetchError, match="timeout"):
            f.fetch(fresh.base + "/slow")
        assert time.monotonic() - started < 2.5
        assert fresh.hits["/slow"] == 2  # one retry after a timeout
        with pytest.raises(FetchError, match="too large"):
            f.fetch(fresh.base + "/huge")
        with pytest.raises(FetchError, match="too large"):
            f.fetch(fresh.base + "/huge-stream")
        with pytest.raises(FetchError, match="too many redirects"):
            f.fetch(fresh.base + "/loop-a")
        assert fresh.hits["/loop-a"] + fresh.hits["/loop-b"] == 6  # max_redirects 5, + 1


def test_a_500_is_retried_then_succeeds(fresh):
    with Fetcher(fast()) as f:
        got = f.fetch(fresh.base + "/flaky")
    assert got.status == 200 and b"Antwerp" in got.body
    assert fresh.hits["/flaky"] == 2


def test_a_429_is_retried_after_the_pause_the_server_asks_for(fresh):
    with Fetcher(fast(backoff=0.01)) as f:
        assert f.fetch(fresh.base + "/busy").status == 200
    assert fresh.hits["/busy"] == 2


def test_a_304_is_no_work(fresh):
    with Fetcher(fast()) as f:
        first = f.fetch(fresh.base + "/feed.xml")
        again = f.fetch(fresh.base + "/feed.xml", etag=first.etag)
    assert first.status == 200 and first.etag
    assert again.not_modified and again.body == b""


def test_requests_to_one_host_are_spaced(fresh):
    with Fetcher(fast(host_delay=0.2, obey_robots=False)) as f:
        started = time.monotonic()
        for _ in range(3):
            f.fetch(fresh.base + "/news/flood-barrier")
    assert time.monotonic() - started >= 0.4


def test_legacy_charsets_from_the_header(fresh):
    from wirewatch.ingest.sources import Defaults
    from wirewatch.ingest.webpage import page_article

    with Fetcher(fast()) as f:
        arabic = f.fetch(fresh.base + CP1256[0])
        french = f.fetch(fresh.base + CP1252[0])
    art = page_article(arabic.body, arabic.content_type, fresh.base + CP1256[0], Defaults())
    assert "\u0627\u0644\u0633\u0648\u0642" in art.text
    assert art.warnings == ["decoded as cp1256"]
    art = page_article(french.body, french.content_type, fresh.base + CP1252[0], Defaults())
    assert "\u201cWe pay more" in art.text and "caf\u00e9" in art.text
    # Valid UTF-8 wins over a header that says Latin-1 (a common server mistake).
    assert decode_page("caf\u00e9".encode(), "text/html; charset=iso-8859-1").text == "caf\u00e9"


# -- feeds, sitemaps, WARC -----------------------------------------------------------------


def test_feed_parsing_keeps_entries_without_dates():
    from wirewatch.ingest.feeds import parse_feed

    atom = (b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            b"<title>Harbour Wire</title><entry><title>Undated</title>"
            b'<link href="/news/undated#top"/><id>u1</id></entry>'
            b"<entry><title>Dated</title><link href=\"https://wire.example.org/b?utm_medium=x\"/>"
            b"<id>u2</id><updated>2026-12-01T10:00:00Z</updated></entry></feed>")
    listing = parse_feed(atom, "https://wire.example.org/feed")
    assert [(e.url, e.published) for e in listing.entries] == [
        ("https://wire.example.org/news/undated", None),
        ("https://wire.example.org/b", "2026-12-01T10:00:00+00:00")]


def test_canonical_urls_drop_tracking_but_keep_what_chooses_the_content():
    from wirewatch.ingest.feeds import canonical_url

    assert canonical_url("https://News.example.org:443/story?id=12&utm_campaign=x"
                         "&fbclid=9#top") == "https://news.example.org/story?id=12"
    assert canonical_url("https://news.example.org/feed?format=rss&page=2") == (
        "https://news.example.org/feed?format=rss&page=2")


def test_sources_add_then_fetch_once_ingests_the_feed(fresh, one_pipeline, tmp_path):
    db = db_url(tmp_path)
    added = runner.invoke(app, ["sources", "add", fresh.base + "/feed.xml", "--allow-private",
                                "--name", "Harbour Wire", "--db", db])
    assert added.exit_code == 0, added.output
    assert "feed" in added.output
    first = runner.invoke(app, ["fetch", "--once", "--delay", "0", "--timeout", "1",
                                "--db", db, "-f", "json"])
    # The robots.txt-disallowed entry is a recorded failure: exit 1, summary still printed.
    assert first.exit_code == 1, first.output
    report = json.loads(first.stdout[first.stdout.index("{"):])
    assert report["sources"] == [{"source": "Harbour Wire", "new": 2, "unchanged": 0,
                                  "failed": 1, "error": None}]
    assert fresh.hits["/private/draft"] == 0
    articles = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    by_url = {a["url"]: a for a in articles}
    ferry = by_url[fresh.base + "/news/ferry-terminal"]  # tracking parameter dropped
    assert ferry["source"] == "Harbour Wire"
    assert ferry["published"].startswith("2026-11-30")
    assert fresh.base + "/news/flood-barrier" in by_url  # the entry without a date
    failures = json.loads(runner.invoke(app, ["failures", "--db", db, "-f", "json"]).stdout)
    assert [f["reason"] for f in failures] == ["disallowed by robots.txt"]

    # Not due again for 15 minutes: nothing is fetched at all.
    hits = sum(fresh.hits.values())
    second = runner.invoke(app, ["fetch", "--once", "--db", db, "-f", "json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["sources"] == []
    assert sum(fresh.hits.values()) == hits

    # Forced: the feed answers 304, nothing else is asked for.
    third = runner.invoke(app, ["fetch", "--all", "--delay", "0", "--db", db, "-f", "json"])
    assert third.exit_code == 0, third.output
    assert json.loads(third.stdout)["sources"][0] == {
        "source": "Harbour Wire", "new": 0, "unchanged": 2, "failed": 0, "error": None}
    assert fresh.hits["/feed.xml"] == 2 and fresh.hits["/news/ferry-terminal"] == 1

    # A new entry and an updated one: the new page is ingested; the updated one is
    # revalidated (a 304: no work); known pages are not asked for.
    fresh.feed_version = 2
    fresh.feed_items[1]["date"] = "Thu, 03 Dec 2026 12:00:00 GMT"
    fresh.feed_items.append({"title": "Vienna opens cycling route along the Danube",
                             "link": fresh.base + "/news/river-cycle",
                             "date": "Tue, 01 Dec 2026 07:00:00 GMT"})
    fourth = runner.invoke(app, ["fetch", "--all", "--delay", "0", "--db", db, "-f", "json"])
    summary = json.loads(fourth.stdout[fourth.stdout.index("{"):])
    assert summary["new"] == 1
    assert fresh.hits["/news/river-cycle"] == 1
    assert fresh.hits["/news/flood-barrier"] == 2
    assert fresh.hits["/news/ferry-terminal"] == 1
    articles = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    assert len(articles) == 3
    log = json.loads(runner.invoke(app, ["sources", "log", "--db", db, "-f", "json"]).stdout)
    outcomes = {row["url"].rsplit("/", 1)[-1]: row["outcome"] for row in log}
    assert outcomes == {"ferry-terminal": "new", "flood-barrier": "not-modified",
                        "draft": "failed", "river-cycle": "new"}
    listed = json.loads(runner.invoke(app, ["sources", "list", "--db", db, "-f", "json"]).stdout)
    assert listed[0]["pages"] == 4 and listed[0]["every_seconds"] == 900
    assert runner.invoke(app, ["sources", "remove", "Harbour Wire", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["sources", "list", "--db", db, "-f", "json"]).stdout.strip() == "[]"


def test_sitemap_index_and_news_sitemap(fresh, nlp, store):
    from wirewatch.ingest.live import fetch_due
    from wirewatch.store.sources import add_source

    add_source(store, fresh.base + "/sitemap_index.xml", "sitemap", 3600, "Harbour Wire",
               allow_private=True)
    report = fetch_due(store, fast(), nlp)
    assert [(s.new, s.failed) for s in report.sources] == [(2, 0)]
    by_url = {a["url"]: a for a in store.articles_page(_filters()).items}
    strike = by_url[fresh.base + "/news/port-strike"]
    assert strike["published"] == "2026-12-02"  # from the news sitemap
    assert fresh.base + "/news/river-cycle" in by_url


def test_a_feed_added_as_a_page_is_read_as_a_feed(fresh, nlp, store):
    from wirewatch.ingest.live import fetch_due
    from wirewatch.store.sources import add_source

    add_source(store, fresh.base + "/feed.xml", "page", 3600, None, allow_private=True)
    report = fetch_due(store, fast(), nlp)
    assert [(s.new, s.failed) for s in report.sources] == [(2, 1)]
    urls = {a["url"] for a in store.articles_page(_filters()).items}
    assert fresh.base + "/feed.xml" not in urls


def test_a_stopped_run_resumes_without_loss_or_duplicates(fresh, nlp, store):
    from wirewatch.ingest.live import fetch_due
    from wirewatch.store.sources import add_source, due_sources

    add_source(store, fresh.base + "/sitemap_index.xml", "sitemap", 3600, None, True)
    stop = threading.Event()

    def after_first_page(label: str, done: int, total: int) -> None:
        if done == 1:
            stop.set()  # as SIGTERM does, mid-batch

    first = fetch_due(store, fast(), nlp, workers=1, stop=stop, fetch_progress=after_first_page)
    assert first.stopped and first.sources[0].new == 1
    assert len(due_sources(store)) == 1  # still due: the next run picks up the rest
    second = fetch_due(store, fast(), nlp, workers=1)
    assert second.sources[0].new == 1
    assert store.articles_page(_filters()).total == 2
    assert fresh.hits["/news/port-strike"] == 1 and fresh.hits["/news/river-cycle"] == 1


def test_a_long_backlog_is_caught_up_over_rounds(fresh, nlp, store):
    from wirewatch.ingest.live import fetch_due
    from wirewatch.store.sources import add_source, due_sources

    add_source(store, fresh.base + "/sitemap_index.xml", "sitemap", 3600, None, True)
    first = fetch_due(store, fast(), nlp, max_pages=1)
    assert first.sources[0].new == 1
    assert len(due_sources(store)) == 1  # still due, validators not kept
    second = fetch_due(store, fast(), nlp, max_pages=1)
    assert second.sources[0].new == 1
    assert due_sources(store) == []
    assert store.articles_page(_filters()).total == 2


def test_watch_stops_cleanly_on_sigterm(fresh, one_pipeline, tmp_path):
    db = db_url(tmp_path)
    runner.invoke(app, ["sources", "add", fresh.base + "/sitemap_index.xml", "--kind",
                        "sitemap", "--allow-private", "--db", db])
    timer = threading.Timer(1.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        result = runner.invoke(app, ["watch", "--interval", "0.2", "--delay", "0", "--db", db,
                                     "-f", "json"])
    finally:
        timer.cancel()
    assert result.exit_code == 0, result.output
    assert "stopping" in result.output
    articles = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    assert len(articles) == 2


def test_warc_records_become_articles(tmp_path, one_pipeline):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from .livesite import ARTICLES, page

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        records = [
            ("https://archive.example.org/2026/ferry", "200 OK", "text/html; charset=utf-8",
             page(*ARTICLES["/news/ferry-terminal"]).encode()),
            ("https://archive.example.org/logo.png", "200 OK", "image/png", b"\x89PNG..."),
            ("https://archive.example.org/gone", "404 Not Found", "text/html", b"gone"),
        ]
        for uri, status, ctype, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-12-03T08:15:00Z"}))
    db = db_url(tmp_path)
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout[result.stdout.index("{"):])["articles_new"] == 1
    (article,) = json.loads(runner.invoke(app, ["articles", "--db", db, "-f", "json"]).stdout)
    assert article["url"] == "https://archive.example.org/2026/ferry"
    record = json.loads(runner.invoke(app, ["show", article["id"], "--db", db,
                                            "-f", "json"]).stdout)
    assert record["article"]["origin"].endswith("@2026-12-03T08:15:00Z")


def test_ingest_fetches_urls_next_to_files(fresh, one_pipeline, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("LISBON, Portugal - The fictional Tagus Ferry Company said on Monday it "
                    "would add two boats to the route across the river to Barreiro.\n\n"
                    "\"Passengers have waited long enough,\" said Rui Almada, the company's "
                    "operations director, adding that the boats would run from January.",
                    encoding="utf-8")
    db = db_url(tmp_path)
    args = ["ingest", str(note), fresh.base + "/news/port-strike", fresh.base + CP1256[0],
            "--allow-private", "--delay", "0", "--db", db, "-f", "json"]
    result = runner.invoke(app, args + [fresh.base + "/syndicated/port-strike"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    # The syndicated copy has the same text: the same article, not a second one.
    assert (summary["articles_new"], summary["articles_unchanged"]) == (3, 1)
    again = runner.invoke(app, args)
    assert json.loads(again.stdout[again.stdout.index("{"):])["articles_unchanged"] == 3


def _filters():
    from wirewatch.store.lists import Filters

    return Filters()
