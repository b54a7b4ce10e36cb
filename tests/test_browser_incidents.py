"""Browser test of the incident pages: the three-outlet Baquba story (examples/039a-c) is
one incident whose reports stand side by side with their disagreement marked; the list,
the article page and the timeline link to it; the overview counts incidents or events."""

from __future__ import annotations

import re

import pytest

from tests.test_browser import ARGS, CHROMIUM, ROOT, serving, sync_api

pytestmark = pytest.mark.browser

STORIES = sorted((ROOT / "examples").glob("039*.txt")) + sorted(
    (ROOT / "examples").glob("040*.txt"))


@pytest.fixture(scope="module")
def site(tmp_path_factory, nlp):

    from wirewatch.api.app import create_app
    from wirewatch.ingest.run import ingest
    from wirewatch.store.repository import Store
    from wirewatch.web import build

    if not build.assets_present():
        if not build.MODULES.exists():
            pytest.skip("front-end assets not built (make setup)")
        build.copy_assets()
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('incidents') / 'web.db'}")
    assert ingest(store, STORIES, nlp=nlp).new == len(STORIES) == 5
    app = create_app(store=store, read_token_required=False)
    with serving(app) as base:
        yield {"base": base, "service": app.state.service}
    store.close()


@pytest.fixture
def page(site):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            site["base"]) else route.abort())
        pg = context.new_page()
        pg.errors = []
        pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
        yield pg
        browser.close()


def test_an_incident_shows_every_report_side_by_side_with_the_disagreement(page, site):
    base, svc = site["base"], site["service"]
    page.goto(base + "/incidents")
    total = svc.incidents().total
    assert page.locator(".list-tools .total").inner_text() == str(total)
    assert page.locator("tr.incident-row").count() == total
    assert page.locator(".dl-csv").get_attribute("href").startswith("/api/incidents?")
    # Narrowed to incidents reported more than once: the Baquba attack, three reports.
    page.fill("input[name=min_reports]", "2")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"min_reports=2"))
    rows = page.locator("tr.incident-row")
    assert rows.count() == 1
    assert rows.first.locator("td.reports").inner_text() == "3"
    assert "killed" in rows.first.inner_text()  # the disagreement shows in the list too

    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/incidents/inc_"))
    assert page.locator("#incident-summary .reports").inner_text() == "3"
    assert page.locator("#incident-summary .sources").inner_text() == "3"
    cards = page.locator("#reports article.report")
    assert cards.count() == 3
    outlets = {cards.nth(i).locator(".outlet").inner_text() for i in range(3)}
    assert len(outlets) == 3
    # The death toll they disagree on is marked, on the summary and on every card.
    toll = page.locator("#disagreements li[data-field=killed]")
    assert toll.count() == 1 and "4" in toll.inner_text() and "5" in toll.inner_text()
    killed = {cards.nth(i).locator("dd.killed").inner_text() for i in range(3)}
    assert killed == {"4", "5"}
    assert page.locator("dd.killed.differs-cell").count() == 3
    # Each evidence sentence with its trigger marked.
    assert page.locator("blockquote.evidence mark.trigger").count() >= 3

    # From a report to its article, and back to the incident.
    incident_url = page.url
    cards.first.locator("h3 a").click()
    page.wait_for_url(re.compile(r"/articles/art_"))
    link = page.locator("a.incident-link").first
    assert link.get_attribute("href") == incident_url[len(base):]
    link.click()
    page.wait_for_url(incident_url)
    assert page.errors == []


def test_the_overview_and_timeline_count_incidents_unless_asked_for_events(page, site):
    base, svc = site["base"], site["service"]
    incidents, events = svc.counts()["incidents"], svc.counts()["events"]
    assert incidents < events  # the three Baquba reports are one incident
    page.goto(base + "/")
    assert page.locator("#counted b").inner_text() == str(incidents)
    assert "incidents" in page.locator("#counted").inner_text()
    page.click("#unit-switch >> text=events")
    page.wait_for_url(re.compile(r"unit=events"))
    assert page.locator("#counted b").inner_text() == str(events)
    # The timeline's event rows link to their incident.
    page.goto(base + "/events")
    assert page.locator("article.event a.incident-link").count() == events
    assert page.errors == []
