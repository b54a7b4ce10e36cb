"""Quote attribution: who said what, to whom, in what capacity.

The component ``wirewatch_quotes`` finds direct, indirect and mixed quotes and
fills ``doc._.quotes`` with :class:`~wirewatch.model.Quote` records.  It
combines three sources of evidence:

* a quotation-mark state machine over the raw text (straight, curly and
  doubled-apostrophe marks; every line break closes a quotation, so unbalanced
  marks never run away), which also links continuation paragraphs of a
  multi-paragraph quotation;
* the dependency parse around reporting cues (``quote_cues.yaml``): the cue's
  clausal complement is the content, its subject (or the subject of the verb it
  hangs from, or the noun an ``acl`` participle modifies) is the speaker, and an
  object of "tell" or an "in an interview with" phrase is the addressee;
* layout patterns the parse misses: ``"..." - Speaker``, ``Speaker: "..."``,
  headline ``X: ...``, and quotations with no cue that continue the previous
  paragraph's speaker (lower confidence).

Speakers are resolved with :mod:`wirewatch.nlp.coref` to the actor
component's entities when present; descriptive sources with no name
("observers of the region") are kept as ``speaker_kind="unnamed"``.
"""

from wirewatch.nlp.quotes.component import SCOPES, QuoteAttributor, make_quote_attributor
from wirewatch.nlp.quotes.cues import DEFAULT_CUES, CueLexicon, load_cues
from wirewatch.nlp.quotes.marks import Quotation, quote_kind, scan_quotations

__all__ = [
    "DEFAULT_CUES", "SCOPES", "CueLexicon", "QuoteAttributor", "Quotation", "load_cues",
    "make_quote_attributor", "quote_kind", "scan_quotations",
]
