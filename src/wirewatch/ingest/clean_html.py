"""HTML pages to clean text: the article body, its headline and captions as marked segments.

trafilatura finds the main text. Around it:

* page widgets are pruned from the markup first (embedded tweets, share bars, "don't
  miss" and "highlights" boxes, live tickers, hover cards, credits; the word lists are in
  ``nlp/data/page_clutter.yaml``), since once flattened to text they look like paragraphs;
* the precise extraction is used unless it lost most of the page's text (then a widget,
  such as a comment policy, was taken for the article and the default extraction is
  better);
* the headline is its own ``headline`` segment at the top; figure captions are appended
  as ``caption`` segments; line-level furniture is left to :mod:`clean_text`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import trafilatura
import yaml
from lxml import etree
from lxml import html as lxml_html

from wirewatch.ingest.clean_text import CleanText, clean_text
from wirewatch.ingest.decode import BadInput
from wirewatch.model import Segment

CLUTTER_PATH = Path(__file__).resolve().parent.parent / "nlp" / "data" / "page_clutter.yaml"
# The precise extraction is trusted unless it kept less than this share of the default one.
_PRECISE_MIN_SHARE = 0.5
# A widget holds no run of real paragraphs: never prune an element with this much prose.
_WIDGET_MAX_CHARS = 1500


@lru_cache(maxsize=1)
def _clutter() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    with open(CLUTTER_PATH, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    embeds = frozenset(c.lower() for c in data.get("embed_classes") or [])
    words = tuple(tuple(re.split(r"[-_]", w.lower())) for w in data.get("widget_words") or [])
    return embeds, words


@lru_cache(maxsize=1)
def _placeholder_bylines() -> frozenset[str]:
    with open(CLUTTER_PATH, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return frozenset(str(w).lower() for w in data.get("placeholder_bylines") or [])


def real_byline(author: Any) -> str | None:
    """The author field when it names someone; None for "Username", "admin", URLs."""
    text = re.sub(r"\s+", " ", str(author or "")).strip()
    if not text or "://" in text or text.lower().strip(".: ") in _placeholder_bylines():
        return None
    if not any(ch.isupper() for ch in text):  # "username", "jsmith": a login, not a name
        return None
    return text


def _names(node: Any) -> list[list[str]]:
    raw = f"{node.get('class') or ''} {node.get('id') or ''}".lower().split()
    return [re.split(r"[-_]+", name) for name in raw]


_INLINE = {"span", "a", "em", "strong", "b", "i", "u", "small", "abbr", "cite"}
# Class words of the article's own container ("entry-content-read-more" is the story)
_CONTAINER_WORDS = {"content", "body", "article", "story", "entry", "post", "text", "main"}


def _is_widget(node: Any, words: tuple[tuple[str, ...], ...]) -> bool:
    names = _names(node)
    if any(_CONTAINER_WORDS & set(parts) for parts in names):
        return False
    for parts in names:
        for w in words:
            n = len(w)
            if any(tuple(parts[i : i + n]) == w for i in range(len(parts) - n + 1)):
                return True
    return False


def _long_paragraphs(node: Any) -> int:
    return sum(1 for p in node.iter("p") if len(p.text_content().strip()) >= 200)


def prune_widgets(markup: str) -> str:
    """The page without embedded posts and small widgets; unchanged if it does not parse."""
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, etree.ParserError):
        return markup
    embeds, words = _clutter()
    doomed = []
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in {"html", "body", "article", "main"}:
            continue
        classes = set((node.get("class") or "").lower().split())
        if classes & embeds:
            doomed.append(node)
            continue
        if _is_widget(node, words):
            if node.tag in _INLINE and any(
                _is_widget(d, words) for d in node.iterdescendants() if isinstance(d.tag, str)
            ):
                continue  # a linked name with a hover card inside: only the card goes
            text = node.text_content()
            if len(text) <= _WIDGET_MAX_CHARS and _long_paragraphs(node) < 2:
                doomed.append(node)
    for node in doomed:
        parent = node.getparent()
        if parent is None:
            continue
        tail = node.tail
        parent.remove(node)
        if tail and tail.strip():  # keep text that follows the widget in its parent
            prev = parent[-1] if len(parent) else None
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail
    return etree.tostring(tree, encoding="unicode", method="html")


def _figcaptions(markup: str) -> list[str]:
    try:
        tree = lxml_html.fromstring(markup)
    except (ValueError, etree.ParserError):
        return []
    captions = []
    for node in tree.iter("figcaption"):
        text = re.sub(r"\s+", " ", node.text_content()).strip()
        if text and text not in captions:
            captions.append(text)
    return captions


def _extract(markup: str, precise: bool) -> dict[str, Any] | None:
    doc = trafilatura.bare_extraction(
        markup,
        include_comments=False,
        include_tables=True,  # data tables are part of the story the page tells
        include_images=False,
        favor_precision=precise,
        with_metadata=True,
    )
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _with_headline(cleaned: CleanText, title: str | None) -> CleanText:
    """The headline as the first segment, a blank line before the body.

    When the body already opens with the title (the page's <h1>), that line becomes the
    headline rather than a second copy.
    """
    title = re.sub(r"\s+", " ", title or "").strip()
    if not title:
        return cleaned
    first = cleaned.segments[0] if cleaned.segments else None
    if first is not None and first.kind == "body":
        line_end = cleaned.text.find("\n", first.start)
        line_end = first.end if line_end < 0 or line_end > first.end else line_end
        if _norm(cleaned.text[first.start : line_end]) == _norm(title):
            title = cleaned.text[first.start : line_end].strip()
            rest = cleaned.text[line_end:]
            cut = line_end + len(rest) - len(rest.lstrip())
            cleaned.text = cleaned.text[cut:]
            segs = [Segment(max(0, s.start - cut), s.end - cut, s.kind)
                    for s in cleaned.segments if s.end > cut]
            cleaned.segments = segs
    shift = len(title) + 2
    cleaned.text = f"{title}\n\n{cleaned.text}" if cleaned.text else title
    cleaned.segments = [Segment(0, len(title), "headline")] + [
        Segment(s.start + shift, s.end + shift, s.kind) for s in cleaned.segments
    ]
    return cleaned


def clean_html(markup: str) -> CleanText:
    """The article of a web page: headline, body, captions (marked) and metadata.

    This is the cleaner ``wirewatch clean`` and the ingest of ``.html`` files use.
    Raises :class:`~wirewatch.ingest.decode.BadInput` when the page has no article text.
    """
    if not re.search(r"<[a-zA-Z!/]", markup):
        raise BadInput("not HTML", "no tags found")
    pruned = prune_widgets(markup)
    try:
        precise = _extract(pruned, True)
        default = _extract(pruned, False)
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken pages
        raise BadInput("broken HTML", f"{type(exc).__name__}: {exc}") from exc
    data = precise
    p_len = len((precise or {}).get("text") or "")
    d_len = len((default or {}).get("text") or "")
    if default is not None and p_len < _PRECISE_MIN_SHARE * d_len:
        data = default
    if data is None:
        raise BadInput("broken HTML", "no main text could be extracted")
    body = (data.get("text") or "").strip()
    if not body:
        raise BadInput("broken HTML", "no main text could be extracted")
    captions = [c for c in _figcaptions(markup) if c not in body]
    cleaned = _with_headline(clean_text(body), data.get("title"))
    for caption in captions:
        cleaned.append(caption, "caption")
    meta = {
        "title": data.get("title"),
        "published": data.get("date"),
        "byline": real_byline(data.get("author")),
        "url": data.get("url"),
        "source": data.get("sitename"),
    }
    cleaned.meta.update({k: str(v) for k, v in meta.items() if v})
    cleaned.meta["published_from"] = "html"
    return cleaned
