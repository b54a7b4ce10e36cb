"""Listings of pages: RSS and Atom feeds (feedparser), sitemaps, news sitemaps and
sitemap indexes. A listing gives entries (a page URL, with a title, a date and a stamp
that changes when the entry is updated); a sitemap index gives further sitemaps."""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin

import courlan
from lxml import etree

from wirewatch.ingest.decode import BadInput


@dataclass
class Entry:
    url: str  # canonical
    title: str | None = None
    published: str | None = None  # ISO date or datetime; None when the listing has none
    stamp: str | None = None  # updated / lastmod: a change means the page is worth a re-fetch


@dataclass
class Listing:
    kind: str  # feed | sitemap
    entries: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # children of a sitemap index


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case host, default port, no fragment, no tracking
    parameters such as utm_* or fbclid (courlan), so a re-fetched or re-syndicated link is
    the same URL. Not courlan's strict mode: it also drops parameters that choose the
    content (?q=, ?format=)."""
    try:
        normal = courlan.normalize_url(url.strip())
    except (ValueError, AttributeError):
        normal = url.strip()
    return urldefrag(normal)[0]


def _struct_iso(value: time.struct_time | None) -> str | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), UTC).isoformat(timespec="seconds")


def parse_feed(body: bytes, base_url: str) -> Listing:
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not parsed.get("version") and not parsed.entries:
        raise BadInput("not a feed", str(parsed.get("bozo_exception") or "no RSS or Atom"))
    listing = Listing("feed")
    for item in parsed.entries:
        link = item.get("link") or next(
            (lk.get("href") for lk in item.get("links", []) if lk.get("href")), None)
        if not link:
            continue
        published = _struct_iso(dict.get(item, "published_parsed")
                                or dict.get(item, "updated_parsed"))
        # dict.get: FeedParserDict.get("updated_parsed") falls back to the published date
        updated = _struct_iso(dict.get(item, "updated_parsed")) or published
        listing.entries.append(Entry(canonical_url(urljoin(base_url, link)),
                                     item.get("title"), published, updated))
    return listing


_NS_END = "}"


def _local(tag: object) -> str:
    return str(tag).rsplit(_NS_END, 1)[-1]


def parse_sitemap(body: bytes, base_url: str) -> Listing:
    """A <urlset> (news extension read: publication date and title) or a <sitemapindex>.
    The XML parser resolves no entities and reads nothing from the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             recover=False)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise BadInput("not a sitemap", str(exc)) from None
    listing = Listing("sitemap")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise BadInput("not a sitemap", f"root element <{kind}>")
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            if child.text and child.text.strip() and name not in fields:
                fields[name] = child.text.strip()
        loc = fields.get("loc")
        if not loc:
            continue
        loc = urljoin(base_url, loc)
        if kind == "sitemapindex":
            listing.sitemaps.append(loc)
            continue
        published = fields.get("publication_date")
        listing.entries.append(Entry(canonical_url(loc), fields.get("title"), published,
                                     fields.get("lastmod") or published))
    return listing


def sniff_kind(body: bytes, content_type: str = "") -> str:
    """feed, sitemap or page, from what came back."""
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    if any(t in content_type for t in ("rss", "atom")):
        return "feed"
    return "page"


def parse_listing(kind: str, body: bytes, base_url: str) -> Listing:
    return parse_sitemap(body, base_url) if kind == "sitemap" else parse_feed(body, base_url)
