"""The ``wirewatch_quotes`` spaCy component: configuration, the passes in order, and the records."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from wirewatch.model import Entity, Quote, content_id
from wirewatch.nlp import (
    coref,
    extensions,  # noqa: F401  (registers Doc._ attributes)
)
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.quotes.candidates import (
    _Cand,
    _drop_nested,
    _inside,
    _merge,
    _reported_report,
    _Resolved,
)
from wirewatch.nlp.quotes.clauses import ClauseCandidates
from wirewatch.nlp.quotes.cues import DEFAULT_CUES, CueRules, load_cues
from wirewatch.nlp.quotes.layout import QuotationRules
from wirewatch.nlp.quotes.marks import quote_kind, scan_quotations
from wirewatch.nlp.quotes.spans import _is_clause, _quoted_share, _sent_at
from wirewatch.nlp.quotes.speakers import SpeakerRules


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


class QuoteAttributor(CueRules, ClauseCandidates, QuotationRules, SpeakerRules):
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
        self._shared_subject = {}  # per document, set again by _parse_candidates

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
        if self.scope == "attribution":
            kept = _one_per_cue(kept)
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
                    # the slice is Span.text without a Token per word of the sentence
                    sentence=text[sent.start_char : sent.end_char] if sent is not None else "",
                    sentence_span=[sent.start_char, sent.end_char] if sent is not None else [
                        start, end],
                    confidence=round(conf, 3),
                    speaker_kind=res.kind,
                )
            )
        return out

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
        if _quoted_share(text_of(doc), mask, c.content) >= 0.6:
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
            if verb is None:
                return False
            lemma = self.lex.lemma(verb)
            phrase = " ".join([lemma, *(t.lower_ for t in c.cue[1:])])
            if phrase in self.lex.position_cues and c.pattern.startswith("verb:"):
                return True  # "called for a ceasefire", "citing safety concerns"
            return lemma in self.lex.np_speech and any(
                ch.dep_ == "oprd" or (ch.dep_ == "prep" and ch.lower_ == "as")
                for ch in verb.children
            )
        return True


def _one_per_cue(cands: list[_Cand]) -> list[_Cand]:
    """Candidates of one cue are one attribution: '"A," Roe said, "B."' read as a clause
    and as an attached quotation gives the cue two contents; PARC-style gold joins them."""
    out: list[_Cand] = []
    by_cue: dict[tuple[int, int], _Cand] = {}
    for c in cands:
        first = by_cue.get(c.cue_span) if c.cue_span is not None else None
        if first is not None:
            first.content = _merge(first.content + c.content)
            first.confidence = max(first.confidence, c.confidence)
            continue
        out.append(c)
        if c.cue_span is not None:
            by_cue[c.cue_span] = c
    return out
