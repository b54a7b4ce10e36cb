"""Light rule-based reference resolution for speakers and participants.

Resolves a character span ("Hussein", "he", "the minister", "the ministry")
to an article entity.  Entities come from the actor component
(``doc._.entities``) when it ran; otherwise a local fallback index is built
from spaCy's named entities so that resolution still works in bare pipelines.
Fallback entities are marked ``kind="local"`` and their ids are not global:
callers should not store them as actor ids (see :func:`is_local`).

The rules are deliberately simple and explainable: names match by surname or
contained tokens, pronouns take the nearest compatible preceding mention
(preferring earlier speakers), nominal descriptions ("the minister") take the
nearest person whose role contains the noun, and organisational nominals
("the ministry") the nearest organisation whose name contains it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml
from spacy.tokens import Doc, Span, Token

from wirewatch.model import Entity, Mention, content_id
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.spanindex import EntityIndex, entity_index
from wirewatch.nlp.tables import table
from wirewatch.nlp.tokenstrings import token_strings, token_tree

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
PLURAL_PRONOUNS = {"they", "them", "their", "themselves", "we", "us", "our"}
THING_PRONOUNS = {"it", "its", "itself"}
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
PRONOUNS = PERSON_PRONOUNS | PLURAL_PRONOUNS | THING_PRONOUNS | FIRST_PERSON | {"you"}

_NOUNS_PATH = Path(__file__).parent / "data" / "coref_nouns.yaml"


@table
def _nouns() -> dict[str, frozenset[str]]:
    with open(_NOUNS_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return {k: frozenset(str(w).lower() for w in v or []) for k, v in data.items()}


# Nouns that describe a person by office ("the minister"), an organisation by its kind
# ("the ministry"), or a document that speaks for its issuer ("the statement").
PERSON_NOUNS = _nouns()["person_nouns"]
ORG_NOUNS = _nouns()["org_nouns"]
DOCUMENT_NOUNS = _nouns()["document_nouns"]
_TITLE_WORDS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt",
    "president", "prime", "minister", "secretary", "senator", "governor", "mayor",
    "former", "sir", "lord", "judge", "chief", "king", "queen", "prince", "pope",
}
_PERSON_LABELS = {"PERSON"}
_GROUP_LABELS = {"ORG", "NORP", "GPE", "FAC"}


@dataclass
class _Known:
    entity: Entity
    local: bool
    roles: list[str] = field(default_factory=list)


def is_local(entity: Entity | None) -> bool:
    """True for fallback entities built here (their ids are not actor ids)."""
    return entity is not None and entity.kind == "local"


def mention_type(text: str) -> str:
    """Classify a reference: pronoun, nominal ("the minister") or name."""
    words = text.strip().split()
    if not words:
        return "nominal"
    low = text.strip().lower()
    if low in PRONOUNS:
        return "pronoun"
    if low.split()[0] in {"the", "a", "an", "this", "that", "these", "those"} and not any(
        w[:1].isupper() for w in words[1:]
    ):
        return "nominal"
    if any(w[:1].isupper() for w in words):
        return "name"
    return "nominal"


_POSSESSIVE_S = re.compile(r"[’']s\b")
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_THE = re.compile(r"^[Tt]he\s+")
_POSSESSIVE_END = re.compile(r"[’']s$")


@lru_cache(maxsize=1 << 16)  # the same mention texts are normalised for every reference
def _norm(text: str) -> str:
    text = _POSSESSIVE_S.sub("", text)
    return _NON_WORD.sub(" ", text.lower()).strip()


def _name_tokens(text: str) -> list[str]:
    toks = [t for t in _norm(text).split() if t not in _TITLE_WORDS]
    return toks


def _surname(text: str) -> str | None:
    toks = _name_tokens(text)
    return toks[-1] if toks else None


def _entity_index(doc: Doc) -> list[_Known]:
    """Entities of the article with their mentions and roles, cached on the doc."""
    cache = doc.user_data.get("wirewatch_coref_index")
    if cache is not None:
        return cache
    known: list[_Known] = []
    entities = getattr(doc._, "entities", None) if Doc.has_extension("entities") else None
    if entities:
        known = [_Known(e, False, []) for e in entities]
        for k in known:
            # roles written next to any mention ("Iraq's foreign minister, X") come first:
            # the article's own words name the speaker's role
            for m in k.entity.mentions:
                role = role_near(doc, m.start, m.end)
                if role and role not in k.roles:
                    k.roles.append(role)
            # then the registry's roles on the article's day ("former president")
            k.roles.extend(r for r in k.entity.roles if r not in k.roles)
    else:
        known = _local_entities(doc)
    doc.user_data["wirewatch_coref_index"] = known
    return known


def _spans(doc: Doc) -> EntityIndex:
    """The span -> entity index: the doc's shared one when the actor component ran, else
    one over the local fallback entities (kept with them)."""
    shared = entity_index(doc)
    if shared is not None:
        return shared
    known = _entity_index(doc)
    cached = doc.user_data.get("wirewatch_coref_spans")
    if cached is None or cached[0] is not known:
        cached = doc.user_data["wirewatch_coref_spans"] = (
            known, EntityIndex([k.entity for k in known]))
    return cached[1]


def _local_entities(doc: Doc) -> list[_Known]:
    persons: dict[str, _Known] = {}
    groups: dict[str, _Known] = {}
    ents = sorted(doc.ents, key=lambda s: (s.start_char, -len(s.text)))
    # Longer person names first, so "Hussein" later joins "Fuad Hussein".
    for span in sorted(ents, key=lambda s: -len(_name_tokens(s.text))):
        text = _clean_ent_text(span)
        if not text:
            continue
        mention = Mention(span.start_char, span.end_char, span.text)
        if span.label_ in _PERSON_LABELS:
            toks = _name_tokens(text)
            if not toks:
                continue
            target = None
            for key, k in persons.items():
                ktoks = key.split()
                if toks == ktoks or (len(toks) == 1 and toks[0] == ktoks[-1]) or (
                    len(toks) == 1 and toks[0] in ktoks
                ):
                    target = k
                    break
            if target is None:
                ent = Entity(
                    id=content_id("ent", "PERSON", " ".join(toks)), name=text, type="PERSON",
                    kind="local",
                )
                target = _Known(ent, True)
                persons[" ".join(toks)] = target
            target.entity.mentions.append(mention)
        elif span.label_ in _GROUP_LABELS:
            key = _norm(text)
            person = _person_by_surname(persons, key)
            if person is not None:
                # spaCy often tags a lone surname as ORG/GPE ("Dahl met the unions")
                person.entity.mentions.append(mention)
                continue
            if key.startswith("the "):
                key = key[4:]
            if not key:
                continue
            target = groups.get(key)
            if target is None:
                ent = Entity(
                    id=content_id("ent", span.label_, key), name=text, type=span.label_,
                    kind="local",
                )
                target = _Known(ent, True)
                groups[key] = target
            target.entity.mentions.append(mention)
    known = list(persons.values()) + list(groups.values())
    for k in known:
        k.entity.mentions.sort(key=lambda m: m.start)
        for m in k.entity.mentions:
            role = role_near(doc, m.start, m.end)
            if role and role not in k.roles:
                k.roles.append(role)
        k.entity.roles = list(k.roles)
    return known


def _person_by_surname(persons: dict[str, _Known], key: str) -> _Known | None:
    if not key or " " in key:
        return None
    for name, k in persons.items():
        if name.split()[-1] == key:
            return k
    return None


def _clean_ent_text(span: Span) -> str:
    text = span.text.strip()
    text = _LEADING_THE.sub("", text)
    text = _POSSESSIVE_END.sub("", text)
    return text.strip(" ,.;:")


def role_near(doc: Doc, start: int, end: int) -> str | None:
    """The role written next to a name: apposition or preceding title.

    "Iraq's foreign minister, Fuad Hussein" -> "Iraq's foreign minister";
    "Jane Roe, a senior analyst at the X Institute" -> "a senior analyst at ...";
    "Prime Minister Jane Roe" -> "Prime Minister".
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    # read for every mention: the tests look the parse up by index (tokenstrings) and
    # make a Token only for the words a role is read from
    h = span.root.i
    strings = token_strings(doc)
    children = token_tree(doc).children
    dep, pos = strings.dep, strings.pos
    # name is the apposition of a role noun
    if dep[h] == "appos" and pos[strings.head[h]] in {"NOUN"} and strings.head[h] < h:
        noun = doc[strings.head[h]]
        toks = [t for t in noun.subtree if t.i < span.start and t.i >= noun.left_edge.i]
        text = _span_text(doc, toks)
        if text:
            return text
    # role noun is the apposition of the name
    for child in children[h]:
        if dep[child] == "appos" and pos[child] in {"NOUN", "ADJ"} and child > h:
            toks = [t for t in doc[child].subtree]
            text = _span_text(doc, toks)
            if text:
                return text
    # titles before the name ("Prime Minister", "Former Florida Gov.")
    toks = []
    for left in children[h]:
        if left > h:
            break  # the children are in order: the rest are right of the name
        if left >= span.start:
            continue
        if dep[left] in {"compound", "amod", "nmod", "poss"} or doc[left].text.lower().strip(
            "."
        ) in _TITLE_WORDS:
            toks.extend(doc[left].subtree)
    toks = [t for t in toks if t.i < span.start]
    if toks and any(
        t.text.lower().strip(".") in _TITLE_WORDS or t.lower_ in PERSON_NOUNS for t in toks
    ):
        return _span_text(doc, toks)
    return None


def _span_text(doc: Doc, toks: list[Token]) -> str | None:
    if not toks:
        return None
    toks = sorted(set(toks), key=lambda t: t.i)
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    if not toks:
        return None
    return text_of(doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


@cache
def _entity_lookup() -> Callable[[Doc, int, int], Entity | None] | None:
    """The actor component's span lookup, imported once (not on every call)."""
    try:
        from wirewatch.nlp.entities import entity_for_span as lookup  # type: ignore[attr-defined]
    except ImportError:
        return None
    return lookup


def entity_for_span(doc: Doc, start: int, end: int) -> Entity | None:
    """The article entity for a span, when the actor component is installed; a failing
    lookup must not lose the quote or event that asked."""
    lookup = _entity_lookup()
    if lookup is None:
        return None
    try:
        return lookup(doc, start, end)
    except Exception:  # noqa: BLE001
        return None


def entity_at(doc: Doc, start: int, end: int) -> Entity | None:
    """The known entity with a mention overlapping the span most."""
    return _spans(doc).overlapping(start, end)


def _entity_covering_head(doc: Doc, start: int, end: int) -> Entity | None:
    """An entity whose mention covers the span's head word, not only a modifier.

    "the Iraqi government" must not resolve to the nationality "Iraqi".
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return entity_at(doc, start, end)
    head = span.root
    return _spans(doc).covering(head.idx, head.idx + len(head.text), start, end)


def _mentions_before(doc: Doc, offset: int, types: set[str]) -> list[tuple[int, Entity]]:
    return _spans(doc).before(offset, types)


def resolve_reference(
    doc: Doc,
    start_char: int,
    end_char: int,
    *,
    preferred: list[tuple[int, Entity]] | None = None,
) -> Entity | None:
    """Resolve a name, pronoun or description to an article entity.

    ``preferred`` are (offset, entity) pairs of recent salient mentions (e.g.
    earlier quote speakers); a pronoun prefers the latest of these when it is
    close, since in news "he said" almost always continues the last speaker.
    """
    text = text_of(doc)[start_char:end_char].strip()
    if not text:
        return None
    kind = mention_type(text)
    low = text.lower()
    if kind == "name":
        ent = entity_for_span(doc, start_char, end_char)
        if ent is None:
            ent = _entity_covering_head(doc, start_char, end_char)
        if ent is None:
            ent = _by_name(doc, text, start_char)
        return ent
    if kind == "pronoun":
        if low in FIRST_PERSON or low == "you":
            return None
        if low in PERSON_PRONOUNS:
            types = {"PERSON"}
        elif low in THING_PRONOUNS:
            types = {"ORG", "NORP", "GPE"}
        else:
            types = {"ORG", "NORP", "GPE"}
        cands = [(o, e) for o, e in (preferred or []) if o < start_char and e.type in types]
        ments = _mentions_before(doc, start_char, types)
        sent_start = _sentence_start(doc, start_char, back=2)
        if low in PLURAL_PRONOUNS:
            # "they" is too often a crowd; only accept a recent organisation speaker
            recent = [c for c in cands if c[0] >= sent_start]
            return recent[-1][1] if recent else None
        if cands and cands[-1][0] >= sent_start:
            if not ments or ments[-1][0] <= cands[-1][0] or ments[-1][1] is cands[-1][1]:
                return cands[-1][1]
            later = [m for m in ments if m[0] > cands[-1][0] and m[1] is not cands[-1][1]]
            if cands[-1][0] >= _sentence_start(doc, start_char, back=1) and not any(
                _is_subject(doc, o) for o, _ in later
            ):
                # 'said Kell, who worked in Bruno Falk's office. He said ...': a name
                # inside a relative clause or a possessive does not take over the topic
                return cands[-1][1]
        if ments:
            return ments[-1][1]
        return cands[-1][1] if cands else None
    return _by_description(doc, low, start_char)


def _is_subject(doc: Doc, offset: int) -> bool:
    """The mention at ``offset`` heads the subject of a main (not relative) clause."""
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not doc.has_annotation("DEP"):
        return True
    tok = span[0]
    while tok.dep_ in {"compound", "flat", "amod", "poss"} and tok.head is not tok:
        if tok.dep_ == "poss":
            return False
        tok = tok.head
    return tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.dep_ not in {"relcl", "acl"}


def _sentence_start(doc: Doc, offset: int, back: int = 1) -> int:
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not doc.has_annotation("SENT_START"):
        return max(0, offset - 400)
    sent = span[0].sent
    for _ in range(back):
        if sent.start == 0:
            break
        sent = doc[sent.start - 1].sent
    return sent.start_char


def _by_name(doc: Doc, text: str, offset: int) -> Entity | None:
    toks = _name_tokens(text)
    if not toks:
        return surname_of_named_person(doc, text)
    best = None
    for k in _entity_index(doc):
        names = [_name_tokens(k.entity.name)] + [_name_tokens(m.text) for m in k.entity.mentions]
        for n in names:
            if n and (n == toks or (k.entity.type == "PERSON" and toks[-1] == n[-1])):
                best = k.entity
                break
        if best:
            return best
    return None


def surname_of_named_person(doc: Doc, text: str) -> Entity | None:
    """'Prince said' after 'Wayne Prince': a surname that is also a title word.

    Only a single capitalised word, and only the surname of one person named
    in full (two words or more) earlier.
    """
    words = text.strip().split()
    if len(words) != 1 or not words[0][:1].isupper():
        return None
    low = _norm(words[0])
    found = []
    for k in _entity_index(doc):
        if k.entity.type != "PERSON":
            continue
        for n in [k.entity.name] + [m.text for m in k.entity.mentions]:
            full = _norm(n).split()
            if len(full) >= 2 and full[-1] == low and full[0] not in _TITLE_WORDS:
                found.append(k.entity)
                break
    return found[0] if len({id(e) for e in found}) == 1 else None


_FORMER = re.compile(r"^(former|ex-|ex\s|onetime|one-time|erstwhile)", re.I)


def _is_former(role: str) -> bool:
    return bool(_FORMER.match(role.strip()))


def _by_description(doc: Doc, low: str, offset: int) -> Entity | None:
    words = _norm(low).split()
    if not words or words[0] not in {"the", "this", "that"}:
        return None  # "a senior official" introduces someone new
    noun = words[-1]
    if noun in PERSON_NOUNS:
        best = None
        for k in _entity_index(doc):
            if k.entity.type != "PERSON":
                continue
            first = min((m.start for m in k.entity.mentions), default=None)
            if first is None or first >= offset:
                continue
            # "the president" is never someone who only was one ("former president").
            roles = " ".join(r for r in k.roles + list(k.entity.roles)
                             if not _is_former(r)).lower()
            if noun in roles.split() or noun in roles:
                last = max(m.start for m in k.entity.mentions if m.start < offset)
                if best is None or last > best[0]:
                    best = (last, k.entity)
        return best[1] if best else None
    if noun in ORG_NOUNS or " ".join(words[1:]) in ORG_NOUNS:
        best = None
        for k in _entity_index(doc):
            if k.entity.type == "PERSON":
                continue
            names = " ".join([k.entity.name] + [m.text for m in k.entity.mentions]).lower()
            if noun in _norm(names).split():
                last = max((m.start for m in k.entity.mentions if m.start < offset), default=None)
                if last is not None and (best is None or last > best[0]):
                    best = (last, k.entity)
        return best[1] if best else None
    return None


def identified_person(doc: Doc, noun: str) -> Entity | None:
    """The one person the article establishes as "the <noun>" ("the gunman", "the
    suspect"): named in apposition ("Paul Okoro, the suspected gunman"; "the suspect,
    Paul Okoro") or identified ("police identified the gunman as Paul Okoro"; "Okoro was
    named as the suspect"). None when nobody is, or more than one person is."""
    noun = noun.lower()
    found = {eid for eid, n in _identifications(doc) if n == noun}
    for k in _entity_index(doc):
        if k.entity.type == "PERSON" and any(noun in _norm(r).split() for r in k.roles
                                             if not _is_former(r)):
            found.add(k.entity.id)
    if len(found) != 1:
        return None
    eid = found.pop()
    return next((k.entity for k in _entity_index(doc) if k.entity.id == eid), None)


_IDENTIFY = {"identify", "name"}


def _identifications(doc: Doc) -> list[tuple[str, str]]:
    """(person entity id, noun) for each "identified/named the <noun> as <person>" and
    "<person> was identified/named as the <noun>" in the article, cached on the doc."""
    cached = doc.user_data.get("wirewatch_identified")
    if cached is not None and cached[0] is _entity_index(doc):
        return cached[1]
    out: list[tuple[str, str]] = []
    for tok in doc:
        if tok.lemma_.lower() not in _IDENTIFY or tok.pos_ not in {"VERB", "AUX"}:
            continue
        named = [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
                 for p in c.children if p.dep_ == "pobj"]
        if not named:
            continue
        described = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        if tok.dep_ == "acl" and tok.tag_ == "VBN":
            described.append(tok.head)  # "the gunman, identified as Paul Okoro,"
        for a in described:
            for b in named:
                # one of the two is the person, the other the description
                for person, noun in ((a, b), (b, a)):
                    if noun.pos_ != "NOUN":
                        continue
                    toks = list(person.subtree)
                    ent = _spans(doc).covering(person.idx, person.idx + len(person.text),
                                               toks[0].idx, toks[-1].idx + len(toks[-1].text))
                    if ent is not None and ent.type == "PERSON":
                        out.append((ent.id, noun.lemma_.lower()))
    doc.user_data["wirewatch_identified"] = (_entity_index(doc), out)
    return out


def roles_of(doc: Doc, entity: Entity) -> list[str]:
    """Roles written for an entity anywhere in the article."""
    for k in _entity_index(doc):
        if k.entity is entity or k.entity.id == entity.id:
            return list(dict.fromkeys(k.roles + list(entity.roles)))
    return list(entity.roles)


def entity_for_head(doc: Doc, start: int, end: int) -> Entity | None:
    """The entity whose mention covers the head word of the span (not a modifier)."""
    return _entity_covering_head(doc, start, end)


def resolve_description(doc: Doc, noun: str, offset: int) -> Entity | None:
    """The entity an earlier part of the article names for "the <noun>"."""
    return _by_description(doc, f"the {noun.lower()}", offset)


def document_issuer(doc: Doc, noun: str, offset: int, back: int = 6) -> Entity | None:
    """Who issued "the statement" (or report, letter ...) that speaks at ``offset``.

    Looks back over a few sentences for the same document noun as the object of a
    verb with a subject ("the ministry issued a statement"), or in "in a statement"
    attached to a verb with a subject ("the ministry said in a statement"); the
    subject is resolved like any other reference.
    """
    span = doc.char_span(offset, offset + 1, alignment_mode="expand")
    if span is None or not doc.has_annotation("SENT_START"):
        return None
    sent = span[0].sent
    for _ in range(back):
        if sent.start == 0:
            break
        sent = doc[sent.start - 1].sent
        for tok in reversed(list(sent)):
            if tok.lemma_.lower() != noun or tok.pos_ != "NOUN":
                continue
            verb = tok.head
            if tok.dep_ == "pobj" and verb.dep_ == "prep":
                verb = verb.head
            elif tok.dep_ != "dobj":
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None or subj.lower_ in PRONOUNS:
                continue
            toks = list(subj.subtree)
            s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            ent = _entity_covering_head(doc, s, e)
            if ent is not None:
                return ent
    return None
