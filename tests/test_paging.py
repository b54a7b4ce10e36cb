"""Keyset pages both ways: every list walks forwards with ``next`` and back with ``prev``
over the same pages; the review queue, the review log and a watchlist's feed are paged in
SQL with their totals (nothing loaded whole into memory)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wirewatch.api import watchlists as feeds
from wirewatch.api.app import create_app
from wirewatch.service import Service
from wirewatch.store import synthetic
from wirewatch.store.lists import Filters, Page

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def desk(store):
    synthetic.build(store, 60, seed=3)
    svc = Service(store)
    svc.rebuild_incidents()
    return svc


def _walk(call: Any, size: int) -> tuple[list[list[str]], Page]:
    """Every page forwards (ids), and the last page."""
    pages, cursor = [], None
    while True:
        page = call(size, cursor)
        pages.append([r["id"] for r in page.items])
        if not page.next:
            return pages, page
        cursor = page.next


def _back(call: Any, size: int, last: Page) -> list[list[str]]:
    """From the last page back to the first with the ``prev`` cursors."""
    pages, page = [], last
    while page.prev:
        page = call(size, page.prev)
        pages.append([r["id"] for r in page.items])
    return pages


LISTS = {
    "events": lambda svc: lambda n, c: svc.events(Filters(), n, c),
    "events newest first": lambda svc: lambda n, c: svc.events(Filters(), n, c, newest=True),
    "quotes": lambda svc: lambda n, c: svc.quotes(Filters(), n, c),
    "actors": lambda svc: lambda n, c: svc.actors(Filters(), n, c),
    "articles": lambda svc: lambda n, c: svc.articles(Filters(), n, c),
    "queue": lambda svc: lambda n, c: svc.review_queue(n, c),
    "incidents": lambda svc: lambda n, c: svc.incidents(Filters(), n, c),
    "reviews": lambda svc: lambda n, c: svc.reviews(Filters(), n, c, newest=True),
}


@pytest.mark.parametrize("kind", sorted(LISTS))
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=2, max_value=40))
def test_prev_walks_back_over_the_same_pages(desk, size, kind):
    if kind == "reviews" and not desk.reviews(Filters(), 0).total:
        for e in desk.events(Filters(), 30).items:
            desk.review("event", e["id"], "accept", "ana")
    call = LISTS[kind](desk)
    forward, last = _walk(call, size)
    seen = [i for p in forward for i in p]
    assert len(seen) == len(set(seen)) == call(0, None).total > 0
    assert call(size, None).prev is None  # the first page has no previous one
    assert _back(call, size, last) == forward[-2::-1]


def test_the_queue_is_lowest_confidence_first_and_shrinks_with_reviews(desk):
    page = desk.review_queue(None)
    keys = [(r.get("confidence") or 0.0, r["fact"], r["id"]) for r in page.items]
    assert keys == sorted(keys) and len(keys) == page.total
    assert page.total == desk.events(Filters(), 0).total + desk.quotes(Filters(), 0).total
    assert {r["fact"] for r in page.items} == {"event", "quote"}
    first = page.items[0]
    desk.review(first["fact"], first["id"], "accept", "ana")
    after = desk.review_queue(5)
    assert after.total == page.total - 1
    assert first["id"] not in {r["id"] for r in after.items}
    facets = desk.review_queue(0, facets=("fact",)).facets["fact"]
    assert sum(f["count"] for f in facets) == after.total


def test_review_log_filters_facets_and_pages(desk):
    events = desk.events(Filters(), 6).items
    for i, e in enumerate(events):
        desk.review("event", e["id"], "reject" if i % 3 == 0 else "accept",
                    "ana" if i % 2 else "ben")
    log = desk.reviews(Filters(), facets=("action", "reviewer", "target_type"))
    assert log.total == 6
    assert {f["value"]: f["count"] for f in log.facets["action"]} == {"reject": 2, "accept": 4}
    assert desk.reviews(Filters(reviewer="ana"), 0).total == 3
    newest = desk.reviews(Filters(), 4, newest=True)
    assert [r["id"] for r in newest.items] == sorted((r["id"] for r in log.items),
                                                      reverse=True)[:4]
    rest = desk.reviews(Filters(), 4, newest.next, newest=True)
    assert len(rest.items) == 2 and rest.prev
    assert desk.reviews(Filters(), 4, rest.prev, newest=True).items == newest.items


def test_pages_link_previous_and_next(desk):
    client = TestClient(create_app(service=desk, read_token_required=False))
    html = client.get("/reviews/queue", params={"limit": 5}).text
    assert 'class="page-next"' in html and 'class="page-prev"' not in html
    body = client.get("/api/reviews/queue", params={"limit": 5}).json()
    assert body["prev"] is None and body["total"] == desk.review_queue(0).total
    html = client.get("/reviews/queue", params={"limit": 5, "cursor": body["next"],
                                                "start": "6"}).text
    assert 'class="page-prev"' in html and "6–10" in html
    body = client.get("/api/events", params={"limit": 3}).json()
    second = client.get("/api/events", params={"limit": 3, "cursor": body["next"]}).json()
    back = client.get("/api/events", params={"limit": 3, "cursor": second["prev"]}).json()
    assert back["items"] == body["items"] and back["prev"] is None
    for e in desk.events(Filters(), 2).items:
        desk.review("event", e["id"], "accept", "ana")
    html = client.get("/reviews", params={"action": "accept"}).text
    assert 'class="facets"' in html and "action:" in html and "2 matching" not in html
    assert client.get("/api/reviews", params={"action": "accept"}).json()["total"] == 2


def test_a_watchlist_feed_pages_through_every_matching_event(desk, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 1)
    client = TestClient(create_app(service=desk, read_token_required=False))
    wanted = desk.events(Filters(type="ASSAULT"), 0).total
    assert wanted > 2
    desk.save_watchlist("assaults", {"type": "ASSAULT"}, "ana")
    seen, url, pages = [], "/feeds/assaults.atom", 0
    while url:
        root = ET.fromstring(client.get(url).content)
        pages += 1
        seen += [e.find(f"{ATOM}id").text for e in root.findall(f"{ATOM}entry")]
        assert root.find(f"{ATOM}subtitle").text.startswith(f"{wanted} matching")
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        assert ("previous" in links) == (pages > 1)
        url = links.get("next", "").replace("http://testserver", "")
    assert len(seen) == len(set(seen)) == wanted == pages
    assert desk.watchlist_events("assaults", 0).total == wanted
    assert client.get("/feeds/assaults.atom", params={"cursor": "nope"}).status_code == 400
