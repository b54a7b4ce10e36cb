"""The lemmatizer's set-backed word lists (nlp/lemmaindex.py) answer as the lists did."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.nlp.lemmaindex import IndexList, speed_up
from wirewatch.nlp.pipeline import BASE_MODEL

WORDS = ["harbour", "ferry", "Ferry", "ferries", "", "naïve", "a-b", "x1"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(words=st.lists(st.sampled_from(WORDS) | st.text(max_size=4), max_size=12),
       probe=st.sampled_from(WORDS) | st.text(max_size=4) | st.integers() | st.none())
def test_membership_is_the_lists(words, probe):
    fast = IndexList(words)
    assert (probe in fast) == (probe in list(words))
    assert fast == words and list(fast) == words


def test_lemmas_are_spacys_own():
    plain = spacy.load(BASE_MODEL)
    quick = spacy.load(BASE_MODEL)
    speed_up(quick)
    assert any(isinstance(v, IndexList) for v in
               quick.get_pipe("lemmatizer").lookups.get_table("lemma_index").values())
    text = ("The ferries were berthing while the Lakeford harbourmasters argued; Mira Tolan's "
            "crews had mended the nets, fished the shallows and sold cheaper catches. "
            "Councillors wrote, rewrote and re-examined the rules, better and best.")
    assert [t.lemma_ for t in plain(text)] == [t.lemma_ for t in quick(text)]
