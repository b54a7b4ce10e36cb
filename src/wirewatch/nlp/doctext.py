"""The text of a spaCy ``Doc``, built once per doc.

``Doc.text`` joins every token's text each time it is read: O(length of the
article). Read once per fact, that made the pipeline quadratic in the length of
an article (a 100,000-character text spent minutes in the quotes component
alone). The text of a doc never changes, so it is kept in ``doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "wirewatch_text"


def text_of(doc: Doc) -> str:
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def keep_text(doc: Doc, words: list[str], spaces: list[int]) -> None:
    """Keep the doc's text joined from its tokens' strings (read once elsewhere) and their
    trailing-space flags: what ``Doc.text`` gives, without a ``Token`` per token."""
    if _KEY not in doc.user_data:
        doc.user_data[_KEY] = "".join([w + " " if sp else w
                                       for w, sp in zip(words, spaces, strict=True)])
