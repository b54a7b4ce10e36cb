"""spaCy's entity spans of a ``Doc``, built once per doc.

``Doc.ents`` walks every token's IOB tag and makes a new ``Span`` per entity each time it
is read; the actor and place components read it several times per article. The tagger's
entities do not change once our components run (none of them sets ``doc.ents``), so the
spans are kept in ``doc.user_data``, like ``text_of``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_KEY = "wirewatch_ents"


def ents_of(doc: Doc) -> tuple[Span, ...]:
    ents = doc.user_data.get(_KEY)
    if ents is None:
        ents = doc.user_data[_KEY] = doc.ents
    return ents
