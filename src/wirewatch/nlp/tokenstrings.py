"""The strings of a ``Doc``'s tokens that the scans test, read once per doc.

Several components walk every token of every sentence only to test a word, a lemma or a
part of speech against a word list (the event lexicon, the linking verbs ...). Each such
walk makes a Python ``Token`` per token and reads its strings again. The lists here are
read once (kept in ``doc.user_data``, like ``text_of``): a scan looks the strings up by
token index and makes a ``Token`` only for the few words that pass. spaCy's annotations of
a doc do not change once our components run, so the lists stay right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, ORTH, POS, SPACY, TAG
from spacy.tokens import Doc

_KEY = "wirewatch_token_strings"
# one array of the doc's attribute hashes, read in C: cheaper than a Token per word
_ATTRS = [LEMMA, LOWER, POS, ORTH, TAG, SPACY]


@dataclass(frozen=True)
class TokenStrings:
    lemma: list[str]  # Token.lemma_
    lemma_lower: list[str]  # Token.lemma_.lower()
    lower: list[str]  # Token.lower_
    pos: list[str]  # Token.pos_
    text: list[str]  # Token.text
    tag: list[str]  # Token.tag_
    space: list[bool]  # Token.whitespace_ == " "


# hash -> string: a hash names one string for good (it is the string's hash), so the map
# cannot go stale; it is emptied when large so that a long run does not grow it forever
_NAMES: dict[int, str] = {}
_MAX_NAMES = 200_000


def _strings(doc: Doc, hashes: list[int]) -> list[str]:
    missing = set(hashes).difference(_NAMES)
    if missing:
        if len(_NAMES) > _MAX_NAMES:
            _NAMES.clear()
            missing = set(hashes)
        names = doc.vocab.strings
        _NAMES.update((h, names[h]) for h in missing)
    return list(map(_NAMES.__getitem__, hashes))


def token_strings(doc: Doc) -> TokenStrings:
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached.lower) != len(doc):
        columns = doc.to_array(_ATTRS).T.tolist() if len(doc) else [[] for _ in _ATTRS]
        lemma, lower, pos, text, tag = (_strings(doc, col) for col in columns[:5])
        cached = doc.user_data[_KEY] = TokenStrings(
            lemma=lemma, lemma_lower=[x.lower() for x in lemma], lower=lower, pos=pos,
            text=text, tag=tag, space=[bool(x) for x in columns[5]])
    return cached


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
        array = doc.to_array([HEAD, DEP])
        # the head is stored as an offset, in unsigned words
        head = (array[:, 0].view(numpy.int64) + numpy.arange(len(doc))).tolist()
        deps = array[:, 1].tolist()
        # leaves (most tokens) share one empty tuple: fewer objects to make and collect
        children: list[Sequence[int]] = [()] * len(head)
        for i, h in enumerate(head):
            if h != i:
                kids = children[h]
                if kids:
                    kids.append(i)  # type: ignore[attr-defined]
                else:
                    children[h] = [i]
        cached = doc.user_data[_TREE_KEY] = TokenTree(
            head=head, dep=_strings(doc, deps), children=children)
    return cached
