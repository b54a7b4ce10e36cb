"""A fetched or archived web page to an article, through the same HTML path as files
(decode, clean_html, build_article)."""

from __future__ import annotations

from wirewatch.ingest.clean_html import clean_html
from wirewatch.ingest.clean_text import clean_text
from wirewatch.ingest.decode import DEFAULT_MAX_BYTES, BadInput
from wirewatch.ingest.fetch import decode_page
from wirewatch.ingest.sources import Defaults, build_article
from wirewatch.model import Article

HTML_TYPES = ("text/html", "application/xhtml+xml")


def page_article(body: bytes, content_type: str, url: str, defaults: Defaults,
                 max_bytes: int = DEFAULT_MAX_BYTES, title: str | None = None,
                 published: str | None = None, published_from: str = "feed") -> Article:
    """The page's own metadata where it has it; the listing's title and date (a feed
    entry, a news sitemap) otherwise; the URL is always the one it was fetched from."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime and mime not in HTML_TYPES and mime != "text/plain":
        raise BadInput("unsupported content type", f"{mime} at {url}")
    decoded = decode_page(body, content_type, max_bytes)
    cleaned = clean_text(decoded.text) if mime == "text/plain" else clean_html(decoded.text)
    fields: dict[str, str | None] = {"url": url}
    if published:
        fields.update(published=published, published_from=published_from)
    if title and not cleaned.meta.get("title"):
        fields["title"] = title
    return build_article(cleaned, url, defaults, fields, encoding=decoded.encoding)
