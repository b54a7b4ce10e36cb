"""Agents the article establishes for deeds its sentences tell without one.

"Haddad was arrested at her office" names no arresting party, but an article about one
sheriff's department's investigation makes clear who arrested her. Precision first: the agent
is taken only when the text leaves one candidate — a law-enforcement party in the same
sentence, else the single law-enforcement body the whole article names. Killings are never
given an agent this way (the police who report a killing did not commit it).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc

from wirewatch.model import Event, Participant
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.events.words import LAW_ENFORCEMENT

# COERCE modes that take people into custody
CUSTODY_MODES = frozenset({"arrest"})
_LAW = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted((re.escape(w) for w in LAW_ENFORCEMENT), key=len,
                                       reverse=True)) + r")(?![\w-])",
    re.IGNORECASE,
)


def _law_entities(doc: Doc) -> list[Any]:
    return [e for e in (doc._.entities or [])
            if e.type in {"ORG", "NORP", "GPE"} and _LAW.search(e.name or "")]


def _in_sentence(doc: Doc, event: Event, ents: list[Any]) -> list[Participant]:
    """Law-enforcement parties named in the event's own sentence ("a shootout with police")."""
    text = text_of(doc)
    found: dict[str, Participant] = {}
    for ent in ents:
        inside = [m for m in ent.mentions if event.start <= m.start and m.end <= event.end]
        if inside:
            m = inside[0]
            found[ent.id] = Participant(entity=ent.id, text=text[m.start:m.end],
                                        start=m.start, end=m.end)
    if found:
        return list(found.values())
    for m in _LAW.finditer(text, event.start, event.end):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None or span.root.pos_ not in {"NOUN", "PROPN"}:
            continue
        if span.root.dep_ in {"compound", "amod", "poss"}:
            continue  # "a police car" is a car
        found.setdefault(m.group(0).lower(), Participant(
            entity=None, text=text[m.start():m.end()], start=m.start(), end=m.end()))
    return list(found.values())


def _the_one_body(event: Event, ents: list[Any]) -> Participant | None:
    """The article's only law-enforcement body, by its mention nearest before the deed."""
    ids = {e.id for e in ents}
    if len(ids) != 1:
        return None
    ent = ents[0]
    before = [m for m in ent.mentions if m.start < event.trigger.start] or ent.mentions
    if not before:
        return None
    m = before[-1]
    return Participant(entity=ent.id, text=m.text, start=m.start, end=m.end)


def establish_agents(doc: Doc, events: list[Event]) -> None:
    """Give custody events without an actor the arresting party the article establishes."""
    targets = [e for e in events
               if e.type == "COERCE" and e.mode in CUSTODY_MODES and not e.actors]
    if not targets:
        return
    ents = _law_entities(doc)
    for event in targets:
        near = _in_sentence(doc, event, ents)
        if len(near) > 1:
            continue  # two bodies in the sentence: which one made the arrest is not said
        agent = near[0] if near else _the_one_body(event, ents)
        if agent is None or any(
            r.start < agent.end and agent.start < r.end for r in event.recipients
        ):
            continue  # "two officers were arrested": the arrested are not the arresters
        event.actors = [agent]
        event.pattern = f"{event.pattern}|agent established by the article"
        if event.field_confidence is not None:
            event.field_confidence["actors"] = 0.5
