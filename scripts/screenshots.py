"""Regenerate docs/screenshots/*.png: Playwright drives Debian's Chromium over the web UI.

    python scripts/screenshots.py [--db URL] [--out docs/screenshots]

Works on a temporary copy of ./wirewatch.db when it holds articles (``make demo`` makes
it), else on a fresh ingest of examples/, and writes a few reviews by two fictional
reviewers into that copy so the review log has something to show; ./wirewatch.db itself
is only read. With ``--db URL`` it reads that store and writes nothing.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _store(db: str | None):
    """(store, whether it is our own copy to write demo reviews into)."""
    import sqlite3

    from wirewatch.store.repository import Store

    if db:
        return Store(db), False
    tmp = Path(tempfile.mkdtemp(prefix="wirewatch-shots-")) / "shots.db"
    local = ROOT / "wirewatch.db"
    if local.exists():
        with sqlite3.connect(local) as src, sqlite3.connect(tmp) as dst:
            src.backup(dst)  # a consistent copy, even of a database in WAL mode
        store = Store(f"sqlite:///{tmp}")
        if store.counts()["articles"]:
            return store, True
        store.close()
    from wirewatch.ingest.run import ingest

    store = Store(f"sqlite:///{tmp}")
    print(f"ingesting examples/ into {tmp} (a few minutes)")
    ingest(store, [ROOT / "examples"])
    return store, True


def _demo_reviews(store) -> None:
    """A morning's reviews by two fictional reviewers: the review log's shot shows them
    with its facets (the queue's shot, the facts still unreviewed)."""
    from wirewatch.service import Service

    svc = Service(store)
    events = svc.events(limit=12).items
    for i, e in enumerate(events[:8]):
        action = "reject" if i % 4 == 3 else "accept"
        svc.review("event", e["id"], action, "ana" if i % 3 else "omar",
                   "not an attack: a warning" if action == "reject" else None)
    for e in events[8:10]:
        svc.review("event", e["id"], "edit", "ana", "the sentence dates it",
                   {"fields": {"modality": "reported"}})
    for q in svc.quotes(limit=3).items:
        svc.review("quote", q["id"], "accept", "omar")


def _serve(store):
    import uvicorn

    from wirewatch.api.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store=store, read_token_required=False),
                                           host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _pick(store) -> tuple[str, str]:
    """An event with a named actor (for the article shot) and a well-connected actor."""
    from wirewatch.store.repository import Filters

    events = [e for e in store.events(Filters()) if any(
        p.get("entity") for p in e["data"]["actors"]) and e["data"]["recipients"]]
    event = max(events, key=lambda e: e["confidence"] or 0) if events else store.events()[0]
    counts: dict[str, int] = {}
    for r in store.relations(Filters()):
        counts[r["subject_id"]] = counts.get(r["subject_id"], 0) + 1
    listed = {a["id"] for a in store.actors(Filters())}
    actor = max((a for a in counts if a in listed), key=lambda a: counts[a])
    return f"/articles/{event['article_id']}#{event['id']}", f"/actors/{actor}"


def _incident(store) -> str:
    """The page of the incident most outlets reported (the list when there is none)."""
    from wirewatch.service import Service

    items = Service(store).incidents(min_reports=2).items
    best = max(items, key=lambda i: (i["reports"], i["id"]), default=None)
    return f"/incidents/{best['id']}" if best else "/incidents"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    store, own = _store(args.db)
    if own:
        _demo_reviews(store)
    server, base = _serve(store)
    article, actor = _pick(store)
    shots = {
        "overview": ("/", None), "article": (article, ".hl.active"),
        "actor": (actor, "#cy[data-rendered]"),
        "network": ("/network?top=40", "#cy[data-rendered]"),
        "map": ("/map", "#map[data-rendered]"), "timeline": ("/events", None),
        "timeline-facets": ("/events?type=ASSAULT", None),
        "quotes": ("/quotes?q=weapons", None), "search": ("/search?q=weapons", None),
        "reviews": ("/reviews/queue", None), "review-who": ("/reviews/queue", None),
        "review-log": ("/reviews", None),
        "incidents": ("/incidents", None), "incident": (_incident(store), None),
        # The form filled in from the timeline's "save as a watchlist" (nothing is saved).
        "watchlists": ("/watchlists?name=basra-protests&type=PROTEST&place=Basra", None),
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        for name, (path, ready) in shots.items():
            page.goto(base + path)
            if ready:
                page.wait_for_selector(ready, timeout=20000)
            page.wait_for_timeout(400)
            if name == "article":
                page.evaluate("() => window.scrollTo(0, 0)")
            if name == "review-who":  # the who-did-what editor open, a name typed
                box = page.locator(".queue-item.selected details.who-box")
                box.locator("summary").click()
                pick = box.locator("input.actor-pick").first
                pick.fill(page.locator(".queue-item.selected .who a").first.inner_text()[:4]
                          if page.locator(".queue-item.selected .who a").count() else "Ira")
                page.wait_for_timeout(600)
            if name == "timeline":  # a brush being dragged across the chart
                chart = page.locator("#brush-area").bounding_box()
                if chart:
                    y = chart["y"] + chart["height"] / 2
                    page.evaluate("() => { const b = document.getElementById('brush');"
                                  " b.setAttribute('x', '40'); b.setAttribute('width', '120'); }")
                    page.mouse.move(chart["x"] + 5, y)
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"{out / name}.png  <- {path}")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
