"""Parsing web pages into lxml trees, for the cleaner and for trafilatura.

lxml.html chooses the Python class of every element it hands to Python in a Python
callback (a class per tag, for forms and their fields): on news pages that callback ran
about 150,000 times per 24 pages and cost a tenth of the cleaner's time. These parsers
choose in C, with one element class; the per-tag classes only add form helpers that
neither the cleaner nor trafilatura uses, so the trees behave the same.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import HTML_PARSER as TRAFILATURA_PARSER
from trafilatura.utils import is_dubious_html, repair_faulty_html

_CLASSES = {"element": lxml_html.HtmlElement, "comment": lxml_html.HtmlComment,
            "pi": lxml_html.HtmlProcessingInstruction, "entity": lxml_html.HtmlEntity}


def _fast(parser: lxml_html.HTMLParser) -> lxml_html.HTMLParser:
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(**_CLASSES))
    return parser


# lxml.html's default parser (what ``lxml.html.fromstring`` uses) and trafilatura's own.
_PAGE_PARSER = _fast(lxml_html.HTMLParser())
_EXTRACT_PARSER = _fast(TRAFILATURA_PARSER.copy())


def parse_page(markup: str) -> Any:
    """``lxml.html.fromstring(markup)``, faster. Raises what it raises."""
    return lxml_html.fromstring(markup, parser=_PAGE_PARSER)


def _from_bytes(markup: str) -> Any | None:
    try:
        return lxml_html.fromstring(markup.encode("utf8", "surrogatepass"),
                                    parser=_EXTRACT_PARSER)
    except Exception:  # noqa: BLE001 - trafilatura's loader gives up the same way
        return None


def extraction_tree(markup: str) -> Any | None:
    """The tree trafilatura's loader (``trafilatura.utils.load_html``) makes of ``markup``,
    or None where it rejects the page, with the faster parser: one parse serves both
    extractions (``bare_extraction`` copies a tree it is given before it changes it)."""
    beginning = markup[:50].lower()
    dubious = is_dubious_html(beginning)
    markup = repair_faulty_html(markup, beginning)
    tree, from_bytes = None, False
    try:
        tree = lxml_html.fromstring(markup, parser=_EXTRACT_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported"
        tree, from_bytes = _from_bytes(markup), True
    except Exception:  # noqa: BLE001 - as the loader: an unparsable page has no tree
        tree = None
    if (tree is None or len(tree) < 1) and not from_bytes:
        tree = _from_bytes(markup)
    if tree is not None and dubious and len(tree) < 2:
        return None
    return tree
