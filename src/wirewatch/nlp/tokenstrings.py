"""The strings of a ``Doc``'s tokens that the scans test, read once per doc.

Several components walk every token of every sentence only to test a word, a lemma or a
part of speech against a word list (the event lexicon, the linking verbs, the gazetteer
...). Each such walk makes a Python ``Token`` per token and reads its strings again. The
lists here are read once (kept in ``doc.user_data``, like ``text_of``): a scan looks the
strings up by token index and makes a ``Token`` only for the few words that pass. spaCy's
annotations of a doc do not change once our components run, so the lists stay right.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from operator import add

from spacy.attrs import IS_PUNCT, LEMMA, LOWER, ORTH, POS, SPACY
from spacy.tokens import Doc

from wirewatch.nlp.doctext import keep_text, text_of

_KEY = "wirewatch_token_strings"
_ATTRS = [ORTH, LOWER, LEMMA, POS, SPACY, IS_PUNCT]


@dataclass(frozen=True)
class TokenStrings:
    lemma: list[str]  # Token.lemma_
    lemma_lower: list[str]  # Token.lemma_.lower()
    lower: list[str]  # Token.lower_
    pos: list[str]  # Token.pos_
    text: list[str]  # Token.text
    idx: list[int]  # Token.idx
    is_punct: list[bool]  # Token.is_punct
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
    orth, lower, lemma, pos, space, punct = doc.to_array(_ATTRS).T.tolist() if len(doc) else (
        [], [], [], [], [], [])
    text = _strings_of(orth, doc)
    keep_text(doc, text, space)
    lemma_s = _strings_of(lemma, doc)
    # A token starts where the one before it and its trailing space end (how spaCy sets
    # Token.idx).
    idx = list(accumulate(map(add, map(len, text), space), initial=0))
    idx.pop()  # the end of the last token
    return TokenStrings(
        lemma=lemma_s, lemma_lower=list(map(str.lower, lemma_s)),
        lower=_strings_of(lower, doc), pos=_strings_of(pos, doc), text=text,
        idx=idx, is_punct=[p == 1 for p in punct], doc_text=text_of(doc))
