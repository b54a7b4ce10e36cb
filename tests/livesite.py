"""A fictional news site served on 127.0.0.1 for the live-ingestion tests: a feed, pages,
a sitemap index with a news sitemap, robots.txt, and misbehaving pages (slow, huge,
a redirect loop, a 500 then 200, legacy charsets). Every person and organisation is
invented; the places are real."""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def page(title: str, date: str | None, paragraphs: list[str]) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title>{meta}</head>"
            f"<body><nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright Harbour Wire</footer></body></html>")


ARTICLES: dict[str, tuple[str, str | None, list[str]]] = {
    "/news/ferry-terminal": ("Valletta approves new ferry terminal", "2026-11-30", [
        "VALLETTA, Malta - The Grand Harbour Transit Board approved plans for a new ferry "
        "terminal on Monday, ending two years of debate over the crowded waterfront.",
        "\"The terminal will take cars off the coast road and give commuters a faster "
        "crossing,\" said Marta Zerafa, the board's chairwoman, at a news conference.",
        "The board said construction would begin in the spring and take about three years. "
        "Residents of Senglea have asked for a study of noise and traffic near the quay.",
        "Opposition councillors said the cost estimate had doubled since the first draft "
        "and demanded that the full contract be published before work starts.",
    ]),
    "/news/flood-barrier": ("Rotterdam council debates flood barrier upgrade", None, [
        "ROTTERDAM, Netherlands - City councillors in Rotterdam debated on Wednesday a plan "
        "to raise the flood barrier at the mouth of the port by half a metre.",
        "\"We cannot wait for the next storm surge to find out whether the barrier holds,\" "
        "said Pieter Vandermolen, the alderman in charge of water management.",
        "Engineers from the fictional Maas Delta Institute told the council that sea level "
        "projections had changed since the barrier was designed in the nineteen nineties.",
        "A vote on the first phase of the work is expected before the end of the year.",
    ]),
    "/news/river-cycle": ("Vienna opens cycling route along the Danube", "2026-12-01", [
        "VIENNA, Austria - A new cycling route along the Danube opened on Tuesday, linking "
        "the city centre with the harbour district in the east of Vienna.",
        "\"Thousands of people will now ride to work on a safe and quiet path,\" said Lena "
        "Hofbauer, who heads the city's fictional Office for Active Travel.",
        "The route runs for fourteen kilometres and passes under three bridges. Shop owners "
        "along the river said they hoped the path would bring more customers.",
    ]),
    "/private/draft": ("Unpublished draft", "2026-12-01", [
        "This draft is behind a robots.txt rule and must never be fetched by wirewatch, "
        "whatever links to it from the feed of the site.",
        "It holds three sentences of filler so that it would be a valid article if it were "
        "fetched, which it must not be.",
    ]),
    "/news/port-strike": ("Dock workers in Antwerp end strike", "2026-12-02", [
        "ANTWERP, Belgium - Dock workers at the port of Antwerp ended a three-day strike on "
        "Wednesday after the fictional Scheldt Stevedores Union reached a deal on shifts.",
        "\"Our members will be back on the quays tonight,\" said Joris Van Aelst, the "
        "union's secretary, after talks with the port employers that lasted all night.",
        "Dozens of container ships had waited at anchor in the North Sea during the strike.",
    ]),
}

CP1252 = ("/legacy/lyon-cafes", page("Caf\u00e9 owners in Lyon protest rent rise", "2026-11-28", [
    "LYON, France \u2013 Owners of caf\u00e9s in the old town of Lyon marched on Friday "
    "against a rent rise they said would close a third of the small bistros.",
    "\u201cWe pay more every year for the same small room,\u201d said Odile Marchetti, who "
    "runs a caf\u00e9 near the cathedral and chairs a fictional traders\u2019 association.",
    "The city said it would meet the traders next week to discuss the new rents.",
]))
CP1256 = ("/legacy/tunis-market", page("Tunis market traders ask for new roof", "2026-11-27", [
    "TUNIS, Tunisia - Traders in the covered market of Tunis, which they call \u0627\u0644"
    "\u0633\u0648\u0642 in Arabic, asked the city on Thursday to repair the leaking roof.",
    "\"Every winter the rain comes through onto the spices,\" said Karim Ben Salah, who "
    "sells saffron and cumin and leads a fictional committee of stall holders.",
    "The city council said engineers would inspect the roof before the end of the month.",
]))


def rss(items: list[dict[str, str]]) -> str:
    out = []
    for it in items:
        date = f"<pubDate>{it['date']}</pubDate>" if it.get("date") else ""
        out.append(f"<item><title>{it['title']}</title><link>{it['link']}</link>{date}"
                   f"<guid>{it['link']}</guid></item>")
    return ("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
            "<title>Harbour Wire</title><link>/</link><description>Fictional news"
            f"</description>{''.join(out)}</channel></rss>")


class Site:
    """The server's state: what it serves, and what it was asked for."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.feed_items: list[dict[str, str]] = []
        self.feed_version = 1
        self.base = ""
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()
            self.agents.clear()
        self.feed_version = 1
        self.feed_items = [
            {"title": "Valletta approves new ferry terminal",
             "link": f"{self.base}/news/ferry-terminal?utm_source=rss",
             "date": "Mon, 30 Nov 2026 09:00:00 GMT"},
            {"title": "Rotterdam council debates flood barrier upgrade",
             "link": f"{self.base}/news/flood-barrier"},  # no date
            {"title": "Unpublished draft", "link": f"{self.base}/private/draft",
             "date": "Tue, 01 Dec 2026 08:00:00 GMT"},
        ]

    def feed(self) -> str:
        return rss(self.feed_items)

    def sitemap_index(self) -> str:
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sitemapindex "
                "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><sitemap>"
                f"<loc>{self.base}/sitemap-news.xml</loc></sitemap></sitemapindex>")

    def news_sitemap(self) -> str:
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><urlset "
                "xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
                "xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">"
                f"<url><loc>{self.base}/news/port-strike</loc><news:news><news:publication>"
                "<news:name>Harbour Wire</news:name><news:language>en</news:language>"
                "</news:publication><news:publication_date>2026-12-02</news:publication_date>"
                "<news:title>Dock workers in Antwerp end strike</news:title></news:news></url>"
                f"<url><loc>{self.base}/news/river-cycle</loc>"
                "<lastmod>2026-12-01</lastmod></url></urlset>")


def make_handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                 headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if body:
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_GET(self) -> None:  # noqa: C901 - one route per branch
            path = self.path.split("?", 1)[0]
            with site.lock:
                site.hits[path] += 1
                site.agents.append(self.headers.get("User-Agent", ""))
                n = site.hits[path]
            if path == "/robots.txt":
                self.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
            elif path == "/feed.xml":
                etag = f'"feed-v{site.feed_version}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send(304, headers={"ETag": etag})
                else:
                    self.send(200, site.feed().encode(), "application/rss+xml",
                              {"ETag": etag})
            elif path == "/sitemap_index.xml":
                self.send(200, site.sitemap_index().encode(), "application/xml")
            elif path == "/sitemap-news.xml":
                self.send(200, site.news_sitemap().encode(), "application/xml")
            elif path in ARTICLES:
                etag = f'"{path}-v1"'
                if self.headers.get("If-None-Match") == etag:
                    self.send(304, headers={"ETag": etag})
                else:
                    self.send(200, page(*ARTICLES[path]).encode(), headers={"ETag": etag})
            elif path == CP1252[0]:
                self.send(200, CP1252[1].encode("cp1252"), "text/html; charset=windows-1252")
            elif path == CP1256[0]:
                self.send(200, CP1256[1].encode("cp1256"), "text/html; charset=windows-1256")
            elif path == "/slow":
                time.sleep(1.5)
                self.send(200, page(*ARTICLES["/news/river-cycle"]).encode())
            elif path == "/huge":
                self.send(200, b"<html><body><p>" + b"word " * 60_000 + b"</p></body></html>")
            elif path == "/huge-stream":  # no Content-Length: only reading can tell
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    for _ in range(200):
                        self.wfile.write(b"<p>" + b"word " * 200 + b"</p>")
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif path == "/syndicated/port-strike":  # the same story under another URL
                self.send(200, page(*ARTICLES["/news/port-strike"]).encode())
            elif path in ("/loop-a", "/loop-b"):
                other = "/loop-b" if path == "/loop-a" else "/loop-a"
                self.send(302, headers={"Location": other})
            elif path == "/to-metadata":
                self.send(302, headers={"Location": "http://169.254.169.254/latest/"})
            elif path == "/to-file":
                self.send(302, headers={"Location": "file:///etc/passwd"})
            elif path == "/busy":
                if n == 1:
                    self.send(429, b"slow down", "text/plain", {"Retry-After": "0"})
                else:
                    self.send(200, page(*ARTICLES["/news/port-strike"]).encode())
            elif path == "/flaky":
                if n == 1:
                    self.send(500, b"busy")
                else:
                    self.send(200, page(*ARTICLES["/news/port-strike"]).encode())
            else:
                self.send(404, b"not found", "text/plain")

    return Handler


def serve() -> tuple[ThreadingHTTPServer, Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    site.reset()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, site
