"""The dictionary matcher of the attribute ruler (nlp/rulermatch.py) finds exactly the
matches of spaCy's Matcher, so POS, morphology and lemmas stay spaCy's own."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from wirewatch.nlp.pipeline import BASE_MODEL
from wirewatch.nlp.rulermatch import RulerMatch, speed_up


@pytest.fixture(scope="module")
def base():
    return spacy.load(BASE_MODEL)


def _pattern_words(ruler):
    """Every word a ruler pattern names (as a value or in a list), and capitalised."""
    words = set()
    for p in ruler.patterns:
        for alt in p["patterns"]:
            for tok in alt:
                value = tok.get("LOWER")
                if isinstance(value, str):
                    words.add(value)
                elif isinstance(value, dict):
                    words.update(v for v in value.get("IN", ()) if isinstance(v, str))
    return sorted(words | {w.capitalize() for w in words})


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_same_matches_as_the_matcher_on_any_tags_words_and_labels(base, data):
    """Random words (the patterns' own, regex-shaped ones, spaces, others) with random
    tags and dependency labels, some left unset."""
    ruler = base.get_pipe("attribute_ruler")
    fast = RulerMatch(ruler)
    words = _pattern_words(ruler) + [
        "y'", "y", "ai", "nt", "n't", "nothin'", "nuthin'", "nthin'", "Nothin'", " ", "\n",
        "  ", "Lakeford", "pilots", "went", "'", "-", "wo", "ca", "gonna", "dunno"]
    tags = [*base.get_pipe("tagger").labels, "_SP", "XX"]
    deps = [*base.get_pipe("parser").labels, "dep"]
    n = data.draw(st.integers(1, 12))
    doc_words = data.draw(st.lists(st.sampled_from(words), min_size=n, max_size=n))
    kind = data.draw(st.sampled_from(["all", "no_deps", "no_tags", "holes"]))
    doc_tags = data.draw(st.lists(st.sampled_from(tags), min_size=n, max_size=n))
    doc_deps = data.draw(st.lists(st.sampled_from(deps), min_size=n, max_size=n))
    if kind == "holes":
        doc_tags = [t if data.draw(st.booleans()) else "" for t in doc_tags]
        doc_deps = [d if data.draw(st.booleans()) else None for d in doc_deps]
    heads = list(range(n))
    doc = Doc(base.vocab, words=doc_words,
              tags=None if kind == "no_tags" else doc_tags,
              deps=None if kind == "no_deps" else doc_deps,
              heads=None if kind == "no_deps" else heads)
    assert fast(doc) == AttributeRuler.match(ruler, doc)
    assert fast(doc) == AttributeRuler.match(ruler, doc)  # again, from its memory


def test_parsed_text_gets_the_same_annotations():
    plain = spacy.load(BASE_MODEL)
    quick = spacy.load(BASE_MODEL)
    speed_up(quick)
    assert isinstance(quick.get_pipe("attribute_ruler").match, RulerMatch)
    text = ("Y'all ain't gonna believe it: the Lakeford council's chair, who'd said there "
            "were no funds, got the vote. Let's see, said Mira Tolan. \"I've nothin' to add.\"\n\n"
            "It's not over; it gets harder and they haven't any plan, did they?  Gotta go.")
    a, b = plain(text), quick(text)
    assert [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in a] == \
        [(t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in b]


def test_patterns_it_cannot_reproduce_stay_with_the_matcher(base):
    ruler = AttributeRuler(base.vocab)
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]], {"POS": "ADJ"}, index=-1)
    ruler.add([[{"LENGTH": {">=": 4}}]], {"POS": "NOUN"})
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    fast = RulerMatch(ruler)
    assert len(fast.rest) == 2 and len(fast.patterns) == 1
    doc = Doc(base.vocab, words=["a", "very", "very", "big", "house"],
              tags=["DT", "RB", "RB", "JJ", "NN"])
    assert fast(doc) == AttributeRuler.match(ruler, doc)
