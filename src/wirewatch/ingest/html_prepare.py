"""Markup repairs before the main-text extractor sees a page.

The extractor (trafilatura) scores containers and paragraphs; these steps fix page shapes it
reads wrongly, each a class of page rather than a site:

* :func:`loose_text_paragraphs`: story text written straight into a ``<div>`` and separated
  by ``<br><br>`` becomes ``<p>`` elements (else the lead before the first break is lost);
* :func:`merge_split_bodies`: a story body cut into sibling containers of one class by ad
  rows is joined into the first one (else only the first part is taken);
* :func:`drop_teaser_headings`, :func:`drop_link_lists`: headings that are links and lists
  of links are teasers for other pages;
* :func:`drop_logo_headings`: an ``<h1>`` that links to the site's home page is the site's
  logo, not the story's headline (its name can be in another script than the title's);
* :func:`drop_other_posts`: on a page of several posts (``<article>`` elements), the ones
  beside the post that holds the page's ``<h1>`` and its prose are other stories (related
  posts, the next post of a blog's stream), which the extractor would join to the story;
* :func:`drop_empty_inline`: empty inline elements (an anchor ``<span id="more-12">``, an
  icon ``<i class="icon">``) go, their following text kept (the precise extraction deletes
  them with the text that follows them, the rest of the paragraph);
* :func:`lift_alt_captions`: the text right after an image that repeats the image's alt text
  is its caption written as a plain ``<span>`` or ``<p>`` (no ``<figcaption>``): it leaves the
  markup and is returned, to be marked as a caption;
* :func:`free_inline_runs`: inline elements inside a paragraph lose their class and id, so
  that no class-based rule of the extractor drops words from the middle of a sentence.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

# Phrasing elements: the only children that can be part of a loose paragraph (anything else,
# custom elements included, is a block of its own).
_PHRASING = {
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "img", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strong",
    "sub", "sup", "time", "u", "var", "wbr",
}
# The post holding the <h1> is the story when its own paragraphs have this much text (else it
# is a header card and the story's text is elsewhere).
_POST_MIN_PROSE = 400
# Loose text shorter than this in a container is a label or a stray word, not story prose.
_LOOSE_MIN_CHARS = 150
# A container of a split body holds at least this much paragraph text.
_SPLIT_MIN_CHARS = 200
# Class words naming a story body container ("story__body", "main-text").
_BODY_WORDS = {"body", "content", "article", "story", "text", "entry", "post"}
# A teaser list: at least this many short items (words on average), each with a link, and
# this share of link text at least (a teaser links its headline or half of it; a story's
# list item links a word or two).
_LINK_LIST_MIN_ITEMS = 2
_LINK_SHARE = 0.35
_LINK_ITEM_MAX_WORDS = 25
_HIDDEN = re.compile(r"hidden|sr-only|screen-?reader|visually|offscreen|a11y", re.I)
# An image's alt text this many words long at least can be told from a one-word label; one
# longer than the maximum is more likely a paragraph a CMS copied into the alt attribute.
_ALT_MIN_WORDS = 2
_ALT_MAX_WORDS = 25
# Inline elements the extractor deletes when empty (trafilatura's CUT_EMPTY_ELEMS, inline part)
_EMPTY_CUT = {"span", "b", "strong", "em", "i", "q"}
_INLINE_IN_P = {"span", "a", "em", "strong", "b", "i", "u", "small", "abbr", "cite", "mark",
                "sup", "sub", "time", "font", "q"}


def _text_len(text: str | None) -> int:
    return len((text or "").strip())


def loose_text_paragraphs(tree: Any) -> None:
    """Text runs directly in a ``<div>``, split on ``<br><br>``, become ``<p>`` elements."""
    chosen = []
    for div in list(tree.iter("div", "td")):
        if _loose_chars(div) >= _LOOSE_MIN_CHARS:
            chosen.append(div)
    # a short paragraph written the same way ("It did not.") is one of them too
    tokens = {t for d in chosen for t in (d.get("class") or "").split()}
    for div in list(tree.iter("div", "td")):
        if div in chosen or not tokens & set((div.get("class") or "").split()):
            continue
        if _loose_chars(div):
            chosen.append(div)
    for div in chosen:
        _rebuild(div)


def _loose_chars(div: Any) -> int:
    """Characters of text in the container itself or in its inline children."""
    inside = sum(len(c.text_content().strip()) for c in div
                 if isinstance(c.tag, str) and not _phrasing(c))
    return max(0, len(div.text_content().strip()) - inside)


def _phrasing(node: Any) -> bool:
    """Inline content: a phrasing element with no block inside (a link around a <div> is not)."""
    return node.tag in _PHRASING and all(
        d.tag in _PHRASING for d in node.iterdescendants() if isinstance(d.tag, str))


def _rebuild(div: Any) -> None:
    """Regroup a container's inline content into paragraphs; block children stay as they are."""
    children = list(div)
    groups: list[list[Any] | Any] = []  # a list = inline run; an element = a block child
    run: list[Any] = []
    lead = div.text
    div.text = None
    breaks = 0

    def flush() -> None:
        nonlocal run
        if run:
            groups.append(run)
        run = []

    if lead and lead.strip():
        run.append(lead)
    for child in children:
        div.remove(child)
        tail, child.tail = child.tail, None
        if isinstance(child.tag, str) and child.tag == "br":
            breaks += 1
            if breaks >= 2:
                flush()
            elif run:  # a single break is a line break inside the paragraph
                run.append(child)
        elif isinstance(child.tag, str) and not _phrasing(child):
            flush()
            groups.append(child)
            breaks = 0
        elif isinstance(child.tag, str):  # inline content; comments are dropped
            run.append(child)
            breaks = 0
        if tail and (tail.strip() or (run and isinstance(child.tag, str)
                                      and _phrasing(child))):
            run.append(tail)  # the space between two inline elements is text too
            breaks = 0 if tail.strip() else breaks
    flush()
    for group in groups:
        if not isinstance(group, list):
            div.append(group)
            continue
        if not any(_text_len(g if isinstance(g, str) else etree.tostring(g, method="text",
                                                                           encoding="unicode"))
                   for g in group):
            continue
        para = etree.SubElement(div, "p")
        for item in group:
            if isinstance(item, str):
                if len(para):
                    para[-1].tail = (para[-1].tail or "") + item
                else:
                    para.text = (para.text or "") + item
            else:
                para.append(item)


def _class_key(node: Any) -> str:
    return " ".join(sorted((node.get("class") or "").split()))


def _para_chars(node: Any) -> int:
    return sum(len(p.text_content().strip()) for p in node.iter("p"))


def merge_split_bodies(tree: Any) -> None:
    """Containers sharing a story-body class, each with paragraphs of its own and in
    different parents (ad rows between them), are joined into the first one."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for node in tree.iter("div", "section"):
        key = _class_key(node)
        if not key:
            continue
        words = set(re.split(r"[\s_\-]+", key.lower()))
        if not words & _BODY_WORDS:
            continue
        groups.setdefault((node.tag, key), []).append(node)
    for nodes in groups.values():
        if len(nodes) < 2:
            continue
        # only containers that are not inside one another and that each hold prose
        outer = [n for n in nodes if not any(a in nodes for a in n.iterancestors())]
        prose = [n for n in outer if _para_chars(n) >= _SPLIT_MIN_CHARS
                 and sum(1 for p in n.iter("p") if p.text_content().strip()) >= 2]
        if len(prose) < 2 or len(prose) != len(outer):
            continue
        paths = {n.getroottree().getpath(n.getparent()) for n in prose}
        if len(paths) < len(prose):
            continue  # siblings are paragraphs of one body already, not cut parts of it
        run = [prose[0]]
        for other in prose[1:]:
            if _separated(run[-1], other):
                break  # another story follows (an infinite-scroll page): stop here
            run.append(other)
        first = run[0]
        for other in run[1:]:
            for child in list(other):
                first.append(child)
            parent = other.getparent()
            if parent is not None:
                parent.remove(other)


def _separated(a: Any, b: Any) -> bool:
    """Whether a heading or prose of its own stands between two containers."""
    prose = 0
    for node in _following(a):
        if node is b:
            return False
        if not isinstance(node.tag, str):
            continue
        if node.tag in {"h1", "h2", "h3"} and node.text_content().strip():
            return True
        if node.tag == "p":
            prose += len(node.text_content().strip())
            if prose >= _SPLIT_MIN_CHARS:
                return True
    return True


def _following(node: Any) -> Any:
    """The elements after node in document order (its descendants excluded)."""
    while node is not None:
        for sib in node.itersiblings():
            yield sib
            yield from sib.iterdescendants()
        node = node.getparent()


def drop_teaser_headings(tree: Any) -> None:
    """Headings (below h1) that are links point to other pages: related-story teasers."""
    doomed = []
    for node in tree.iter("h2", "h3", "h4", "h5", "h6"):
        text = node.text_content().strip()
        if not text:
            continue
        in_link = any(a.tag == "a" and _away(a) for a in node.iterancestors())
        linked = sum(len(a.text_content().strip()) for a in node.iter("a") if _away(a))
        if in_link or linked >= 0.9 * len(text):
            doomed.append(node)
    for node in doomed:
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)  # the tail of a heading is layout whitespace


def drop_link_lists(tree: Any) -> None:
    """Lists of short items, each largely a link, are teasers for other pages."""
    doomed = []
    for node in tree.iter("ul", "ol"):
        items = [li for li in node if isinstance(li.tag, str) and li.tag == "li"]
        texts = [li.text_content().strip() for li in items]
        if len(items) < _LINK_LIST_MIN_ITEMS or not all(texts):
            continue
        if sum(len(t.split()) for t in texts) > _LINK_ITEM_MAX_WORDS * len(texts):
            continue
        linked = [sum(len(a.text_content().strip()) for a in li.iter("a") if a.get("href"))
                  for li in items]
        if all(linked) and sum(linked) >= _LINK_SHARE * sum(len(t) for t in texts):
            doomed.append(node)
    for node in doomed:
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)


def _away(link: Any) -> bool:
    """A link to another page (an anchor inside the page is a section's own heading link)."""
    href = (link.get("href") or "").strip()
    return bool(href) and not href.startswith("#")


def free_inline_runs(tree: Any) -> None:
    """Inline elements in a paragraph with more text than theirs lose class and id."""
    for para in tree.iter("p"):
        total = len(para.text_content().strip())
        for node in para.iterdescendants():
            if not isinstance(node.tag, str) or node.tag not in _INLINE_IN_P:
                continue
            own = len(node.text_content().strip())
            if _HIDDEN.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
                continue  # text for screen readers only ("opens in a new window") stays hidden
            if own and own < total:
                node.attrib.pop("class", None)
                node.attrib.pop("id", None)


def drop_other_posts(tree: Any) -> None:
    """``<article>`` elements beside the one holding the page's first ``<h1>`` and its prose
    go: they are other posts (a "you may like" stream, a blog's next entries)."""
    main = None
    for node in tree.iter("article"):
        if next(node.iter("h1"), None) is None:
            continue
        if any(a.tag == "article" and next(a.iter("h1"), None) is not None
               for a in node.iterdescendants() if isinstance(a.tag, str)):
            continue  # an outer wrapper: the post is the innermost article with the heading
        main = node
        break
    if main is None or _para_chars(main) < _POST_MIN_PROSE:
        return
    around = set(main.iterancestors())
    doomed = [a for a in tree.iter("article")
              if a is not main and a not in around and main not in a.iterancestors()]
    for node in doomed:
        parent = node.getparent()
        if parent is not None and not any(d in doomed for d in node.iterancestors()):
            parent.remove(node)


def drop_empty_inline(tree: Any) -> None:
    """Empty inline elements followed by text go; the text stays where it was."""
    doomed = [node for node in tree.iter(*_EMPTY_CUT)
              if node.text is None and len(node) == 0 and (node.tail or "").strip()]
    for node in doomed:
        parent = node.getparent()
        if parent is None:
            continue
        prev = node.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + (node.tail or "")
        else:
            parent.text = (parent.text or "") + (node.tail or "")
        parent.remove(node)


def _home_link(href: str | None) -> bool:
    """A link to a site's front page: "/", "/index.html", "https://example.org/"."""
    href = (href or "").strip()
    absolute = re.match(r"^(https?:)?//[^/?#]+", href)
    path = href[absolute.end():] if absolute else href
    if absolute and not path:
        return True
    return path in {"/", "/index.html", "/index.htm", "/index.php", "./"}


def drop_logo_headings(tree: Any) -> None:
    """``<h1>`` elements inside or around a link to the site's front page go."""
    doomed = []
    for node in tree.iter("h1"):
        links = [a for a in node.iterancestors("a")] + list(node.iter("a"))
        if any(_home_link(a.get("href")) for a in links):
            doomed.append(node)
    for node in doomed:
        parent = node.getparent()
        if parent is not None:
            parent.remove(node)  # the tail of a heading is layout whitespace


def _words(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def _first_text_after(node: Any) -> tuple[Any, str] | None:
    """The element whose text (or tail) is the first words after node in page order."""
    if (node.tail or "").strip():
        return node, "tail"
    cur = node
    while cur is not None:
        for sib in cur.itersiblings():
            if not isinstance(sib.tag, str):  # a comment or processing instruction
                if (sib.tail or "").strip():
                    return sib, "tail"
                continue
            for action, el in etree.iterwalk(sib, events=("start", "end")):
                if action == "start" and isinstance(el.tag, str) and (el.text or "").strip():
                    return el, "text"
                if action == "end" and (el.tail or "").strip():
                    return el, "tail"
        cur = cur.getparent()
        if cur is not None and (cur.tail or "").strip():
            return cur, "tail"
    return None


def lift_alt_captions(tree: Any) -> list[str]:
    """Elements whose text is the alt text of the image just before them (no other text
    between) go; their texts are returned in page order."""
    doomed = []
    for img in tree.iter("img"):
        alt = _words(img.get("alt"))
        if not _ALT_MIN_WORDS <= len(alt.split()) <= _ALT_MAX_WORDS:
            continue
        found = _first_text_after(img)
        if found is None or found[1] != "text":
            continue
        node = found[0]
        if node.tag in {"h1", "h2", "h3", "h4", "h5", "h6", "a"}:
            continue  # a heading or a link that repeats the picture's name is not a caption
        if _words(node.text_content()) == alt and node not in doomed:
            doomed.append(node)
    captions = []
    for node in doomed:
        parent = node.getparent()
        if parent is None:
            continue
        captions.append(re.sub(r"\s+", " ", node.text_content()).strip())
        prev = node.getprevious()
        if (node.tail or "").strip():
            if prev is not None:
                prev.tail = (prev.tail or "") + (node.tail or "")
            else:
                parent.text = (parent.text or "") + (node.tail or "")
        parent.remove(node)
    return captions
