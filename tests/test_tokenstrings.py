"""The per-doc token strings the event scans read are the tokens' own."""

from wirewatch.model import Article
from wirewatch.nlp.pipeline import make_doc
from wirewatch.nlp.tokenstrings import token_children, token_strings


def test_strings_are_the_tokens_and_are_read_once():
    import spacy

    from wirewatch.nlp.pipeline import BASE_MODEL

    nlp = spacy.load(BASE_MODEL)
    doc = nlp(make_doc(nlp, Article(id="t", text=(
        "The Lakeford council SHOULD have voted; Mira Tolan said it must.\n\n"
        "Officials were Meeting on Friday."))))
    got = token_strings(doc)
    assert got.lemma == [t.lemma_ for t in doc]
    assert got.lemma_lower == [t.lemma_.lower() for t in doc]
    assert got.lower == [t.lower_ for t in doc]
    assert got.pos == [t.pos_ for t in doc]
    assert got.dep == [t.dep_ for t in doc]
    assert got.tag == [t.tag_ for t in doc]
    assert got.head == [t.head.i for t in doc]
    assert token_children(doc) == [[c.i for c in t.children] for t in doc]
    assert token_strings(doc) is got
    assert got.text == [t.text for t in doc]
    assert got.idx == [t.idx for t in doc]
    assert got.is_punct == [t.is_punct for t in doc]


def test_the_text_kept_with_the_strings_is_the_docs():
    import spacy

    from wirewatch.nlp.doctext import text_of
    from wirewatch.nlp.pipeline import BASE_MODEL

    nlp = spacy.load(BASE_MODEL)
    text = "Mira Tolan  said:\n\n\"We stay.\"  \tThe end \n"
    doc = nlp(make_doc(nlp, Article(id="t", text=text)))
    token_strings(doc)
    assert text_of(doc) == doc.text == text
