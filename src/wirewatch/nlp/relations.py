"""Affiliation and role relations between actors, each with the phrase that states it.

The component ``wirewatch_relations`` fills ``doc._.relations`` with
:class:`~wirewatch.model.Relation` records: ``holds_role``, ``member_of``,
``part_of``, ``backed_by``, ``leader_of``, ``affiliated_with``, ``allied_with``,
``opposed_to`` and ``based_in``. Every relation carries its evidence span (the
smallest span covering subject, cue and object), its sentence and the article
date as ``observed_at``, so affiliations can be read as of a date.

Rules are token patterns anchored on the actor component's mentions
(appositions, titles before names, "X-backed" compounds), plus a few patterns
over the dependency parse ("led by", "backed by", "belongs to", "who heads").
Precision comes first: a generic subject ("factions within the IRI") that does
not resolve to a named entity gives no relation, and verb patterns only count
when the clause asserts them (no negation, modal, condition or demand).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from wirewatch.model import Entity, Mention, Relation, content_id
from wirewatch.nlp import (
    extensions,  # noqa: F401  (registers Doc._ attributes)
    modality,
)
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.registry import Registry, load_registry, normalise_name
from wirewatch.nlp.spanindex import entity_index
from wirewatch.nlp.tokenstrings import token_strings

DEFAULT_CUES = Path(__file__).parent / "data" / "relation_cues.yaml"

_SKIP_SEGMENTS = ("byline", "dateline", "boilerplate")
_POSSESSIVE = {"'s", "’s", "'", "’"}
_DETS = {"a", "an", "the"}
_HYPHENS = {"-", "‐", "–"}
_NAME_PARTICLES = {"al", "el", "bin", "ibn", "bint", "abu", "de", "van", "von", "der", "da"}
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
_SPEECH_VERBS = {"tell", "say", "speak", "talk", "write", "inform", "brief", "confirm"}
_DEMAND_VERBS = {
    "want", "demand", "urge", "call", "ask", "push", "press", "expect", "plan", "hope",
    "seek", "need", "force", "pressure", "order", "propose", "require", "wish",
}
_STOP_WORDS = {
    "who", "whom", "which", "that", "whose", "said", "says", "told", "tells", "and", "or",
    "but", "as", "than", "he", "she", "it", "they", "his", "her", "its", "their",
}
_ROLE_PREPS = {"of", "for", "to", "on", "at", "with", "in", "within"}
_OBJECT_PREPS = {"of", "at", "with", "for"}
_HYPHEN_CUE = re.compile(
    r"^(?P<x>.+?)[-‐–](?P<cue>backed|supported|sponsored|funded|financed|armed|based|led|"
    r"aligned|allied)$",
    re.I,
)
_NAME_SPLIT = re.compile(r"[\s\-‐–]+")
_SPACES = re.compile(r"\s+")
_LEADING_THE = re.compile(r"^(the|The)\s+")
_TRAILING_POSSESSIVE = re.compile(r"[’']s?$")


@dataclass(frozen=True)
class Cues:
    title_heads: frozenset[str]
    ranks: frozenset[str]
    honorifics: frozenset[str]
    leader_heads: frozenset[str]
    leader_modifiers: frozenset[str]
    affiliation_heads: frozenset[str]
    past_modifiers: frozenset[str]
    role_fillers: frozenset[str]
    backing_words: frozenset[str]
    unit_words: frozenset[str]
    umbrella_words: frozenset[str]
    group_nouns: frozenset[str]
    ally_words: frozenset[str]
    rival_words: frozenset[str]
    leading_verbs: frozenset[str]
    org_name_words: frozenset[str]


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> Cues:
    data = yaml.safe_load(Path(path or DEFAULT_CUES).read_text(encoding="utf-8")) or {}
    words: dict[str, frozenset[str]] = {}
    for name in Cues.__dataclass_fields__:
        words[name] = frozenset(str(w).lower() for w in data.get(name) or [])
    # Multi-word titles ("prime minister") are matched word by word; only their last
    # word needs to be a head, the others act as modifiers.
    heads = {w.split()[-1] for w in words["title_heads"]}
    words["title_heads"] = frozenset(heads)
    return Cues(**words)


@dataclass
class _Ment:
    """A mention of an entity, in token offsets."""

    start: int
    end: int
    entity: Entity
    label: str

    org_like: bool = False  # a PERSON-typed name that reads as an organisation's

    @property
    def type(self) -> str:
        if self.org_like:
            return "ORG"
        return self.entity.type or self.label


@dataclass
class _Cand:
    type: str
    subject: _Ment
    object_id: str | None
    object_text: str
    start: int  # char offsets of the evidence span
    end: int
    sent: Span
    confidence: float
    role: str | None = None
    role_written: str | None = None
    pattern: str = ""


@dataclass
class _RoleParse:
    """A title phrase: 'a senior analyst and head of the X Program at the Y Institute'."""

    start: int  # first token of the role words
    role_end: int  # end of the role words (exclusive)
    end: int  # end of the whole phrase (exclusive)
    heads: list[int] = field(default_factory=list)
    owner: _Ment | None = None
    obj: _Ment | None = None
    obj_prep: str | None = None
    attachments: list[tuple[int, _Ment | None]] = field(default_factory=list)
    place: _Ment | None = None  # "at the X Institute in Baghdad"
    past: bool = False


class _Index:
    """Token -> entity mention, from the actor component or (without it) spaCy's NER."""

    def __init__(self, doc: Doc, registry: Registry, cues: Cues):
        self.doc = doc
        self.strings = token_strings(doc)  # the sentence scans' words, read once per doc
        self.by_token: list[_Ment | None] = [None] * len(doc)
        mentions: list[_Ment] = []
        shared = entity_index(doc)
        if shared is not None:
            mentions = [_Ment(s, e, ent, label) for s, e, ent, label in shared.tokens(doc)]
        else:
            mentions = list(_local_mentions(doc, registry))
        stems = _title_words(cues)[1]
        kept = []
        for m in mentions:
            if m.end - m.start > 1 and doc[m.start].lower_ in _DETS:
                m.start += 1
            if m.entity.type == "PERSON":
                words = {w.strip(".").lower() for w in _NAME_SPLIT.split(m.entity.name)}
                if words & cues.org_name_words:
                    m.org_like = True
                    kept.append(m)
                    continue
                if all(t.lower_.strip(".") in stems or t.is_punct
                       for t in doc[m.start:m.end]):
                    continue  # "Brig" alone is a rank, not a person
                _fit_person(doc, m, cues)
            kept.append(m)
        mentions = kept
        for m in sorted(mentions, key=lambda m: (m.start, -(m.end - m.start))):
            if any(self.by_token[i] is not None for i in range(m.start, m.end)):
                continue
            for i in range(m.start, m.end):
                self.by_token[i] = m

    def at(self, i: int) -> _Ment | None:
        if 0 <= i < len(self.by_token):
            return self.by_token[i]
        return None

    def starting(self, i: int) -> _Ment | None:
        """The mention starting at token i (or at a determiner just before it)."""
        m = self.at(i)
        if m is None:
            return None
        if m.start == i or (m.start == i - 1 and self.doc[m.start].lower_ in _DETS):
            return m
        return None

    def ending(self, i: int) -> _Ment | None:
        """The mention whose last token is i - 1."""
        m = self.at(i - 1)
        return m if m is not None and m.end == i else None

    def mentions(self, start: int = 0, end: int | None = None) -> list[_Ment]:
        """Mentions that cover tokens start..end (all by default), in text order."""
        seen: list[_Ment] = []
        for m in self.by_token[start:end]:
            if m is not None and (not seen or seen[-1] is not m):
                seen.append(m)
        return seen


@lru_cache(maxsize=4)
def _title_words(cues: Cues) -> tuple[frozenset[str], frozenset[str]]:
    """Titles, ranks and honorifics, as written and without their full stops."""
    titles = cues.title_heads | cues.ranks | cues.honorifics
    return titles, frozenset(w.strip(".") for w in titles)


@lru_cache(maxsize=4)
def _prefix_words(cues: Cues) -> frozenset[str]:
    """Honorifics and ranks without their full stops: words a name's title may start with."""
    return frozenset(h.rstrip(".") for h in cues.honorifics | cues.ranks)


def _fit_person(doc: Doc, m: _Ment, cues: Cues) -> None:
    """Separate a title the mention swallowed ('President Donald Trump') and take back
    given names it left out ('Mohammed Shia al-' before a matched 'Sudani')."""
    titles = _title_words(cues)[0]
    last_title = None
    for i in range(m.start, m.end - 1):
        if doc[i].lower_ in titles:
            last_title = i
    if last_title is not None:
        m.start = last_title + 1
    while m.start > 0:
        prev = doc[m.start - 1]
        particle = prev.lower_ in _NAME_PARTICLES
        if prev.lower_ in titles or not (prev.text[:1].isupper() or particle
                                         or prev.text in _HYPHENS):
            break
        if prev.pos_ != "PROPN" or prev.dep_ not in ("compound", "punct") \
                or not m.start <= prev.head.i < m.end:
            break
        m.start -= 1


def _local_mentions(doc: Doc, registry: Registry) -> Iterable[_Ment]:
    """Bare pipelines (no actor component): one entity per normalised NER name."""
    cache: dict[str, Entity] = {}
    for ent in doc.ents:
        if ent.label_ not in {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"}:
            continue
        start, end = ent.start, ent.end
        while end > start and doc[end - 1].text in _POSSESSIVE:
            end -= 1
        if start < end and doc[start].lower_ == "the":
            start += 1
        if start >= end:
            continue
        span = doc[start:end]
        label = ent.label_
        country = None
        actor = registry.lookup(span.text)
        if label == "NORP" and registry.country_of_demonym(span.text):
            country = registry.country_of_demonym(span.text).id  # type: ignore[union-attr]
            ident = f"{country}:NORP"
        elif actor is not None:
            ident, label, country = actor.id, actor.type, actor.country
        else:
            group = "PLACE" if label in _PLACE_TYPES else label
            ident = content_id("act", group, normalise_name(span.text))
        if ident not in cache:
            cache[ident] = Entity(id=ident, name=span.text, type=label, kind="local",
                                  country=country)
        entity = cache[ident]
        entity.mentions.append(Mention(span.start_char, span.end_char, span.text, label))
        yield _Ment(start, end, entity, label)


class RelationExtractor:
    """``wirewatch_relations``: affiliation and role relations with evidence spans."""

    def __init__(self, nlp: Language, name: str, cues: str | None, min_confidence: float,
                 use_registry_roles: bool):
        self.name = name
        self.cues = load_cues(cues)
        self.min_confidence = min_confidence
        self.use_registry_roles = use_registry_roles
        self.registry = load_registry()

    # -- entry point ---------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        article = doc._.article
        idx = _Index(doc, self.registry, self.cues)
        cands: list[_Cand] = []
        for sent in doc.sents:
            if article is not None and article.segment_at(sent.start_char) in _SKIP_SEGMENTS:
                continue
            cands.extend(self._sentence(doc, idx, sent))
        observed = (article.published or "")[:10] or None if article is not None else None
        if self.use_registry_roles:
            for c in cands:
                self._fill_from_registry(c, observed)
        doc._.relations = self._records(doc, cands, observed)
        return doc

    def _sentence(self, doc: Doc, idx: _Index, sent: Span) -> list[_Cand]:
        out: list[_Cand] = []
        # Only this sentence's tokens: walking the whole article per sentence was quadratic.
        for m in idx.mentions(sent.start, sent.end):
            if not (sent.start <= m.start < sent.end):
                continue
            if m.type == "PERSON":
                out.extend(self._person_apposition(doc, idx, sent, m))
                out.extend(self._person_pretitle(doc, idx, sent, m))
                out.extend(self._person_of_org(doc, idx, sent, m))
            if m.type in ("ORG", "PERSON", "GPE"):
                out.extend(self._group_apposition(doc, idx, sent, m))
        out.extend(self._hyphen_compounds(doc, idx, sent))
        out.extend(self._verb_patterns(doc, idx, sent))
        return [c for c in out if self._acceptable(doc, idx, c)]

    # -- title phrases ---------------------------------------------------------

    def _is_head(self, tok: Token) -> bool:
        low = tok.lower_
        return low in self.cues.title_heads or low in self.cues.ranks

    def _is_modifier(self, idx: _Index, tok: Token) -> bool:
        if idx.at(tok.i) is not None:
            return False
        low = tok.lower_
        if low in _STOP_WORDS or low in _DETS or tok.is_punct or tok.is_space:
            return False
        if tok.pos_ in ("ADJ", "NOUN", "PROPN", "NUM"):
            return True
        if tok.pos_ == "VERB" and tok.tag_ in ("VBN", "VBG") and not tok.text[:1].isupper():
            return tok.dep_ in ("amod", "compound")
        return low in self.cues.past_modifiers

    def _parse_role(self, doc: Doc, idx: _Index, i: int, limit: int) -> _RoleParse | None:
        """A title phrase starting at token i (after any determiner)."""
        cues = self.cues
        rp = _RoleParse(start=i, role_end=i, end=i)
        # owner before the title: "Iraq's foreign minister", "a Kataib X commander"
        m = idx.starting(i)
        if m is not None and m.type in _ACTOR_TYPES | {"PERSON"}:
            if m.end < limit and doc[m.end].text in _POSSESSIVE:
                rp.owner, i = m, m.end + 1
            elif m.end < limit and (self._is_head(doc[m.end])
                                    or self._is_modifier(idx, doc[m.end])):
                rp.owner, i = m, m.end
            else:
                return None
        rp.start = i
        k = i
        good_end = i
        while k < limit:
            tok = doc[k]
            low = tok.lower_
            if low in cues.past_modifiers or (low == "then" and k + 1 < limit
                                               and doc[k + 1].text in _HYPHENS):
                rp.past = True
            if self._is_head(tok) and idx.at(k) is None:
                rp.heads.append(k)
                k += 1
                good_end = k
                continue
            if self._is_modifier(idx, tok) or (low in cues.past_modifiers and idx.at(k) is None):
                k += 1
                continue
            if tok.text in _HYPHENS and k > rp.start and k + 1 < limit:
                k += 1
                continue
            if low == "and" and rp.heads and k == good_end and k + 1 < limit:
                nxt = doc[k + 1]
                if self._is_head(nxt) or self._is_modifier(idx, nxt):
                    k += 1
                    continue
                break
            if low in _ROLE_PREPS and rp.heads and k == good_end:
                j = k + 1
                if j < limit and doc[j].lower_ in _DETS:
                    j += 1
                att = idx.starting(j)
                # "at the Tehran-based Caspian Centre": the place is a modifier
                while att is not None and att.end + 1 < limit and \
                        doc[att.end].text in _HYPHENS:
                    n = att.end + 2
                    while n < limit and self._is_modifier(idx, doc[n]) and idx.at(n) is None:
                        n += 1
                    att = idx.starting(n)
                if att is not None:
                    end = att.end
                    if end < limit and doc[end].text in _POSSESSIVE:
                        # "of the Iranian parliament's ... committee": the object is not
                        # the named entity, so the phrase keeps going as role words.
                        end += 1
                        while end < limit and self._is_modifier(idx, doc[end]):
                            end += 1
                        rp.attachments.append((k, None))
                    elif low == "in" and att.type in _PLACE_TYPES:
                        rp.place = att
                        rp.end = end
                        break
                    else:
                        rp.attachments.append((k, att))
                    k = good_end = end
                    continue
                n = j
                while n < limit and self._is_modifier(idx, doc[n]):
                    n += 1
                if n > j and low != "in":
                    rp.attachments.append((k, None))
                    k = good_end = n
                    continue
                break
            break
        if not rp.heads:
            return None
        rp.end = max(rp.end, good_end)
        rp.role_end = good_end
        if rp.owner is None and rp.attachments:
            n = len(rp.attachments) - 1
            # "the Caspian Centre for Strategic Dialogue": a capitalised phrase after a name
            # continues the name, so the named organisation is still the object
            while n > 0 and rp.attachments[n][1] is None and \
                    doc[rp.attachments[n][0]].lower_ in ("of", "for") and \
                    rp.attachments[n - 1][1] is not None and \
                    doc[rp.attachments[n][0] + 1].text[:1].isupper():
                n -= 1
            prep_i, att = rp.attachments[n]
            prep = doc[prep_i].lower_
            if att is not None and prep in _OBJECT_PREPS and att.type in ("ORG", "GPE", "NORP"):
                rp.obj, rp.obj_prep, rp.role_end = att, prep, prep_i
        elif rp.owner is not None:
            rp.obj = rp.owner
        return rp

    def _role_text(self, doc: Doc, idx: _Index, rp: _RoleParse) -> tuple[str, str] | None:
        toks = [t for t in doc[rp.start:rp.role_end]]
        while toks and (toks[0].lower_ in self.cues.role_fillers or toks[0].is_punct):
            toks.pop(0)
        while toks and (toks[-1].is_punct or toks[-1].lower_ in ("and", "of")):
            toks.pop()
        if not toks:
            return None
        written = text_of(doc)[toks[0].idx:toks[-1].idx + len(toks[-1])]
        # lower-case the title words, keep names inside the role as written
        role = "".join((t.text if idx.at(t.i) is not None else t.lower_) + t.whitespace_
                       for t in toks)
        return _SPACES.sub(" ", role).strip(), written

    def _is_rank_only(self, doc: Doc, rp: _RoleParse) -> bool:
        return all(doc[h].lower_ in self.cues.ranks and doc[h].lower_ not in self.cues.title_heads
                   for h in rp.heads)

    def _role_cands(self, doc: Doc, idx: _Index, sent: Span, person: _Ment, rp: _RoleParse,
                    span: tuple[int, int], pattern: str, base: float) -> list[_Cand]:
        if rp.past:
            return []
        texts = self._role_text(doc, idx, rp)
        if texts is None:
            return []
        role, written = texts
        if self._is_rank_only(doc, rp) and rp.obj is None:
            return []
        out: list[_Cand] = []
        obj_id, obj_text = (None, role)
        conf = base - 0.1
        if rp.obj is not None:
            obj_id, obj_text = self._actor_ref(doc, rp.obj)
            conf = base
        out.append(_Cand("holds_role", person, obj_id, obj_text, span[0], span[1], sent, conf,
                         role=role, role_written=written, pattern=pattern))
        heads = [doc[h].lower_ for h in rp.heads]
        # "head of the X Program", "commander of Y": the holder leads the organisation.
        for prep_i, att in rp.attachments:
            if att is None or doc[prep_i].lower_ != "of" or att.type not in ("ORG",):
                continue
            if self._leader_title(doc, idx, rp.start, prep_i):
                obj_id2, obj_text2 = self._actor_ref(doc, att)
                out.append(_Cand("leader_of", person, obj_id2, obj_text2, span[0],
                                 doc[att.end - 1].idx + len(doc[att.end - 1]), sent,
                                 base - 0.05, pattern=pattern + "+leader"))
        if rp.owner is not None and rp.owner.type == "ORG" and \
                self._leader_title(doc, idx, rp.start, rp.role_end):
            obj_id2, obj_text2 = self._actor_ref(doc, rp.owner)
            out.append(_Cand("leader_of", person, obj_id2, obj_text2, span[0], span[1], sent,
                             base - 0.05, pattern=pattern + "+leader"))
        if rp.obj is not None and rp.obj.type == "ORG" and \
                any(h in self.cues.affiliation_heads for h in heads) and \
                (rp.obj is rp.owner or rp.obj_prep in ("at", "with", "for", "of")):
            out.append(_Cand("affiliated_with", person, obj_id, obj_text, span[0], span[1], sent,
                             base - 0.05, pattern=pattern + "+affiliation"))
        if rp.place is not None and rp.obj is not None and rp.obj.type == "ORG" \
                and rp.obj_prep in ("at", "with", "for"):
            pid, ptext = self._actor_ref(doc, rp.place, as_place=True)
            start = doc[rp.obj.start].idx
            pend = doc[rp.place.end - 1]
            out.append(_Cand("based_in", rp.obj, pid, ptext, start, pend.idx + len(pend), sent,
                             0.6, pattern="org-in-place"))
        return out

    def _leader_title(self, doc: Doc, idx: _Index, start: int, end: int) -> bool:
        """True when tokens [start, end) end in a leader word with only leader modifiers."""
        toks = [t for t in doc[start:end] if not t.is_punct]
        if not toks:
            return False
        # "senior analyst and head of": only the last conjunct counts
        for j in range(len(toks) - 1, -1, -1):
            if toks[j].lower_ == "and":
                toks = toks[j + 1:]
                break
        if not toks or toks[-1].lower_ not in self.cues.leader_heads:
            return False
        return all(t.lower_ in self.cues.leader_modifiers or t.text in _HYPHENS
                   for t in toks[:-1])

    # -- person patterns -------------------------------------------------------

    def _person_apposition(self, doc: Doc, idx: _Index, sent: Span, p: _Ment) -> list[_Cand]:
        """'<PERSON>, (a|the)? <title> (of|at) <ORG>' and '<PERSON>, <Country>'s <title>'."""
        i = p.end
        if i >= sent.end or doc[i].text not in (",", "("):
            return []
        i += 1
        if i < sent.end and doc[i].lower_ in _DETS:
            i += 1
        rp = self._parse_role(doc, idx, i, sent.end)
        if rp is None:
            return []
        # the apposition must close: comma, end of sentence, bracket, a relative clause
        if rp.end < sent.end:
            nxt = doc[rp.end]
            if not (nxt.is_punct or nxt.lower_ in ("who", "whose", "which", "said", "told",
                                                   "says", "tells", "and")
                    or nxt.pos_ in ("VERB", "AUX")):
                return []
        end_tok = doc[max(rp.end, rp.role_end) - 1]
        span = (doc[p.start].idx, end_tok.idx + len(end_tok))
        return self._role_cands(doc, idx, sent, p, rp, span, "apposition", 0.85)

    def _person_pretitle(self, doc: Doc, idx: _Index, sent: Span, p: _Ment) -> list[_Cand]:
        """'<Country>'s <title>, <PERSON>', '<ORG> spokesman <PERSON>', 'Prime Minister <P>'."""
        strings = idx.strings
        texts, lower = strings.text, strings.lower
        skip = _prefix_words(self.cues)
        # the parser often ends a sentence at a rank's full stop ("Brig. Gen. X")
        lo = sent.start
        while lo > 0 and (texts[lo - 1] == "." and lo > 1
                          and lower[lo - 2].rstrip(".") in skip
                          or lower[lo - 1].rstrip(".") in skip
                          and texts[lo - 1].endswith(".")):
            lo = doc[lo - 1].sent.start
        if lo != sent.start:
            sent = doc[lo:sent.end]
        j = p.start - 1
        while j >= sent.start and (lower[j].rstrip(".") in skip or texts[j] == "."):
            j -= 1
        comma = False
        if j >= sent.start and texts[j] == ",":
            comma = True
            j -= 1
        # walk back over the title words
        k = j
        while k >= sent.start and idx.at(k) is None and (
                self._is_head(doc[k]) or self._is_modifier(idx, doc[k])
                or (texts[k] in _HYPHENS and k > sent.start)):
            k -= 1
        first = k + 1
        if first > j or not self._is_head(doc[j]) and lower[j] not in self.cues.ranks:
            # the word next to the name must be a title word ("minister", "Gen.")
            if not (first <= j and self._rank_run(doc, first, j)):
                return []
        start = first
        if k >= sent.start and lower[k] in _DETS:
            start = k
            k -= 1
        elif k >= sent.start and texts[k] in _POSSESSIVE and idx.ending(k) is not None:
            start = idx.ending(k).start  # type: ignore[union-attr]
        elif idx.ending(k + 1) is not None:
            start = idx.ending(k + 1).start  # type: ignore[union-attr]
        elif comma:
            # "..., minister, Fuad Hussein": without an owner or determiner the comma is
            # more likely a list separator than an apposition
            return []
        rp = self._parse_role(doc, idx, start if lower[start] not in _DETS else start + 1,
                              j + 1)
        if rp is None or rp.role_end != j + 1 or rp.attachments and rp.obj is None \
                and rp.owner is None and not rp.heads:
            return []
        if rp.role_end != j + 1:
            return []
        if comma and p.end < sent.end and texts[p.end] not in (",", ".", "(", ")") \
                and doc[p.end].pos_ not in ("VERB", "AUX"):
            return []
        span = (doc[start].idx if lower[start] not in _DETS else doc[start + 1].idx,
                doc[p.end - 1].idx + len(doc[p.end - 1]))
        return self._role_cands(doc, idx, sent, p, rp, span, "pretitle", 0.85)

    def _rank_run(self, doc: Doc, first: int, last: int) -> bool:
        lower = token_strings(doc).lower
        return any(lower[t] in self.cues.ranks for t in range(first, last + 1)) and \
            lower[last] in self.cues.ranks

    def _person_of_org(self, doc: Doc, idx: _Index, sent: Span, p: _Ment) -> list[_Cand]:
        """'said Jane Roe of the X Institute': the person works at the organisation."""
        i = p.end
        if i + 1 >= sent.end or doc[i].lower_ != "of":
            return []
        j = i + 1
        if doc[j].lower_ == "the":
            j += 1
        org = idx.starting(j)
        if org is None or org.type != "ORG":
            return []
        if org.end < sent.end and not (doc[org.end].is_punct or doc[org.end].pos_ in ("VERB",
                                                                                       "AUX")):
            return []
        if org.end < sent.end and doc[org.end].text in _POSSESSIVE:
            return []
        oid, otext = self._actor_ref(doc, org)
        last = doc[org.end - 1]
        return [_Cand("affiliated_with", p, oid, otext, doc[p.start].idx, last.idx + len(last),
                      sent, 0.7, pattern="person-of-org")]

    # -- organisation patterns -----------------------------------------------

    def _group_apposition(self, doc: Doc, idx: _Index, sent: Span, s: _Ment) -> list[_Cand]:
        """'<S>, a brigade of <ORG>', '<S>, part of <ORG>', '<S> is a member of <ORG>',
        '<S>, an ally of <X>', '<S>, <X>'s rival', '<S>, an umbrella of A, B and C'."""
        strings = idx.strings
        texts, lower = strings.text, strings.lower
        i = s.end
        if i >= sent.end:
            return []
        copula = False
        if texts[i] == ",":
            i += 1
        elif lower[i] in ("is", "are", "remains", "remain") and doc[i].head.i != i - 1:
            copula = True
            i += 1
            if self._negated_copula(doc[i - 1]):
                return []
        else:
            return []
        if i < sent.end and lower[i] == "one" and i + 2 < sent.end \
                and lower[i + 1] == "of":
            i += 2
        if i < sent.end and lower[i] in _DETS:
            i += 1
        owner = idx.starting(i)
        if owner is not None:
            if owner.end < sent.end and texts[owner.end] in _POSSESSIVE:
                i = owner.end + 1
            else:
                owner = None
        # modifiers, then the relation noun
        k = i
        while k < sent.end and (self._is_modifier(idx, doc[k]) or texts[k] in _HYPHENS
                                or (idx.at(k) is not None and idx.at(k).type in  # type: ignore
                                    ("GPE", "NORP") and owner is None)) \
                and not self._relation_noun(doc[k]):
            k += 1
        if k >= sent.end or not self._relation_noun(doc[k]):
            return []
        noun = doc[k]
        low = noun.lower_
        out: list[_Cand] = []
        # "based in" / "X-based" inside this apposition are handled elsewhere
        nxt = k + 1
        if owner is not None:
            target, end_tok = owner, doc[k]
        else:
            if nxt >= sent.end:
                return []
            prep = lower[nxt]
            if low in self.cues.umbrella_words:
                return self._umbrella(doc, idx, sent, s, k)
            allowed = {"of", "within", "in"} if low in self.cues.unit_words else {"of", "to"}
            if low in self.cues.ally_words:
                allowed = {"of", "to"}
            if prep not in allowed:
                return []
            j = nxt + 1
            if j < sent.end and lower[j] in _DETS:
                j += 1
            target = idx.starting(j)
            if target is None:
                return []
            if target.end < sent.end and texts[target.end] in _POSSESSIVE:
                return []
            end_tok = doc[target.end - 1]
        if low in self.cues.umbrella_words:
            return []
        if target.entity.id == s.entity.id:
            return []
        if low in self.cues.unit_words:
            if low == "member" or (low == "part" and s.type == "PERSON"):
                rtype = "member_of" if s.type == "PERSON" else "part_of"
            elif s.type == "PERSON":
                return []
            else:
                rtype = "part_of"
            if target.type not in ("ORG",):
                return []
        elif low in self.cues.ally_words:
            rtype = "allied_with"
            if low in ("backer", "patron"):
                return []  # "X, a backer of Y" reverses direction; rare, skip
        elif low in self.cues.rival_words:
            rtype = "opposed_to"
        else:
            return []
        if rtype in ("allied_with", "opposed_to") and target.type not in _ACTOR_TYPES:
            return []
        oid, otext = self._actor_ref(doc, target)
        start = doc[s.start].idx
        out.append(_Cand(rtype, s, oid, otext, start, end_tok.idx + len(end_tok), sent,
                         0.8 if not copula else 0.75, pattern="group-apposition"))
        return out

    def _relation_noun(self, tok: Token) -> bool:
        low = tok.lower_
        c = self.cues
        if low in ("group", "formation", "office", "department", "committee", "cell"):
            return False  # too generic to mean "a subdivision of" on their own
        return low in c.unit_words or low in c.ally_words or low in c.rival_words \
            or low in c.umbrella_words

    def _negated_copula(self, tok: Token) -> bool:
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        return nxt is not None and nxt.lower_ in ("not", "n't", "no", "never")

    def _umbrella(self, doc: Doc, idx: _Index, sent: Span, s: _Ment, k: int) -> list[_Cand]:
        """'<S>, an umbrella (group) of A, B and C': each listed group is part of S."""
        j = k + 1
        if j < sent.end and doc[j].lower_ in ("group", "organisation", "organization"):
            j += 1
        if j >= sent.end or doc[j].lower_ not in ("of", "for", "including", "that"):
            return []
        if doc[j].lower_ == "that":
            if j + 1 >= sent.end or doc[j + 1].lemma_ not in ("include", "comprise"):
                return []
            j += 1
        out: list[_Cand] = []
        n = j + 1
        while n < sent.end:
            tok = doc[n]
            m = idx.starting(n)
            if m is not None:
                if m.type == "ORG" and m.entity.id != s.entity.id:
                    last = doc[m.end - 1]
                    out.append(_Cand("part_of", m, s.entity.id, doc[s.start:s.end].text,
                                     doc[s.start].idx, last.idx + len(last), sent, 0.7,
                                     pattern="umbrella"))
                n = m.end
                continue
            if tok.pos_ in ("VERB", "AUX") and tok.tag_ not in ("VBN", "VBG") \
                    or tok.lower_ in ("which", "who", "that") or tok.text in (";", ")"):
                break
            n += 1
        return out

    def _hyphen_compounds(self, doc: Doc, idx: _Index, sent: Span) -> list[_Cand]:
        """'Iran-backed X', 'the Basra-based X', 'U.S.-led X', 'Tehran-aligned X'."""
        out: list[_Cand] = []
        strings = idx.strings
        texts, lower, space = strings.text, strings.lower, strings.space
        for i in range(sent.start, sent.end):
            cue = None
            x_id: str | None = None
            x_text = ""
            x_start = x_end = 0
            x_ment: _Ment | None = None
            low = lower[i]
            if i - 2 >= sent.start and texts[i - 1] in _HYPHENS and \
                    not space[i - 1] and not space[i - 2] and self._hyphen_word(low):
                tok = doc[i]
                x_ment = idx.ending(tok.i - 1)
                cue = low
                if x_ment is not None:
                    x_id, x_text = self._actor_ref(doc, x_ment, as_place=(low == "based"))
                    x_start = doc[x_ment.start].idx
                else:
                    word = doc[tok.i - 2]
                    x_id = self._registry_ref(word.text, as_place=(low == "based"))
                    x_text, x_start = word.text, word.idx
                first_tok = x_ment.start if x_ment is not None else tok.i - 2
            else:
                text = texts[i]
                # _HYPHEN_CUE needs one of the hyphens: most words fail this cheaper test
                if "-" not in text and "‐" not in text and "–" not in text:
                    continue
                match = _HYPHEN_CUE.match(text)
                if not match:
                    continue
                tok = doc[i]
                cue = match.group("cue").lower()
                x_text = match.group("x")
                x_start = tok.idx
                x_id = self._registry_ref(x_text, as_place=(cue == "based"))
                first_tok = tok.i
            x_end = x_start + len(x_text) if x_ment is None else \
                doc[x_ment.end - 1].idx + len(doc[x_ment.end - 1])
            if x_id is None:
                continue
            if x_ment is not None and cue == "based" and x_ment.type not in _PLACE_TYPES:
                continue
            if x_ment is not None and cue != "based" and x_ment.type not in _ACTOR_TYPES:
                continue
            subj, span_start, span_end, conf = self._compound_target(doc, idx, sent, tok.i,
                                                                     first_tok)
            if subj is None or subj.entity.id == x_id:
                continue
            if cue == "based":
                rtype, s_ment, o_id, o_text = "based_in", subj, x_id, x_text
            elif cue == "led":
                if x_ment is None or x_ment.type not in ("PERSON", "ORG", "GPE"):
                    # "U.S.-led": the leader is the country as an actor
                    pass
                rtype, s_ment, o_id, o_text = "leader_of", None, subj.entity.id, ""
            elif cue in ("aligned", "allied"):
                rtype, s_ment, o_id, o_text = "allied_with", subj, x_id, x_text
                conf -= 0.1
            else:
                rtype, s_ment, o_id, o_text = "backed_by", subj, x_id, x_text
            start, end = min(span_start, x_start), max(span_end, x_end)
            if rtype == "leader_of":
                # subject is X (must be a real mention), object the led organisation
                if x_ment is None:
                    continue
                o_text = text_of(doc)[doc[subj.start].idx:doc[subj.end - 1].idx
                                  + len(doc[subj.end - 1])]
                out.append(_Cand(rtype, x_ment, subj.entity.id, o_text, start, end, sent,
                                 conf - 0.05, pattern="hyphen-led"))
                continue
            assert s_ment is not None
            out.append(_Cand(rtype, s_ment, o_id, o_text, start, end, sent, conf,
                             pattern=f"hyphen-{cue}"))
        return out

    def _hyphen_word(self, low: str) -> bool:
        return low in self.cues.backing_words or low in ("based", "led", "aligned", "allied")

    def _compound_target(self, doc: Doc, idx: _Index, sent: Span, cue_i: int, first_tok: int
                         ) -> tuple[_Ment | None, int, int, float]:
        """The named organisation an 'X-backed' compound describes.

        Either the name follows inside the noun phrase ('the Iran-backed group
        Saraya al-Mizan', 'Iran-backed Islamic Resistance') or the phrase stands in
        apposition to a name ('Kataib X, an Iran-backed militia')."""
        k = cue_i + 1
        generic: Token | None = None
        while k < sent.end:
            tok = doc[k]
            m = idx.starting(k)
            if m is not None:
                named_group = generic is not None and generic.i == k - 1 and \
                    generic.tag_ == "NN" and generic.lower_ in self.cues.group_nouns
                if m.type in ("ORG",) or (m.type == "PERSON" and named_group):
                    last = doc[m.end - 1]
                    return m, doc[first_tok].idx, last.idx + len(last), 0.85
                if m.type in ("NORP", "GPE") and m.end < sent.end and doc[m.end].text not in \
                        _POSSESSIVE:
                    k = m.end
                    continue
                break
            if tok.text in _HYPHENS or (tok.pos_ in ("ADJ", "NOUN", "PROPN") and
                                        tok.lower_ not in _STOP_WORDS) or \
                    (tok.pos_ == "VERB" and tok.dep_ in ("amod", "compound")):
                if tok.pos_ == "NOUN":
                    generic = tok
                k += 1
                continue
            break
        if generic is None or generic.tag_ in ("NNS", "NNPS") or \
                generic.lower_ not in self.cues.group_nouns:
            return None, 0, 0, 0.0
        # apposition: "<ORG>, a Basra-based Iran-backed group"
        b = first_tok - 1
        while b > sent.start and (doc[b].text in _HYPHENS or self._hyphen_word(doc[b].lower_)
                                  or doc[b].pos_ == "ADJ"
                                  or (idx.at(b) is not None and idx.at(b).type  # type: ignore
                                      in ("GPE", "NORP", "LOC"))):
            b -= 1
        if b <= sent.start or doc[b].lower_ not in _DETS or doc[b - 1].text != ",":
            return None, 0, 0, 0.0
        s = idx.ending(b - 1)
        if s is None or s.type != "ORG":
            return None, 0, 0, 0.0
        # "<ORG>, the umbrella..."/lists: the noun after the compound must end the phrase
        after = generic.i + 1
        if after < sent.end and doc[after].lower_ in ("of", "and", "or"):
            return None, 0, 0, 0.0
        return s, doc[s.start].idx, generic.idx + len(generic), 0.8

    # -- dependency patterns -------------------------------------------------

    def _verb_patterns(self, doc: Doc, idx: _Index, sent: Span) -> list[_Cand]:
        out: list[_Cand] = []
        strings = idx.strings
        lemmas, lower, tags, pos = strings.lemma_lower, strings.lower, strings.tag, strings.pos
        for i in range(sent.start, sent.end):
            lemma = lemmas[i]
            low = lower[i]
            if tags[i] == "VBN" and (low in self.cues.backing_words or lemma == "lead"):
                out.extend(self._passive_by(doc, idx, sent, doc[i], lemma))
            elif low in ("based", "headquartered") and pos[i] in ("VERB", "ADJ"):
                out.extend(self._based_in(doc, idx, sent, doc[i]))
            elif lemma == "belong":
                out.extend(self._belongs(doc, idx, sent, doc[i]))
            elif low in ("allied", "aligned", "opposed") and pos[i] in ("VERB", "ADJ"):
                out.extend(self._stance(doc, idx, sent, doc[i]))
            elif lemma in self.cues.leading_verbs and tags[i] in ("VBZ", "VBP") \
                    and pos[i] == "VERB":
                out.extend(self._heads(doc, idx, sent, doc[i]))
        return out

    def _asserted(self, tok: Token) -> bool:
        mod, reason = modality.classify(tok)
        # relative clauses are where ties are stated ("X, which is based in Basra"): for
        # events that is background, for a relation it is the statement itself
        if mod != "asserted" and not (mod == "historical" and reason.startswith("background")):
            return False
        # climb only the clauses this one is embedded in ("wants X to be backed by"),
        # not past a noun it modifies ("X, led by Y, rejected the offer")
        cur = tok
        for _ in range(4):
            if cur.dep_ not in ("xcomp", "ccomp", "conj", "advcl") or cur.head is cur:
                break
            cur = cur.head
            if cur.lemma_ in _DEMAND_VERBS or cur.lemma_ in ("deny", "reject", "dismiss"):
                return False
        return not any(c.dep_ == "neg" for c in tok.children)

    def _resolve(self, idx: _Index, tok: Token, depth: int = 0) -> _Ment | None:
        """The named entity a noun phrase head stands for (name, 'which', 'the group X')."""
        if depth > 3:
            return None
        m = idx.at(tok.i)
        if m is not None:
            return m
        low = tok.lower_
        if low in ("which", "who", "that", "whom"):
            verb = tok.head
            if verb.dep_ == "prep":  # "the umbrella to which X belongs"
                verb = verb.head
            if verb.dep_ == "relcl":
                return self._resolve(idx, verb.head, depth + 1)
            return None
        if tok.pos_ == "NOUN" and low in self.cues.group_nouns and tok.tag_ == "NN":
            if tok.dep_ == "appos":
                head = idx.at(tok.head.i)
                if head is not None:
                    return head
            for c in tok.children:
                if c.dep_ == "appos" and idx.at(c.i) is not None:
                    return idx.at(c.i)
        return None

    def _subject_of(self, idx: _Index, verb: Token) -> _Ment | None:
        if verb.dep_ in ("acl", "amod", "relcl", "advcl") and verb.dep_ != "advcl":
            if verb.dep_ == "relcl":
                for c in verb.children:
                    if c.dep_ in ("nsubj", "nsubjpass"):
                        return self._resolve(idx, c)
            return self._resolve(idx, verb.head)
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return self._resolve(idx, c)
        if verb.dep_ in ("acomp", "oprd") or verb.head.lemma_ == "be":
            for c in verb.head.children:
                if c.dep_ in ("nsubj", "nsubjpass"):
                    return self._resolve(idx, c)
        return None

    def _prep_object(self, idx: _Index, tok: Token, preps: set[str]) -> tuple[_Ment, Token] | None:
        for c in tok.children:
            if c.dep_ in ("prep", "agent") and c.lower_ in preps:
                for g in c.children:
                    if g.dep_ == "pobj":
                        m = self._resolve(idx, g)
                        if m is not None:
                            return m, g
        return None

    def _passive_by(self, doc: Doc, idx: _Index, sent: Span, verb: Token, lemma: str
                    ) -> list[_Cand]:
        found = self._prep_object(idx, verb, {"by"})
        if found is None or not self._asserted(verb):
            return []
        agent, _g = found
        subj = self._subject_of(idx, verb)
        if subj is None or subj.entity.id == agent.entity.id:
            return []
        if lemma == "lead":
            if agent.type != "PERSON" or subj.type != "ORG":
                return []
            oid, otext = self._actor_ref(doc, subj)
            return [self._span_cand("leader_of", agent, oid, otext, doc, [subj, agent], verb,
                                    sent, 0.8, "led-by")]
        if subj.type not in ("ORG", "PERSON") or agent.type not in _ACTOR_TYPES:
            return []
        oid, otext = self._actor_ref(doc, agent)
        return [self._span_cand("backed_by", subj, oid, otext, doc, [subj, agent], verb, sent,
                                0.8, "backed-by")]

    def _based_in(self, doc: Doc, idx: _Index, sent: Span, verb: Token) -> list[_Cand]:
        found = self._prep_object(idx, verb, {"in"})
        if found is None:
            return []
        place, _g = found
        if place.type not in _PLACE_TYPES or not self._asserted(verb):
            return []
        subj = self._subject_of(idx, verb)
        if subj is None or subj.type not in ("ORG",):
            # "the Iran-backed group based in X" after "<ORG>, ...": the apposition
            subj = self._apposed_org(doc, idx, sent, verb)
        if subj is None or subj.type != "ORG":
            return []
        pid, ptext = self._actor_ref(doc, place, as_place=True)
        return [self._span_cand("based_in", subj, pid, ptext, doc, [subj, place], verb, sent,
                                0.8, "based-in")]

    def _apposed_org(self, doc: Doc, idx: _Index, sent: Span, verb: Token) -> _Ment | None:
        """'<ORG>, which is based in', '<ORG>, based in', '<ORG>, the group based in'."""
        i = verb.i - 1
        while i > sent.start and doc[i].lower_ in ("is", "are", "which", "that", "also"):
            i -= 1
        if doc[i].text == ",":
            m = idx.ending(i)
            if m is not None and self._closest_noun_phrase_start(doc, idx, i) == m.start:
                return m
            return None
        # "<ORG>, the Iran-backed group based in": the head noun is in apposition
        head = verb.head
        if head.pos_ == "NOUN" and head.lower_ in self.cues.group_nouns:
            b = head.left_edge.i
            if b - 1 > sent.start and doc[b - 1].text == ",":
                m = idx.ending(b - 1)
                if m is not None and m.type == "ORG":
                    return m
        return None

    def _closest_noun_phrase_start(self, doc: Doc, idx: _Index, comma: int) -> int | None:
        """Start token of the phrase ending right before a comma, when it is a bare name
        (not '<ORG>, the 71st Brigade of <ORG2>,' where the nearest name is ORG2)."""
        m = idx.ending(comma)
        if m is None:
            return None
        before = m.start - 1
        if before >= 0 and doc[before].lower_ in ("of", "the", "at", "for", "in", "with"):
            return None
        return m.start

    def _belongs(self, doc: Doc, idx: _Index, sent: Span, verb: Token) -> list[_Cand]:
        found = self._prep_object(idx, verb, {"to"})
        if found is None or not self._asserted(verb):
            return []
        target, _g = found
        subj = self._subject_of(idx, verb)
        if subj is None or target.type != "ORG" or subj.entity.id == target.entity.id:
            return []
        rtype = "member_of" if subj.type == "PERSON" else "part_of"
        oid, otext = self._actor_ref(doc, target)
        return [self._span_cand(rtype, subj, oid, otext, doc, [subj, target], verb, sent, 0.75,
                                "belongs-to")]

    def _stance(self, doc: Doc, idx: _Index, sent: Span, tok: Token) -> list[_Cand]:
        low = tok.lower_
        preps = {"to"} if low == "opposed" else {"with", "to"}
        found = self._prep_object(idx, tok, preps)
        if found is None or not self._asserted(tok):
            return []
        target, _g = found
        subj = self._subject_of(idx, tok)
        if subj is None or subj.entity.id == target.entity.id:
            return []
        if target.type not in _ACTOR_TYPES or subj.type not in _ACTOR_TYPES:
            return []
        rtype = "opposed_to" if low == "opposed" else "allied_with"
        conf = 0.65 if low == "aligned" else 0.75
        oid, otext = self._actor_ref(doc, target)
        return [self._span_cand(rtype, subj, oid, otext, doc, [subj, target], tok, sent, conf,
                                f"{low}-prep")]

    def _heads(self, doc: Doc, idx: _Index, sent: Span, verb: Token) -> list[_Cand]:
        """'<PERSON>, who heads <ORG>' / '<PERSON> leads <ORG>' (present tense only)."""
        obj = None
        for c in verb.children:
            if c.dep_ == "dobj":
                obj = self._resolve(idx, c)
        if obj is None or obj.type != "ORG" or not self._asserted(verb):
            return []
        subj = self._subject_of(idx, verb)
        if subj is None or subj.type != "PERSON":
            return []
        oid, otext = self._actor_ref(doc, obj)
        return [self._span_cand("leader_of", subj, oid, otext, doc, [subj, obj], verb, sent,
                                0.75, "heads")]

    def _span_cand(self, rtype: str, subj: _Ment, oid: str | None, otext: str, doc: Doc,
                   ments: list[_Ment], cue: Token, sent: Span, conf: float, pattern: str
                   ) -> _Cand:
        starts = [doc[m.start].idx for m in ments] + [cue.idx]
        ends = [doc[m.end - 1].idx + len(doc[m.end - 1]) for m in ments] + [cue.idx + len(cue)]
        return _Cand(rtype, subj, oid, otext, min(starts), max(ends), sent, conf,
                     pattern=pattern)

    # -- references, checks, records ---------------------------------------

    def _actor_ref(self, doc: Doc, m: _Ment, as_place: bool = False) -> tuple[str | None, str]:
        """(entity id, text as written) for an object mention.

        A nationality word stands for its country ('Iranian-backed' -> IRN); a capital
        named as a backer stands for its state ('Tehran-backed' -> IRN)."""
        text = _clean(doc[m.start:m.end].text)
        ent = m.entity
        if as_place:
            return ent.id, text
        if ent.type == "NORP" and ent.country:
            return ent.country, text
        if ent.type in _PLACE_TYPES and ent.registry_id is None:
            state = self.registry.country_of_capital(text)
            if state is not None:
                return state.id, text
        return ent.id, text

    def _registry_ref(self, text: str, as_place: bool = False) -> str | None:
        """A registry id for a word inside a hyphenated token ('U.S.-backed')."""
        actor = self.registry.lookup(text) or self.registry.country_of_demonym(text)
        if actor is None and not as_place:
            actor = self.registry.country_of_capital(text)
        if actor is None:
            return None
        if as_place and actor.type not in _PLACE_TYPES:
            return None
        return actor.id

    def _acceptable(self, doc: Doc, idx: _Index, c: _Cand) -> bool:
        if c.subject.type not in ("PERSON", "ORG", "GPE"):
            return False
        if c.type == "holds_role" and c.subject.type != "PERSON":
            return False
        if c.object_id is not None and c.object_id == c.subject.entity.id:
            return False
        # a news outlet addressed by a speaker ("told Reuters") is no party to a relation
        if _is_addressee(doc[c.subject.end - 1]):
            return False
        span = doc.char_span(c.start, c.end, alignment_mode="expand")
        for tok in span if span is not None else []:
            m = idx.at(tok.i)
            if m is None or m is c.subject or tok.i != m.end - 1:
                continue
            if c.object_id in (m.entity.id, m.entity.country) and _is_addressee(tok):
                return False
        return c.confidence >= self.min_confidence

    def _fill_from_registry(self, c: _Cand, observed: str | None) -> None:
        """'President Donald Trump' with no organisation in the text: the registry's role
        held on the article date gives it, at lower confidence."""
        if c.type != "holds_role" or c.object_id is not None or not c.role:
            return
        ent = c.subject.entity
        actor = self.registry.get(ent.registry_id) or (
            self.registry.lookup(ent.name) if ent.type == "PERSON" else None)
        if actor is None or actor.type != "PERSON":
            return
        words = c.role.split()
        for role in actor.roles:
            if not role.org or not role.active_on(observed):
                continue
            title = normalise_name(role.title).split()
            if words and words[-1] in title and all(w in title for w in words):
                org = self.registry.get(role.org)
                c.object_id = role.org
                c.object_text = org.name if org else role.org
                c.confidence = min(c.confidence, 0.6)
                c.pattern += "+registry"
                return

    def _records(self, doc: Doc, cands: list[_Cand], observed: str | None) -> list[Relation]:
        article = doc._.article
        article_id = article.id if article is not None else "adhoc"
        best: dict[tuple, _Cand] = {}
        for c in cands:
            key: tuple = (c.type, c.subject.entity.id,
                          c.role if c.type == "holds_role" else c.object_id or c.object_text)
            old = best.get(key)
            if old is None or _better(c, old):
                best[key] = c
        # a role stated once with its organisation makes a bare mention of it redundant
        out: list[Relation] = []
        for c in sorted(best.values(), key=lambda c: (c.start, c.end, c.type)):
            subj_text = _clean(doc[c.subject.start:c.subject.end].text)
            rel = Relation(
                id=content_id("r", article_id, c.type, c.subject.entity.id,
                              c.object_id or c.object_text, c.start, c.end),
                type=c.type,
                subject=c.subject.entity.id,
                subject_text=subj_text,
                object=c.object_id,
                object_text=c.object_text,
                start=c.start,
                end=c.end,
                sentence=text_of(doc)[c.sent.start_char:c.sent.end_char].strip(),
                confidence=round(c.confidence, 2),
                role=c.role,
                observed_at=observed,
            )
            out.append(rel)
            if c.type == "holds_role" and c.role_written:
                roles = c.subject.entity.roles
                if c.role_written.lower() not in {r.lower() for r in roles}:
                    roles.append(c.role_written)
        return out


def _better(new: _Cand, old: _Cand) -> bool:
    if (new.object_id is not None) != (old.object_id is not None):
        return new.object_id is not None
    if round(new.confidence, 2) != round(old.confidence, 2):
        return new.confidence > old.confidence
    return new.start < old.start


def _clean(text: str) -> str:
    text = _LEADING_THE.sub("", text.strip())
    return _TRAILING_POSSESSIVE.sub("", text).strip()


def _is_addressee(tok: Token) -> bool:
    """'told Reuters', 'said in an interview with Reuters', 'said to Reuters'."""
    if tok.dep_ in ("dobj", "dative", "iobj") and tok.head.lemma_ in _SPEECH_VERBS:
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ in ("to", "with") and \
            tok.head.head.lemma_ in _SPEECH_VERBS | {"interview"}:
        return True
    return False


@Language.factory(
    "wirewatch_relations",
    default_config={"cues": None, "min_confidence": 0.5, "use_registry_roles": True},
)
def make_relation_extractor(nlp: Language, name: str, cues: str | None, min_confidence: float,
                            use_registry_roles: bool) -> RelationExtractor:
    return RelationExtractor(nlp, name, cues, min_confidence, use_registry_roles)
