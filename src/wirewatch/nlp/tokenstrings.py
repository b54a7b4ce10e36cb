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

from spacy.tokens import Doc

_KEY = "wirewatch_token_strings"


@dataclass(frozen=True)
class TokenStrings:
    lemma: list[str]  # Token.lemma_
    lemma_lower: list[str]  # Token.lemma_.lower()
    lower: list[str]  # Token.lower_
    pos: list[str]  # Token.pos_


def token_strings(doc: Doc) -> TokenStrings:
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached.lower) != len(doc):
        lemma = [t.lemma_ for t in doc]
        cached = doc.user_data[_KEY] = TokenStrings(
            lemma=lemma, lemma_lower=[x.lower() for x in lemma],
            lower=[t.lower_ for t in doc], pos=[t.pos_ for t in doc])
    return cached
