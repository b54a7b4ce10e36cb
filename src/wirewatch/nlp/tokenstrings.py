"""The strings of a ``Doc``'s tokens that the scans test, read once per doc.

Several components walk every token of every sentence only to test a word, a lemma or a
part of speech against a word list (the event lexicon, the linking verbs ...). Each such
walk makes a Python ``Token`` per token and reads its strings again. The lists here are
read once (kept in ``doc.user_data``, like ``text_of``): a scan looks the strings up by
token index and makes a ``Token`` only for the few words that pass. spaCy's annotations of
a doc do not change once our components run, so the lists stay right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

_KEY = "wirewatch_token_strings"


@dataclass(frozen=True)
class TokenStrings:
    lemma: list[str]  # Token.lemma_
    lemma_lower: list[str]  # Token.lemma_.lower()
    lower: list[str]  # Token.lower_
    pos: list[str]  # Token.pos_
    dep: list[str]  # Token.dep_
    tag: list[str]  # Token.tag_
    head: list[int]  # Token.head.i


# Every string id the lists were read with, named: a plain dict lookup, where the
# string store is asked one id at a time. An id names the same string for good (it is
# the string's hash), so the names cannot go stale.
_NAMES: dict[int, str] = {}


def _named(ids: list[int], doc: Doc) -> list[str]:
    try:
        return list(map(_NAMES.__getitem__, ids))
    except KeyError:
        strings = doc.vocab.strings
        for h in set(ids).difference(_NAMES):
            _NAMES[h] = strings[h]
        return list(map(_NAMES.__getitem__, ids))


def token_strings(doc: Doc) -> TokenStrings:
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached.lower) != len(doc):
        # one array of the doc's ids, named through the string store: no Token per word
        # (what Token.lemma_, .lower_, .pos_, .dep_ and .tag_ look up one at a time)
        ids = doc.to_array([LEMMA, LOWER, POS, DEP, TAG, HEAD])
        lemma = _named(ids[:, 0].tolist(), doc)
        # HEAD is the offset to the head, stored unsigned: back to signed, then absolute
        heads = ids[:, 5].astype("int64") + numpy.arange(len(doc), dtype="int64")
        cached = doc.user_data[_KEY] = TokenStrings(
            lemma=lemma, lemma_lower=[x.lower() for x in lemma],
            lower=_named(ids[:, 1].tolist(), doc),
            pos=[POS_NAMES[p] for p in ids[:, 2].tolist()],
            dep=_named(ids[:, 3].tolist(), doc),
            tag=_named(ids[:, 4].tolist(), doc),
            head=heads.tolist())
    return cached


_CHILDREN_KEY = "wirewatch_token_children"


def token_children(doc: Doc) -> list[list[int]]:
    """The indices of each token's children, in order (``Token.children``), kept per doc:
    a parse walk tests the children's strings without making a ``Token`` for each."""
    cached = doc.user_data.get(_CHILDREN_KEY)
    if cached is None or len(cached) != len(doc):
        cached = [[] for _ in range(len(doc))]
        for i, h in enumerate(token_strings(doc).head):
            if h != i:
                cached[h].append(i)
        doc.user_data[_CHILDREN_KEY] = cached
    return cached
