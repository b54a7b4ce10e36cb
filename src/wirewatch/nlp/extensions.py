"""Custom attributes our components read and write on spaCy ``Doc`` objects.

The article record being built travels with the doc: ``doc._.article`` holds the
cleaned :class:`~wirewatch.model.Article` (publication date, segments), and
each component appends its records to its own list.
"""

from __future__ import annotations

from spacy.tokens import Doc

_LIST_ATTRS = ("entities", "quotes", "events", "relations", "times", "places")


def register_extensions() -> None:
    if not Doc.has_extension("article"):
        Doc.set_extension("article", default=None)
    for name in _LIST_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    # char offset -> entity id, filled by the actor component, used by later components
    if not Doc.has_extension("entity_at"):
        Doc.set_extension("entity_at", default=None)
    # the one span -> entity index over those mentions (nlp.spanindex.entity_index), built
    # once per doc and shared by coref, quotes, relations and events
    if not Doc.has_extension("entity_index"):
        Doc.set_extension("entity_index", default=None)


register_extensions()
