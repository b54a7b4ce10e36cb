"""Candidates from the dependency parse.

A cue's reported clause and its subject, inverted cues and according-to phrases.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from wirewatch.nlp import coref
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.quotes.candidates import _SKIP_SEGMENTS, _Cand, _merge
from wirewatch.nlp.quotes.cues import CUE_POS, CueLexicon
from wirewatch.nlp.quotes.inverted import _ADDRESSEE_VERBS, InvertedSources
from wirewatch.nlp.quotes.marks import ALL_MARKS, Quotation
from wirewatch.nlp.quotes.names import _name_not_date
from wirewatch.nlp.quotes.spans import FINITE_TAGS, _has_finite, _tok_span, _trim, comma_pieces
from wirewatch.nlp.tokenstrings import token_strings

# Dependency labels of a cue's children that never belong to the content.
_NON_CONTENT_DEPS = {
    "nsubj", "nsubjpass", "csubj", "agent", "aux", "auxpass", "neg", "punct", "advmod",
    "npadvmod", "prt", "cc", "mark", "expl", "dep", "intj", "meta", "dative",
}


# Prepositions whose object is what an attitude is about ("argued for", "spoke against").
# what a clause-only cue may still be about: "spoke about the ban", not "spoke on the
# condition of anonymity", "spoke over the boos", "spoke for an hour"
_TOPIC_PREPS = {"about", "against", "of"}
_OBJECT_PREPS = {"about", "against", "for", "on", "of", "with", "over", "as", "to", "toward",
                 "towards"}


class ClauseCandidates(InvertedSources):
    """Attribution candidates read from the parse around each cue."""

    # set by QuoteAttributor.__init__
    lex: CueLexicon
    scope: str
    _shared_subject: dict[int, Token]  # per document: second cue -> the first's source

    def _parse_candidates(self, doc: Doc, quotations: list[Quotation]) -> list[_Cand]:
        cands: list[_Cand] = []
        article = doc._.article
        self._shared_subject: dict[int, Token] = {}
        text = text_of(doc)
        # a cue is a verb or the first word of a prepositional cue ("according to"):
        # _cue_tokens answers None for any other token
        cue_firsts = {first for first, _ in self.lex.prepositional}
        # the tests read the doc's string lists by index: a Token is made only for a word
        # that may be a cue, not for every word of the article
        strings = token_strings(doc)
        dep, pos, lower, lemma_lower = strings.dep, strings.pos, strings.lower, strings.lemma_lower
        lex = self.lex
        attribution = self.scope == "attribution"
        for sent in doc.sents:
            if article is not None and article.segment_at(sent.start_char) in _SKIP_SEGMENTS:
                continue
            if attribution and self._editorial_note(text, sent.start_char):
                continue
            for i in range(sent.start, sent.end):
                if attribution and dep[i] in {"acomp", "attr"}:
                    cand = self._predicate_candidate(doc, sent, doc[i])
                    if cand is not None:
                        cands.append(cand)
                        continue
                if pos[i] == "NOUN" and lemma_lower[i] in lex.nouns:
                    cand = self._noun_candidate(doc, sent, doc[i])
                    if cand is not None:
                        cands.append(cand)
                    continue
                if attribution and pos[i] in {"VERB", "AUX"} and (
                    (lex.lemma_fixes.get(lower[i]) or lemma_lower[i]) in lex.light_verbs
                ):
                    cand = self._light_verb_candidate(doc, sent, doc[i])
                    if cand is not None:
                        cands.append(cand)
                        continue
                if pos[i] not in CUE_POS and lower[i] not in cue_firsts:
                    continue
                cue = self._cue_tokens(doc, i)
                if cue is None:
                    continue
                toks, group, conf = cue
                if group == "according":
                    cand = self._according(doc, sent, toks)
                else:
                    cand = self._verb_candidate(doc, sent, toks, group, conf)
                if cand is not None:
                    cands.append(cand)
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for c in cands:
            c.content = [self._snap(doc, s, e, quotations, c) for s, e in c.content]
            # a quotation continued over paragraphs is one content
            extra = [
                (m.start, m.end)
                for q in quotations
                if any(q.start < e and s < q.end for s, e in c.content)
                and not (c.cue_span and q.start <= c.cue_span[0] < q.end)
                for m in chains[q.chain]
            ]
            c.content = _merge(c.content + extra)
        return cands

    def _editorial_note(self, text: str, offset: int) -> bool:
        """The paragraph is an editor's note appended to the story ("Editor's note: ..."):
        the outlet's boilerplate, not attributions reported in the story."""
        para = text.rfind("\n", 0, offset) + 1
        head = text[para : para + 40].lower().replace("’", "'")
        return any(head.startswith(label) for label in self.lex.note_labels)

    def _verb_candidate(
        self, doc: Doc, sent: Span, toks: list[Token], group: str, conf: float
    ) -> _Cand | None:
        cand = self._parsed_verb_candidate(doc, sent, toks, group, conf)
        if cand is None or group != "speech":
            return cand
        if cand.speaker_span is None:
            self._trailing_speaker(doc, sent, toks[0], cand)
        elif not any(ch.dep_ in {"nsubj", "nsubjpass"} for ch in toks[0].children):
            # "Roe stood still, reported Ann Lee of the Herald": a subject borrowed from
            # another clause loses to a name right after an inverted cue
            self._trailing_speaker(doc, sent, toks[0], cand, names_only=True)
        return cand

    def _parsed_verb_candidate(
        self, doc: Doc, sent: Span, toks: list[Token], group: str, conf: float
    ) -> _Cand | None:
        verb = toks[0]
        lemma = verb.lemma_.lower()
        speaker = self._shared_subject.get(verb.i) or self._speaker_token(verb)
        if self.scope == "attribution" and speaker is not None:
            speaker = _issuer_subject(speaker)
        if speaker is not None and (
            (speaker.ent_type_ in {"DATE", "TIME"} and not _name_not_date(speaker))
            or speaker.is_punct
        ):
            # "On Monday at the rally Sen. Ana Ruiz said": the parser took the day for
            # the subject and hung the name inside it; the name is the source
            speaker = next((t for t in reversed(list(speaker.subtree))
                            if t.ent_type_ in {"PERSON", "ORG"} and t.dep_ != "compound"),
                           None)
        if self.scope == "attribution":
            if speaker is None and verb.tag_ == "VB" and verb.dep_ == "ROOT" and not any(
                c.dep_ in {"aux", "auxpass"} for c in verb.children
            ):
                # "See the full timeline below": an imperative tells the reader what to
                # do; nobody's words or views are reported
                return None
        # "Roe railed against X and explained ...": the second verb's subject is the first's,
        # which may be one the parser left stray as well
        first = verb.head if verb.dep_ == "conj" and verb.head.i < verb.i else None
        for v in (verb, first):
            if speaker is None and v is not None:
                speaker = (_stray_subject(v) if self.scope == "attribution" else None) or (
                    _comma_subject(v))
        if self.scope == "attribution":
            lead = _line_initial_name(verb)
            if lead is not None and (speaker is None or speaker.i < lead.left_edge.i or (
                "\n" in text_of(doc)[min(speaker.idx, verb.idx) : max(speaker.idx, verb.idx)]
            )):
                speaker = lead
        content_toks: list[Token] = []
        is_clausal = False
        clausal = [c for c in verb.children if c.dep_ in {"ccomp", "parataxis"} or (
            # "Asked if the bridge was safe, ...": the parser makes the question an advcl
            # (attribution scope: the words-said gold does not count the question asked of
            # the speaker as a quote)
            self.scope == "attribution"
            and c.dep_ == "advcl" and c.i > verb.i and lemma in self.lex.question_cues
            and any(m.dep_ == "mark" and m.lower_ in {"if", "whether"} for m in c.children)
        )]
        # "called for the port to be closed": the for-to clause the particle marks
        clausal += [t.head for t in toks[1:] if t.dep_ == "mark" and t.head not in clausal]
        if speaker is not None and len(clausal) > 1:
            # "Roe waved, then says she will run": the clause holding the source is not
            # what the source said
            clausal = [c for c in clausal if not (c == speaker or c.is_ancestor(speaker))] or (
                clausal)
        addressee_tok = None
        if lemma in _ADDRESSEE_VERBS:
            right_clause = [c for c in clausal if c.i > verb.i]
            for c in verb.rights:
                if c.dep_ in {"dobj", "dative"} and (not right_clause or c.i < right_clause[0].i):
                    addressee_tok = c
                    break
        if addressee_tok is not None and not clausal:
            # "told the court Roe left early": the parser hangs the reported clause
            # on the addressee as a relative clause with a subject of its own
            rel = next((c for c in addressee_tok.children if c.dep_ == "relcl"
                        and c.tag_ == "VBD" and any(
                            x.dep_ == "nsubj" and x.i > addressee_tok.i
                            and x.pos_ in {"PROPN", "PRON"}
                            and x.lower_ not in {"who", "that", "which"}
                            for x in c.children)), None)
            if rel is not None:
                clausal = [rel]
        phrasal_prep = [t for t in toks[1:] if t.dep_ == "prep"]
        if group == "quote_only":
            pass  # content only from an adjacent quotation
        elif phrasal_prep and not clausal:
            # "joked about X", "reacted to X": the object of the cue's preposition
            for prep in phrasal_prep:
                for obj in prep.children:
                    content_toks.extend(obj.subtree)
        elif clausal:
            for c in clausal:
                content_toks.extend(t for t in self._clause_tokens(c, speaker) if t not in toks)
            is_clausal = True
        elif lemma in self.lex.np_content or group == "stance":
            for c in verb.rights:
                if c in toks[1:] and c.dep_ == "prep":
                    # "call for X", "refer to X": the object of the cue's preposition
                    for obj in c.children:
                        content_toks.extend(obj.subtree)
                    continue
                if c == addressee_tok or c in toks:
                    continue
                if c.dep_ in _NON_CONTENT_DEPS:
                    continue
                if c.dep_ == "prep" and c.lower_ == "by" and self.scope == "attribution":
                    # "(Reporting by Ann Vey)": a by-phrase names the doer, not the words
                    continue
                if c.dep_ == "prep" and self._is_circumstance(c):
                    continue
                if c.dep_ in {"advcl", "conj", "relcl"}:
                    continue
                content_toks.extend(c.subtree)
        else:
            # in the attribution scope a belief's object is attributed too ("expects a
            # record turnout", "sees the plan as a trap"); a state of mind is no speech
            deps = {"xcomp"} if group == "belief" and self.scope == "speech" else {
                "xcomp", "dobj", "oprd"}
            if self.scope == "attribution" and lemma in self.lex.clause_only_cues:
                deps = deps - {"dobj"}
            for c in verb.rights:
                if c.dep_ in deps and c != addressee_tok:
                    content_toks.extend(c.subtree)
                    if c.dep_ == "dobj" and lemma in {"say", "add", "tell"} and any(
                        a.dep_ == "acl" and a.tag_ in {"VBD", "VBN"} and a.i > c.i
                        and not any(x.dep_ == "agent" for x in a.children)
                        for a in c.children
                    ):
                        # "said some 900 people signed up for the walk": the
                        # parser's object + participle is a reported clause
                        is_clausal = True
        if not content_toks and not clausal and self.scope == "attribution" and group in {
            "speech", "belief", "attitude", "stance"
        }:
            content_toks = self._attributed_object(verb, toks, addressee_tok, group)
        if not content_toks and group == "speech":
            # "asked whether the port would close, she said no": the answer word stands
            # for the clause it answers
            answer = next((c for c in verb.rights if c.dep_ in {"intj", "dobj", "advmod"}
                           and c.lower_ in {"yes", "no"}), None)
            if answer is not None:
                content_toks = [answer]
                is_clausal = True
        if (not content_toks or not clausal) and group == "speech":
            # "Roe stood still, reported Ann Lee of the Herald": the name after the
            # inverted cue is its source, not its content
            tail = self._tail_attribution(doc, sent, verb, speaker)
            if tail is not None:
                content_span, speaker = tail
                return _Cand(
                    cue=toks, cue_span=_tok_span(toks), content=[content_span],
                    speaker_tok=speaker, speaker_span=self._speaker_span(speaker),
                    confidence=conf, pattern=f"verb:{group}:tail", sentence=sent,
                    extra={"clausal": True},
                )
        as_clause = verb.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in verb.children
        ) and not any(c.dep_ == "dobj" or (c.dep_ == "prep" and not self._is_circumstance(c))
                      for c in verb.children)
        if not content_toks and (verb.dep_ == "parataxis" or as_clause) and speaker is not None:
            # "This plan, she said, is dead" and "As she noted, the plan is dead": the
            # host clause around the cue
            inner = {t.i for t in verb.subtree}
            around = [t for t in verb.head.subtree if t.i not in inner]
            spans = []
            for part in (
                [t for t in around if t.i < min(inner)],
                [t for t in around if t.i > max(inner)],
            ):
                if part:
                    sp = _trim(text_of(doc), part[0].idx, part[-1].idx + len(part[-1].text))
                    if sp is not None:
                        spans.append(sp)
            if spans:
                return _Cand(
                    cue=toks, cue_span=_tok_span(toks), content=spans, speaker_tok=speaker,
                    speaker_span=self._speaker_span(speaker), confidence=conf,
                    pattern=f"verb:{group}:parenthetical", sentence=sent,
                    addressee=self._addressee(verb, addressee_tok),
                )
        if not content_toks:
            # the direct quotation may still be attached later
            return _Cand(
                cue=toks, cue_span=_tok_span(toks), content=[], speaker_tok=speaker,
                speaker_span=self._speaker_span(speaker), confidence=conf,
                pattern=f"verb:{group}", sentence=sent,
                addressee=self._addressee(verb, addressee_tok),
            )
        if speaker is not None and speaker.i < verb.i and speaker in content_toks:
            # '"We are ready," Ana Roe, head of the union, said': the parser hung the
            # source on the quotation; it and its description are not what was said
            cut = speaker.left_edge.i
            content_toks = [t for t in content_toks if not cut <= t.i < verb.i] or content_toks
        start = min(t.idx for t in content_toks)
        end = max(t.idx + len(t.text) for t in content_toks)
        if "\n" in text_of(doc)[start:end]:
            # a parse across paragraphs: keep the cue's paragraph (quotations that
            # continue over paragraphs are chained back in by the snap)
            if end <= verb.idx:
                start = max(start, text_of(doc).rfind("\n", start, end) + 1)
            else:
                line_end = text_of(doc).find("\n", max(start, verb.idx), end)
                if line_end > start:
                    end = line_end
                if "\n" in text_of(doc)[start:end]:
                    start = text_of(doc).rfind("\n", start, end) + 1
        span = _trim(text_of(doc), start, end)
        if span is None:
            return None
        return _Cand(
            cue=toks, cue_span=_tok_span(toks), content=[span], speaker_tok=speaker,
            speaker_span=self._speaker_span(speaker), confidence=conf,
            pattern=f"verb:{group}", sentence=sent,
            addressee=self._addressee(verb, addressee_tok), extra={"clausal": is_clausal},
        )

    def _clause_tokens(self, clause: Token, speaker: Token | None) -> list[Token]:
        """The reported clause, without a second report by the same source.

        "She said the road was closed, but insisted that the bridge was safe": the parser
        hangs "insisted" on the reported clause, but it is the source's second cue (no
        subject of its own), so the content ends before it and "insisted" takes the
        source of "said". In "she said Roe stood up and asked if ..." the second verb is
        as often the reported subject's deed, so for words-said quotes only "but" or
        "added" marks the source's own second report (measured on the real-news dev
        pages); the attribution scope cuts at any second speech cue.
        """
        toks = list(clause.subtree)
        doc = clause.doc
        for d in clause.children:
            if d.dep_ not in {"conj", "advcl", "parataxis"} or d.i <= clause.i or (
                d.pos_ != "VERB"
            ):
                continue
            cue = self._cue_tokens(doc, d.i)  # type: ignore[attr-defined]  (CueRules)
            if cue is None:
                continue
            own = next((c for c in d.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if own is not None and self.scope == "attribution" and cue[1] != "speech" and (
                own.pos_ == "PRON"
            ):
                # "Roe said the tally was tight and she feels her side can win": a belief of a
                # pronoun is still part of what was reported, not a report of its own
                continue
            if own is not None and d.dep_ != "advcl" and own.lower_ not in {
                "it", "that", "which", "who", "this"
            }:
                # "she said the plan failed, and the minister denied it": a new source
                # with its own cue is an attribution of its own, outside this content
                cut = d.left_edge.i
                while cut > clause.i and doc[cut - 1].dep_ in {"cc", "punct"}:
                    cut -= 1
                if cut > clause.i:
                    toks = [t for t in toks if t.i < cut]
                    break
                continue
            if own is not None or any(c.dep_ == "mark" for c in d.children):
                continue
            if cue[1] != "speech":
                continue
            cut = d.left_edge.i
            # the "and" or comma before the second cue goes with it
            while cut > clause.i and doc[cut - 1].dep_ in {"cc", "punct"}:
                cut -= 1
            if any(cut <= t.i < d.left_edge.i and t.head not in (clause, d) for t in toks):
                continue
            if self.scope != "attribution" and not (
                self.lex.lemma(d) == "add"
                or any(t.lower_ == "but" for t in doc[cut : d.left_edge.i + 1])
            ):
                continue
            if speaker is not None:
                self._shared_subject[d.i] = speaker
            toks = [t for t in toks if t.i < cut]
            break
        return toks

    def _attributed_object(
        self, verb: Token, toks: list[Token], addressee: Token | None, group: str
    ) -> list[Token]:
        """What a cue with no clause or object is about, in the attribution scope.

        "argued for a ban", "spoke out against the merger", "agreed with him": the
        object of the cue's own preposition; "the plan was backed by the mayor": the
        passive subject, when an agent names the source.
        """
        out: list[Token] = []
        for c in verb.children:
            if c == addressee or c in toks:
                continue
            if c.dep_ == "nsubjpass" and any(x.dep_ == "agent" for x in verb.children):
                out.extend(c.subtree)
            elif (c.dep_ == "prep" and c.i > verb.i and c.lower_ in (
                    _TOPIC_PREPS if self.lex.lemma(verb) in self.lex.clause_only_cues
                    else _OBJECT_PREPS)
                  and not self._is_circumstance(c)
                  # "spoke to reporters", "talked with voters": the addressee ("responded
                  # to the charges" is about them)
                  and not (group == "speech" and c.lower_ in {"to", "with"} and not (
                      c.lower_ == "to" and self.lex.lemma(verb) in self.lex.to_object_cues))):
                for obj in c.children:
                    if obj.dep_ in {"pobj", "pcomp"}:
                        out.extend(obj.subtree)
        return out

    def _light_verb_candidate(self, doc: Doc, sent: Span, verb: Token) -> _Cand | None:
        """'made the case for X', 'took a swipe at X', 'has doubts about X', 'made it clear
        that ...': a light verb whose object is a noun of saying or attitude
        (``light_verbs`` and ``light_nouns``) attributes the noun's object or clause to the
        verb's subject, in the attribution scope.
        """
        lex = self.lex
        noun = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"
                     and c.lemma_.lower() in lex.light_nouns), None)
        clear = None
        if noun is None:
            if self.lex.lemma(verb) != "make":
                return None
            # "made it clear that ...", "made plain that ..."
            clear = next((c for c in verb.children if c.dep_ in {"oprd", "ccomp", "acomp",
                                                                  "dobj", "advmod"}
                          and c.lower_ in {"clear", "plain"}), None)
            if clear is None:
                return None
        parts: list[Token] = []
        holders = [verb] + ([noun] if noun is not None else []) + (
            [clear] if clear is not None else [])
        for h in holders:
            for c in h.children:
                if c.dep_ in {"ccomp", "acl"} and c.i > h.i and (
                    h is not noun or any(m.dep_ == "mark" for m in c.children)
                ):
                    parts.append(c)
                elif (c.dep_ == "prep" and c.i > h.i
                      # "took aim at X", "drew a contrast between X and Y"
                      and c.lower_ in _OBJECT_PREPS | {"at", "between"}
                      and not self._is_circumstance(c)):
                    parts.extend(o for o in c.children if o.dep_ in {"pobj", "pcomp"})
        if not parts:
            return None
        speaker = self._speaker_token(verb)
        toks = sorted((t for p in parts for t in p.subtree), key=lambda t: t.i)
        span = _trim(text_of(doc), toks[0].idx, toks[-1].idx + len(toks[-1].text))
        if span is None:
            return None
        cue = [verb] + ([noun] if noun is not None else [clear])
        return _Cand(
            cue=cue, cue_span=_tok_span(cue), content=[span], speaker_tok=speaker,
            speaker_span=self._speaker_span(speaker), confidence=0.45,
            pattern="verb:attitude:light", sentence=sent,
        )

    def _predicate_candidate(self, doc: Doc, sent: Span, pred: Token) -> _Cand | None:
        """'X is critical of Y', 'X is optimistic that ...', 'X is a supporter of Y'.

        In the attribution scope a copular predicate of attitude is attributed to its
        subject: an adjective with its own object or clause, or an agent noun of
        support or opposition (``predicate_nouns``) with its object.
        """
        head = pred.head
        if head.lemma_.lower() not in {"be", "seem", "appear", "remain", "become"}:
            return None
        if pred.pos_ == "ADJ" and pred.lemma_.lower() in self.lex.not_attitude_adjectives:
            return None
        if pred.pos_ == "ADJ":
            parts = [c for c in pred.children if c.dep_ in {"ccomp", "xcomp"}] or [
                o for c in pred.children if c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS
                for o in c.children if o.dep_ in {"pobj", "pcomp"}
            ]
        elif pred.pos_ == "NOUN" and pred.lemma_.lower() in self.lex.predicate_nouns:
            parts = [o for c in pred.children if c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS
                     for o in c.children if o.dep_ in {"pobj", "pcomp"}]
        else:
            return None
        subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
        if not parts or subj is None or not _human_source(subj):
            return None
        toks = sorted((t for p in parts for t in p.subtree), key=lambda t: t.i)
        span = _trim(text_of(doc), toks[0].idx, toks[-1].idx + len(toks[-1].text))
        if span is None:
            return None
        return _Cand(
            cue=[pred], cue_span=_tok_span([pred]), content=[span], speaker_tok=subj,
            speaker_span=self._speaker_span(subj), confidence=0.45,
            pattern="verb:attitude:predicate", sentence=sent,
        )

    def _noun_candidate(self, doc: Doc, sent: Span, noun: Token) -> _Cand | None:
        """'her claim that ...', 'Graham's endorsement of Cruz': a noun cue owned by a source."""
        source = next((c for c in noun.children if c.dep_ == "poss"), None)
        if source is None:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ == "by":
                    source = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if source is None and self.scope == "attribution":
            source = _clause_owner(noun)
        elif self.scope == "attribution" and source.lower_ in {"his", "her", "their"}:
            # "Ruiz kept up her attacks on the plan": the subject who owns them is named
            owner = _clause_owner(noun)
            source = owner if owner is not None and owner.pos_ != "PRON" else source
        if source is None or source.lower_ in {"its", "their", "our", "my", "your"} and (
            source.lower_ != "their"
        ):
            return None
        content_toks: list[Token] = []
        for c in noun.children:
            if c.dep_ in {"acl", "ccomp"} and any(m.dep_ == "mark" for m in c.children):
                content_toks.extend(c.subtree)
            elif c.dep_ == "prep" and c.lower_ in {"of", "for", "on", "about", "against", "to"}:
                for obj in c.children:
                    if obj.dep_ in {"pobj", "pcomp"}:
                        content_toks.extend(obj.subtree)
        if not content_toks:
            return None
        content_toks.sort(key=lambda t: t.i)
        last = content_toks[-1]
        span = _trim(text_of(doc), content_toks[0].idx, last.idx + len(last.text))
        if span is None:
            return None
        return _Cand(
            cue=[noun], cue_span=_tok_span([noun]), content=[span], speaker_tok=source,
            speaker_span=self._speaker_span(source), confidence=0.45, pattern="noun",
            sentence=sent,
        )

    def _according(self, doc: Doc, sent: Span, toks: list[Token]) -> _Cand | None:
        to = toks[1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        phrase = {t.i for t in toks[0].subtree} | {t.i for t in to.subtree}
        lo = min(phrase)
        hi = max(phrase)
        before = [t for t in sent if t.i < lo and not t.is_space]
        after = [t for t in sent if t.i > hi and not t.is_space]
        part = after if len([t for t in after if not t.is_punct]) >= len(
            [t for t in before if not t.is_punct]
        ) else before
        part = [t for t in part if not t.is_punct or t.text in ALL_MARKS]
        if not part:
            return None
        span = _trim(text_of(doc), part[0].idx, part[-1].idx + len(part[-1].text))
        if span is None:
            return None
        return _Cand(
            cue=toks, cue_span=_tok_span(toks), content=[span], speaker_tok=pobj,
            speaker_span=self._speaker_span(pobj), confidence=0.8, pattern="according_to",
            sentence=sent,
        )

    def _is_circumstance(self, prep: Token) -> bool:
        """Time, place, medium and addressee phrases are not content ("on Tuesday")."""
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return False
        if pobj.ent_type_ in {"DATE", "TIME"}:
            return True
        if prep.lower_ in {"to", "in", "at", "during", "on", "with"} and (
            pobj.lemma_.lower() in self.lex.channels or pobj.ent_type_ in {"ORG", "GPE"}
        ):
            return True
        if prep.lower_ == "on" and (pobj.ent_type_ == "WORK_OF_ART" or any(
            t.text in ALL_MARKS for t in pobj.subtree
        )):
            return True  # "spoke on “Morning Edition”": a programme, not a topic
        return prep.lower_ in {"in", "during"} and pobj.lemma_.lower() in {
            "interview", "statement", "speech", "letter", "email", "post", "tweet",
        }


def _before_subjectless(verb: Token) -> int | None:
    """For a finite verb with no subject of its own, the index of the token before it and
    its own adverbs ("Roe, the chair, also said": the comma); None for any other verb."""
    finite = verb.tag_ in FINITE_TAGS or (
        # a bare root participle is a past tense the tagger misread
        verb.tag_ == "VBN" and verb.dep_ == "ROOT"
        and not any(c.dep_ in {"aux", "auxpass"} for c in verb.children)
    )
    if not finite or any(c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"}
                         for c in verb.children):
        return None
    i = verb.i - 1
    while i >= 0 and verb.doc[i].dep_ == "advmod" and verb.doc[i].head == verb:
        i -= 1
    return i


def _stray_subject(verb: Token) -> Token | None:
    """The noun right before a finite cue with no subject of its own.

    "After the debate, the Ohio senator stated that ..." and "Less than a third
    agreed that ...": the parser hangs the speaker on the noun before it as an
    apposition, or on the verb as a measure phrase, and leaves the cue subjectless.
    """
    i = _before_subjectless(verb)
    if i is None or i < 0:
        return None
    tok = verb.doc[i]
    if tok.pos_ not in {"NOUN", "PROPN"} or tok.dep_ not in {"appos", "npadvmod"} and not (
        # "In Dayton, Ohio, 62-year-old Ana Roe railed against ...": a person read as one
        # more place of the phrase before
        tok.dep_ == "pobj" and tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON"
    ):
        return None
    if tok.ent_type_ in {"DATE", "TIME"} or verb.sent != tok.sent:
        return None
    return tok


def _comma_subject(verb: Token) -> Token | None:
    """A name closed by a comma right before a subjectless finite cue.

    '"We are ready," Ana Roe, head of the dock union, told reporters', 'Ana Roe, wearing
    a union cap, said ...' and 'At the port, Ana Roe, the union's chair, warned ...': the
    parser hangs the name and its description on the quotation or the phrase before it,
    leaving the cue without a subject. The nearest of the last three comma-separated pieces
    (on the cue's line) that is wholly one name with its description is the source.
    """
    doc = verb.doc
    i = _before_subjectless(verb)
    if i is None or i <= verb.sent.start or doc[i].text != ",":
        return None
    pieces = comma_pieces(doc[verb.sent.start : i], 3, 15, one_line=True, opening=True)
    for piece in pieces:
        words = [t for t in piece if not (t.is_punct or t.is_space)]
        if _has_finite(words):
            break  # a clause of its own: what is said, not who says it
        # ("conj": 'In Brest, Ana Roe, ...' read as a list of places)
        names = [t for t in words if t.pos_ == "PROPN" and t.ent_type_ in {"PERSON", "ORG"}
                 and (t.dep_ in {"appos", "npadvmod", "dep", "ROOT"} or (
                     t.dep_ == "conj" and t.head.ent_type_ in {"GPE", "LOC", "FAC"}))]
        if len(names) != 1:
            continue
        head = names[0]
        inside = {t.i for t in head.subtree}
        if all(t.i in inside for t in words):
            return head
    return None


def _line_initial_name(verb: Token) -> Token | None:
    """'Jeb Roe criticized the plan' opening a line the parser joined to the line before
    (live-blog entries, headlines without a full stop): the name between the line start and
    the cue is its subject."""
    doc = verb.doc
    k = verb.i - 1
    run: list[Token] = []
    while k >= 0 and "\n" not in doc[k].text and len(run) <= 5:
        run.insert(0, doc[k])
        k -= 1
    if k < 0 or not run or len(run) > 5:
        return None
    if not all(t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "ORG"} for t in run):
        return None
    head = next((t for t in reversed(run) if t.head not in run or t.head is t), run[-1])
    return head if head.left_edge.i >= run[0].i else run[-1]


def _issuer_subject(source: Token) -> Token:
    """'The union issued a statement saying ...', 'the council passed a resolution
    condemning ...': a document put out by someone speaks for them; PARC-style corpora
    name its issuer, the subject of the verb that has the document as object."""
    if source.pos_ != "NOUN" or source.dep_ != "dobj" or source.lemma_.lower() not in (
        coref.DOCUMENT_NOUNS | _ISSUED
    ):
        return source
    subj = next((c for c in source.head.children if c.dep_ == "nsubj"), None)
    return subj if subj is not None and _owner_like(subj) else source


# Things put out in someone's name besides the document nouns of data/coref_nouns.yaml.
_ISSUED = {"ad", "advert", "advertisement", "resolution", "video", "commercial", "op-ed",
           "column", "editorial", "petition", "motion", "message", "appeal"}


def _clause_owner(noun: Token) -> Token | None:
    """The owner of a noun cue with no possessor: a name modifying it ("Republican calls
    for a recount") or the person or group the clause it sits in is about ("the mayor
    repeated her attacks on the plan", "the union issued a statement criticising ...")."""
    named = next((c for c in noun.children if c.dep_ in {"compound", "amod"}
                  and c.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}), None)
    if named is not None:
        return named
    for anc in noun.ancestors:
        if anc.pos_ in {"VERB", "AUX"}:
            subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
            return subj if subj is not None and _owner_like(subj) else None
    return None


def _owner_like(tok: Token) -> bool:
    """A subject that can own a view: a source, or a name the NER left untyped."""
    return _human_source(tok) or (tok.pos_ == "PROPN" and tok.ent_type_ in {"", "PERSON", "ORG"})


def _human_source(tok: Token) -> bool:
    """A subject that can hold a view: a person, a group, an organisation or a pronoun."""
    return (
        tok.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
        or tok.lower_ in {"he", "she", "they", "we", "i", "you", "who"}
        or tok.lemma_.lower() in coref.PERSON_NOUNS | coref.ORG_NOUNS
        or (tok.pos_ == "NOUN" and tok.tag_ == "NNS" and tok.lemma_.lower() in coref.PERSON_NOUNS)
    )
