"""The PLOVER event coder: who did what to whom, with the sentence behind it.

A transparent rule core, one module per step (see :mod:`.component`). Importing this
package registers the ``wirewatch_events`` spaCy factory.
"""

from wirewatch.nlp.events.component import EventCoder, make_event_coder

__all__ = ["EventCoder", "make_event_coder"]
