"""HTML pages to clean text: the article body, its headline and captions as marked segments.

trafilatura finds the main text. Around it:

* page widgets are pruned from the markup first (embedded tweets, share bars, "don't
  miss" and "highlights" boxes, live tickers, hover cards, credits; the word lists are in
  ``nlp/data/page_clutter.yaml``), since once flattened to text they look like paragraphs;
  then the page shapes the extractor misreads are repaired (:mod:`html_prepare`);
* the precise extraction decides which lines are the story, in the default extraction's
  wording (the precise one can cut linked words out of a sentence), unless it lost most of
  the page's text (then a widget, such as a comment policy, was taken for the article and
  the default extraction is better);
* the headline (the page's <h1>, else the title less the site's name) is its own
  ``headline`` segment at the top, and other headings above the first paragraph (kickers,
  decks) leave the body; figure captions are appended as ``caption`` segments; line-level
  furniture is left to :mod:`clean_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import htmldate.extractors
import trafilatura
from lxml import etree
from trafilatura.xml import xmltotxt

from wirewatch.ingest.clean_text import CleanText, clean_text, clutter_data
from wirewatch.ingest.company_profile import drop_company_profile
from wirewatch.ingest.decode import BadInput
from wirewatch.ingest.html_parse import extraction_tree, parse_page
from wirewatch.ingest.html_prepare import (
    drop_empty_inline,
    drop_link_lists,
    drop_logo_headings,
    drop_other_posts,
    drop_teaser_headings,
    free_inline_runs,
    lift_alt_captions,
    loose_text_paragraphs,
    merge_split_bodies,
)
from wirewatch.model import Removed, Segment

# The precise extraction is trusted unless it kept less than this share of the default one.
_PRECISE_MIN_SHARE = 0.5
# The fields of trafilatura's metadata this module reads.
_META_FIELDS = ("title", "author", "url", "sitename", "date")
# A widget holds no run of real paragraphs: never prune an element with this much prose.
_WIDGET_MAX_CHARS = 1500


@lru_cache(maxsize=1)
def _english_date_parser() -> Any:
    """htmldate's fallback date parser (its settings, htmldate 1.11), for English only.

    htmldate's own tries every one of dateparser's 410 locales on each string it is given:
    compiling their word patterns costs about 1.5 s per process, and each call still scans
    them all. wirewatch reads English articles only (others are refused after cleaning)."""
    from dateparser import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "NORMALIZE": True,
        "PARSERS": ["custom-formats", "absolute-time"],
        "PREFER_DATES_FROM": "past",
        "PREFER_LOCALE_DATE_ORDER": True,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": True,
    })


# htmldate looks the parser up by this name on each call.
htmldate.extractors.get_external_parser = _english_date_parser


@lru_cache(maxsize=1)
def _embeds() -> frozenset[str]:
    return frozenset(c.lower() for c in clutter_data().get("embed_classes") or [])


@lru_cache(maxsize=1)
def _placeholder_bylines() -> frozenset[str]:
    return frozenset(str(w).lower() for w in clutter_data().get("placeholder_bylines") or [])


def real_byline(author: Any) -> str | None:
    """The author field when it names someone; None for "Username", "admin", URLs."""
    text = re.sub(r"\s+", " ", str(author or "")).strip()
    if not text or "://" in text or text.lower().strip(".: ") in _placeholder_bylines():
        return None
    if not any(ch.isupper() for ch in text):  # "username", "jsmith": a login, not a name
        return None
    return text


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


_INLINE = {"span", "a", "em", "strong", "b", "i", "u", "small", "abbr", "cite"}
# Class words of the article's own container ("entry-content-read-more" is the story)
_CONTAINER_WORDS = {"content", "body", "article", "story", "entry", "post", "text", "main"}


def _is_widget(node: Any) -> bool:
    """A class or id name of the node names a widget, and none names the story's container."""
    return _names_widget(node.get("class") or "", node.get("id") or "")


@lru_cache(maxsize=16384)
def _names_widget(classes: str, ident: str) -> bool:
    """``_is_widget`` of a class attribute and an id: a page repeats a few of them on
    thousands of nodes."""
    marks = [_name_marks(name) for name in f"{classes} {ident}".split()]
    return not any(container for container, _ in marks) and any(w for _, w in marks)


@lru_cache(maxsize=16384)
def _name_marks(name: str) -> tuple[bool, bool]:
    """(a container word, a widget's words) in one class or id name, its words split on
    "-", "_" and camel case ("SidePromoCard"). Pages repeat a few names on thousands of
    nodes, and sites share them: each is decided once."""
    parts = [w.lower() for w in re.split(r"[-_]+", _CAMEL.sub("-", name)) if w]
    if _CONTAINER_WORDS.intersection(parts):
        return True, False
    wanted, longest = _widget_words()
    for i in range(len(parts)):  # every run of consecutive words, looked up in a set
        for n in range(1, min(longest, len(parts) - i) + 1):
            if tuple(parts[i : i + n]) in wanted:
                return False, True
    return False, False


@lru_cache(maxsize=1)
def _widget_words() -> tuple[frozenset[tuple[str, ...]], int]:
    """The widget words (each split on "-" and "_") and the most words one has."""
    words = frozenset(tuple(re.split(r"[-_]", w.lower()))
                      for w in clutter_data().get("widget_words") or [])
    return words, max((len(w) for w in words), default=0)


def _long_paragraphs(node: Any) -> int:
    return sum(1 for p in node.iter("p") if len(p.text_content().strip()) >= 200)


def prune_widgets(markup: str) -> str:
    """The page without embedded posts and small widgets; unchanged if it does not parse."""
    try:
        tree = parse_page(markup)
    except (ValueError, etree.ParserError):
        return markup
    _prune_tree(tree)
    return etree.tostring(tree, encoding="unicode", method="html")


@lru_cache(maxsize=16384)
def _names_embed(classes: str, embeds: frozenset[str]) -> bool:
    return not embeds.isdisjoint(classes.lower().split())


def _prune_tree(tree: Any) -> None:
    embeds = _embeds()
    doomed = []
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in {"html", "body", "article", "main"}:
            continue
        class_attr = node.get("class")
        if class_attr is None and node.get("id") is None:
            continue  # most nodes: nothing to judge them by
        if class_attr and _names_embed(class_attr, embeds):
            doomed.append(node)
            continue
        if _is_widget(node):
            if node.tag == "a" and any(a.tag == "p" for a in node.iterancestors()):
                continue  # a link in a sentence is words of the sentence ("rollover-link")
            if node.tag in _INLINE and any(
                _is_widget(d) for d in node.iterdescendants() if isinstance(d.tag, str)
            ):
                continue  # a linked name with a hover card inside: only the card goes
            text = " ".join(node.text_content().split())  # markup indentation is not prose
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


@dataclass
class Prepared:
    """The page as the extractor should see it, with what was read off it on the way."""

    markup: str
    h1s: list[str] = field(default_factory=list)  # texts of its <h1> headings
    title: str | None = None  # its <title>
    lifted: list[str] = field(default_factory=list)  # captions taken out of the running text
    figcaptions: list[str] = field(default_factory=list)  # its <figcaption> texts, as served


def prepare(markup: str) -> Prepared:
    try:
        tree = parse_page(markup)
    except (ValueError, etree.ParserError):
        return Prepared(markup)
    figcaptions = _figcaptions(tree)  # before anything below edits the tree
    drop_logo_headings(tree)
    h1s = [re.sub(r"\s+", " ", h.text_content()).strip() for h in tree.iter("h1")]
    titles = [re.sub(r"\s+", " ", t.text_content()).strip() for t in tree.iter("title")]
    _prune_tree(tree)
    drop_other_posts(tree)
    drop_teaser_headings(tree)
    drop_link_lists(tree)
    loose_text_paragraphs(tree)
    merge_split_bodies(tree)
    drop_empty_inline(tree)
    captions = lift_alt_captions(tree)
    free_inline_runs(tree)
    return Prepared(etree.tostring(tree, encoding="unicode", method="html"),
                    [h for h in h1s if h], next((t for t in titles if t), None), captions,
                    figcaptions)


def _figcaptions(tree: Any) -> list[str]:
    captions = []
    for node in tree.iter("figcaption"):
        text = re.sub(r"\s+", " ", node.text_content()).strip()
        if text and text not in captions:
            captions.append(text)
    return captions


def _extract(tree: Any, precise: bool, metadata: bool) -> Any | None:
    """trafilatura's document (the body as XML, and the page's metadata if asked), or None."""
    if tree is None:  # trafilatura's loader rejects the page
        return None
    return trafilatura.bare_extraction(
        tree,
        include_comments=False,
        include_tables=True,  # data tables are part of the story the page tells
        include_images=False,
        favor_precision=precise,
        with_metadata=metadata,
    )


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _flat(node: Any) -> str:
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip()


_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•]\s+|:\s+")


def _page_headline(title: str | None, h1s: list[str], sitename: str | None,
                   page_title: str | None = None) -> str | None:
    """The visible headline: the page's <h1> that the title repeats; else the title less the
    site's name ("Port strike ends | Harbour Herald")."""
    title = re.sub(r"\s+", " ", title or "").strip()
    if sitename and page_title and _norm(title) == _norm(sitename):
        title = page_title  # the extractor took the site's name for the title
    n_title = _norm(title)
    site = _norm(sitename or "")
    for h1 in h1s:
        n_h1 = _norm(h1)
        if site and n_h1 in site:
            continue  # the site's logo set as a heading
        if n_h1 and n_title and (n_h1 in n_title or n_title in n_h1) and len(n_h1.split()) >= 3:
            return h1
    if not title or not sitename:
        return title or None
    site = _norm(sitename)
    parts = _TITLE_SEPARATORS.split(title)
    kept = [p for p in parts if _norm(p) and _norm(p) not in site and site not in _norm(p)]
    if kept and len(kept) < len(parts):
        return title[title.find(kept[0]): title.rfind(kept[-1]) + len(kept[-1])].strip()
    return title


def _leading_heads(body: Any) -> list[Any]:
    """The headings at the top of the extracted body, before its first text block."""
    heads = []
    for child in body:
        if child.tag == "head":
            heads.append(child)
        elif _flat(child):
            break
    return heads


def _take_headline(doc: Any, h1s: list[str], page_title: str | None = None
                   ) -> tuple[str | None, list[str]]:
    """The headline, taken off the top of the body where the body opens with it, and the
    other headings between the top and the first paragraph, also taken off.

    Among the headings above the first paragraph, the headline is the first that is an <h1>
    or that the title repeats; the ones above it are kickers and labels ("Exclusive", a
    feature box's title), the ones after it a deck: none of them is the story's text.
    """
    page = _page_headline(doc.title, h1s, doc.sitename, page_title)
    body = doc.body
    if body is None:
        return page, []
    heads = _leading_heads(body)
    known = {_norm(x) for x in [page or "", doc.title or "", *h1s] if x}
    site = _norm(doc.sitename or "")
    for i, head in enumerate(heads):
        text = _flat(head)
        n_text = _norm(text)
        if not n_text or (site and n_text in site):
            continue  # the site's name over the page, not the story's headline
        if head.get("rend") == "h1" or n_text in known or any(n_text in k for k in known):
            others = [_flat(h) for j, h in enumerate(heads) if j != i]
            for h in heads:
                _drop(h)
            return text, [o for o in others if o]
    return page, []


def _drop(node: Any) -> None:
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail
    parent.remove(node)
    if tail and tail.strip():
        parent.text = (parent.text or "") + tail


# Lines above a repeated headline that are its labels ("Review", "Exclusive"): at most this
# many, each of at most this many words.
_KICKER_LINES = 2
_KICKER_MAX_WORDS = 5


def _with_headline(cleaned: CleanText, title: str | None, also: tuple[str, ...] = ()) -> CleanText:
    """The headline as the first segment, a blank line before the body.

    When the body already opens with the headline (or another form of it, such as the
    page's title), that line becomes the headline rather than a second copy; a short label
    above it (a kicker such as "Review") goes with it.
    """
    title = re.sub(r"\s+", " ", title or "").strip()
    if not title:
        return cleaned
    first = cleaned.segments[0] if cleaned.segments else None
    if first is not None and first.kind == "body":
        forms = {_norm(t) for t in (title, *also) if t}
        start = first.start
        for _ in range(_KICKER_LINES + 1):
            line_end = cleaned.text.find("\n", start)
            line_end = first.end if line_end < 0 or line_end > first.end else line_end
            raw = cleaned.text[start:line_end].strip()
            line = _norm(raw)
            if line and line in forms:
                if line == _norm(title):
                    title = raw
                kickers = cleaned.text[first.start:start].split("\n")
                cleaned.removed.extend(Removed(k.strip(), "boilerplate", "label above the headline")
                                       for k in kickers if k.strip())
                rest = cleaned.text[line_end:]
                cut = line_end + len(rest) - len(rest.lstrip())
                cleaned.text = cleaned.text[cut:]
                segs = [Segment(max(0, s.start - cut), s.end - cut, s.kind)
                        for s in cleaned.segments if s.end > cut]
                cleaned.segments = segs
                break
            if (not line or len(line.split()) > _KICKER_MAX_WORDS or raw.endswith(".")
                    or line_end >= first.end):
                break  # a sentence: the body has begun
            start = line_end + 1
    shift = len(title) + 2
    cleaned.text = f"{title}\n\n{cleaned.text}" if cleaned.text else title
    cleaned.segments = [Segment(0, len(title), "headline")] + [
        Segment(s.start + shift, s.end + shift, s.kind) for s in cleaned.segments
    ]
    return cleaned


def _text(doc: Any) -> str:
    body = getattr(doc, "body", None)
    return (xmltotxt(body, False) if body is not None else doc.text or "").strip()


_WORD = re.compile(r"\w+")
# A precise line is the default line with a few words (a link) cut out: share of words kept.
_SAME_LINE_SHARE = 0.7
# Share of the precise text's words the default text may lack before the precise text is
# trusted as it is.
_PRECISE_ONLY_SHARE = 0.05


def _line_words(line: str) -> list[str]:
    return _WORD.findall(line.lower())


def _merge_precise(precise_text: str, default_text: str) -> str:
    """The default extraction's lines that the precise one kept too, in full.

    The precise extraction leaves boxes and link lists out, but it can also cut linked words
    out of a sentence ("the money will pay for, where leaks", the linked words gone). So the
    lines come from the default extraction: each one that the precise extraction has, whole
    or with a few words cut.
    Lines only the default extraction has are left out (measured: a linked lead above the
    story and prose between kept lines are teasers or decks as often as story). When the
    precise extraction has text the default one lacks, the precise text is used as it is.
    """
    p_lines = [ln for ln in precise_text.split("\n") if _line_words(ln)]
    d_lines = [ln for ln in default_text.split("\n") if _line_words(ln)]
    p_words = [_line_words(ln) for ln in p_lines]
    kept_texts = {" ".join(w) for w in p_words}
    kept_sets = [set(w) for w in p_words]
    keep = []
    used: set[int] = set()
    for line in d_lines:
        words = _line_words(line)
        if " ".join(words) in kept_texts:
            keep.append(True)
            used.update(i for i, w in enumerate(p_words) if w == words)
            continue
        wset = set(words)
        hits = [i for i, k in enumerate(kept_sets)
                if k <= wset and len(k) >= _SAME_LINE_SHARE * len(wset)]
        used.update(hits)
        keep.append(bool(hits))
    missing = sum(len(w) for i, w in enumerate(p_words) if i not in used)
    if not any(keep) or missing > _PRECISE_ONLY_SHARE * sum(len(w) for w in p_words):
        return precise_text
    return "\n".join(ln for ln, k in zip(d_lines, keep, strict=True) if k)


def clean_html(markup: str) -> CleanText:
    """The article of a web page: headline, body, captions (marked) and metadata.

    This is the cleaner ``wirewatch clean`` and the ingest of ``.html`` files use.
    Raises :class:`~wirewatch.ingest.decode.BadInput` when the page has no article text.
    """
    if not re.search(r"<[a-zA-Z!/]", markup):
        raise BadInput("not HTML", "no tags found")
    page = prepare(markup)
    try:
        tree = extraction_tree(page.markup)
        default = _extract(tree, False, metadata=True)
        # The metadata does not depend on how strictly the body is cut: it is read once (a
        # third of an extraction's time), from the default extraction when there is one.
        precise = _extract(tree, True, metadata=default is None)
    except Exception as exc:  # trafilatura raises a variety of parser errors on broken pages
        raise BadInput("broken HTML", f"{type(exc).__name__}: {exc}") from exc
    if precise is not None and default is not None:
        for name in _META_FIELDS:
            setattr(precise, name, getattr(default, name))
    p_len = len(_text(precise)) if precise is not None else 0
    d_len = len(_text(default)) if default is not None else 0
    use_default = default is not None and p_len < _PRECISE_MIN_SHARE * d_len
    doc = default if use_default or precise is None else precise
    if doc is None:
        raise BadInput("broken HTML", "no main text could be extracted")
    if doc is default or default is None:
        headline, decks = _take_headline(doc, page.h1s, page.title)
        body = _text(doc)
    else:
        # the default extraction keeps the page's header, where the headline and deck are
        headline, decks = _take_headline(default, page.h1s, page.title)
        _take_headline(precise, page.h1s)
        body = _merge_precise(_text(precise), _text(default))
    if not body:
        raise BadInput("broken HTML", "no main text could be extracted")
    body, profile = drop_company_profile(body)
    captions = [c for c in page.figcaptions if c not in body]
    captions += [c for c in page.lifted if c not in captions]
    cleaned = _with_headline(clean_text(body), headline, (doc.title or "", *page.h1s))
    cleaned.removed.extend(Removed(d, "boilerplate", "deck under the headline") for d in decks)
    cleaned.removed.extend(Removed(p, "boilerplate", "company profile") for p in profile)
    for caption in captions:
        cleaned.append(caption, "caption")
    meta = {
        "title": headline or doc.title,
        "published": doc.date,
        "byline": real_byline(doc.author),
        "url": doc.url,
        "source": doc.sitename,
    }
    cleaned.meta.update({k: str(v) for k, v in meta.items() if v})
    cleaned.meta["published_from"] = "html"
    return cleaned


# A made-up page with what the cleaner reads on real ones: its address, a date, a byline, a
# headline, a caption, a share bar and a few paragraphs.
_WARM_UP_PAGE = """<html><head><title>Ferry service resumes | Harbour Herald</title>
<meta name="author" content="Lina Osei">
<meta property="article:published_time" content="2023-03-14T09:30:00Z">
<link rel="canonical" href="https://www.harbourherald.example/news/ferry-service-resumes">
</head><body>
<div class="share-bar"><a href="#">Share</a></div><article><h1>Ferry service resumes</h1>
<p class="byline">By Lina Osei, published on Tuesday, 14 March 2023</p>
<figure><img src="f.jpg" alt=""><figcaption>A ferry at the north pier.</figcaption></figure>
<p>Ferries between the two islands ran again on Tuesday after a three-day strike by crews
ended with an agreement on overtime pay, the operator said in a statement.</p>
<p>"We are glad the boats are moving," said Tomas Reyes, who chairs the crews' union.
Passengers had queued at the north pier since early morning.</p>
<p>The operator said timetables would return to normal by Thursday.</p></article>
</body></html>"""


def warm_up() -> None:
    """Clean a small page once, so the extractor's one-time set-up (its tables and
    patterns, and the stop words of its last-resort extractor, 0.2 s, which this page does not
    need) is start-up rather than the first page's time."""
    import tld
    import trafilatura.external

    clean_html(_WARM_UP_PAGE)
    _english_date_parser().get_date_data("Tuesday, 14 March 2023")  # pages without a date field
    # The public suffix list, read on the first address courlan cannot split by itself.
    tld.get_tld("https://news.example.co.uk/a", fail_silently=True)
    if trafilatura.external.JT_STOPLIST is None:
        trafilatura.external.jt_stoplist_init()
