"""Quote attribution: who said what, to whom, in what capacity.

The component ``wirewatch_quotes`` finds direct, indirect and mixed quotes and
fills ``doc._.quotes`` with :class:`~wirewatch.model.Quote` records.  It
combines three sources of evidence:

* a quotation-mark state machine over the raw text (straight, curly and
  doubled-apostrophe marks; every line break closes a quotation, so unbalanced
  marks never run away), which also links continuation paragraphs of a
  multi-paragraph quotation;
* the dependency parse around reporting cues (``quote_cues.yaml``): the cue's
  clausal complement is the content, its subject (or the subject of the verb it
  hangs from, or the noun an ``acl`` participle modifies) is the speaker, and an
  object of "tell" or an "in an interview with" phrase is the addressee;
* layout patterns the parse misses: ``"..." - Speaker``, ``Speaker: "..."``,
  headline ``X: ...``, and quotations with no cue that continue the previous
  paragraph's speaker (lower confidence).

Speakers are resolved with :mod:`wirewatch.nlp.coref` to the actor
component's entities when present; descriptive sources with no name
("observers of the region") are kept as ``speaker_kind="unnamed"``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from wirewatch.model import Entity, Quote, content_id
from wirewatch.nlp import (
    coref,
    extensions,  # noqa: F401  (registers Doc._ attributes)
)
from wirewatch.nlp.doctext import text_of

DEFAULT_CUES = Path(__file__).parent / "data" / "quote_cues.yaml"

OPENERS = {"“", "„", "«", "‟"}
CLOSERS = {"”", "»"}
STRAIGHT = '"'
ALL_MARKS = OPENERS | CLOSERS | {STRAIGHT, "'", "`", "‘", "’"}
_DASHES = "-–—―"

# Dependency labels of a cue's children that never belong to the content.
_NON_CONTENT_DEPS = {
    "nsubj", "nsubjpass", "csubj", "agent", "aux", "auxpass", "neg", "punct", "advmod",
    "npadvmod", "prt", "cc", "mark", "expl", "dep", "intj", "meta", "dative",
}
_ADDRESSEE_VERBS = {"tell", "inform", "assure", "reassure", "ask", "warn", "remind",
                    "brief", "urge", "advise", "caution", "promise"}
_SKIP_SEGMENTS = ("caption", "byline", "dateline", "boilerplate")


# --------------------------------------------------------------------------
# quotation marks
# --------------------------------------------------------------------------


@dataclass
class Quotation:
    """One quoted stretch of text, marks included; ``closed`` False when a line ended it."""

    start: int
    end: int
    closed: bool
    chain: int = -1  # index of the first quotation of a multi-paragraph quotation


def scan_quotations(text: str) -> tuple[list[Quotation], bytearray]:
    """Quotations of the text and a per-character inside-quotation mask.

    Follows the gold README's rule (left curly opens, right curly closes or
    opens after a space/line start/"(", straight toggles, line break closes)
    and also treats doubled apostrophes (''...'' and ``...'') as double quotes.
    """
    quotes: list[Quotation] = []
    mask = bytearray(len(text))
    open_at: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        width = 1
        if ch == "\n":
            if open_at is not None:
                end = i
                while end > open_at + 1 and text[end - 1] in " \t\r":
                    end -= 1
                quotes.append(Quotation(open_at, end, False))
                open_at = None
        elif ch in OPENERS or (ch == "`" and text.startswith("``", i)):
            width = 2 if ch == "`" else 1
            if open_at is None:
                open_at = i
            elif ch in OPENERS and _closes_here(text, i):
                # a left mark typed where a right one belongs ("review“ and")
                quotes.append(Quotation(open_at, i + 1, True))
                open_at = None
        elif text.startswith("’’", i) or text.startswith("‘‘", i):
            # doubled curly apostrophes typed as a double mark ("...,’’ she said")
            width = 2
            if open_at is not None:
                quotes.append(Quotation(open_at, i + 2, True))
                open_at = None
            elif ch == "‘" or i == 0 or text[i - 1] in " \n\t(":
                open_at = i
        elif ch in CLOSERS:
            if open_at is not None:
                quotes.append(Quotation(open_at, i + 1, True))
                open_at = None
            elif i == 0 or text[i - 1] in " \n\t(":
                open_at = i
        elif ch == STRAIGHT or (ch == "'" and text.startswith("''", i)):
            width = 2 if ch == "'" else 1
            if open_at is None:
                open_at = i
            else:
                quotes.append(Quotation(open_at, i + width, True))
                open_at = None
        i += width
    if open_at is not None:
        quotes.append(Quotation(open_at, len(text.rstrip()), False))
    for q in quotes:
        for k in range(q.start, q.end):
            mask[k] = 1
    _link_continuations(text, quotes)
    return quotes, mask


def _closes_here(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)")


def _link_continuations(text: str, quotes: list[Quotation]) -> None:
    """Chain an unclosed quotation to a quotation opening the next paragraph."""
    for idx, q in enumerate(quotes):
        if q.chain < 0:
            q.chain = idx
        if q.closed or idx + 1 >= len(quotes):
            continue
        nxt = quotes[idx + 1]
        between = text[q.end : nxt.start]
        if between.strip() == "" and "\n" in between:
            nxt.chain = q.chain


def quote_kind(text: str, mask: bytearray, spans: list[list[int]]) -> str | None:
    """direct / mixed / indirect by the share of letters and digits inside quotation marks."""
    inside = outside = 0
    for s, e in spans:
        for k in range(s, e):
            if text[k].isalnum():
                if mask[k]:
                    inside += 1
                else:
                    outside += 1
    if inside == 0 and outside == 0:
        return None
    if outside == 0:
        return "direct"
    return "mixed" if inside else "indirect"


# --------------------------------------------------------------------------
# cue lexicon
# --------------------------------------------------------------------------


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
    not_speech_heads: set[str] = field(default_factory=set)
    hypothetical_aux: set[str] = field(default_factory=set)
    np_speech: set[str] = field(default_factory=set)
    headline_labels: set[str] = field(default_factory=set)

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
    for name in ("speech", "belief", "stance"):
        g = data.get(name) or {}
        groups[name] = (float(g.get("confidence", 0.5)), set(g.get("lemmas") or []))
        if g.get("counted") is False:
            uncounted.add(name)
        if g.get("needs_quotation"):
            needs_quotation.add(name)
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
        not_speech_heads=set(data.get("not_speech_heads") or []),
        hypothetical_aux={a.lower() for a in data.get("hypothetical_aux") or []},
        np_speech=set(data.get("np_speech") or []),
        headline_labels={w.lower() for w in data.get("headline_labels") or []},
    )


# --------------------------------------------------------------------------
# the component
# --------------------------------------------------------------------------


@dataclass
class _Cand:
    cue: list[Token] | None
    cue_span: tuple[int, int] | None
    content: list[tuple[int, int]]
    speaker_tok: Token | None = None
    speaker_span: tuple[int, int] | None = None
    confidence: float = 0.5
    pattern: str = ""
    addressee: str | None = None
    sentence: Span | None = None
    carried: _Resolved | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Resolved:
    entity: Entity | None
    text: str | None
    role: str | None
    kind: str


@Language.factory(
    "wirewatch_quotes",
    default_config={
        "cues_path": None,
        "min_confidence": 0.3,
        "carry_over": True,
        "layout_patterns": True,
        "min_quote_words": 3,
        "generic_clausal": True,
        "nested": False,
        "scope": "speech",
    },
)
def make_quote_attributor(
    nlp: Language,
    name: str,
    cues_path: str | None,
    min_confidence: float,
    carry_over: bool,
    layout_patterns: bool,
    min_quote_words: int,
    generic_clausal: bool,
    nested: bool,
    scope: str,
) -> QuoteAttributor:
    return QuoteAttributor(
        cues_path=cues_path,
        min_confidence=min_confidence,
        carry_over=carry_over,
        layout_patterns=layout_patterns,
        min_quote_words=min_quote_words,
        generic_clausal=generic_clausal,
        nested=nested,
        scope=scope,
    )


SCOPES = ("speech", "attribution")


class QuoteAttributor:
    """Finds quotes and their speakers; sets ``doc._.quotes``."""

    def __init__(
        self,
        cues_path: str | None = None,
        min_confidence: float = 0.3,
        carry_over: bool = True,
        layout_patterns: bool = True,
        min_quote_words: int = 3,
        generic_clausal: bool = True,
        nested: bool = False,
        scope: str = "speech",
    ) -> None:
        """``scope="speech"`` (the default) keeps words someone said or wrote;
        ``"attribution"`` also keeps beliefs, positions and deeds attributed to a
        source, as PARC-style corpora such as PolNeAR annotate them."""
        if scope not in SCOPES:
            raise ValueError(f"quote scope must be one of {SCOPES}, not {scope!r}")
        self.scope = scope
        self.lex = load_cues(str(cues_path or DEFAULT_CUES))
        self.min_confidence = min_confidence
        self.carry_over = carry_over
        self.layout_patterns = layout_patterns
        self.min_quote_words = min_quote_words
        self.generic_clausal = generic_clausal
        self.nested = nested

    # -- entry point --------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data.pop("wirewatch_coref_index", None)
        text = text_of(doc)
        quotations, mask = scan_quotations(text)
        cands = [
            c for c in self._parse_candidates(doc, quotations)
            if c.cue_span is None or not mask[c.cue_span[0]] or self._quoted_report(c, mask)
        ]
        if self.scope == "speech":
            self._quoted_stances(cands, quotations)
        if self.layout_patterns:
            # '"..." - Speaker' is explicit; it wins over a cue elsewhere in the sentence
            self._layout_candidates(doc, quotations, cands, dash_only=True)
        self._attach_quotations(doc, quotations, cands)
        if self.layout_patterns:
            self._layout_candidates(doc, quotations, cands)
        if self.carry_over:
            self._carry_over(doc, quotations, cands)
        if self.layout_patterns:
            self._colon_lists(doc, cands)
        doc._.quotes = self._records(doc, cands, mask)
        return doc

    # -- cues and the parse -------------------------------------------------

    def _cue_tokens(self, tok: Token) -> tuple[list[Token], str, float] | None:
        lex = self.lex
        low = tok.lower_
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        for first, second in lex.prepositional:
            if low == first and nxt is not None and nxt.lower_ == second:
                return [tok, nxt], "according", 0.8
        if tok.pos_ not in {"VERB", "AUX"} or tok.dep_ in {"amod", "compound", "aux"}:
            return None
        lemma = tok.lemma_.lower()
        found = lex.group_of(lemma)
        phrasal = None
        for child in tok.rights:
            if child.dep_ in {"prt", "prep"} and (lemma, child.lower_) in lex.phrasal:
                phrasal = child
                break
        if lemma in lex.particle_only and phrasal is None:
            return None
        if found is None:
            if phrasal is not None:
                found = ("speech", 0.8)
            elif lemma in lex.quote_only:
                found = ("quote_only", 0.8)
            elif self.generic_clausal and _clausal_with_agent(tok):
                # an unlisted verb taking a that-clause from a person or organisation
                found = ("generic", 0.4)
            else:
                return None
        # "so-called", "a man called Smith": naming, not attribution
        if lemma == "call" and tok.dep_ in {"acl", "amod"}:
            return None
        if self.scope == "speech" and (
            found[0] in lex.uncounted or not self._speech_happened(tok)
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

    def _speech_happened(self, verb: Token) -> bool:
        """False for negated, refused, planned or hypothetical speech.

        "did not say", "declined to say", "refused to reveal", "will announce",
        "would continue to criticise", "is expected to tell": no words were
        attributed, so there is no quote (the gold rule for attributions).
        """
        lex = self.lex
        if verb.dep_ == "acl" and any(
            ch.dep_ == "aux" and ch.lower_ == "to" for ch in verb.children
        ):
            return False  # "his refusal to say", "a plan to announce": not said
        t = verb
        for _ in range(4):
            for child in t.children:
                if child.dep_ == "neg":
                    return False
                if child.dep_ in {"aux", "auxpass"} and child.lower_ in lex.hypothetical_aux:
                    return False
            if t.dep_ != "xcomp" or t.head is t:
                break
            head = t.head
            if head.lemma_.lower() in lex.not_speech_heads:
                return False
            t = head
        return True

    def _parse_candidates(self, doc: Doc, quotations: list[Quotation]) -> list[_Cand]:
        cands: list[_Cand] = []
        article = doc._.article
        for sent in doc.sents:
            if article is not None and article.segment_at(sent.start_char) in _SKIP_SEGMENTS:
                continue
            for tok in sent:
                if tok.pos_ == "NOUN" and tok.lemma_.lower() in self.lex.nouns:
                    cand = self._noun_candidate(doc, sent, tok)
                    if cand is not None:
                        cands.append(cand)
                    continue
                cue = self._cue_tokens(tok)
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

    def _trailing_speaker(
        self, doc: Doc, sent: Span, verb: Token, cand: _Cand, names_only: bool = False
    ) -> None:
        """The source after the content when the parse gave the cue no subject.

        "..., said another witness, Jane Roe." (the parser makes the source an
        object) and "..., Jane Roe, a spokeswoman for the port, said." (the
        parser hangs the name inside the content clause).
        """
        text = doc.text
        before = doc[verb.i - 1] if verb.i > sent.start else None
        if before is None or before.text not in {","} | ALL_MARKS:
            return
        if verb.lemma_.lower() not in _ADDRESSEE_VERBS:
            obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
            if obj is not None and (
                obj.ent_type_ in {"PERSON", "ORG"}
                or (not names_only and (
                    obj.ent_type_ == "NORP" or obj.pos_ == "PROPN"
                    or obj.lemma_.lower() in coref.PERSON_NOUNS | coref.ORG_NOUNS
                    or any(c.dep_ == "appos" and c.ent_type_ == "PERSON"
                           for c in obj.children)
                ))
            ):
                cand.speaker_tok = obj
                cand.speaker_span = self._speaker_span(obj)
                return
        if not names_only and self._inverted_source(doc, sent, verb, cand):
            return
        if names_only or any(
            not (t.is_punct or t.is_space) for t in doc[verb.i + 1 : sent.end]
        ):
            return
        # comma-separated pieces right before ", said."
        pieces: list[list[Token]] = []
        cur: list[Token] = []
        for t in reversed(list(doc[sent.start : verb.i - 1])):
            if t.text == ",":
                if cur:
                    pieces.append(cur[::-1])
                cur = []
                if len(pieces) >= 2:
                    break
                continue
            cur.append(t)
            if len(cur) > 12:
                break
        choice = None
        for piece in pieces:
            words = [t for t in piece if not (t.is_punct or t.lower_ in {"the", "a", "an"})]
            # a name the NER missed still reads as one: capitalised proper nouns
            if words and all(
                t.ent_type_ in {"PERSON", "ORG"}
                or (t.pos_ == "PROPN" and t.is_title and not t.ent_type_)
                for t in words
            ) and len(words) <= 5:
                choice = piece
                break
        if choice is None and pieces:
            root = next((t for t in pieces[0] if t.head not in pieces[0] or t.head is t), None)
            if root is not None and root.lemma_.lower() in coref.PERSON_NOUNS:
                choice = pieces[0]
        if choice is None:
            return
        comma = choice[0].i - 1
        if comma <= sent.start or doc[comma].text != ",":
            return
        span = _trim(text, choice[0].idx, choice[-1].idx + len(choice[-1].text), marks=False)
        if span is None:
            return
        cand.speaker_tok = next((t for t in choice if t.head not in choice or t.head is t),
                                choice[-1])
        cand.speaker_span = span
        cut = doc[comma].idx
        content = [_trim(text, s, min(e, cut)) for s, e in cand.content if s < cut]
        cand.content = [c for c in content if c is not None]

    def _tail_attribution(
        self, doc: Doc, sent: Span, verb: Token, speaker: Token | None
    ) -> tuple[tuple[int, int], Token] | None:
        """'X happened, reported Ann Lee of the Herald.' / '..., as confirmed by Ana Ruiz.'

        An inverted cue closing the sentence, hung by the parser on the clause
        before it (advcl or conj) with no content of its own: the clause before
        the comma is the content, the name after the cue the source.
        """
        if verb.dep_ not in {"advcl", "conj"} or verb.i - 2 < sent.start or verb.tag_ == "VBG":
            return None  # "..., telling Ana to leave": a participle of the clause's subject
        k = verb.i - 1
        if doc[k].lower_ == "as":
            k -= 1
        if doc[k].text != "," or k <= sent.start:
            return None
        after = [t for t in doc[verb.i + 1 : sent.end] if not (t.is_punct or t.is_space)]
        if not after or len(after) > 20:
            return None
        src = None
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if agent is not None:
            src = next((c for c in agent.children if c.dep_ == "pobj"), None)
        if src is None and verb.lemma_.lower() not in _ADDRESSEE_VERBS:
            src = next((c for c in verb.rights if c.dep_ in {"dobj", "npadvmod", "nsubj"}
                        and (c.ent_type_ in {"PERSON", "ORG"} or c.pos_ == "PROPN")), None)
        if src is None or (speaker is not None and speaker.i < verb.i and src is None):
            return None
        if src.ent_type_ not in {"PERSON", "ORG"} and src.pos_ != "PROPN":
            return None
        body = [t for t in doc[sent.start : k] if not t.is_space]
        if len([t for t in body if not t.is_punct]) < 4 or not _has_finite(body):
            return None
        span = _trim(doc.text, body[0].idx, body[-1].idx + len(body[-1].text))
        if span is None:
            return None
        return span, src

    def _inverted_source(self, doc: Doc, sent: Span, verb: Token, cand: _Cand) -> bool:
        """'..., say hydrologists, but ...': a bare noun phrase right after an
        inverted cue and closed by a comma or full stop is the source, even when
        the parser hung it on the next clause."""
        run: list[Token] = []
        for t in doc[verb.i + 1 : min(sent.end, verb.i + 6)]:
            if t.is_punct:
                if t.text not in {",", ".", ";"}:
                    return False
                break
            if t.pos_ not in {"NOUN", "PROPN", "ADJ", "DET", "NUM"} or t.lower_ in {
                "that", "this", "it"
            }:
                return False
            run.append(t)
        else:
            return False
        nouns = [t for t in run if t.pos_ in {"NOUN", "PROPN"}]
        if not nouns or not cand.content or cand.content[0][0] > verb.idx:
            return False
        head = nouns[-1]
        if head.pos_ == "NOUN" and head.tag_ != "NNS" and head.lemma_.lower() not in (
            coref.PERSON_NOUNS | coref.ORG_NOUNS
        ):
            return False
        span = _trim(doc.text, run[0].idx, run[-1].idx + len(run[-1].text), marks=False)
        if span is None:
            return False
        cut = doc[verb.i - 1].idx
        content = [_trim(doc.text, s, min(e, cut)) for s, e in cand.content if s < cut]
        cand.content = [c for c in content if c is not None]
        cand.speaker_tok = head
        cand.speaker_span = span
        return True

    def _parsed_verb_candidate(
        self, doc: Doc, sent: Span, toks: list[Token], group: str, conf: float
    ) -> _Cand | None:
        verb = toks[0]
        lemma = verb.lemma_.lower()
        speaker = self._speaker_token(verb)
        if speaker is not None and (
            (speaker.ent_type_ in {"DATE", "TIME"} and not _name_not_date(speaker))
            or speaker.is_punct
        ):
            speaker = None
        content_toks: list[Token] = []
        is_clausal = False
        clausal = [c for c in verb.children if c.dep_ in {"ccomp", "parataxis"}]
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
                content_toks.extend(c.subtree)
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
                if c.dep_ == "prep" and self._is_circumstance(c):
                    continue
                if c.dep_ in {"advcl", "conj", "relcl"}:
                    continue
                content_toks.extend(c.subtree)
        else:
            deps = {"xcomp"} if group == "belief" else {"xcomp", "dobj", "oprd"}
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
        if not content_toks and verb.dep_ == "parataxis" and speaker is not None:
            # "This plan, she said, is dead": the host clause around the cue
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

    def _noun_candidate(self, doc: Doc, sent: Span, noun: Token) -> _Cand | None:
        """'her claim that ...', 'Graham's endorsement of Cruz': a noun cue owned by a source."""
        source = next((c for c in noun.children if c.dep_ == "poss"), None)
        if source is None:
            for prep in noun.children:
                if prep.dep_ == "prep" and prep.lower_ == "by":
                    source = next((c for c in prep.children if c.dep_ == "pobj"), None)
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
        return prep.lower_ in {"in", "during"} and pobj.lemma_.lower() in {
            "interview", "statement", "speech", "letter", "email", "post", "tweet",
        }

    def _speaker_token(self, verb: Token) -> Token | None:
        if verb.tag_ == "VBN" and verb.dep_ in {"advcl", "acl", "amod"} and not any(
            c.dep_ == "agent" for c in verb.children
        ):
            # "Asked if ..., the singer replied": the one asked is not the asker;
            # "his retirement, revealed on Monday": the thing revealed is not a source
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
            if subj is not None:
                if subj.lower_ in {"who", "that", "which"} and t.dep_ == "relcl":
                    # the relative pronoun is the source as written; its antecedent
                    # (t.head) is used when the speaker is resolved
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
            if t.dep_ in {"acl"} and t.head.pos_ in {"NOUN", "PROPN"}:
                return t.head
            if t.dep_ in {"xcomp", "advcl", "conj", "relcl", "acomp"} and t.head != t:
                if t.dep_ == "relcl":
                    return t.head
                t = t.head
                continue
            break
        # participles hanging lower in the tree ("..., citing his results"): the
        # nearest subject of a verb above the cue
        if verb.tag_ == "VBG" and verb.dep_ in {"advcl", "pcomp", "xcomp", "conj"}:
            for anc in verb.ancestors:
                subj = next((c for c in anc.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ not in {"it", "there", "this", "that"}:
                    return subj
        return None

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
            toks = [
                t for t in tok.subtree
                if not any(a.dep_ in {"acl", "relcl"} and a.head == tok for a in [*t.ancestors, t])
            ]
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

    # -- quotation attachment --------------------------------------------------

    def _snap(
        self, doc: Doc, s: int, e: int, quotations: list[Quotation], cand: _Cand
    ) -> tuple[int, int]:
        """Widen content to whole quotations it cuts, unless the cue is inside one."""
        cue = cand.cue_span
        for q in quotations:
            if q.start < e and s < q.end:
                if cue and q.start <= cue[0] < q.end and not (s >= q.start and e <= q.end):
                    continue
                if cue and q.start <= cue[0] < q.end:
                    continue
                s, e = min(s, q.start), max(e, q.end)
        return s, e

    def _attach_quotations(
        self, doc: Doc, quotations: list[Quotation], cands: list[_Cand]
    ) -> None:
        """Give quotations no content covers to the nearest cue of their sentence."""
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for members in chains.values():
            if self._covered(members, cands):
                continue
            short = not self._substantial(text_of(doc), members)
            last, first = members[-1], members[0]
            prev = None if short else self._continues(text_of(doc), first, cands)
            if prev is not None:
                # '"A," she said. "B."': B continues A, before any later cue
                prev.content = _merge(prev.content + [(q.start, q.end) for q in members])
                continue
            best = None
            for c in cands:
                if c.cue_span is None or c.sentence is None or c.pattern.startswith("layout"):
                    continue
                cs = c.cue_span[0]
                if any(q.start <= cs < q.end for q in quotations):
                    continue
                sent = c.sentence
                # the cue's sentence must touch the quotation's first or last member
                touch = (sent.start_char <= last.end and last.start <= sent.end_char) or (
                    sent.start_char <= first.end and first.start <= sent.end_char
                )
                if not touch:
                    continue
                if c.speaker_tok is None and c.pattern != "according_to":
                    continue
                if c.content and not _adjacent(text_of(doc), c.content, members):
                    continue
                if c.content and cs > last.end and _ends_sentence(text_of(doc), last):
                    continue  # '"B." According to X, ...': the cue has its own clause
                if short and not _tight(text_of(doc), c, first, last):
                    continue
                dist = min(abs(cs - last.end), abs(cs - first.start))
                if best is None or dist < best[0]:
                    best = (dist, c)
            if best is None:
                if short:
                    continue  # scare quotes need a listed cue
                generic = self._tight_verb(doc, first, last, quotations)
                if generic is not None:
                    generic.content = [(q.start, q.end) for q in members]
                    cands.append(generic)
                continue
            c = best[1]
            c.content = _merge(c.content + [(q.start, q.end) for q in members])
            c.confidence = max(c.confidence, 0.85)

    def _continues(self, text: str, first: Quotation, cands: list[_Cand]) -> _Cand | None:
        """The attributed direct quote that this quotation directly follows, if any."""
        for c in cands:
            if not c.content or c.speaker_span is None or c.cue_span is None:
                continue
            last_end = max(c.content[-1][1], c.cue_span[1], c.speaker_span[1])
            if last_end > first.start or c.content[-1][1] > first.start:
                continue
            if not any(text[a:b].lstrip()[:1] in ALL_MARKS for a, b in c.content):
                continue
            # the attribution sits between the earlier quotation and this one
            if c.cue_span[0] < c.content[-1][1]:
                continue
            gap = text[last_end : first.start]
            if "\n" not in gap and len(gap) <= 4 and not any(ch.isalnum() for ch in gap):
                return c
        return None

    def _tight_verb(
        self, doc: Doc, first: Quotation, last: Quotation, quotations: list[Quotation]
    ) -> _Cand | None:
        """An unlisted verb right next to a quotation: '"...," she boomed', 'He snapped: "..."'."""
        text = text_of(doc)
        after = re.match(r"[\s,]*", text[last.end :])
        window: list[Token] = []
        start_after = last.end + (after.end() if after else 0)
        sp = doc.char_span(start_after, min(len(text), start_after + 60), alignment_mode="expand")
        if sp is not None:
            window.extend(list(sp)[:4])
        colon = text.rfind(":", max(0, first.start - 3), first.start)
        if colon >= 0:
            sp = doc.char_span(max(0, colon - 40), colon, alignment_mode="expand")
            if sp is not None:
                window.extend(list(sp)[-2:])
        for tok in window:
            if tok.pos_ != "VERB" or tok.lemma_.lower() in _NOT_GENERIC:
                continue
            if any(q.start <= tok.idx < q.end for q in quotations):
                continue
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            return _Cand(
                cue=[tok], cue_span=_tok_span([tok]), content=[], speaker_tok=subj,
                speaker_span=self._speaker_span(subj), confidence=0.6, pattern="tight_verb",
                sentence=tok.sent,
            )
        return None

    def _covered(self, members: list[Quotation], cands: list[_Cand]) -> bool:
        for q in members:
            for c in cands:
                if c.extra.get("quoted_report"):
                    continue  # the quotation itself still needs its own source
                for s, e in c.content:
                    if s < q.end and q.start < e:
                        return True
        return False

    def _substantial(self, text: str, members: list[Quotation]) -> bool:
        words = sum(len(text[q.start : q.end].split()) for q in members)
        return words >= self.min_quote_words

    # -- layout patterns ------------------------------------------------------------

    def _layout_candidates(
        self, doc: Doc, quotations: list[Quotation], cands: list[_Cand], dash_only: bool = False
    ) -> None:
        text = text_of(doc)
        article = doc._.article
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for members in chains.values():
            if self._covered(members, cands) or not self._substantial(text, members):
                continue
            last, first = members[-1], members[0]
            if article is not None and article.segment_at(first.start) in _SKIP_SEGMENTS:
                continue
            # "..." - Speaker   (speaker runs to the line end)
            m = re.match(r"[ \t]*([" + _DASHES + r"])[ \t]*([^\n]{2,80})", text[last.end :])
            if m and m.group(2)[:1].isupper() or (m and m.group(2)[:1] == "@"):
                sp_s = last.end + m.start(2)
                sp_e = last.end + m.end(2)
                span = _trim(text, sp_s, sp_e, marks=False)
                if span and _looks_like_name(text[span[0] : span[1]]):
                    cue = (last.end + m.start(1), last.end + m.end(1))
                    cands.append(self._layout(doc, members, cue, span, 0.6, "layout:dash"))
                    continue
            if dash_only:
                continue
            # Speaker: "..."
            line_start = text.rfind("\n", 0, first.start) + 1
            prefix = text[line_start : first.start]
            m = re.search(r"([^\n.!?\"“”]{2,80}?)\s*:\s*$", prefix)
            if m:
                sp_s = line_start + m.start(1)
                span = _trim(text, sp_s, line_start + m.end(1), marks=False)
                colon = line_start + prefix.rfind(":")
                if span and _looks_like_name(text[span[0] : span[1]]) and not _has_verb(
                    doc, span
                ):
                    cands.append(
                        self._layout(doc, members, (colon, colon + 1), span, 0.65, "layout:colon")
                    )
        if not dash_only:
            self._headline_candidates(doc, cands)

    def _headline_candidates(self, doc: Doc, cands: list[_Cand]) -> None:
        """Headline-style ``Speaker: statement`` lines."""
        text = text_of(doc)
        pos = 0
        for line in text.split("\n"):
            ls, pos = pos, pos + len(line) + 1
            stripped = line.strip()
            if not stripped or len(stripped) > 160 or stripped.count(":") != 1:
                continue
            head, _, rest = line.partition(":")
            if not rest.strip() or len(head.split()) > 6 or re.search(r"\d", head):
                continue
            if not _looks_like_name(head.strip()) or len(rest.split()) < 3:
                continue
            if (
                _has_verb(doc, (ls, ls + len(head)))
                or not (_all_named(doc, ls, ls + len(head)) or _named_elsewhere(doc, head))
                or head.strip().lower() in self.lex.headline_labels
            ):
                continue  # "Analysis: ...", "Heads up, travelers: ..." are not speakers
            if any(c.content and c.content[0][0] < ls + len(line) and ls < c.content[-1][1]
                   for c in cands):
                continue
            colon = ls + len(head)
            sp = _trim(text, ls, colon, marks=False)
            ct = _trim(text, colon + 1, ls + len(line), marks=True, final_stop=True)
            if sp is None or ct is None:
                continue
            cands.append(
                _Cand(
                    cue=None, cue_span=(colon, colon + 1), content=[ct], speaker_span=sp,
                    confidence=0.5, pattern="layout:headline", sentence=_sent_at(doc, ls),
                )
            )

    def _layout(
        self,
        doc: Doc,
        members: list[Quotation],
        cue: tuple[int, int],
        speaker: tuple[int, int],
        conf: float,
        pattern: str,
    ) -> _Cand:
        return _Cand(
            cue=None, cue_span=cue, content=[(q.start, q.end) for q in members],
            speaker_span=speaker, confidence=conf, pattern=pattern,
            sentence=_sent_at(doc, members[0].start),
        )

    def _carry_over(self, doc: Doc, quotations: list[Quotation], cands: list[_Cand]) -> None:
        """A quotation with no cue continues the previous attributed quotation.

        ``"A," she said. "B."`` and a following paragraph that is only a
        quotation both extend the earlier quote's content (one speech act, one
        record); the speaker is carried over, so confidence drops a little.
        """
        text = text_of(doc)
        chains: dict[int, list[Quotation]] = {}
        for q in quotations:
            chains.setdefault(q.chain, []).append(q)
        for members in chains.values():
            first = members[0]
            if self._covered(members, cands) or not self._substantial(text, members):
                continue
            prev = None
            for c in cands:
                if c.content and c.content[-1][1] <= first.start and c.speaker_span:
                    if prev is None or c.content[-1][1] > prev.content[-1][1]:
                        prev = c
            if prev is None:
                continue
            last_end = max(prev.content[-1][1], prev.cue_span[1] if prev.cue_span else 0,
                           prev.speaker_span[1] if prev.speaker_span else 0)
            gap = text[last_end : first.start]
            line_start = text.rfind("\n", 0, first.start) + 1
            opens_paragraph = not text[line_start : first.start].strip()
            direct = any(text[a:b].strip()[:1] in ALL_MARKS for a, b in prev.content)
            if "\n" in gap:
                # next paragraph: the quotation must be the paragraph
                if not opens_paragraph or gap.count("\n") > 4 or gap.strip(" .,;:\n\t"):
                    continue
                if not direct and not self._after_speech_sentence(text, prev, first):
                    continue
                # a closed quotation standing as its own paragraph is the same
                # speaker's next statement: its own record (a quotation left open at
                # the paragraph end is chained, one record)
                cands.append(self._carried(prev, members))
                continue
            if len(gap) > 3 and any(ch.isalnum() for ch in gap) and (
                opens_paragraph or not self._after_speech_sentence(text, prev, first)
            ):
                continue  # '..., Ilse Marten said in Rotterdam. "..."' still continues
            if not direct:
                # 'He said the plan stands. "We go on."': the speaker of
                # the reported sentence goes on in his own words
                if opens_paragraph or not self._after_speech_sentence(text, prev, first):
                    continue
                cands.append(self._carried(prev, members))
                continue
            prev.content = _merge(prev.content + [(q.start, q.end) for q in members])
            prev.confidence *= 0.95

    def _colon_lists(self, doc: Doc, cands: list[_Cand]) -> None:
        """'In the interview, Ana Ruiz also said:' then a list of unpunctuated lines.

        Each line of the list (a paragraph that does not end a sentence, as bullet
        points are written) is a separate statement of the speaker.
        """
        text = text_of(doc)
        for c in list(cands):
            if c.content or c.cue_span is None or c.speaker_span is None:
                continue
            if not c.pattern.startswith("verb:speech"):
                continue
            line_end = text.find("\n", c.cue_span[1])
            if line_end < 0 or text[c.cue_span[1] : line_end].strip() != ":":
                continue
            pos = line_end
            items: list[tuple[int, int]] = []
            while True:
                while pos < len(text) and text[pos] in "\n \t":
                    pos += 1
                end = text.find("\n", pos)
                end = len(text) if end < 0 else end
                line = text[pos:end].rstrip()
                if not line or line[-1] in ".!?:”\"'’" or len(line.split()) > 40:
                    break
                span = _trim(text, pos, pos + len(line), marks=False)
                if span is not None:
                    items.append(span)
                pos = end
            if len(items) < 2:
                continue  # one unpunctuated line is as likely a subheading
            for span in items:
                cands.append(_Cand(
                    cue=None, cue_span=None, content=[span], speaker_tok=c.speaker_tok,
                    speaker_span=c.speaker_span, confidence=c.confidence * 0.9,
                    pattern="layout:list", sentence=_sent_at(doc, span[0]),
                    extra={"list_of": c},
                ))

    @staticmethod
    def _after_speech_sentence(text: str, prev: _Cand, first: Quotation) -> bool:
        """The quotation opens the sentence right after the one holding ``prev``."""
        if prev.sentence is None or prev.sentence.end_char > first.start:
            return False
        gap = text[prev.sentence.end_char : first.start]
        return not gap.strip(" \n\t") and "\n\n\n" not in gap.replace(" ", "")

    @staticmethod
    def _carried(prev: _Cand, members: list[Quotation]) -> _Cand:
        return _Cand(
            cue=None, cue_span=None, content=[(q.start, q.end) for q in members],
            speaker_tok=prev.speaker_tok, speaker_span=prev.speaker_span,
            confidence=prev.confidence * 0.9, pattern="carry_over", sentence=None,
            addressee=prev.addressee, extra={"carried_from": prev},
        )

    # -- records -------------------------------------------------------------------

    def _records(self, doc: Doc, cands: list[_Cand], mask: bytearray) -> list[Quote]:
        text = text_of(doc)
        article = doc._.article
        article_id = article.id if article is not None else "adhoc"
        cands = [c for c in cands if c.content]
        cands.sort(key=lambda c: (c.content[0][0], -c.confidence))
        seen: dict[tuple, _Cand] = {}
        for c in cands:
            key = tuple(c.content)
            if key not in seen or seen[key].confidence < c.confidence:
                seen[key] = c
        kept = [c for c in seen.values() if c.confidence >= self.min_confidence]
        if not self.nested:
            # PARC-style gold (the attribution scope) keeps nested reports inside the
            # outer content: on PolNeAR they lowered precision (0.863 -> 0.822)
            reports = [c for c in kept if self.scope == "speech" and _reported_report(c, kept)]
            kept = _drop_nested(kept)
            kept += [c for c in reports if c not in kept]
        if self.scope == "speech":
            kept = [c for c in kept if self._is_attribution(doc, c, mask)]
        out: list[Quote] = []
        preferred: list[tuple[int, Entity]] = []
        resolved_by_cand: dict[int, _Resolved] = {}
        for c in sorted(kept, key=lambda c: c.content[0][0]):
            if "carried_from" in c.extra and id(c.extra["carried_from"]) in resolved_by_cand:
                res = resolved_by_cand[id(c.extra["carried_from"])]
            else:
                # a pronoun inside a quotation is not the quoting speaker
                res = self._resolve(doc, c, [] if c.extra.get("quoted_report") else preferred)
                res = self._continue_unnamed(doc, c, res, out)
                if c.extra.get("quoted_report") and res.entity is not None:
                    outer = [resolved_by_cand.get(id(o)) for o in kept if o is not c
                             and c.cue_span is not None and _inside(c.cue_span, o.content)]
                    quoting = {id(r.entity) for r in outer if r is not None and r.entity}
                    if id(res.entity) in quoting:
                        # "she said" quoted by Sousa is not Sousa speaking: the person
                        # named last before it, other than the quoting speaker
                        res = self._other_person(doc, c, quoting)
            resolved_by_cand[id(c)] = res
            if res.entity is not None and c.speaker_span is not None:
                preferred.append((c.speaker_span[0], res.entity))
            spans = [[s, e] for s, e in c.content]
            kind = quote_kind(text, mask, spans) or "indirect"
            conf = c.confidence
            if kind == "direct":
                conf = min(1.0, conf + 0.05)
            if c.speaker_span is None:
                conf *= 0.8
            elif res.kind == "unresolved":
                conf *= 0.9
            pieces = [p for p in spans] + (
                [list(c.speaker_span)]
                if c.speaker_span and not ({"carried_from", "list_of"} & c.extra.keys())
                else []
            )
            if c.cue_span:
                pieces.append(list(c.cue_span))
            start = min(p[0] for p in pieces)
            end = max(p[1] for p in pieces)
            sent = c.sentence or _sent_at(doc, spans[0][0])
            speaker_id = None
            if res.entity is not None and not coref.is_local(res.entity):
                speaker_id = res.entity.id
            out.append(
                Quote(
                    id=content_id("q", article_id, start, end, *[x for p in spans for x in p]),
                    start=start,
                    end=end,
                    content=" … ".join(text[s:e] for s, e in spans),
                    content_spans=spans,
                    kind=kind,
                    speaker=speaker_id,
                    speaker_text=res.text,
                    speaker_span=list(c.speaker_span) if c.speaker_span else None,
                    speaker_role=res.role,
                    cue=text[c.cue_span[0] : c.cue_span[1]] if c.cue_span else None,
                    cue_span=list(c.cue_span) if c.cue_span else None,
                    addressee=c.addressee,
                    sentence=sent.text if sent is not None else "",
                    sentence_span=[sent.start_char, sent.end_char] if sent is not None else [
                        start, end],
                    confidence=round(conf, 3),
                    speaker_kind=res.kind,
                )
            )
        return out

    @staticmethod
    def _other_person(doc: Doc, c: _Cand, quoting: set[int]) -> _Resolved:
        assert c.speaker_span is not None
        written = doc.text[c.speaker_span[0] : c.speaker_span[1]]
        # this paragraph and the one before it
        para = doc.text.rfind("\n", 0, c.speaker_span[0])
        while para > 0 and doc.text[para - 1] == "\n":
            para -= 1
        near = max(0, doc.text.rfind("\n", 0, para)) if para > 0 else 0
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
        written = doc.text[c.speaker_span[0] : c.speaker_span[1]].lower()
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

    def _is_attribution(self, doc: Doc, c: _Cand, mask: bytearray) -> bool:
        """A candidate is an attribution of words only with a source and real content.

        * no source at all ("as if to say ...", "she is accused of ...", "a car
          reported stolen"): nobody is quoted;
        * a stance verb counts only for quoted words ('chanted "Red for Ed"'), not
          for a position or deed ("backed the bill", "seeks a recount");
        * a noun phrase is a deed, not content: "announced his retirement",
          "denied the allegations", "posted a video showing ...", "maintains its
          'tough' stance" (a reported clause or a whole quotation is what someone
          said).
        """
        if c.speaker_span is None:
            return False
        if _quoted_share(doc.text, mask, c.content) >= 0.6:
            return True  # 'chanted "Open the clinics" and "Pay the nurses"'
        group = c.pattern.split(":")[1] if c.pattern.startswith("verb:") else ""
        if group in self.lex.needs_quotation:
            return False
        if c.extra.get("clausal"):
            return True  # the parse gave the cue a clausal complement
        if c.pattern.startswith(("verb:", "noun")):
            if any(_is_clause(doc, span) for span in c.content):
                return True
            verb = c.cue[0] if c.cue else None
            return verb is not None and verb.lemma_.lower() in self.lex.np_speech and any(
                ch.dep_ == "oprd" or (ch.dep_ == "prep" and ch.lower_ == "as")
                for ch in verb.children
            )
        return True

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
        written = doc.text[s:e]
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


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def doc_text_of(c: _Cand) -> str:
    tok = c.cue[0] if c.cue else c.speaker_tok
    return tok.doc.text if tok is not None else ""


def _bare_gap(text: str, start: int, end: int) -> bool:
    """True when only spaces and punctuation lie between two offsets."""
    gap = text[start:end]
    return start <= end and len(gap) <= 3 and not any(ch.isalnum() for ch in gap)


def doc_text(tok: Token) -> str:
    return text_of(tok.doc)


def _tok_span(toks: list[Token]) -> tuple[int, int]:
    return min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)


def _trim(
    text: str, s: int, e: int, *, marks: bool = True, final_stop: bool = False
) -> tuple[int, int] | None:
    """Strip spaces and edge punctuation; keep quotation marks when ``marks``."""
    keep = ALL_MARKS if marks else set()
    while s < e and (text[s].isspace() or (not text[s].isalnum() and text[s] not in keep
                                           and text[s] not in "$£€#@(")):
        s += 1
    while e > s and (text[e - 1].isspace() or (
        not text[e - 1].isalnum() and text[e - 1] not in keep and text[e - 1] not in ".%)!?"
    )):
        e -= 1
    if final_stop:
        while e > s and text[e - 1] in ".,;:":
            e -= 1
    if marks and e > s and text[e - 1] in ALL_MARKS and not any(
        c in ALL_MARKS for c in text[s : e - 1]
    ):
        e -= 1  # a lone closing mark belongs to a quotation the snap will restore
    if e <= s:
        return None
    return s, e


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def _drop_nested(cands: list[_Cand]) -> list[_Cand]:
    """Drop attributions whose cue lies inside another attribution's content.

    A verb inside reported content ("she said he supports the bill") is part of
    what was said, not a second report by the article; the outer attribution
    carries it (measured on the dev data: most nested cues are not annotated).
    """
    # Content spans are looked up by start offset (only those that can reach the cue),
    # not all pairs, so long articles stay linear.
    spans = sorted((s, e, k) for k, o in enumerate(cands) for s, e in o.content)
    starts = [s for s, _, _ in spans]
    longest = max((e - s for s, e, _ in spans), default=0)
    out = []
    for c in cands:
        if c.cue_span is not None:
            lo = bisect_left(starts, c.cue_span[1] - longest)
            hi = bisect_right(starts, c.cue_span[0])
            if any(
                cands[k] is not c
                and s <= c.cue_span[0] and c.cue_span[1] <= e
                and not (cands[k].cue_span is not None
                         and _inside(cands[k].cue_span, c.content))
                for s, e, k in spans[lo:hi]
            ):
                continue
        out.append(c)
    return out


def _reported_report(c: _Cand, cands: list[_Cand]) -> bool:
    """A report of speech inside another report is itself an attribution.

    "He said he locked the gate, the records say" and '"She said he phoned her,"
    the inspector wrote': the inner speaker and cue are inside the outer content and
    the inner cue is a verb of saying, so the article attributes words to the inner
    speaker too (through the outer source). A stance or a belief inside reported
    content ("she said he supports the bill") stays part of the outer content.
    """
    if c.cue_span is None or c.speaker_span is None or not c.content:
        return False
    if not c.pattern.startswith("verb:speech"):
        return False
    return any(
        o is not c and _inside(c.cue_span, o.content) and _inside(c.speaker_span, o.content)
        and not (o.cue_span is not None and _inside(o.cue_span, c.content))
        for o in cands
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _adjacent(text: str, content: list[tuple[int, int]], members: list[Quotation]) -> bool:
    """True when only punctuation and a few words separate content and quotation."""
    for s, e in content:
        for q in members:
            gap = text[e : q.start] if e <= q.start else text[q.end : s]
            # a quotation opening the next paragraph is a statement of its own
            if len(gap) <= 3 and not any(ch.isalnum() or ch == "\n" for ch in gap):
                return True
    return False


def _all_named(doc: Doc, start: int, end: int) -> bool:
    """True when every word of the span is a proper name (or inside a named entity)."""
    sp = doc.char_span(start, end, alignment_mode="expand")
    words = [t for t in sp or [] if not (t.is_punct or t.is_space or t.lower_ == "the")]
    return bool(words) and all(
        t.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} or t.pos_ == "PROPN" for t in words
    )


def _named_elsewhere(doc: Doc, head: str) -> bool:
    """True when the article names a person or organisation with the head's last word."""
    words = head.split()
    last = words[-1].lower() if words else ""
    return bool(last) and any(
        ent.label_ in {"PERSON", "ORG"} and last in {t.lower_ for t in ent}
        for ent in doc.ents
    )


def _is_clause(doc: Doc, span: tuple[int, int]) -> bool:
    """True when the span holds a predicate, not only a noun phrase.

    A verb counts unless it sits in a clause that modifies a noun ("a video
    showing the rescue", "the request, which ..."): "accused them of being
    blinded" and "urged him to resign" report words; "posted a video containing
    an edit" reports a deed.
    """
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or len(sp) == 0:
        return False
    for t in sp:
        if t.pos_ not in {"VERB", "AUX"}:
            continue
        path = [t] + [a for a in t.ancestors if sp.start <= a.i < sp.end]
        if not any(a.dep_ in {"relcl", "acl", "amod", "compound"} for a in path):
            return True
    return False


def _quoted_share(text: str, mask: bytearray, spans: list[tuple[int, int]]) -> float:
    """Share of the content's letters that are inside quotation marks."""
    inside = total = 0
    for s, e in spans:
        for k in range(s, e):
            if text[k].isalnum():
                total += 1
                inside += mask[k]
    return inside / total if total else 0.0


def _has_verb(doc: Doc, span: tuple[int, int]) -> bool:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp is not None and any(t.pos_ in {"VERB", "AUX"} for t in sp)


def _ends_sentence(text: str, q: Quotation) -> bool:
    inner = text[q.start : q.end].rstrip("”\"'» ")
    return inner[-1:] in {".", "?", "!"}


def _tight(text: str, c: _Cand, first: Quotation, last: Quotation) -> bool:
    """A short quotation counts only right next to its attribution ('"Denver," he said')."""
    assert c.cue_span is not None
    lo = min(c.cue_span[0], c.speaker_span[0] if c.speaker_span else c.cue_span[0])
    hi = max(c.cue_span[1], c.speaker_span[1] if c.speaker_span else c.cue_span[1])
    after = text[last.end : lo] if last.end <= lo else None
    before = text[hi : first.start] if hi <= first.start else None
    for gap in (after, before):
        if gap is not None and len(gap) <= 3 and not any(ch.isalnum() for ch in gap):
            return True
    return False


_NOT_GENERIC = {"be", "have", "make", "let", "get", "do", "see", "go", "come", "take",
                "give", "put", "keep", "seem", "appear", "become", "help", "mean", "ensure",
                "happen", "turn", "look", "sound", "prove", "remain",
                # desire is not a report of speech ("the council wants the firms to pay")
                "want", "wish", "need", "like", "love", "hate", "prefer"}
_HUMAN_PRONOUNS = {"he", "she", "they", "we", "i", "who"}


def _clausal_with_agent(verb: Token) -> bool:
    if verb.pos_ != "VERB" or verb.lemma_.lower() in _NOT_GENERIC:
        return False
    comp = next((c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i), None)
    if comp is None or not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in comp.children):
        return False
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return False
    return subj.lower_ in _HUMAN_PRONOUNS or subj.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}


def _sent_at(doc: Doc, offset: int) -> Span | None:
    span = doc.char_span(offset, min(len(text_of(doc)), offset + 1), alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span[0].sent


def _subtree_text(tok: Token) -> str:
    toks = list(tok.subtree)
    return text_of(tok.doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _tokens_text(toks: list[Token]) -> str:
    toks = sorted(toks, key=lambda t: t.i)
    return text_of(toks[0].doc)[toks[0].idx : toks[-1].idx + len(toks[-1].text)]


def _clean(text: str) -> str:
    return text.strip().strip(",;:").strip()


def _name_tokens_span(tok: Token) -> list[Token]:
    """The proper-name tokens around a PROPN head (its compounds and flat parts)."""
    if tok.ent_type_:
        toks = [t for t in tok.doc[tok.sent.start : tok.sent.end]
                if t.ent_iob_ and t.ent_type_ == tok.ent_type_ and _same_ent(t, tok)]
        if toks:
            return toks
    toks = [tok]
    for child in sorted(tok.lefts, key=lambda t: -t.i):
        if child.dep_ == "compound" and child.pos_ == "PROPN" and child.i == toks[0].i - 1:
            toks.insert(0, child)
    return toks


def _same_ent(a: Token, b: Token) -> bool:
    # From b's IOB tags outwards: reading doc.ents per call made long articles quadratic.
    if b.ent_iob_ not in ("B", "I"):
        return a.i == b.i
    doc = b.doc
    start = b.i
    while doc[start].ent_iob_ == "I" and start > 0 and doc[start - 1].ent_iob_ in ("B", "I"):
        start -= 1
    end = b.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start <= a.i < end


def _looks_like_name(text: str) -> bool:
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    if not words or len(words) > 8:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w[:1] == "@")
    return caps >= max(1, len(words) // 2) and not text.strip().endswith(".")


def _shares_token(name: str, entity: Entity) -> bool:
    toks = set(coref._name_tokens(name))
    ent_toks = set(coref._name_tokens(entity.name))
    for m in entity.mentions:
        ent_toks |= set(coref._name_tokens(m.text))
    return bool(toks & ent_toks) or not toks


_DATE_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "today", "yesterday", "tomorrow", "tonight",
}


def _name_not_date(tok: Token) -> bool:
    """A capitalised subject the NER calls a date ("said Valdor, who worked ... 20 years")."""
    return (
        tok.pos_ == "PROPN" and tok.dep_ in {"nsubj", "nsubjpass"} and tok.is_title
        and tok.lower_ not in _DATE_WORDS and not any(ch.isdigit() for ch in tok.text)
    )


def _has_finite(toks: list[Token]) -> bool:
    """The tokens hold a finite verb: a clause someone reported, not a phrase."""
    return any(t.tag_ in {"VBD", "VBZ", "VBP", "MD"} for t in toks)
