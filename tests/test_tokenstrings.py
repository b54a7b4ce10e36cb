"""The per-doc token strings the event scans read are the tokens' own."""

import pytest

from wirewatch.model import Article
from wirewatch.nlp.events.syntax import subtree_of
from wirewatch.nlp.pipeline import make_doc
from wirewatch.nlp.tokenstrings import token_strings, token_tree


@pytest.fixture(scope="module")
def parse():  # type: ignore[no-untyped-def]
    """The pinned spaCy model (no components of ours) over an invented text."""
    import spacy

    from wirewatch.nlp.pipeline import BASE_MODEL

    nlp = spacy.load(BASE_MODEL)
    return lambda text: nlp(make_doc(nlp, Article(id="t", text=text)))


def test_strings_are_the_tokens_and_are_read_once(parse):
    doc = parse("The Lakeford council SHOULD have voted; Mira Tolan said it must.\n\n"
                "Officials were Meeting on Friday.")
    got = token_strings(doc)
    assert got.lemma == [t.lemma_ for t in doc]
    assert got.lemma_lower == [t.lemma_.lower() for t in doc]
    assert got.lower == [t.lower_ for t in doc]
    assert got.pos == [t.pos_ for t in doc]
    assert got.dep == [t.dep_ for t in doc]
    assert got.tag == [t.tag_ for t in doc]
    assert got.head == [t.head.i for t in doc]
    assert [list(kids) for kids in token_tree(doc).children] == [
        [c.i for c in t.children] for t in doc]
    assert token_strings(doc) is got
    assert got.text == [t.text for t in doc]
    assert got.idx == [t.idx for t in doc]
    assert got.is_punct == [t.is_punct for t in doc]
    assert got.space == [t.whitespace_ == " " for t in doc]


def test_the_text_kept_with_the_strings_is_the_docs(parse):
    from wirewatch.nlp.doctext import text_of

    text = "Mira Tolan  said:\n\n\"We stay.\"  \tThe end \n"
    doc = parse(text)
    token_strings(doc)
    assert text_of(doc) == doc.text == text


def test_tree_is_the_parse_and_is_read_once(parse):
    doc = parse("The Lakeford council, which met on Friday, rejected the plan that Mira Tolan "
                "had drafted.\n\nShe said she would appeal.")
    tree = token_tree(doc)
    assert tree.head == [t.head.i for t in doc]
    assert tree.dep == [t.dep_ for t in doc]
    assert [list(kids) for kids in tree.children] == [[c.i for c in t.children] for t in doc]
    assert all(subtree_of(tree, t.i) == [x.i for x in t.subtree] for t in doc)
    assert token_tree(doc) is tree


def test_empty_doc():
    import spacy

    nlp = spacy.blank("en")
    doc = nlp("")
    assert token_strings(doc).lower == [] and list(token_tree(doc).children) == []
