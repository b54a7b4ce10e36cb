"""Browser tests: Playwright drives Debian's Chromium against a live server on 127.0.0.1.

The server runs in a thread over a small database made from three sample articles.
Skipped when /usr/bin/chromium or Playwright is absent.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.webdata import fill

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [ROOT / "examples" / name for name in (
    "002_factions-split-weapons-plan.txt", "005_rockets-hit-ain-al-asad.txt",
    "029_reactions-partial-deal.txt")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory, nlp):
    import uvicorn

    from wirewatch.api.app import create_app
    from wirewatch.ingest.run import ingest
    from wirewatch.store.repository import Store
    from wirewatch.store.tokens import create_token
    from wirewatch.web import build

    if not build.assets_present():
        if not build.MODULES.exists():
            pytest.skip("front-end assets not built (make setup)")
        build.copy_assets()
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'web.db'}")
    summary = ingest(store, SAMPLES, nlp=nlp)
    assert summary.new == len(SAMPLES)
    fill(store)  # plus the fictional records: a city-level and a country-level located event
    _, token = create_token(store, "browser")
    app = create_app(store=store, read_token_required=False)
    app.state.nlp = nlp
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    samples = [a["id"] for a in store.articles() if "examples" in (a.get("origin") or "")]
    yield {"base": f"http://127.0.0.1:{port}", "store": store, "token": token, "nlp": nlp,
           "samples": samples}
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser(site):
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # Block anything that is not our server: the UI must work fully offline.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        site["base"]) or route.request.url.startswith("data:") else route.abort())
    context.add_init_script(f"localStorage.setItem('wirewatch-token', {json.dumps(site['token'])});"
                            "localStorage.setItem('wirewatch-reviewer', 'tester');")
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


def api(site, path: str, body: dict | None = None) -> dict:
    req = urllib.request.Request(site["base"] + path, method="POST" if body else "GET")
    if body is not None:
        req.data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
        req.add_header("Authorization", f"Bearer {site['token']}")
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def test_overview_loads_with_data(page, site):
    page.goto(site["base"] + "/")
    counts = page.locator("#counts").inner_text()
    assert "6\narticles" in counts
    assert page.locator("#latest-events .card.event").count() > 0
    assert page.locator("#latest-quotes .card.quote").count() > 0
    assert page.locator(".chart rect").count() > 0
    assert page.errors == []


def test_three_clicks_overview_event_evidence_actor(page, site):
    page.goto(site["base"] + "/")
    card = page.locator("#latest-events .card.event:has(.who a)").first
    event_id = card.get_attribute("id")
    card.locator(".evidence-link").click()                    # 1: the event in its article
    page.wait_for_url(f"**/articles/*#{event_id}")
    target = page.locator(f"[id='{event_id}']")
    assert target.locator("blockquote.evidence").inner_text().strip()   # its sentence
    assert page.locator(".hl.active").count() > 0             # lit up in the text too
    target.locator(".who a").first.click()                     # 2: the actor's page
    page.wait_for_url("**/actors/*")
    assert page.locator("h1").inner_text().strip()
    assert page.errors == []


def test_article_highlights_quote_and_event(page, site):
    events = api(site, "/api/events?limit=1000")["items"]
    quotes = api(site, "/api/quotes?limit=1000")["items"]
    both = {e["article_id"] for e in events} & {q["article_id"] for q in quotes}
    article = sorted(both)[0]
    page.goto(f"{site['base']}/articles/{article}")
    assert page.locator(".article-text .hl.k-quote").count() > 0
    trigger = page.locator(".article-text .hl.k-trigger").first
    assert trigger.count() == 1
    trigger.click()
    assert page.locator("#detail-title").inner_text().startswith("Event:")
    assert "confidence" in page.locator("#detail-fields").inner_text()
    # a quote piece whose first record is the quote (an event found inside a quote
    # shares its highlight and may come first)
    page.locator(".article-text .hl.k-quote[data-refs^='q_']").first.click()
    assert "Quote" in page.locator("#detail-title").inner_text()
    assert page.errors == []


def test_actor_page_shows_relation_with_evidence(page, site):
    rels = [r for r in api(site, "/api/relations?limit=1000")["items"]
            if r.get("object_id") and r["type"] != "holds_role"]
    assert rels, "the sample articles should yield an affiliation"
    rel = rels[0]
    page.goto(f"{site['base']}/actors/{rel['subject_id']}")
    card = page.locator(f"#affiliations [id='{rel['id']}']")
    assert rel["type"] in card.locator(".type").inner_text()
    assert card.locator("blockquote.evidence").inner_text().strip() == rel["sentence"].strip()
    page.wait_for_selector("#cy[data-rendered]")
    assert page.locator("#cy canvas").count() > 0             # the ego network
    assert page.errors == []


def test_network_renders(page, site):
    page.goto(site["base"] + "/network")
    page.wait_for_selector("#cy[data-rendered]", timeout=15000)
    assert int(page.locator("#cy").get_attribute("data-rendered")) > 0
    assert page.locator("#cy canvas").count() > 0
    n = page.evaluate("() => window.wirewatchNetwork.edges().length")
    assert n > 0
    # Click a node where cytoscape drew it, then tap an edge (return nothing: the
    # collection itself is too large to hand back to Python).
    x, y = page.evaluate("() => { const p = window.wirewatchNetwork.nodes()[0]"
                         ".renderedPosition(); return [p.x, p.y]; }")
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    assert page.locator("#detail-link").get_attribute("href").startswith("/actors/")
    page.evaluate("() => { window.wirewatchNetwork.edges()[0].emit('tap'); }")
    assert "evidence" in page.locator("#detail-fields").inner_text()
    assert page.locator("#detail-link").get_attribute("href").startswith("/articles/")
    assert page.errors == []


def test_map_renders_with_offline_basemap(page, site):
    page.goto(site["base"] + "/map")
    page.wait_for_selector("#map[data-rendered]", timeout=15000)
    assert int(page.locator("#map").get_attribute("data-rendered")) > 0
    # Country outlines from the shipped basemap, and no tile images at all.
    assert page.locator("#map path.leaflet-interactive").count() > 100
    assert page.locator("#map img.leaflet-tile").count() == 0
    assert page.locator("#map .event-point").count() > 0      # Basra: a city, a point
    assert page.locator("#map .country-level").count() > 0    # Iraq: shaded, not a pin
    assert page.errors == []


def test_review_persists_across_reprocessing(page, site):
    from wirewatch.ingest.sources import Defaults, read_inputs
    from wirewatch.nlp.pipeline import process

    store = site["store"]
    article = next(e["article_id"] for e in api(site, "/api/events?limit=1000")["items"]
                   if e["article_id"] in site["samples"])
    page.goto(f"{site['base']}/articles/{article}")
    card = page.locator(".card.event").first
    event_id = card.get_attribute("id")
    card.locator("details.review-box summary").click()
    form = card.locator("form.review")
    form.locator("select[name=action]").select_option("reject")
    form.locator("input[name=comment]").fill("not an event")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"[id='{event_id}'].rejected")
    assert event_id not in {e["id"] for e in api(site, "/api/events?limit=1000")["items"]}

    # Re-process the article: every fact row is deleted and written again.
    origin = store.get_record(article)["article"]["origin"]
    (art,) = [a for a in read_inputs([origin], Defaults()) if a.id == article]
    (record,) = list(process(site["nlp"], [art]))
    record.pipeline_version = "reprocessed-by-test"
    assert store.save(record).status == "updated"
    assert event_id in {e.id for e in record.events}

    page.reload()
    assert "rejected" in page.locator(f"[id='{event_id}']").get_attribute("class")
    assert event_id not in {e["id"] for e in api(site, "/api/events?limit=1000")["items"]}
    page.goto(site["base"] + "/reviews")
    assert event_id in page.locator("#review-log").inner_text()


def test_untrusted_article_text_never_executes(page, site):
    text = ("Officials in Basra said on Monday that the new water plant would open next month. "
            "<script>alert(1)</script> The governor said the plant would serve two districts. "
            "<img src=x onerror=alert(1)> Residents welcomed the news, a spokesman said.")
    out = api(site, "/api/ingest", {"text": text, "title": "<script>alert(2)</script> Plant",
                                    "source": "<b onmouseover=alert(3)>Wire</b>",
                                    "published": "2025-04-01"})
    article = out["articles"][0]["id"]
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{site['base']}/articles/{article}")
    page.wait_for_timeout(300)
    for el in page.locator(".article-text .hl").all()[:5]:
        el.click()
    assert dialogs == []
    assert page.evaluate("() => document.querySelectorAll("
                         "'script:not([src]):not([type=\"application/json\"])').length") == 0
    assert page.locator("img").count() == 0
    assert page.evaluate("() => Array.from(document.querySelectorAll('*')).some("
                         "el => Array.from(el.attributes).some(a => a.name.startsWith('on')))"
                         ) is False
    body = page.locator(".article-text").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(1)>" in body
    assert "<script>alert(2)</script>" in page.locator("h1").inner_text()
    for path in ("/", "/articles", "/events", "/quotes", "/search?q=plant"):
        page.goto(site["base"] + path)
        assert page.locator("img").count() == 0
    assert dialogs == [] and page.errors == []
