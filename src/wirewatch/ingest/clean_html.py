"""HTML pages to clean text with trafilatura; figure captions kept as marked segments."""

from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html

from wirewatch.ingest.clean_text import CleanText, clean_text
from wirewatch.ingest.decode import BadInput


def _figcaptions(markup: str) -> list[str]:
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, lxml_html.etree.ParserError):
        return []
    captions = []
    for node in tree.iter("figcaption"):
        text = re.sub(r"\s+", " ", node.text_content()).strip()
        if text and text not in captions:
            captions.append(text)
    return captions


def clean_html(markup: str) -> CleanText:
    """Main text, title, date and author; captions appended and marked as captions."""
    if not re.search(r"<[a-zA-Z!/]", markup):
        raise BadInput("not HTML", "no tags found")
    try:
        doc = trafilatura.bare_extraction(
            markup,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            with_metadata=True,
        )
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken pages
        raise BadInput("broken HTML", f"{type(exc).__name__}: {exc}") from exc
    if doc is None:
        raise BadInput("broken HTML", "no main text could be extracted")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = (data.get("text") or "").strip()
    if not body:
        raise BadInput("broken HTML", "no main text could be extracted")
    captions = [c for c in _figcaptions(markup) if c not in body]
    cleaned = clean_text(body)
    for caption in captions:
        cleaned.append(caption, "caption")
    meta = {
        "title": data.get("title"),
        "published": data.get("date"),
        "byline": data.get("author"),
        "url": data.get("url"),
        "source": data.get("sitename"),
    }
    cleaned.meta.update({k: str(v) for k, v in meta.items() if v})
    cleaned.meta["published_from"] = "html"
    return cleaned
