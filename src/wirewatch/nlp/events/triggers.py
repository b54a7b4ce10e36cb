"""Trigger finding and sense: which words in a sentence code a PLOVER event.

Each verb or noun in the lexicon (``data/events/lexicon.yaml``, plus a user's own
codebook file) names a PLOVER type and where its actor and recipient sit in the parse.
Frame verbs ("agreed to", "demanded that") decide whether what they embed is the content
of their own event (suppressed) or a demanded action; the lexicon's ``sense`` lists keep
sport, markets and forces of nature from coding political events.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Participant
from wirewatch.nlp.codebook import Codebook, Rule
from wirewatch.nlp.events.participants import ParticipantReader
from wirewatch.nlp.events.parties import head_lemma, named, plural, same
from wirewatch.nlp.events.stances import StanceReader
from wirewatch.nlp.events.syntax import (
    PASSIVE_SUBJ,
    SUBJ_DEPS,
    clause_head,
    has_complement,
    pobjs,
    pobjs_of,
    verb_like_at,
)
from wirewatch.nlp.events.words import (
    CONTAINER_NOUNS,
    DEMAND_NOUNS,
    EMBEDDED_MODE,
    PREP_OBJECTS,
    QUESTION_WORDS,
    TRIVIAL_EMBEDDED,
)
from wirewatch.nlp.tokenstrings import TokenStrings, TokenTree, token_strings, token_tree

CONFLICT_TYPES = {"ASSAULT", "COERCE", "SANCTION", "THREATEN", "MOBILIZE"}


@dataclass
class Candidate:
    rule: Rule
    trigger: Token
    actors: list[Participant]
    recipients: list[Participant]
    frame: Token | None = None
    passive: bool = False
    retype: str | None = None
    mode: str | None = None
    modality_token: Token | None = None  # where modality is read when not the trigger
    said: bool = False  # a speech act of a quote's speaker: as factual as the quote


class TriggerFinder:
    """The event candidates of a sentence, each with its rule and participants."""

    def __init__(self, book: Codebook, parts: ParticipantReader) -> None:
        self.book = book
        self.parts = parts
        self.stances = StanceReader(book, parts)

    def candidates(self, sent: Span) -> list[Candidate]:
        """Every coded trigger of the sentence, in the order events are built."""
        # Frame verbs first: what they embed is either content of their event
        # (suppressed) or a demanded action.
        frames: dict[int, tuple[Token, str]] = {}
        verb_cands: list[Candidate] = []
        doc = sent.doc
        strings = token_strings(doc)
        tree = token_tree(doc)
        verb_rules = self.book.verb_rules
        lemma_lower, lower = strings.lemma_lower, strings.lower
        pos, tag, dep, children = strings.pos, strings.tag, tree.dep, tree.children
        # the lexicon test first, on the doc's strings: it rules out most words
        for i in range(sent.start, sent.end):
            if lemma_lower[i] not in verb_rules and lower[i] not in verb_rules:
                continue
            if not (pos[i] in {"VERB", "AUX"} or tag[i].startswith("VB")
                    or verb_like_at(tree, i)):
                continue
            if any(dep[c] == "poss" or (
                dep[c] in SUBJ_DEPS and any(tag[x] == "POS" for x in children[c])
            ) for c in children[i]):
                continue  # "Trump's vows to ...": a noun the tagger took for a verb
            tok = doc[i]
            cand = self.match_verb(tok, strings, tree)
            if cand is None:
                continue
            verb_cands.append(cand)
            if cand.rule.embeds:
                for emb in self.embedded(tok):
                    frames.setdefault(emb.i, (tok, cand.rule.embeds))
        coded: list[Candidate] = []
        for cand in verb_cands:
            frame = frames.get(cand.trigger.i) or demand_noun_frame(cand.trigger)
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
            elif cand.rule.type == "AGREE" and cand.rule.embeds and (
                target := against(cand.trigger)
            ) is not None:
                # "pledged to take action against the party": a promise against someone
                cand.retype = "THREATEN"
                parties = self.book.sense.get("parties", frozenset())
                cand.recipients = [
                    r for r in self.parts.participants(pobjs(target))
                    if r.entity or named(sent.doc, r, parties)
                ]
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
        taken = {c.trigger.i for c in coded}
        for rule, trig, actors, recipients, speech in [
            *self.stances.obligations(sent, taken), *self.stances.judgements(sent, taken)
        ]:
            coded.append(Candidate(rule, trig, actors, recipients, modality_token=speech,
                                   said=speech is trig))
        coded_idx = {c.trigger.i for c in coded}
        noun_rules, pos = self.book.noun_rules, strings.pos
        for i in range(sent.start, sent.end):
            if pos[i] != "NOUN" or lemma_lower[i] not in noun_rules:
                continue
            tok = doc[i]
            if any(a.i in coded_idx or a.i in frames for a in argument_of(tok)):
                continue  # the noun is the content or argument of a coded event
            cand = self.match_noun(tok, strings)
            if cand is not None:
                coded.append(cand)
        return coded

    # ------------------------------------------------------------------ matching
    def rules_for(
        self, tok: Token, index: dict[str, list[Rule]], strings: TokenStrings
    ) -> list[Rule]:
        lemma, lower = strings.lemma_lower[tok.i], strings.lower[tok.i]
        rules = list(index.get(lemma, [])) + [r for r in index.get(lower, []) if lemma != lower]

        def specificity(rule: Rule) -> int:
            return -(4 * bool(rule.objects) + 3 * bool(rule.actor_heads)
                     + 2 * bool(rule.particle) + bool(rule.preps))

        return sorted(rules, key=specificity)

    def match_verb(self, tok: Token, strings: TokenStrings, tree: TokenTree) -> Candidate | None:
        """The first rule of the verb's that its clause satisfies, as a candidate.
        ``strings`` and ``tree`` are the doc's (passed down: read once per sentence)."""
        doc = tok.doc
        lemma_lower, lower, dep, children = (
            strings.lemma_lower, strings.lower, tree.dep, tree.children)
        rules = self.rules_for(tok, self.book.verb_rules, strings)
        head_lemmas: set[str] = set()
        obj_lemmas: set[str] = set()
        # only rules with (not_)objects read the objects: most verbs skip the walk
        if any(r.objects or r.not_objects for r in rules):
            heads = objects_of(doc, strings, tree, tok.i, modifiers=False)
            head_lemmas = {lemma_lower[o] for o in heads} | {lower[o] for o in heads}
            objects = objects_of(doc, strings, tree, tok.i)
            obj_lemmas = {lemma_lower[o] for o in objects} | {lower[o] for o in objects}
            # "pleaded not guilty": a negated complement is its own object
            obj_lemmas |= {f"not {lemma_lower[o]}" for o in objects
                           if "neg" in [dep[c] for c in children[o]]}
        # an object rule matched by the head noun beats one matched only by a modifier
        rules.sort(key=lambda r: not (r.objects and head_lemmas & r.objects))
        embedded = {lemma_lower[c] for c in children[tok.i] if dep[c] in {"xcomp", "ccomp"}}
        for rule in rules:
            if rule.objects and not (obj_lemmas & rule.objects):
                continue
            if rule.embeds == "suppress" and embedded & TRIVIAL_EMBEDDED:
                continue  # "declined to comment" is no rejection
            if rule.type == "REQUEST" and asks_a_question(tok):
                continue
            if rule.not_objects and (obj_lemmas & rule.not_objects) and not rule.objects:
                continue
            if rule.particle and not any(
                c.dep_ in {"prt", "advmod"} and c.lower_ == rule.particle for c in tok.children
            ):
                continue
            preps = [doc[c] for c in children[tok.i]
                     if dep[c] in {"prep", "prt", "dative", "agent"} and lower[c] in rule.preps
                     and not dated(doc[c])]
            if rule.preps and not preps:
                continue
            if rule.prep_nominal and not any(
                o.pos_ in {"NOUN", "PROPN"} for c in preps for o in pobjs(c)
            ):
                continue
            if rule.complements and not any(has_complement(tok, c) for c in rule.complements):
                continue
            if any(has_complement(tok, c) for c in rule.not_complements):
                continue
            if rule.not_preps and any(
                t.dep_ in {"prep", "prt", "agent", "advmod"} and t.lower_ in rule.not_preps
                for c in tok.children for t in (c, *c.children)
            ):
                continue  # "struck me as odd": "as" hangs off the verb or its complement
            actors, recipients, passive = self.parts.verb_args(tok, rule)
            if rule.actor_heads and not any(
                head_lemma(tok.doc, a) in rule.actor_heads for a in actors
            ):
                continue
            if rule.named:
                parties = self.book.sense.get("parties", frozenset())
                recipients = [r for r in recipients if r.entity or named(tok.doc, r, parties)]
            if not self.satisfied(rule, actors, recipients):
                continue
            return Candidate(rule, tok, actors, recipients, passive=passive)
        return None

    def match_noun(self, tok: Token, strings: TokenStrings) -> Candidate | None:
        for rule in self.rules_for(tok, self.book.noun_rules, strings):
            if tok.dep_ in {"dobj", "obj"} and tok.head.lemma_.lower() in rule.light_verbs:
                continue  # coded by the light-verb rule
            actors = self.parts.slot_participants(tok, rule.actor)
            recipients = self.parts.slot_participants(tok, rule.recipient)
            recipients = [r for r in recipients if not same(r, actors)]
            if not self.satisfied(rule, actors, recipients):
                continue
            return Candidate(rule, tok, actors, recipients)
        return None

    def satisfied(
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
            return bool(recipients) or len(actors) > 1 or plural(actors[0])
        return bool(actors) or bool(recipients)

    def embedded(self, verb: Token) -> list[Token]:
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

    # ------------------------------------------------------------------ sense
    def metaphor(self, sent: Span, cand: Candidate) -> str | None:
        """Why a trigger is not a political event here (sport, markets, forces), or None."""
        sense = self.book.sense
        trig = cand.trigger
        etype = cand.retype or cand.rule.type
        actor_heads = {head_lemma(trig.doc, a) for a in cand.actors}
        if cand.actors and actor_heads <= sense.get("non_political", frozenset()) and not any(
            r.entity for r in cand.recipients
        ):
            return f"actors are not political ({', '.join(sorted(actor_heads))})"
        if etype not in {"ASSAULT", "COERCE"} or cand.rule.kind != "verb":
            return None
        strings = token_strings(trig.doc)
        pos, lemma_lower = strings.pos, strings.lemma_lower
        if etype == "ASSAULT" and lemma_lower[trig.i] in sense.get("contest_verbs", ()):
            contest = sense.get("contest", ())
            for i in range(sent.start, sent.end):
                if pos[i] == "NOUN" and lemma_lower[i] in contest:
                    return f"a political contest: '{strings.text[i]}'"
        sport = sense.get("sport", frozenset()) if etype == "ASSAULT" else frozenset()
        for i in range(sent.start, sent.end):  # "beat", "hit", "crush" are the language of sport
            if pos[i] in {"NOUN", "PROPN"} and lemma_lower[i] in sport:
                return f"sport: '{strings.text[i]}'"
        subj, _ = self.parts.subject(trig)
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

    def resense(self, cand: Candidate) -> None:
        """A deployment "to help" (locate a lost ferry) is AID, not a show of force; an
        attack on someone's loyalty or record is criticism."""
        etype = cand.retype or cand.rule.type
        verbal = self.book.rules.get("accuse.attack_words")
        trig = cand.trigger
        # "deflected attacks on his loyalty": the on-phrase may hang off the light verb
        around = [*trig.children, *(trig.head.children if trig.dep_ in {"dobj", "obj"} else ())]
        if etype == "ASSAULT" and cand.rule.kind == "noun" and verbal is not None and any(
            p.lemma_.lower() in verbal.objects
            for t in around if t.dep_ == "prep" and t.lower_ in {"on", "against"}
            for p in pobjs(t)
        ):
            cand.retype = "ACCUSE"
            return
        if etype == "MOBILIZE" and purpose(cand.trigger) in self.book.sense.get(
            "aid_purposes", ()
        ):
            cand.retype = "AID"


def objects_of(
    doc: Doc, strings: TokenStrings, tree: TokenTree, verb: int, modifiers: bool = True
) -> list[int]:
    """The indexes of a verb's objects, and with ``modifiers`` their modifiers' too."""
    dep, children, lower, lemma_lower = tree.dep, tree.children, strings.lower, strings.lemma_lower
    kids = children[verb]
    objs = [c for c in kids if dep[c] in {"dobj", "obj", "attr", "oprd", "acomp"}]
    if not objs:
        objs = [c for c in kids if dep[c] in PASSIVE_SUBJ]
    for prep in kids:
        if dep[prep] == "prep" and lower[prep] in {"on", "into"}:
            # "go on strike", "put on alert"
            objs.extend(pobjs_of(strings, tree, prep))
    for prep in kids:
        if dep[prep] == "prep" and lower[prep] in PREP_OBJECTS:
            # "held in custody", "took to the streets", "spoke by phone": a few nouns after
            # these prepositions say what the verb is doing
            nouns = PREP_OBJECTS[lower[prep]]
            objs.extend(p for p in pobjs_of(strings, tree, prep) if lemma_lower[p] in nouns)
    more = []
    for o in objs:
        more.extend(c for c in children[o] if dep[c] == "conj")
        if modifiers or lemma_lower[o] in CONTAINER_NOUNS or doc[o].like_num:
            # "700 kg of medicine", "a state of emergency"
            more.extend(p for c in children[o] if dep[c] == "prep" and lower[c] == "of"
                        for p in pobjs_of(strings, tree, c))
        if modifiers:  # "a hunger strike": compounds name the kind
            more.extend(c for c in children[o] if dep[c] in {"compound", "amod"})
    return objs + more


def purpose(verb: Token) -> str | None:
    """The lemma of a to-infinitive purpose on the verb or its object ("sent X to help")."""
    for c in [*verb.children, *(x for o in verb.children if o.dep_ == "dobj" for x in o.children)]:
        if c.dep_ in {"advcl", "xcomp", "relcl", "acl"} and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in c.children
        ):
            return c.lemma_.lower()
    return None


def against(verb: Token) -> Token | None:
    """The "against" of "vowed to take action against X", "promised to move against Y":
    the promised action is aimed at someone."""
    for c in verb.children:
        if c.dep_ == "xcomp":
            for t in c.subtree:
                if t.dep_ == "prep" and t.lower_ == "against" and t.head.i in {
                    c.i, *(o.i for o in c.children if o.dep_ in {"dobj", "obj"})
                }:
                    return t
    return None


# "arrested after a shootout", "fled amid protests": the noun is its own happening
TIME_PREPS = {"after", "before", "during", "following", "amid", "amidst", "since", "until"}


def argument_of(noun: Token) -> list[Token]:
    """The heads a noun is an argument of, up to a time adjunct ("after a shootout")."""
    out = []
    tok = noun
    while tok.head.i != tok.i:
        if tok.dep_ == "prep" and tok.lower_ in TIME_PREPS:
            break
        tok = tok.head
        out.append(tok)
    return out


def dated(prep: Token) -> bool:
    """ "called the office on Tuesday": a preposition before a date is no "call on"."""
    objs = pobjs(prep)
    return bool(objs) and all(o.ent_type_ in {"DATE", "TIME"} for o in objs)


def asks_a_question(verb: Token) -> bool:
    """ "asked her whether she was hurt", "asked, on whose authority?": a question."""
    for c in verb.children:
        if c.dep_ in {"ccomp", "advcl", "xcomp"}:
            first = c.left_edge
            if first.lower_ in QUESTION_WORDS or any(
                m.dep_ == "mark" and m.lower_ in {"if", "whether"} for m in c.children
            ):
                return True
    return False


def demand_noun_frame(trig: Token) -> tuple[Token, str] | None:
    """ "its demand that Israel ease restrictions": the easing is demanded, not done."""
    head = clause_head(trig)
    noun = head.head
    if head.dep_ in {"acl", "ccomp"} and noun.pos_ == "NOUN" and (
        noun.lemma_.lower() in DEMAND_NOUNS
    ):
        return noun, "demanded"
    return None
