"""Name tests for speakers and headline labels: proper-name tokens, dates mistaken for names."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from wirewatch.model import Entity
from wirewatch.nlp import coref


def _all_named(doc: Doc, start: int, end: int) -> bool:
    """True when every word of the span is a proper name (or inside a named entity)."""
    sp = doc.char_span(start, end, alignment_mode="expand")
    words = [t for t in sp or [] if not (t.is_punct or t.is_space or t.lower_ == "the")]
    return bool(words) and all(
        t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or t.pos_ == "PROPN" for t in words
    )


def _named_elsewhere(doc: Doc, head: str) -> bool:
    """True when the article names a person or organisation with the head's last word."""
    words = head.split()
    last = words[-1].lower() if words else ""
    return bool(last) and any(
        ent.label_ in {"PERSON", "ORG"} and last in {t.lower_ for t in ent}
        for ent in doc.ents
    )


def _name_tokens_span(tok: Token) -> list[Token]:
    """The proper-name tokens around a PROPN head (its compounds and flat parts)."""
    if tok.ent_type_:
        # the sentence's tokens in tok's entity: read over the entity's own tokens, not
        # the whole sentence with the entity found again for each token
        sent = tok.sent
        lo, hi = _ent_bounds(tok)
        toks = [t for t in tok.doc[max(lo, sent.start) : min(hi, sent.end)]
                if t.ent_iob_ and t.ent_type_ == tok.ent_type_]
        if toks:
            return toks
    toks = [tok]
    for child in sorted(tok.lefts, key=lambda t: -t.i):
        if child.dep_ == "compound" and child.pos_ == "PROPN" and child.i == toks[0].i - 1:
            toks.insert(0, child)
    return toks


def _ent_bounds(b: Token) -> tuple[int, int]:
    """The token range of b's entity (b alone outside one)."""
    # From b's IOB tags outwards: reading doc.ents per call made long articles quadratic.
    if b.ent_iob_ not in ("B", "I"):
        return b.i, b.i + 1
    doc = b.doc
    start = b.i
    while doc[start].ent_iob_ == "I" and start > 0 and doc[start - 1].ent_iob_ in ("B", "I"):
        start -= 1
    end = b.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _looks_like_name(text: str) -> bool:
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    if not words or len(words) > 8:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w[:1] == "@")
    return caps >= max(1, len(words) // 2) and not text.strip().endswith(".")


def _shares_token(name: str, entity: Entity) -> bool:
    toks = set(coref._name_tokens(name))
    ent_toks = set(coref._name_tokens(entity.name))
    for m in entity.mentions:
        ent_toks |= set(coref._name_tokens(m.text))
    return bool(toks & ent_toks) or not toks


_DATE_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "tonight",
}


def _name_not_date(tok: Token) -> bool:
    """A capitalised subject the NER calls a date ("said Valdor, who worked ... 20 years")."""
    return (
        tok.pos_ == "PROPN" and tok.dep_ in {"nsubj", "nsubjpass"} and tok.is_title
        and tok.lower_ not in _DATE_WORDS and not any(ch.isdigit() for ch in tok.text)
    )
