"""Browser tests: Playwright drives Debian's Chromium against a live server on 127.0.0.1.

The server runs in a thread over a small database made from three sample articles.
Skipped when /usr/bin/chromium or Playwright is absent.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """The app on a real local port (uvicorn in a thread) for a real browser; yields its URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory, nlp):

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
    app.state.service._nlp = nlp
    samples = [a["id"] for a in store.articles() if "examples" in (a.get("origin") or "")]
    with serving(app) as base:
        yield {"base": base, "store": store, "token": token, "nlp": nlp, "samples": samples}
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


def test_a_javascript_url_is_never_a_link(page, site):
    from wirewatch.model import Article, ArticleRecord

    art = Article(id="art_b10c5c41pt000001", title="A planted link", published="2025-03-05",
                  text="Officials in Basra said the curfew would end on Friday.",
                  url="javascript:fetch('/api/reviews')")
    site["store"].save(ArticleRecord(art, pipeline_version="t1"))
    page.goto(site["base"] + "/articles/" + art.id)
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert "javascript:" in page.locator("main").inner_text()  # shown as text, not linked
    assert page.errors == []


def test_a_cross_origin_form_post_is_refused(browser, site):
    evil = "http://127.0.0.1:9/attack.html"  # fulfilled below: another origin, same host
    planted = "Planted story about a fictional ceasefire in Mosul"
    form = (f'<form id="f" method="post" action="{site["base"]}/api/ingest" '
            'enctype="text/plain"><input name=\'{"text": "' + planted + '", "x": "\' '
            'value=\'"}\'></form><script>document.getElementById("f").submit()</script>')
    context = browser.new_context()
    context.route("**/*", lambda route: route.fulfill(body=form, content_type="text/html")
                  if route.request.url == evil else route.continue_())
    page = context.new_page()
    seen: list[tuple[str, int]] = []
    page.on("response", lambda r: seen.append((r.url, r.status)))
    # The analyst is logged in on the desk: the browser holds its session cookie.
    page.goto(site["base"] + "/login")
    page.fill("input[name=token]", site["token"])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(evil)
    page.wait_for_load_state("networkidle")
    posts = [status for url, status in seen if url == site["base"] + "/api/ingest"]
    assert posts and all(status in (401, 415) for status in posts)
    texts = [site["store"].get_record(a["id"])["article"]["text"]
             for a in site["store"].articles()]
    assert not any(planted in t for t in texts)
    context.close()


# -- lists: facets, chips, paging, downloads -------------------------------------------


def _csv_rows(page, site, href: str) -> list[dict]:
    import csv
    import io

    resp = page.request.get(site["base"] + href)
    assert resp.ok and resp.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(resp.text())))


def _total(page) -> int:
    return int(page.locator(".list-tools").get_attribute("data-total"))


def test_facets_filter_and_chips_remove(page, site):
    page.goto(site["base"] + "/events")
    everything = _total(page)
    facet = page.locator(".facet[data-field='type'] li").first
    value = facet.locator("a").inner_text().strip()
    count = int(facet.locator(".count").inner_text())
    facet.locator("a").click()
    page.wait_for_url("**/events?*type=*")
    assert _total(page) == count < everything
    types = {t.strip() for t in page.locator("#list .card.event .type").all_inner_texts()}
    assert types == {value}
    chip = page.locator("ul.active-filters li.chip")
    assert chip.count() == 1 and value in chip.inner_text()
    assert page.locator(".facet[data-field='type'] li.on").count() == 1
    # A second facet narrows further; removing the first chip keeps the second.
    page.locator(".facet[data-field='source'] li a").first.click()
    page.wait_for_url("**source=*")
    assert page.locator("ul.active-filters li.chip").count() == 2
    page.locator("ul.active-filters li.chip", has_text="type").locator("a.chip-x").click()
    page.wait_for_load_state()
    assert "type=" not in page.url and "source=" in page.url
    page.locator("ul.active-filters li.chip a.chip-x").click()
    page.wait_for_load_state()
    assert _total(page) == everything
    assert page.locator("ul.active-filters").count() == 0
    # Actor facets name the actor, and filter by its id.
    page.goto(site["base"] + "/events")
    actor = page.locator(".facet[data-field='actor'] li a").first
    name = actor.inner_text().strip()
    actor.click()
    page.wait_for_url("**actor=*")
    assert name in page.locator("ul.active-filters").inner_text()
    assert page.errors == []


@pytest.mark.parametrize("path", ["/events", "/quotes", "/actors", "/articles"])
def test_downloads_hold_every_row_the_list_counts(page, site, path):
    page.goto(f"{site['base']}{path}?limit=2")
    total = _total(page)
    assert total > 2, "the fixture should fill more than one page"
    assert page.locator(".pager .shown").inner_text() == "1–2"
    csv_href = page.locator("a.dl-csv").get_attribute("href")
    assert "limit" not in csv_href and "cursor" not in csv_href
    assert len(_csv_rows(page, site, csv_href)) == total
    body = page.request.get(site["base"] + page.locator("a.dl-json").get_attribute("href")).json()
    assert body["total"] == total
    # With a facet applied, the downloads carry the filter and still hold every row.
    page.locator("aside.facets li a").first.click()
    page.wait_for_load_state()
    filtered = _total(page)
    href = page.locator("a.dl-csv").get_attribute("href")
    assert len(_csv_rows(page, site, href)) == filtered
    assert filtered < total and "format=csv" in href
    assert page.errors == []


def test_paging_walks_every_row_once(page, site):
    page.goto(site["base"] + "/events?limit=2")
    total = _total(page)
    seen: list[list[str]] = []
    while True:
        ids = page.locator("#list .card.event").evaluate_all("els => els.map(e => e.id)")
        assert 0 < len(ids) <= 2
        seen.append(ids)
        assert page.locator(".pager .total").inner_text() == str(total)
        nxt = page.locator(".pager a.page-next")
        if nxt.count() == 0:
            break
        nxt.click()
        page.wait_for_load_state()
        assert page.locator(".pager a.page-first").count() == 1
    flat = [i for ids in seen for i in ids]
    assert len(flat) == total == len(set(flat))
    # ... and back again with "previous", page by page, numbered as on the way out.
    back: list[list[str]] = []
    while page.locator(".pager a.page-prev").count():
        page.locator(".pager a.page-prev").click()
        page.wait_for_load_state()
        back.append(page.locator("#list .card.event").evaluate_all(
            "els => els.map(e => e.id)"))
    assert back == seen[-2::-1]
    assert page.locator(".pager .shown").inner_text().startswith("1–")
    assert page.errors == []


# -- timeline, map, network --------------------------------------------------------------


def test_timeline_brush_selects_a_date_range(page, site):
    page.goto(site["base"] + "/events")
    chart = page.locator("#brush-area")
    days = chart.get_attribute("data-days").split()
    assert len(days) > 3
    assert page.locator("#brush-area rect.seg").count() > 0   # stacked by type
    box = chart.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 1, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=5)
    page.mouse.up()
    page.wait_for_url("**/events?*since=*")
    from urllib.parse import parse_qs, urlparse

    qs = parse_qs(urlparse(page.url).query)
    since, until = qs["since"][0], qs["until"][0]
    assert since == days[0] and since <= until < days[-1]
    want = api(site, f"/api/events?since={since}&until={until}&limit=1")["total"]
    assert _total(page) == want
    shown = page.locator("#list .day-head").evaluate_all(
        "els => els.map(e => e.firstChild.textContent.trim())")
    assert shown and all(since <= d <= until for d in shown)
    page.locator("#brush-reset").click()
    page.wait_for_load_state()
    assert "since" not in page.url
    assert page.errors == []


def test_map_fits_clusters_and_counts_unplaced(page, site):
    page.goto(site["base"] + "/map")
    page.wait_for_selector("#map[data-rendered]", timeout=15000)
    geo = api(site, "/api/export/geojson")
    points = [f["geometry"]["coordinates"] for f in geo["features"]
              if f["properties"]["precision"] != "country"]
    assert points
    inside = page.evaluate("pts => pts.every(c => window.wirewatchMap.getBounds()"
                           ".contains([c[1], c[0]]))", points)
    assert inside
    assert page.evaluate("() => window.wirewatchMap.getZoom()") >= 4   # fitted, not the world
    total = api(site, "/api/events?limit=1")["total"]
    assert f"{geo['unlocated']} of these {total} events have no place" in \
        page.locator("#unplaced").inner_text()
    # Zoomed out to the world, nearby places merge into a numbered cluster.
    page.evaluate("() => window.wirewatchMap.setZoom(2, {animate: false})")
    page.wait_for_timeout(200)
    if len({tuple(p) for p in points}) > 1:
        assert page.locator("#map .event-cluster").count() > 0
    assert page.errors == []


def test_network_keeps_the_strongest_pairs_and_shows_more(page, site):
    full = api(site, "/api/network?top=100000")
    assert full["pairs"] >= 2
    page.goto(site["base"] + "/network?top=1")
    page.wait_for_selector("#cy[data-rendered]", timeout=15000)
    pairs = page.evaluate("() => new Set(window.wirewatchNetwork.edges().map("
                          "e => [e.data('source'), e.data('target')].sort().join('|'))).size")
    assert pairs == 1
    assert f"1 strongest of {full['pairs']}" in page.locator("#net-count").inner_text()
    weights = sorted((e["weight"] for e in full["edges"]), reverse=True)
    shown = page.evaluate("() => window.wirewatchNetwork.edges()[0].data('weight')")
    assert shown == weights[0]
    page.locator("#net-more").click()
    page.wait_for_function("() => !document.getElementById('cy').dataset.loading")
    assert "the 2 strongest" in page.locator("#net-count").inner_text()   # one more each time
    page.goto(site["base"] + "/network?since=2025-03-01&until=2025-03-31&type=ASSAULT")
    for link in ("#export-gexf", "#export-graphml"):
        href = page.locator(link).get_attribute("href")
        assert "since=2025-03-01" in href and "until=2025-03-31" in href
        assert "type=ASSAULT" in href
    assert page.errors == []


# -- review who did what, the queue, alerts, highlights ----------------------------------


def test_review_edit_of_an_actor_with_autocomplete(page, site):
    meet = next(e for e in api(site, "/api/events?type=CONSULT&actor=act_haddar")["items"])
    assert not any(p.get("entity") for p in meet["recipients"])   # "tribal leaders": unlinked
    page.goto(f"{site['base']}/events?type=CONSULT&actor=act_haddar")
    card = page.locator(f"[id='{meet['id']}']")
    card.locator("details.who-box summary").click()
    field = card.locator("fieldset[data-role='recipients']")
    field.locator("input.actor-pick").fill("Nahr Bri")
    page.wait_for_function("() => document.querySelectorAll('#actor-suggest option').length > 0")
    assert page.locator("#actor-suggest option[value='act_nahr']").count() == 1
    field.locator("input.actor-pick").press("Enter")   # takes the best suggestion
    field.locator("ul.picked li[data-id='act_nahr']").wait_for()
    card.locator("form.who-edit input[name=comment]").fill("the brigade was there")
    card.locator("form.who-edit button[type=submit]").click()
    page.wait_for_selector(f"[id='{meet['id']}'] .who a[href='/actors/act_nahr']")
    assert "edited" in card.locator(".card-head").inner_text()
    after = api(site, "/api/events?type=CONSULT&recipient=act_nahr")["items"]
    assert meet["id"] in {e["id"] for e in after}
    log = api(site, f"/api/reviews?target_id={meet['id']}")["items"]
    assert log[-1]["payload"]["fields"]["recipients"][0]["entity"] == "act_nahr"
    assert page.errors == []


def test_review_queue_lowest_confidence_first_with_keys(page, site):
    page.goto(site["base"] + "/reviews/queue")
    items = page.locator(".queue-item")
    assert items.count() >= 3
    confs = [float(x) for x in items.locator(".card .conf").all_inner_texts()]
    assert confs == sorted(confs)
    first, second, third = (items.nth(i).get_attribute("data-id") for i in range(3))
    assert "selected" in items.nth(0).get_attribute("class")
    page.keyboard.press("a")
    page.wait_for_selector(f".queue-item[data-id='{first}'][data-done='accept']")
    assert page.locator("#queue").get_attribute("data-selected") == second
    page.keyboard.press("j")
    assert page.locator("#queue").get_attribute("data-selected") == third
    page.keyboard.press("k")
    assert page.locator("#queue").get_attribute("data-selected") == second
    page.keyboard.press("n")
    page.keyboard.press("r")
    page.wait_for_selector(f".queue-item[data-id='{third}'][data-done='reject']")
    actions = {(r["target_id"], r["action"]) for r in api(site, "/api/reviews?limit=1000")["items"]}
    assert (first, "accept") in actions and (third, "reject") in actions
    page.reload()
    ids = page.locator(".queue-item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert first not in ids and third not in ids and second in ids
    assert page.errors == []


def test_review_queue_pages_on_from_its_last_card(page, site):
    page.goto(site["base"] + "/reviews/queue?limit=2")
    total = int(page.locator(".pager .total").inner_text())
    assert total > 2 and page.locator(".pager a.page-prev").count() == 0
    first_page = page.locator(".queue-item").evaluate_all("els => els.map(e => e.dataset.id)")
    page.keyboard.press("j")  # to the second card
    with page.expect_navigation():
        page.keyboard.press("j")  # past the last card: the next page
    assert "cursor=" in page.url
    assert page.locator(".pager .shown").inner_text().startswith("3–")
    second_page = page.locator(".queue-item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert not set(first_page) & set(second_page)
    with page.expect_navigation():
        page.keyboard.press("k")  # before the first card: back to the first page
    assert page.locator(".queue-item").evaluate_all(
        "els => els.map(e => e.dataset.id)") == first_page
    assert page.errors == []


def test_an_alert_feed_shows_a_newly_ingested_matching_event(page, site):
    import xml.etree.ElementTree as ET

    page.goto(site["base"] + "/watchlists")
    form = page.locator("#watchlist-form")
    form.locator("input[name=name]").fill("checkpoint-attacks")
    form.locator("select[name=type]").select_option("ASSAULT")
    form.locator("input[name=q]").fill("checkpoint")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#watchlists tr[data-name='checkpoint-attacks']")
    feed_url = page.locator("#watchlists tr[data-name='checkpoint-attacks'] a.feed"
                            ).get_attribute("href")
    ns = {"a": "http://www.w3.org/2005/Atom"}

    def entries() -> list:
        resp = page.request.get(site["base"] + feed_url)
        assert resp.ok and "atom" in resp.headers["content-type"]
        return ET.fromstring(resp.body()).findall("a:entry", ns)

    before = entries()
    out = api(site, "/api/ingest", {
        "text": "Fighters of the Nahr Brigade attacked a police checkpoint in Zubair on "
                "Tuesday, the provincial police chief said. Two officers were wounded.",
        "title": "Checkpoint attacked near Zubair", "source": "Harbor Wire",
        "published": "2025-03-11"})
    article = out["articles"][0]["id"]
    after = entries()
    assert len(after) == len(before) + 1
    newest = after[0]
    assert article in newest.find("a:link", ns).get("href")
    assert newest.find("a:title", ns).text.startswith("ASSAULT")
    assert "checkpoint" in newest.find("a:summary", ns).text
    page.reload()
    row = page.locator("#watchlists tr[data-name='checkpoint-attacks']")
    assert row.locator("td.num").inner_text().strip() == str(len(after))
    assert page.errors == []


def test_search_highlights_the_matched_words(page, site):
    page.goto(site["base"] + "/search?q=disarm")
    marks = page.locator("main mark").all_inner_texts()
    assert marks and all(m.lower().startswith("disarm") for m in marks)
    page.goto(site["base"] + "/quotes?q=disarm")
    assert page.locator("#list .card.quote p.content mark").count() > 0
    page.goto(site["base"] + "/articles?q=tribal")
    assert page.locator("#list td.snippet mark").first.inner_text().lower() == "tribal"
    assert page.errors == []
