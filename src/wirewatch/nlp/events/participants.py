"""Who did it and to whom: participants read from the trigger's own clause.

The subject of a clause is the actor unless the clause is passive (then the by-agent is),
a controlled infinitive takes its controller, and a participle after a passive takes the
passive's agent, never its subject. Who *reports* a deed is never its actor: a quote's
speaker stands in only for the quote's own "I"/"we".
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Token

from wirewatch.model import Participant
from wirewatch.nlp.codebook import Codebook, Rule
from wirewatch.nlp.coref import FIRST_PERSON, PERSON_NOUNS, entity_for_span
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.events.parties import (
    allowed_entity,
    allowed_surface,
    dedupe,
    identified_person,
    resolve_reference,
    same,
    whole_words,
)
from wirewatch.nlp.events.syntax import (
    CLAUSE_DEPS,
    PASSIVE_SUBJ,
    SUBJ_DEPS,
    expand_conj,
    np_tokens,
    path,
    pobjs,
)
from wirewatch.nlp.events.words import (
    DOCUMENT_NOUNS,
    OBJECT_CONTROL,
    PERPETRATOR_DESCRIPTIONS,
    RELATIVE_PRONOUNS,
    REPORTING_HEADS,
    SKIP_PRONOUNS,
)
from wirewatch.nlp.spanindex import covering


class ParticipantReader:
    """Reads actors and recipients off the parse, resolved against the article's entities."""

    def __init__(self, book: Codebook) -> None:
        self.book = book

    def subject(self, verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
        """(subject heads, passive?) for a verb, climbing through control and coordination."""
        for c in verb.children:
            if c.dep_ in SUBJ_DEPS and c.dep_ != "expl":
                return [self.speaker_for_pronoun(c, verb)], False
        for c in verb.children:
            if c.dep_ in PASSIVE_SUBJ:
                return [self.speaker_for_pronoun(c, verb)], True
        if depth > 4 or verb.head.i == verb.i:
            return [], False
        head = verb.head
        if verb.dep_ == "xcomp":
            if head.lemma_ in OBJECT_CONTROL:
                objs = [c for c in head.children if c.dep_ in {"dobj", "obj"}]
                if objs:
                    return objs, False
            subj, _ = self.subject(head, depth + 1)
            return subj, False
        if verb.dep_ in {"conj", "acomp"}:
            return self.subject(head, depth + 1)
        if verb.dep_ == "relcl":
            return [head], False
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return [head], True  # "civilians killed by militants"
        if verb.dep_ == "acl" and verb.tag_ == "VBG":
            if head.lemma_.lower() in DOCUMENT_NOUNS:
                # "issued a declaration demanding ...": the issuer demands
                return self.subject(head.head, depth + 1)[0], False
            return [head], False  # "protesters demanding ..."
        if verb.dep_ == "advcl" and verb.tag_ == "VBG":
            subj, passive = self.subject(head, depth + 1)  # "..., killing three"
            if passive:
                # "the convoy was hit near the bridge, killing three": the convoy did not
                # kill; the actor is the by-agent of the passive, if the text names one
                return [p for c in head.children if c.dep_ == "agent" for p in pobjs(c)], False
            return subj, False
        return [], False

    def speaker_for_pronoun(self, subj: Token, verb: Token) -> Token:
        """In "X said it would attack", "it" is X: the reported clause's pronoun is the speaker."""
        if subj.lower_ not in {"it", "they", "he", "she"}:
            return subj
        head = verb
        while head.dep_ in {"conj", "xcomp"} and head.head.i != head.i:
            head = head.head
        if head.dep_ == "ccomp" and head.head.lemma_ in REPORTING_HEADS:
            speakers = [c for c in head.head.children if c.dep_ == "nsubj"]
            if speakers and speakers[0].pos_ in {"PROPN", "NOUN"}:
                spk = speakers[0]
                # "police said he opened fire": "he" is the one the article spoke of, not
                # the police; "X said they ...": a person is not "they"
                if subj.lower_ in {"he", "she"}:
                    if spk.pos_ == "PROPN" or (
                        spk.tag_ == "NN" and spk.lemma_.lower() in PERSON_NOUNS
                    ):
                        return spk
                else:
                    ent = entity_for_span(spk.doc, spk.idx, spk.idx + len(spk))
                    if (getattr(ent, "type", None) or spk.ent_type_) != "PERSON":
                        return spk
        return subj

    def verb_args(
        self, verb: Token, rule: Rule
    ) -> tuple[list[Participant], list[Participant], bool]:
        subj, passive = self.subject(verb)
        actors: list[Participant] = []
        recipients: list[Participant] = []
        if rule.actor != ("subj",):
            # "faced criticism from rights groups": the subject is on the receiving end, and
            # the actor, if any, sits in the slots the rule names
            actors = self.slot_participants(verb, rule.actor)
        elif passive:
            agent = [p for c in verb.children if c.dep_ == "agent" for p in pobjs(c)]
            actors = self.participants(agent)
            if rule.passive_recipient and ("dobj" in rule.recipient or not rule.recipient):
                recipients = self.participants(subj)
            elif subj:
                # "X was urged to ..." etc: the passive subject is the recipient
                recipients = self.participants(subj)
        else:
            actors = self.participants(subj)
        slots = [s for s in rule.recipient if not (passive and s == "dobj")]
        recipients += self.slot_participants(verb, tuple(slots))
        recipients = [r for r in recipients if not same(r, actors)]
        return actors, dedupe(recipients), passive

    def slot_participants(self, tok: Token, slots: tuple[str, ...]) -> list[Participant]:
        """Participants from the first slot that yields any."""
        for slot in slots:
            heads = self.slot_heads(tok, slot)
            found = self.participants(heads)
            if found:
                return found
        return []

    def slot_heads(self, tok: Token, slot: str) -> list[Token]:
        children = list(tok.children)
        if slot == "subj":
            if tok.pos_ == "NOUN":
                if tok.dep_ in {"dobj", "obj"}:
                    subj, passive = self.subject(tok.head)
                    return [] if passive else subj
                return []
            return self.subject(tok)[0]
        if slot == "dobj":
            return [c for c in children if c.dep_ in {"dobj", "obj"}]
        if slot == "dative":
            return [c for c in children if c.dep_ in {"dative", "iobj"} and c.pos_ != "ADP"] + [
                p for c in children if c.dep_ == "dative" and c.pos_ == "ADP" for p in pobjs(c)
            ]
        if slot.startswith("prep:"):
            word = slot[5:]
            out = [p for c in children if c.dep_ == "prep" and c.lower_ == word for p in pobjs(c)]
            if out:
                return out
            # "held talks with X", "imposed sanctions on X": the preposition hangs off the object
            for obj in (c for c in children if c.dep_ in {"dobj", "obj", "attr"}):
                for t in obj.subtree:
                    if t.dep_ == "prep" and t.lower_ == word and t.head.i != tok.i:
                        if any(a.dep_ in CLAUSE_DEPS and a.i > tok.i for a in path(t, tok)):
                            continue
                        out.extend(pobjs(t))
                if out:
                    return out
            if tok.pos_ == "NOUN" and word == "by":
                out = [p for c in children if c.dep_ == "agent" for p in pobjs(c)]
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
                            for p in pobjs(x)
                        ]
                    if objs:
                        return objs
            return []
        if slot == "dobj_of":
            out = []
            for obj in (c for c in children if c.dep_ in {"dobj", "obj"}):
                for c in obj.children:
                    if c.dep_ == "prep" and c.lower_ in {"of", "from", "by"}:
                        out.extend(pobjs(c))
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

    def participants(self, heads: list[Token]) -> list[Participant]:
        out: list[Participant] = []
        for head in heads:
            for tok in expand_conj(head):
                if tok.is_punct:
                    continue
                for t in self.antecedents(tok) or [tok]:
                    part = self.participant(t)
                    if part is not None:
                        out.append(whole_words(t.doc, part))
        return dedupe(out)

    def antecedents(self, pron: Token) -> list[Token]:
        """The people an unresolved plural pronoun stands for (empty when it is no such
        pronoun, or coref resolved it)."""
        low = pron.lower_
        if low not in {"them", "they"} or pron.pos_ != "PRON" or resolve_reference(
            pron.doc, pron.idx, pron.idx + len(pron)
        ) is not None:
            return []
        antecedent = self.plural_antecedent(pron)
        if antecedent is None and low == "they":
            antecedent = self.previous_plural_subject(pron)
        return expand_conj(antecedent) if antecedent is not None else []

    def plural_antecedent(self, pron: Token) -> Token | None:
        """The people an object "them" stands for: the nearest plural party named before it
        in the sentence ("sent an alert to residents, warning them ..."), never the subject
        of its own clause, which English would have made "themselves"."""
        own_subject = {t.i for t in self.subject(pron.head)[0]}
        parties = self.book.sense.get("parties", frozenset())
        for tok in reversed(pron.sent[: pron.i - pron.sent.start]):
            if tok.i in own_subject or tok.dep_ in {"attr", "compound", "poss", "amod"}:
                continue
            if tok.tag_ == "NNS" and tok.lemma_.lower() in parties:
                return tok
            if tok.tag_ == "NNPS" or (tok.tag_ == "NNS" and tok.ent_type_ in {"NORP", "ORG"}):
                return tok
        return None

    def previous_plural_subject(self, pron: Token) -> Token | None:
        """ "X and Y are held in the county jail. The sheriff said they face charges": a
        "they" with no plural party before it in its sentence is the previous sentence's
        plural subject, when that subject names two or more people or organisations (a
        plural noun there is too often someone else: "Police arrested X. They face ...")."""
        sent = pron.sent
        if sent.start == 0:
            return None
        root = pron.doc[sent.start - 1].sent.root
        for subj in (c for c in root.children if c.dep_ in SUBJ_DEPS | PASSIVE_SUBJ):
            people = expand_conj(subj)
            if len(people) > 1 and all(t.ent_type_ in {"PERSON", "ORG"} for t in people):
                return subj
        return None

    def participant(self, head: Token) -> Participant | None:
        doc = head.doc
        if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            head = head.head.head
        if head.pos_ == "PRON" or head.tag_ in {"PRP", "WP", "WDT", "DT"}:
            low = head.lower_
            if head.tag_ in {"WP", "WDT"} or (low in SKIP_PRONOUNS and low != "it"):
                return None
            ref = resolve_reference(doc, head.idx, head.idx + len(head))
            if ref is None and low not in FIRST_PERSON:
                # An unresolved "they" or "he" names nobody: precision first. A "we"
                # inside a quote is replaced by the speaker later.
                return None
            ent_id = getattr(ref, "id", None) if ref is not None else None
            if ref is not None and not allowed_entity(self.book, ref):
                return None
            return Participant(
                entity=ent_id, text=head.text, start=head.idx, end=head.idx + len(head)
            )
        if head.pos_ not in {"NOUN", "PROPN", "ADJ", "NUM", "X"} and not head.ent_type_:
            return None
        if head.lemma_.lower() in self.book.instrument_heads and not head.ent_type_:
            return None
        toks = np_tokens(head, self.book.generic_heads)
        start = toks[0].idx
        end = toks[-1].idx + len(toks[-1])
        text = text_of(doc)[start:end]
        # resolve on the named part: "factions within the X" names X
        ent = None
        named = [t for t in toks if t.ent_type_ in {"ORG", "GPE", "NORP", "PERSON", "LOC", "FAC"}]
        if head.lemma_.lower() in self.book.generic_heads and named:
            lo, hi = named[0], named[-1]
            ent = entity_for_span(doc, lo.idx, hi.idx + len(hi))
            if ent is not None and not allowed_entity(self.book, ent):
                # "New York City officials" act; the city itself is no party, so they
                # stay a described group
                return Participant(entity=None, text=text, start=start, end=end)
        if ent is None:
            ent = entity_for_span(doc, head.idx, head.idx + len(head))
        if ent is None:
            ent = entity_for_span(doc, start, end)
            hs, he = head.idx, head.idx + len(head)
            mentions = getattr(ent, "mentions", None) or []
            if ent is not None and not any(m.start < he and hs < m.end for m in mentions):
                ent = None  # "Ankara's district administration" is not Ankara
        if ent is None and head.tag_ == "NN" and toks[0].lower_ == "the" and (
            head.lemma_.lower() in PERPETRATOR_DESCRIPTIONS
        ):
            # "the gunman" is the person the article identified as the gunman
            ent = identified_person(doc, head.lemma_.lower())
        if ent is not None and not allowed_entity(self.book, ent):
            return None
        checked = head
        if head.like_num or head.ent_type_ in {"CARDINAL", "QUANTITY"}:
            # "hundreds of farmers": the of-phrase says who they are
            of = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                  for p in pobjs(c)]
            checked = of[0] if of else head
        if ent is None and not allowed_surface(self.book, checked, toks, text):
            return None
        return Participant(
            entity=getattr(ent, "id", None), text=text, start=start, end=end
        )



def quotes_holding(doc: Doc, offset: int) -> list[Any]:
    """The quotes whose content (not just their span, which includes the attribution)
    holds the character at ``offset``."""
    return [
        q for q in covering(doc, "quotes", offset)  # content lies inside start..end
        if any(s <= offset < e for s, e in (
            getattr(q, "content_spans", None) or [[q.start, q.end]]))
    ]


def in_quote(
    doc: Doc, trig: Token, actors: list[Participant]
) -> tuple[list[Participant], str | None]:
    """(actors, quote id) for a trigger inside a quote's content: the speaker is the
    actor only when the quote says "we"/"I" did it; a speaker who reports a deed ("the
    guard was shot", he said) did not do it."""
    holding = quotes_holding(doc, trig.idx)
    if not holding:
        return actors, None
    quote = holding[0]
    first = [a for a in actors if a.text.lower() in FIRST_PERSON]
    speaker_text = getattr(quote, "speaker_text", None) or ""
    if first and speaker_text and speaker_text.lower() not in RELATIVE_PRONOUNS:
        span = quote.speaker_span or [quote.start, quote.start]
        actors = [Participant(entity=getattr(quote, "speaker", None), text=speaker_text,
                              start=span[0], end=span[1])]
    return actors, quote.id
