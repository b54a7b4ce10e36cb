"""Speakers: the source of a cue, the addressee, and resolution to article entities."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from wirewatch.model import Entity, Quote
from wirewatch.nlp import coref
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.quotes.candidates import _Cand, _Resolved
from wirewatch.nlp.quotes.cues import CueLexicon
from wirewatch.nlp.quotes.gender import agrees
from wirewatch.nlp.quotes.marks import CLOSERS, OPENERS, STRAIGHT
from wirewatch.nlp.quotes.names import _name_tokens_span, _shares_token
from wirewatch.nlp.quotes.spans import (
    FINITE_TAGS,
    _clean,
    _subtree_text,
    _tokens_text,
    _trim,
    doc_text,
)
from wirewatch.nlp.tokenstrings import token_strings


class SpeakerRules:
    """Finds the source of a cue and resolves it to an entity."""

    # set by QuoteAttributor.__init__
    lex: CueLexicon
    scope: str

    def _speaker_token(self, verb: Token) -> Token | None:
        if verb.tag_ == "VBN" and verb.dep_ in {"advcl", "acl", "amod"} and not any(
            c.dep_ in {"agent", "nsubj", "aux"} for c in verb.children
        ):
            # "Asked if ..., the singer replied": the one asked is not the asker;
            # "his retirement, revealed on Monday": the thing revealed is not a source
            # ("after she had criticized ...", with its own subject, has one)
            return None
        t = verb
        for _ in range(4):
            agent = next((c for c in t.children if c.dep_ == "agent"), None)
            if agent is not None:
                return next((c for c in agent.children if c.dep_ == "pobj"), None)
            subjs = [c for c in t.children if c.dep_ in {"nsubj", "csubj"}
                     and any(ch.isalnum() for ch in c.text)]
            # '"The first news came late," said Kell': the parser may give the cue the
            # quoted clause as a second subject; the source is the one by the cue
            subj = min(subjs, key=lambda c: abs(c.i - t.i)) if subjs else None
            if subj is not None and t is not verb and _across_quotation(verb, subj):
                # '..., telling the hall, "Nobody leaves early"': the parser hung the
                # participle on the quoted clause; its subject is the quote's, not the
                # teller's (the nearest subject outside the quotation is looked up below)
                break
            if subj is not None:
                if subj.lower_ in {"who", "that", "which"} and t.dep_ == "relcl":
                    # the relative pronoun is the source as written; its antecedent
                    # (t.head) is used when the speaker is resolved
                    return subj
                if (
                    self.scope == "attribution" and t == verb and subj.dep_ == "nsubj"
                    and subj.lower_ in {"it", "this"} and self.lex.lemma(verb) not in _RAISING
                    and not any(c.dep_ in {"auxpass", "expl"} for c in verb.children)
                ):
                    # "It plans to raise rates", "it does not explain why ...": PARC-style
                    # corpora attribute a stance to the thing or body "it" stands for
                    return subj
                if subj.pos_ == "PRON" and subj.lower_ in {"it", "there", "this"} and t == verb:
                    # "it is said that": no source; '"...," it added.' names the
                    # organisation of the sentence before (resolved by coref)
                    if subj.lower_ == "it" and (verb.dep_ != "ROOT" or (
                        verb.tag_ in {"VBD", "VBZ"} and subj.i > verb.i - 2
                        and not any(c.dep_ in {"auxpass", "aux"} for c in verb.children)
                        and (verb.lemma_.lower() in self.lex.groups["speech"][1] or any(
                            (verb.lemma_.lower(), c.lower_) in self.lex.phrasal
                            for c in verb.children if c.dep_ == "prt"
                        ))
                    )):
                        return subj
                    return None
                return subj
            if any(c.dep_ == "nsubjpass" for c in t.children):
                return None
            if t is verb:
                first = _first_clause_subject(verb)
                if first is not None:
                    return first
            share = _poll_share(t)
            if share is not None:
                return share
            if t.dep_ in {"acl"} and t.head.pos_ in {"NOUN", "PROPN"}:
                if self._addressed_object(t):
                    # "Roe emailed supporters saying ...": the participle goes with the
                    # one who wrote to them, not with the ones written to
                    t = t.head.head
                    continue
                return t.head
            if t.dep_ == "dep" and t.tag_ in FINITE_TAGS and t.head.pos_ == "VERB" and (
                t.head.i < t.i
            ):
                # "Roe paused, then revealed why ...": an unlabelled second verb of the
                # clause before it
                t = t.head
                continue
            if t.dep_ in {"xcomp", "advcl", "conj", "relcl", "acomp"} and t.head != t:
                if t.dep_ == "relcl":
                    return t.head
                t = t.head
                continue
            break
        # participles hanging lower in the tree ("..., citing his results"): the
        # nearest subject of a verb above the cue
        if verb.tag_ == "VBG" and verb.dep_ in {"advcl", "pcomp", "xcomp", "conj", "csubj"}:
            # ("..., noting the plan “will fail”": the parser may make the participle the
            # subject of the quoted clause)
            for anc in verb.ancestors:
                subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ not in {"it", "there", "this", "that"} and (
                    not _across_quotation(verb, subj)
                ):
                    return subj
        return None

    def _addressed_object(self, participle: Token) -> bool:
        """A participle hanging on the addressee of a verb of communication ("told
        reporters, saying ...", "emailed supporters saying ...")."""
        noun, gov = participle.head, participle.head.head
        if participle.tag_ != "VBG" or noun.dep_ not in {"dobj", "dative"} or gov == noun:
            return False
        if noun.lemma_.lower() in coref.DOCUMENT_NOUNS or noun.ent_type_ in {"ORG", "WORK_OF_ART"}:
            return False
        lemma = self.lex.lemma(gov)
        return lemma in _WRITE_TO or (self.lex.group_of(lemma) or ("",))[0] == "speech"

    def _speaker_span(self, tok: Token | None) -> tuple[int, int] | None:
        if tok is None:
            return None
        if tok.dep_ in {"nsubj", "nsubjpass", "csubj"} or (
            tok.dep_ == "pobj" and tok.head.lower_ in {"to", "by"}
        ):
            # a non-restrictive relative clause ("Kell, who worked there for years,")
            # describes the source; it is not part of the name
            cut = {
                t.i for c in tok.children
                if c.dep_ == "relcl" and c.left_edge.i > 0 and c.i > tok.i
                and tok.doc[c.left_edge.i - 1].text == ","
                for t in [tok.doc[c.left_edge.i - 1], *c.subtree]
            }
            toks = [t for t in tok.subtree if t.i not in cut]
            if cut:
                toks = [t for t in toks if t.i < min(cut)] or toks
        else:
            # the noun a participle or relative clause modifies: drop that clause
            toks = [t for t in tok.subtree if not _in_clause_of(t, tok)]
        if not toks:
            return None
        text = doc_text(tok)
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        if "\n" in text[start:end]:
            # a parse that ran across a headline or paragraph: keep the head's line
            line_start = text.rfind("\n", start, tok.idx) + 1
            line_end = text.find("\n", tok.idx, end)
            start, end = max(start, line_start), end if line_end < 0 else line_end
        return _trim(text, start, end, marks=False)

    def _addressee(self, verb: Token, obj: Token | None) -> str | None:
        if obj is not None and obj.pos_ in {"PROPN", "NOUN", "PRON"}:
            return _clean(_subtree_text(obj))
        for prep in verb.children:
            if prep.dep_ != "prep":
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            plemma = pobj.lemma_.lower()
            if prep.lower_ == "to" and pobj.pos_ in {"PROPN", "NOUN", "PRON"} and (
                pobj.ent_type_ not in {"DATE", "TIME"}
            ):
                return _clean(_subtree_text(pobj))
            if prep.lower_ in {"in", "during"} and plemma in {"interview", "conversation"}:
                w = next((c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "with"),
                         None)
                wobj = next((c for c in w.children if c.dep_ == "pobj"), None) if w else None
                if wobj is not None:
                    return _clean(_subtree_text(wobj))
            if prep.lower_ == "on" and (
                plemma in self.lex.channels or pobj.ent_type_ in {"ORG", "WORK_OF_ART"}
                or pobj.pos_ == "PROPN"
            ):
                return _clean(_subtree_text(pobj))
        return None

    @staticmethod
    def _other_person(doc: Doc, c: _Cand, quoting: set[int]) -> _Resolved:
        assert c.speaker_span is not None
        written = text_of(doc)[c.speaker_span[0] : c.speaker_span[1]]
        # this paragraph and the one before it
        para = text_of(doc).rfind("\n", 0, c.speaker_span[0])
        while para > 0 and text_of(doc)[para - 1] == "\n":
            para -= 1
        near = max(0, text_of(doc).rfind("\n", 0, para)) if para > 0 else 0
        others = [
            e for o, e in coref._mentions_before(doc, c.speaker_span[0], {"PERSON"})
            if o >= near and id(e) not in quoting
        ]
        if not others:
            return _Resolved(None, written, None, "unresolved")
        ent = others[-1]
        kind = "unresolved" if coref.is_local(ent) else "named"
        return _Resolved(ent, ent.name, None, kind)

    @staticmethod
    def _continue_unnamed(doc: Doc, c: _Cand, res: _Resolved, out: list[Quote]) -> _Resolved:
        """'..., a spokeswoman for the union said. "...," she said.': the pronoun is
        the unnamed source just described, not an unresolved speaker."""
        if res.kind != "unresolved" or c.speaker_span is None or not out:
            return res
        written = text_of(doc)[c.speaker_span[0] : c.speaker_span[1]].lower()
        if written not in {"he", "she"}:
            return res
        last = out[-1]
        if last.speaker_kind != "unnamed" or not last.speaker_span or not last.speaker_text:
            return res
        if not 0 < c.speaker_span[0] - last.speaker_span[1] < 300:
            return res
        span = doc.char_span(*last.speaker_span, alignment_mode="expand")
        if span is None or span.root.tag_ != "NN" or (
            span.root.lemma_.lower() not in coref.PERSON_NOUNS
        ):
            return res
        return _Resolved(None, last.speaker_text, last.speaker_role, "unnamed")

    def _resolve(
        self, doc: Doc, c: _Cand, preferred: list[tuple[int, Entity]]
    ) -> _Resolved:
        if c.speaker_span is None:
            return _Resolved(None, None, None, "unnamed")
        s, e = c.speaker_span
        written = text_of(doc)[s:e]
        tok = c.speaker_tok
        if (
            tok is not None and tok.lower_ in {"who", "which", "that"}
            and tok.head.dep_ == "relcl" and tok.head.head.pos_ in {"NOUN", "PROPN"}
        ):
            ante = tok.head.head
            ante_toks = [t for t in ante.subtree if t.i < tok.head.left_edge.i]
            if ante_toks:
                c = _Cand(
                    cue=c.cue, cue_span=c.cue_span, content=c.content, speaker_tok=ante,
                    speaker_span=_trim(text_of(doc), ante_toks[0].idx,
                                       ante_toks[-1].idx + len(ante_toks[-1].text), marks=False),
                )
                if c.speaker_span is None:
                    return _Resolved(None, written, None, "unresolved")
        described = self._described(doc, c)
        if described is not None:
            return described
        name_span, role = self._name_and_role(doc, c)
        ns, ne = name_span
        mtype = coref.mention_type(text_of(doc)[ns:ne])
        sp = doc.char_span(ns, ne, alignment_mode="expand")
        if mtype == "name" and sp is not None and not any(
            t.pos_ == "PROPN" or (t.ent_type_ and t.ent_type_ not in {"CARDINAL", "ORDINAL"})
            for t in sp
        ):
            mtype = "nominal"  # "Many observers of the region": capitalised, but no name
        entity = coref.resolve_reference(doc, ns, ne, preferred=preferred)
        if entity is not None and mtype == "pronoun" and not agrees(doc, entity, written):
            entity = self._agreeing_person(doc, written, ns, entity)
        if entity is not None and mtype == "name":
            # a name must actually share a token with the entity it resolves to
            if not _shares_token(text_of(doc)[ns:ne], entity):
                entity = None
        if entity is None:
            if mtype == "nominal" or (mtype == "pronoun" and written.lower() in {"i", "we"}):
                kind = "unnamed" if mtype == "nominal" else "unresolved"
                return _Resolved(None, written, role, kind)
            return _Resolved(None, written, role, "unresolved")
        if role is None:
            roles = coref.roles_of(doc, entity)
            role = roles[0] if roles else None
        kind = "unresolved" if coref.is_local(entity) else "named"
        return _Resolved(entity, entity.name, role, kind)

    @staticmethod
    def _agreeing_person(doc: Doc, pronoun: str, offset: int, wrong: Entity) -> Entity | None:
        """'Ms. Ruiz met Mr. Lake. He said ...': the latest person before the pronoun
        whom the article does not mark with the other gender (within a few sentences)."""
        near = max(0, text_of(doc).rfind("\n", 0, max(0, text_of(doc).rfind("\n", 0, offset))))
        for o, ent in reversed(coref._mentions_before(doc, offset, {"PERSON"})):
            if o < near:
                break
            if ent is not wrong and agrees(doc, ent, pronoun):
                return ent
        return None

    def _described(self, doc: Doc, c: _Cand) -> _Resolved | None:
        """A source described by a common noun, resolved only through that noun.

        "China's ambassador to Britain said" is said by the ambassador, not by
        China; "the US President said" by the president (his name when the article
        gives it); "two donors told ABC" by the donors; "the statement said" by
        whoever issued the statement. None when the source is a name (or a noun
        with a name in apposition), which the name rules resolve.
        """
        assert c.speaker_span is not None
        s, e = c.speaker_span
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        head = span.root
        lemma = head.lemma_.lower()
        is_noun = head.pos_ == "NOUN" or (
            head.pos_ == "PROPN" and head.ent_type_ not in {"PERSON", "ORG", "GPE", "NORP"}
            and lemma in coref.PERSON_NOUNS
        )
        if not is_noun or any(
            ch.dep_ == "appos" and ch.pos_ == "PROPN" for ch in head.children
        ):
            return None
        written = text_of(doc)[s:e]
        if head.pos_ == "PROPN" and coref.surname_of_named_person(doc, written) is not None:
            return None  # "Prince said" after "Wayne Prince": the person, not a title
        entity = coref.entity_for_head(doc, s, e)
        # "the spokesman", "the US President", "its statement": one known referent;
        # "a spokesman", "two donors", "officials" introduce someone the text does not name
        definite = head.tag_ not in {"NNS", "NNPS"} and not any(
            ch.dep_ in {"det", "nummod", "quantmod"} and ch.lower_ not in {"the", "this", "that"}
            for ch in head.children
        ) and any(ch.dep_ in {"det", "poss", "compound"} for ch in head.children)
        if entity is None and lemma in coref.DOCUMENT_NOUNS and (
            definite or head.dep_ == "dobj"
        ):
            entity = self._issuer(doc, head)
        if entity is None and definite and (
            lemma in coref.PERSON_NOUNS or lemma in coref.ORG_NOUNS
        ):
            entity = coref.resolve_description(doc, lemma, s)
        if entity is None:
            return _Resolved(None, written, None, "unnamed")
        roles = coref.roles_of(doc, entity)
        kind = "unresolved" if coref.is_local(entity) else "named"
        return _Resolved(entity, entity.name, roles[0] if roles else None, kind)

    def _issuer(self, doc: Doc, head: Token) -> Entity | None:
        """Who a document speaks for: 'X issued a statement warning ...' or earlier text."""
        if head.dep_ == "dobj":
            subj = next((ch for ch in head.head.children if ch.dep_ == "nsubj"), None)
            if subj is not None:
                toks = list(subj.subtree)
                s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
                return coref.resolve_reference(doc, s, e)
        return coref.document_issuer(doc, head.lemma_.lower(), head.idx)

    def _name_and_role(self, doc: Doc, c: _Cand) -> tuple[tuple[int, int], str | None]:
        """The name inside a speaker description and the role written around it."""
        assert c.speaker_span is not None
        s, e = c.speaker_span
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) == 0:
            return (s, e), None
        head = span.root
        # "Iraq's foreign minister, Fuad Hussein": the name is the apposition
        if head.pos_ == "NOUN":
            for child in head.children:
                if child.dep_ == "appos" and child.pos_ == "PROPN":
                    name = _name_tokens_span(child)
                    role_toks = [t for t in span if t.i < name[0].i and not t.is_punct]
                    role = _clean(_tokens_text(role_toks)) if role_toks else None
                    return (name[0].idx, name[-1].idx + len(name[-1].text)), role
            return (s, e), None
        if head.pos_ == "PROPN":
            name = _name_tokens_span(head)
            ns, ne = name[0].idx, name[-1].idx + len(name[-1].text)
            role = coref.role_near(doc, ns, ne)
            return (ns, ne), role
        return (s, e), None


# Verbs whose "it" is a placeholder for the clause after them ("it seems that ...").
_RAISING = {"seem", "appear", "emerge", "transpire", "happen", "turn", "remain", "become",
            "matter", "follow", "mean", "take", "make", "look", "sound", "feel", "go"}


# Verbs of writing to someone that the cue lexicon does not list as speech.
_WRITE_TO = {"email", "e-mail", "text", "message", "address", "brief"}


# Tokens that open or close a quotation of words (the tokenizer keeps '' and `` whole).
_QUOTE_TOKENS = OPENERS | CLOSERS | {STRAIGHT, "''", "``"}


def _across_quotation(a: Token, b: Token) -> bool:
    """True when one token is inside a quotation the other is outside of: an odd number
    of quotation marks stands between them (a whole quotation between them is even)."""
    lo, hi = sorted((a.i, b.i))
    return sum(t.text in _QUOTE_TOKENS for t in a.doc[lo + 1 : hi]) % 2 == 1


def _first_clause_subject(verb: Token) -> Token | None:
    """'Roe waved to the crowd, then says she will run': the parser makes the first
    clause a complement of the subjectless second verb; its subject is the source of both
    (only when the verb has a reported clause of its own after it)."""
    if verb.tag_ not in FINITE_TAGS:
        return None
    left = [c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i]
    right = [c for c in verb.children if c.dep_ in {"ccomp", "parataxis"} and c.i > verb.i]
    if len(left) != 1 or not right or _across_quotation(left[0], verb):
        return None
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and nxt.pos_ in {"NOUN", "PROPN", "DET", "ADJ", "NUM"} and (
        nxt.ent_type_ not in {"DATE", "TIME"}
    ):
        return None  # "A is so, say divers, but B": an inverted cue; the first clause is said
    subj = next((c for c in left[0].children if c.dep_ == "nsubj"), None)
    if subj is None or subj.lower_ in {"it", "there", "this", "that", "which", "who"} or any(
        "\n" in t.text for t in verb.doc[subj.i : verb.i]
    ):
        return None  # (a parse run on from the line before: not the same sentence)
    return subj


def _poll_share(verb: Token) -> Token | None:
    """'Roughly 3 in 5 say ...', 'Two in 3 back ...': the parser hangs a poll share before
    the verb as a number modifier, leaving the verb no subject; the share is the source."""
    for c in verb.lefts:
        if c.dep_ in {"nummod", "npadvmod", "quantmod"} and c.pos_ == "NUM" and any(
            t.lower_ == "in" for t in c.subtree
        ):
            return c
    return None


def _in_clause_of(tok: Token, noun: Token) -> bool:
    """``tok`` or one of its ancestors is a participle or relative clause of ``noun``.

    The heads are followed by index (tokenstrings), as Token.ancestors does, without a
    Token per step."""
    strings = token_strings(tok.doc)
    dep, head = strings.dep, strings.head
    i, target = tok.i, noun.i
    for _ in range(len(head) + 1):  # Token.ancestors' guard against a cycle
        if dep[i] in {"acl", "relcl"} and head[i] == target:
            return True
        if head[i] == i:
            return False
        i = head[i]
    return False
