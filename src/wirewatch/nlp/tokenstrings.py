"""The strings of a ``Doc``'s tokens that the scans test, read once per doc.

Several components walk every token of every sentence only to test a word, a lemma, a part
of speech or a dependency against a word list (the event lexicon, the linking verbs, the
gazetteer, the quote cues ...). Each such walk makes a Python ``Token`` per token and reads
its strings again. The lists here are read once (kept in ``doc.user_data``, like
``text_of``): a scan looks the strings up by token index and makes a ``Token`` only for the
few words that pass. spaCy's annotations of a doc do not change once our components run,
so the lists stay right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import add

import numpy
from spacy.attrs import DEP, HEAD, IS_PUNCT, LEMMA, LOWER, ORTH, POS, SPACY, TAG
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

from wirewatch.nlp.doctext import keep_text, text_of

_KEY = "wirewatch_token_strings"
_ATTRS = [ORTH, LOWER, LEMMA, POS, SPACY, IS_PUNCT, DEP, TAG, HEAD]


@dataclass(frozen=True)
class TokenStrings:
    lemma: list[str]  # Token.lemma_
    lemma_lower: list[str]  # Token.lemma_.lower()
    lower: list[str]  # Token.lower_
    pos: list[str]  # Token.pos_
    text: list[str]  # Token.text
    idx: list[int]  # Token.idx
    is_punct: list[bool]  # Token.is_punct
    dep: list[str]  # Token.dep_
    tag: list[str]  # Token.tag_
    head: list[int]  # Token.head.i
    space: list[bool]  # Token.whitespace_ == " "
    doc_text: str  # Doc.text (text_of)

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` (start < end), without a Span."""
        last = end - 1
        return self.doc_text[self.idx[start]:self.idx[last] + len(self.text[last])]


def token_strings(doc: Doc) -> TokenStrings:
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached.lower) != len(doc):
        cached = doc.user_data[_KEY] = _read(doc)
    return cached


# String of each hash met so far. spaCy's StringStore decodes a new str on every lookup;
# a hash names the same string in every vocab, so one table serves all docs. Cleared when
# large, so a long-running worker's table stays bounded.
_SEEN: dict[int, str] = {}
_SEEN_MAX = 1 << 18


def _strings_of(hashes: list[int], doc: Doc) -> list[str]:
    seen = _SEEN
    try:
        return [seen[h] for h in hashes]
    except KeyError:
        if len(seen) > _SEEN_MAX:
            seen.clear()
        store = doc.vocab.strings
        for h in hashes:
            if h not in seen:
                seen[h] = store[h]
        return [seen[h] for h in hashes]


def _read(doc: Doc) -> TokenStrings:
    # One array of the attributes' ids and a string lookup each: cheaper than a Token
    # and a property call per token and attribute.
    n = len(doc)
    array = doc.to_array(_ATTRS) if n else numpy.zeros((0, len(_ATTRS)), dtype="uint64")
    orth, lower, lemma, pos, space, punct, dep, tag, _ = array.T.tolist()
    text = _strings_of(orth, doc)
    keep_text(doc, text, space)
    lemma_s = _strings_of(lemma, doc)
    # A token starts where the one before it and its trailing space end (how spaCy sets
    # Token.idx).
    idx = list(accumulate(map(add, map(len, text), space), initial=0))
    idx.pop()  # the end of the last token
    # HEAD is the offset to the head, stored unsigned: back to signed, then absolute.
    heads = array[:, -1].astype("int64") + numpy.arange(n, dtype="int64")
    return TokenStrings(
        lemma=lemma_s, lemma_lower=list(map(str.lower, lemma_s)),
        lower=_strings_of(lower, doc), pos=[POS_NAMES[p] for p in pos], text=text,
        idx=idx, is_punct=[p == 1 for p in punct], dep=_strings_of(dep, doc),
        tag=_strings_of(tag, doc), head=heads.tolist(), space=[s == 1 for s in space],
        doc_text=text_of(doc))


_TREE_KEY = "wirewatch_token_tree"


@dataclass(frozen=True)
class TokenTree:
    """The dependency parse by token index: a walk over heads and children that makes no
    ``Token``."""

    head: list[int]  # Token.head.i
    dep: list[str]  # Token.dep_
    children: list[Sequence[int]]  # [c.i for c in Token.children], in text order


def token_tree(doc: Doc) -> TokenTree:
    cached = doc.user_data.get(_TREE_KEY)
    if cached is None or len(cached.head) != len(doc):
        strings = token_strings(doc)
        # leaves (most tokens) share one empty tuple: fewer objects to make and collect
        children: list[Sequence[int]] = [()] * len(doc)
        for i, h in enumerate(strings.head):
            if h != i:
                kids = children[h]
                if kids:
                    kids.append(i)  # type: ignore[attr-defined]
                else:
                    children[h] = [i]
        cached = doc.user_data[_TREE_KEY] = TokenTree(
            head=strings.head, dep=strings.dep, children=children)
    return cached
