"""The cue lexicon (``data/quote_cues.yaml``) and the rules that make a token a reporting cue."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Token

from wirewatch.nlp.quotes.candidates import _Cand
from wirewatch.nlp.quotes.marks import Quotation
from wirewatch.nlp.quotes.spans import _bare_gap, doc_text, doc_text_of
from wirewatch.nlp.tokenstrings import TokenStrings, token_strings, token_tree

DEFAULT_CUES = Path(__file__).parent.parent / "data" / "quote_cues.yaml"


@dataclass
class CueLexicon:
    groups: dict[str, tuple[float, set[str]]]
    np_content: set[str]
    phrasal: set[tuple[str, str]]
    particle_only: set[str]
    prepositional: set[tuple[str, str]]
    channels: set[str]
    quote_only: set[str]
    nouns: set[str]
    uncounted: set[str] = field(default_factory=set)  # groups that are never speech
    needs_quotation: set[str] = field(default_factory=set)  # groups quoted or nothing
    # uncounted groups whose verbs still report words with a that-clause from a source
    clausal_speech: set[str] = field(default_factory=set)
    not_speech_heads: set[str] = field(default_factory=set)
    hypothetical_aux: set[str] = field(default_factory=set)
    np_speech: set[str] = field(default_factory=set)
    headline_labels: set[str] = field(default_factory=set)
    headline_sources: set[str] = field(default_factory=set)  # attribution scope only
    light_verbs: set[str] = field(default_factory=set)  # attribution scope only
    to_object_cues: set[str] = field(default_factory=set)
    clause_only_cues: set[str] = field(default_factory=set)  # attribution scope only
    note_labels: tuple[str, ...] = ()
    not_attitude_adjectives: set[str] = field(default_factory=set)
    question_cues: set[str] = field(default_factory=set)
    light_nouns: set[str] = field(default_factory=set)
    lemma_fixes: dict[str, str] = field(default_factory=dict)
    predicate_nouns: set[str] = field(default_factory=set)
    position_cues: set[str] = field(default_factory=set)
    # lemma + particle cues of a stance taken, not words said (attribution scope only)
    attitude_phrasal: set[tuple[str, str]] = field(default_factory=set)

    def lemma(self, tok: Token) -> str:
        """The token's lemma, lower case, with the model's known slips fixed."""
        return self.lemma_fixes.get(tok.lower_) or tok.lemma_.lower()

    def group_of(self, lemma: str) -> tuple[str, float] | None:
        for name, (conf, lemmas) in self.groups.items():
            if lemma in lemmas:
                return name, conf
        return None


@lru_cache(maxsize=8)
def load_cues(path: str) -> CueLexicon:
    with open(path, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    groups = {}
    uncounted, needs_quotation = set(), set()
    clausal_speech = set()
    for name in ("speech", "belief", "stance", "attitude"):
        g = data.get(name) or {}
        groups[name] = (float(g.get("confidence", 0.5)), set(g.get("lemmas") or []))
        if g.get("counted") is False:
            uncounted.add(name)
        if g.get("needs_quotation"):
            needs_quotation.add(name)
        if g.get("speech_if_clausal"):
            clausal_speech.add(name)
    return CueLexicon(
        groups=groups,
        np_content=set(data.get("np_content") or []),
        phrasal={tuple(p) for p in data.get("phrasal") or []},
        particle_only=set(data.get("particle_only") or []),
        prepositional={tuple(p) for p in data.get("prepositional") or []},
        channels={c.lower() for c in data.get("channels") or []},
        quote_only=set(data.get("quote_only") or []),
        nouns=set(data.get("nouns") or []),
        uncounted=uncounted,
        needs_quotation=needs_quotation,
        clausal_speech=clausal_speech,
        not_speech_heads=set(data.get("not_speech_heads") or []),
        hypothetical_aux={a.lower() for a in data.get("hypothetical_aux") or []},
        np_speech=set(data.get("np_speech") or []),
        headline_labels={w.lower() for w in data.get("headline_labels") or []},
        headline_sources={w.lower() for w in data.get("headline_sources") or []},
        to_object_cues=set(data.get("to_object_cues") or []),
        clause_only_cues=set(data.get("clause_only_cues") or []),
        note_labels=tuple(w.lower() for w in data.get("note_labels") or []),
        not_attitude_adjectives=set(data.get("not_attitude_adjectives") or []),
        question_cues=set(data.get("question_cues") or []),
        light_verbs=set((data.get("light_verb_cues") or {}).get("verbs") or []),
        light_nouns=set((data.get("light_verb_cues") or {}).get("nouns") or []),
        lemma_fixes={k.lower(): v for k, v in (data.get("lemma_fixes") or {}).items()},
        predicate_nouns=set(data.get("predicate_nouns") or []),
        position_cues={" ".join(p.lower().split()) for p in data.get("position_cues") or []},
        attitude_phrasal={tuple(p) for p in data.get("attitude_phrasal") or []},
    )


_NOT_GENERIC = {"be", "have", "make", "let", "get", "do", "see", "go", "come", "take",
                "give", "put", "keep", "seem", "appear", "become", "help", "mean", "ensure",
                "happen", "turn", "look", "sound", "prove", "remain",
                # desire is not a report of speech ("the council wants the firms to pay")
                "want", "wish", "need", "like", "love", "hate", "prefer"}


_HUMAN_PRONOUNS = {"he", "she", "they", "we", "i", "who"}
# The parts of speech of a verb cue (a prepositional cue may be any word).
CUE_POS = frozenset({"VERB", "AUX"})
# A verb with one of these labels modifies another word: it is no cue.
_MODIFIER_DEPS = frozenset({"amod", "compound", "aux"})


def _clausal_with_agent(verb: Token, ts: TokenStrings, kids: list[list[int]]) -> bool:
    """``ts`` and ``kids``: the doc's token_strings and token_tree children."""
    doc, i = verb.doc, verb.i
    if ts.pos[i] != "VERB" or ts.lemma_lower[i] in _NOT_GENERIC:
        return False
    dep = ts.dep
    comp = next((c for c in kids[i] if dep[c] == "ccomp" and c > i), None)
    if comp is None or not any(dep[c] in {"nsubj", "nsubjpass", "expl"} for c in kids[comp]):
        return False
    subj = next((c for c in kids[i] if dep[c] == "nsubj"), None)
    if subj is None:
        return False
    return ts.lower[subj] in _HUMAN_PRONOUNS or doc[subj].ent_type_ in {
        "PERSON", "ORG", "NORP", "GPE"}


class CueRules:
    """Which tokens are reporting cues, and which cued reports are no speech."""

    # set by QuoteAttributor.__init__
    lex: CueLexicon
    scope: str
    generic_clausal: bool

    def _cue_tokens(self, doc: Doc, i: int) -> tuple[list[Token], str, float] | None:
        """The cue's tokens at token ``i``, its group and confidence; None for no cue."""
        # called for every verb: the tests read the doc's string lists and children by
        # index, and make a Token only for a word that may be part of the cue
        lex = self.lex
        ts = token_strings(doc)
        dep, lower = ts.dep, ts.lower
        low = lower[i]
        if i + 1 < len(lower) and (low, lower[i + 1]) in lex.prepositional:
            return [doc[i], doc[i + 1]], "according", 0.8
        if ts.pos[i] not in CUE_POS or dep[i] in _MODIFIER_DEPS:
            return None
        tok = doc[i]
        if not any(ch.isalpha() for ch in tok.text):
            return None  # "WASHINGTON ― The mayor said": a dash the tagger took for a verb
        if i > 0 and doc[i - 1].text.endswith(("<", "</")):
            return None  # '<tweet author="...">': a markup tag left in the text
        lemma = lex.lemma_fixes.get(low) or ts.lemma_lower[i]  # lex.lemma(tok)
        found = lex.group_of(lemma)
        phrasal = None
        kids = token_tree(doc).children
        for child in kids[i]:
            if child <= i:
                continue  # tok.rights only
            if dep[child] in {"prt", "prep"} and (lemma, lower[child]) in lex.phrasal:
                phrasal = doc[child]
                break
            if dep[child] in {"prt", "prep", "advmod"} and (
                lemma, lower[child]) in lex.attitude_phrasal and found is None and (
                self.scope == "attribution"
            ):
                # "campaigned against the toll", "walked back his remarks": a stance
                found = ("attitude", 0.5)
                phrasal = doc[child]
                break
            if dep[child] == "advcl" and any(
                dep[a] == "aux" and lower[a] == "to" for a in kids[child]
            ):
                # "called for the port to be closed": the parser makes the particle the
                # mark of a for-to clause, which is what was called for
                mark = next((m for m in kids[child] if dep[m] == "mark" and i < m < child),
                            None)
                if mark is not None and (lemma, lower[mark]) in lex.phrasal:
                    phrasal = doc[mark]
                    break
        if lemma in lex.particle_only and phrasal is None:
            return None
        if found is not None and self.scope == "speech" and found[0] in lex.clausal_speech:
            found = None  # judged as an unlisted verb below
        if found is None:
            if phrasal is not None:
                found = ("speech", 0.8)
            elif lemma in lex.quote_only:
                found = ("quote_only", 0.8)
            elif self.generic_clausal and _clausal_with_agent(tok, ts, kids):
                # an unlisted verb taking a that-clause from a person or organisation
                found = ("generic", 0.4)
            else:
                return None
        # "so-called", "a man called Smith": naming, not attribution
        if lemma == "call" and dep[i] in {"acl", "amod"}:
            return None
        # "pledged delegates", "the announced cuts": a participle before its noun is an
        # adjective, not a report
        head = ts.head[i]
        if ts.tag[i] == "VBN" and i < head and ts.pos[head] in {"NOUN", "PROPN"} and (
            not any(dep[c] in {"agent", "ccomp", "dobj"} for c in kids[i])
        ):
            return None
        if self.scope == "speech" and (
            found[0] in lex.uncounted or not self._speech_happened(tok, ts, kids)
        ):
            return None
        toks = [tok] + ([phrasal] if phrasal is not None else [])
        return toks, found[0], found[1]

    def _quoted_report(self, c: _Cand, mask: bytearray) -> bool:
        """'"She said the keys were gone," the inspector wrote': a report of
        speech inside a quotation, by a third party, with its own reported clause."""
        if self.scope != "speech" or not c.pattern.startswith("verb:speech"):
            return False
        if not c.extra.get("clausal") or not c.content or c.speaker_tok is None:
            return False
        tok = c.speaker_tok
        if tok.pos_ == "PRON":
            if tok.lower_ not in {"he", "she"}:
                return False
        elif tok.ent_type_ != "PERSON" and tok.pos_ != "PROPN":
            return False
        # the cue, its source and its content all sit inside the same quotation
        lo = min([c.cue_span[0], *(s for s, _ in c.content)])
        hi = max([c.cue_span[1], *(e for _, e in c.content)])
        if all(mask[k] for k in range(lo, hi) if not doc_text(tok)[k].isspace()):
            c.extra["quoted_report"] = True
            return True
        return False

    def _quoted_stances(self, cands: list[_Cand], quotations: list[Quotation]) -> None:
        """A stance cue's content is only the words it quotes ('chanted "X" outside')."""
        dead: list[_Cand] = []
        for c in cands:
            group = c.pattern.split(":")[1] if c.pattern.startswith("verb:") else ""
            if group not in self.lex.needs_quotation or not c.content:
                continue
            inside = [
                (q.start, q.end) for q in quotations
                if any(s <= q.start and q.end <= e for s, e in c.content)
            ]
            # the quoted words must be the cue's own object, right after it
            if inside and c.cue_span is not None and _bare_gap(
                doc_text_of(c), c.cue_span[1], inside[0][0]
            ):
                c.content = inside
            else:
                dead.append(c)  # a position or deed, not quoted words
        for c in dead:
            cands.remove(c)

    def _speech_happened(self, verb: Token, ts: TokenStrings, kids: list[list[int]]) -> bool:
        """False for negated, refused, planned or hypothetical speech.

        "did not say", "declined to say", "refused to reveal", "will announce",
        "would continue to criticise", "is expected to tell": no words were
        attributed, so there is no quote (the gold rule for attributions). ``ts`` and
        ``kids``: the doc's token_strings and token_tree children.
        """
        lex = self.lex
        doc = verb.doc
        dep, lower = ts.dep, ts.lower
        if dep[verb.i] == "acl" and any(
            dep[ch] == "aux" and lower[ch] == "to" for ch in kids[verb.i]
        ):
            return False  # "his refusal to say", "a plan to announce": not said
        t = verb.i
        for _ in range(4):
            for child in kids[t]:
                if dep[child] == "neg" and not any(
                    x.is_punct for x in doc[min(child, t) + 1 : max(child, t)]
                ):
                    # '"Absolutely not," she said': a negation inside the quotation
                    # before the cue is what was said, not a denial of saying it
                    return False
                if dep[child] in {"aux", "auxpass"} and lower[child] in lex.hypothetical_aux:
                    return False
            # (the Token test was "or t.head is t": never true, a Token is made anew
            # each time it is read)
            if dep[t] != "xcomp":
                break
            head = ts.head[t]
            if ts.lemma_lower[head] in lex.not_speech_heads:
                return False
            t = head
        return True
