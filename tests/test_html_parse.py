"""The cleaner's parsers make the trees lxml.html and trafilatura's loader make (invented
pages)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html

from wirewatch.ingest.html_parse import extraction_tree, parse_page

PAGE = """<!DOCTYPE html>
<html><head><title>Port reopens | Coast Courier</title><!-- a comment --></head>
<body><form action="/search"><input name="q"><label>Search</label>
<select><option>All</option></select><textarea>notes</textarea></form>
<article><h1>Port reopens</h1><p>The port of Valdora reopened on Monday, its
director said.</p><?php echo 1 ?><p>Ships queued &amp; waited.</p></article></body></html>"""

PIECES = ["<html>", "</html>", "<body>", "</body>", "<p>", "</p>", "<div class='x'>", "</div>",
          "<form>", "</form>", "<input name='a'>", "<br/>", "<!-- c -->", "<?xml version='1.0'"
          " encoding='utf-8'?>", "<!DOCTYPE html>", "<html/>", "text", " ", "\n", "&amp;",
          "\x0b", "é", "<script>x</script>", "<table><tr><td>1</td></tr></table>"]


def _same(ours, theirs) -> bool:
    if ours is None or theirs is None:
        return ours is None and theirs is None
    return etree.tostring(ours) == etree.tostring(theirs)


def test_trees_equal_the_libraries_own_and_use_one_element_class():
    tree = extraction_tree(PAGE)
    assert _same(tree, load_html(PAGE))
    assert _same(parse_page(PAGE), lxml_html.fromstring(PAGE))
    # trafilatura takes a tree as a page only when it is an HtmlElement
    assert isinstance(tree, lxml_html.HtmlElement)
    assert {type(e) for e in tree.iter() if isinstance(e.tag, str)} == {lxml_html.HtmlElement}
    assert tree.xpath("//title")[0].text_content() == "Port reopens | Coast Courier"


def test_pages_the_loader_rejects_are_rejected():
    for markup in ("<p>one block only</p>", "plain words", ""):
        assert extraction_tree(markup) is None
        assert load_html(markup) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_any_markup_parses_as_trafilaturas_loader_parses_it(pieces):
    markup = "".join(pieces)
    assert _same(extraction_tree(markup), load_html(markup))
