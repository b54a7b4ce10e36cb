"""What a speaker's words do to a party: "X said Y must go" is X's demand on Y, "X called
Y's plan reckless" is X's criticism of Y. Both are read off reported speech, so the
speaker is the actor and the party the words are about is the recipient."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Participant
from wirewatch.nlp.codebook import Codebook, Rule
from wirewatch.nlp.coref import FIRST_PERSON
from wirewatch.nlp.events.participants import ParticipantReader, quotes_holding
from wirewatch.nlp.events.parties import named, same
from wirewatch.nlp.events.syntax import SUBJ_DEPS, pobjs
from wirewatch.nlp.events.words import (
    CONDEMNING_WORDS,
    DEMAND_SPEECH,
    JUDGING_SPEECH,
    LABELLING_VERBS,
    LINKING_VERBS,
)
from wirewatch.nlp.tokenstrings import token_strings, token_tree

ORIGIN = "wirewatch.nlp.events"
OBLIGATION_RULE = Rule(
    id="request.obligation", kind="verb", type="REQUEST", lemmas=frozenset({"must", "should"}),
    cameo="100", require="both", confidence=0.6, origin=ORIGIN,
)
JUDGEMENT_RULE = Rule(
    id="accuse.judgement", kind="verb", type="ACCUSE", lemmas=frozenset(CONDEMNING_WORDS),
    cameo="111", mode="disapprove", require="both", confidence=0.55, origin=ORIGIN,
)
# "X said Y must ...", "... should ...", "... ought to ...": the speaker's demand
OBLIGATION_AUX = {"must", "should", "ought"}


def obligation_auxes(doc: Doc) -> dict[int, list[Token]]:
    """Token index -> its "must"/"should"/"ought" aux children, in order: one pass over
    the document instead of a look at every token's children in every sentence."""
    found: dict[int, list[Token]] = {}
    lower = token_strings(doc).lower
    for i in range(len(doc)):
        if lower[i] not in OBLIGATION_AUX:
            continue
        c = doc[i]
        if c.dep_ == "aux" and c.head.i != c.i:
            found.setdefault(c.head.i, []).append(c)
    return found


class StanceReader:
    """Demands and criticism carried by what a named party says."""

    def __init__(self, book: Codebook, parts: ParticipantReader) -> None:
        self.book = book
        self.parts = parts
        # the document last read and its obligation auxes (one pass per document)
        self._obliged: tuple[Doc, dict[int, list[Token]]] | None = None

    def speakers(self, speech: Token) -> list[Participant]:
        """The named party that speaks: "experts stress that ..." demands nothing."""
        actors = self.parts.participants(self.parts.subject(speech)[0])
        parties = self.book.sense.get("parties", frozenset())
        return [a for a in actors if a.entity or named(speech.doc, a, parties)]

    def obligations(self, sent: Span, taken: set[int]) -> list[tuple[Rule, Token, list, list,
                                                                      Token]]:
        """(rule, trigger, actors, recipients, speech verb) for "X said Y must do Z"."""
        out = []
        if self._obliged is None or self._obliged[0] is not sent.doc:
            self._obliged = (sent.doc, obligation_auxes(sent.doc))
        obliged = self._obliged[1]
        # the sentence's tokens that have such an aux, in order
        for i in sorted(i for i in obliged if sent.start <= i < sent.end):
            tok, must = sent.doc[i], obliged[i]
            if any(c.dep_ == "neg" for c in tok.children):
                continue
            head = tok
            while head.dep_ in {"conj", "xcomp"} and head.head.i != head.i:
                head = head.head
            if any(c.dep_ == "mark" and c.lower_ in {"if", "whether"} for c in head.children):
                continue  # "asked whether X should ..." is a question
            if (speech := reporting_verb(head, DEMAND_SPEECH)) is not None:
                actors = self.speakers(speech)
            elif head.dep_ == "ROOT" and (quoted := quote_speaker(tok)) is not None:
                # "X must instruct his team ...", said Y: the quote is Y's demand, as
                # factual as Y's saying it
                actors, speech = [quoted[0]], quoted[1] or must[0]  # no cue: the trigger
            else:
                continue
            parties = self.book.sense.get("parties", frozenset())
            recipients = [  # "the declaration should set out ..." obliges no party
                r for r in self.parts.participants(self.parts.subject(tok)[0])
                if not same(r, actors) and r.text.lower() not in FIRST_PERSON
                and (r.entity or named(tok.doc, r, parties))
            ]
            if actors and recipients:
                out.append((OBLIGATION_RULE, must[0], actors, recipients, speech))
        return out

    def judgements(self, sent: Span, taken: set[int]) -> list[tuple[Rule, Token, list, list,
                                                                     Token]]:
        """(rule, trigger, actors, recipients, speech verb) for "X told lawmakers Y's request
        was improper" and "X described Y's plan as reckless"."""
        out = []
        strings = token_strings(sent.doc)
        lemma, pos, dep = strings.lemma, strings.pos, token_tree(sent.doc).dep
        for i in range(sent.start, sent.end):
            # the tests of the branches below that need no Token: reporting_verb() reads
            # only a "ccomp" clause, and a labelling verb must be a verb
            if i in taken or not (
                (lemma[i] in LINKING_VERBS and dep[i] == "ccomp")
                or (lemma[i] in LABELLING_VERBS and pos[i] == "VERB")
            ):
                continue
            tok = sent.doc[i]
            if tok.lemma_ in LINKING_VERBS and (
                speech := reporting_verb(tok, JUDGING_SPEECH)
            ) is not None:
                word = self.condemning(tok, {"acomp", "attr", "oprd", "prep"})
                judged = [c for c in tok.children if c.dep_ in SUBJ_DEPS]
            elif tok.lemma_ in LABELLING_VERBS and tok.pos_ == "VERB":
                judged = [c for c in tok.children if c.dep_ in {"dobj", "obj"}]
                own = {"prep", "npadvmod", "appos"}  # "called the decision a disgrace"
                word = self.condemning(tok, {"oprd", "prep", "ccomp", "xcomp"}) or next(
                    (w for j in judged if (w := self.condemning(j, own))), None
                )
                speech = tok
            else:
                continue
            if word is None or not judged or word.i in taken:
                continue
            if any(c.dep_ == "neg" for c in (*tok.children, *word.children)):
                continue  # "said the request was not improper"
            actors = self.speakers(speech)
            recipients = [r for r in self.judged_parties(judged[0]) if not same(r, actors)]
            if actors and recipients:
                out.append((JUDGEMENT_RULE, word, actors, recipients, speech))
        return out

    def condemning(self, head: Token, deps: set[str]) -> Token | None:
        """The condemning word among ``head``'s complements ("as improper", "a sham")."""
        for c in head.children:
            if c.dep_ not in deps:
                continue
            words = [c] if c.dep_ != "prep" else (
                [*pobjs(c), *(x for x in c.children if x.dep_ == "amod")] if c.lower_ in {
                    "as", "like"} else []
            )
            for w in words:
                for t in (w, *(x for x in w.children if x.dep_ in {"amod", "compound"})):
                    if t.lemma_.lower() in CONDEMNING_WORDS or t.lower_ in CONDEMNING_WORDS:
                        return t
        return None

    def judged_parties(self, judged: Token) -> list[Participant]:
        """Who a judgement is about: the party itself, or whose act it judges ("Trump's
        request", "the request by the ministry")."""
        parties = self.book.sense.get("parties", frozenset())
        direct = [p for p in self.parts.participants([judged])
                  if p.entity or named(judged.doc, p, parties)]
        if direct and judged.pos_ != "PRON":
            return direct
        owners = [c for c in judged.children if c.dep_ == "poss" and c.pos_ != "PRON"] + [
            p for c in judged.children if c.dep_ == "prep" and c.lower_ in {"by", "of", "from"}
            for p in pobjs(c)
        ]
        return [p for p in self.parts.participants(owners)
                if p.entity or named(judged.doc, p, parties)]


def quote_speaker(tok: Token) -> tuple[Participant, Token | None] | None:
    """(resolved speaker, speech verb) of the quote whose content holds ``tok``, if any."""
    doc = tok.doc
    for quote in quotes_holding(doc, tok.idx):
        speaker = getattr(quote, "speaker", None)
        span = getattr(quote, "speaker_span", None)
        if speaker and span:
            cue_span = getattr(quote, "cue_span", None)
            cue = doc.char_span(*cue_span, alignment_mode="expand") if cue_span else None
            who = Participant(entity=speaker, text=quote.speaker_text or "", start=span[0],
                              end=span[1])
            return who, (cue.root if cue is not None and len(cue) else None)
    return None


def reporting_verb(clause: Token, lemmas: frozenset[str]) -> Token | None:
    """The speech verb whose that-clause ``clause`` is. The small parser often hangs the
    clause on a relative clause of the addressee instead ("told teachers who filled the
    square that the Legislature should ..."): the clause still belongs to "told"."""
    if clause.dep_ != "ccomp":
        return None
    head = clause.head
    if head.lemma_ in lemmas:
        return head
    if head.dep_ == "relcl" and head.head.dep_ in {"dobj", "dative"} and (
        head.head.head.lemma_ in lemmas
    ) and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return head.head.head
    return None
