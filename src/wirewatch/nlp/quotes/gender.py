"""Grammatical gender of a person as the article marks it, for "he"/"she" speakers.

Evidence is only what the text writes next to the person's mentions: a title ("Ms. Ruiz")
or a gendered role noun in the same phrase ("Ana Ruiz, a spokeswoman", "the chairman, Ed
Lake"). Anything else stays unknown, and an unknown person agrees with either pronoun.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from spacy.tokens import Doc

from wirewatch.model import Entity
from wirewatch.nlp import coref
from wirewatch.nlp.tables import table

GENDER_WORDS = Path(__file__).parent.parent / "data" / "gender_words.yaml"


@table
def _words() -> dict[str, dict[str, frozenset[str]]]:
    with open(GENDER_WORDS, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {part: {g: frozenset(w.lower() for w in ws) for g, ws in data[part].items()}
            for part in ("titles", "nouns", "pronouns")}


def pronoun_gender(word: str) -> str | None:
    low = word.lower()
    return next((g for g, ws in _words()["pronouns"].items() if low in ws), None)


def person_gender(doc: Doc, entity: Entity) -> str | None:
    """"female", "male" or None (no marker, or markers of both)."""
    words = _words()
    found: set[str] = set()
    for role in coref.roles_of(doc, entity):
        for w in role.lower().replace("-", " ").split():
            found |= {g for g, ws in words["nouns"].items() if w in ws}
    for m in entity.mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        before = doc[max(span.start - 1, 0)] if span.start > 0 else None
        if before is not None:
            title = before.lower_.rstrip(".")
            found |= {g for g, ws in words["titles"].items() if title in ws}
        # a role noun in the same phrase: an apposition of the name, or the name's
        # apposition head ("the chairman, Ed Lake")
        root = span.root
        near = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos":
            near.append(root.head)
        for tok in near:
            found |= {g for g, ws in words["nouns"].items() if tok.lemma_.lower() in ws
                      or tok.lower_ in ws}
    return found.pop() if len(found) == 1 else None


def agrees(doc: Doc, entity: Entity, pronoun: str) -> bool:
    """False only when the article marks the person with the pronoun's other gender."""
    want = pronoun_gender(pronoun)
    if want is None or entity.type != "PERSON":
        return True
    have = person_gender(doc, entity)
    return have is None or have == want
