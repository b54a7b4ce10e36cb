"""The spaCy component: runs the steps over each body sentence and sets ``doc._.events``.

Steps, each its own module: ``triggers`` (which words code an event, and in what sense),
``participants`` (actor and recipient from the trigger's clause), ``modality`` (did it
happen), ``anchoring`` (date and place) and ``grouping`` (what mentions of one happening
share). Each event records the rule that fired, the spans it was read from, its modality
and per-field confidences.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from wirewatch.model import Event, Mention, content_id
from wirewatch.nlp import extensions  # noqa: F401  (registers Doc._ attributes)
from wirewatch.nlp.codebook import COUNTED_MODALITIES, Codebook, load_codebook
from wirewatch.nlp.dateline import headline_end
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.events.agents import establish_agents
from wirewatch.nlp.events.anchoring import event_date, event_location
from wirewatch.nlp.events.grouping import attach_casualties, group_mentions
from wirewatch.nlp.events.modality import by_date, event_modality
from wirewatch.nlp.events.participants import ParticipantReader, in_quote
from wirewatch.nlp.events.parties import part_conf
from wirewatch.nlp.events.syntax import clause_head, subtree_of
from wirewatch.nlp.events.triggers import Candidate, TriggerFinder
from wirewatch.nlp.tokenstrings import token_strings, token_tree

BODY_KINDS = {"body"}


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
        self.triggers = TriggerFinder(self.book, ParticipantReader(self.book))
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
        establish_agents(doc, events)
        doc._.events = group_mentions(events, doc)
        return doc

    def _code_sentence(
        self, doc: Doc, sent: Span, article_id: str, year: int | None
    ) -> Iterable[Event]:
        coded = self.triggers.candidates(sent)
        built = [e for e in (self._build(doc, sent, c, article_id, year) for c in coded) if e]
        attach_casualties(sent, built)
        yield from built

    def _build(
        self, doc: Doc, sent: Span, cand: Candidate, article_id: str, year: int | None
    ) -> Event | None:
        rule, trig = cand.rule, cand.trigger
        if self.triggers.metaphor(sent, cand):
            return None
        self.triggers.resense(cand)
        etype, modality, reason = event_modality(cand, year)
        if cand.said and modality == "demanded":
            # "X must go" in Y's quote with no verb of saying beside it: Y's demand is made
            modality, reason = "asserted", "the quote's speaker demands it"
        actors, recipients = list(cand.actors), list(cand.recipients)
        actors, quote_id = in_quote(doc, trig, actors)
        mode = rule.mode or cand.mode
        contexts = list(rule.contexts)
        context_words, lemma_lower = self.book.context_words, token_strings(doc).lemma_lower
        for i in subtree_of(token_tree(doc), clause_head(trig).i):
            for ctx in sorted(context_words.get(lemma_lower[i], ())):
                if ctx not in contexts:
                    contexts.append(ctx)
        cameo = rule.cameo
        if etype != rule.type:
            cameo = {"AGREE": "030", "THREATEN": "130", "REJECT": "120", "AID": "070"}.get(etype)
            mode = None
        date, date_conf = event_date(doc, sent, trig)
        modality, reason = by_date(doc, sent, trig, date, modality, reason)
        location, loc_conf = event_location(doc, sent, trig, actors + recipients)
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
            "actors": part_conf(actors),
            "recipients": part_conf(recipients),
            "modality": 0.8 if modality == "asserted" else 0.65,
            "date": date_conf,
            "location": loc_conf,
        }
        trigger_toks = [trig] + [
            c for c in trig.children if c.dep_ == "prt" or (rule.objects and c.dep_ == "dobj")
        ]
        if rule.objects and trig.lemma_ in {"be", "come"}:
            # "is under fire": the verb alone says nothing, the phrase is the trigger
            trigger_toks += [t for c in trig.children if c.dep_ == "prep"
                             and any(o.lemma_.lower() in rule.objects for o in c.children)
                             for t in c.subtree]
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
            sentence=text_of(doc)[sent.start_char:sent.end_char],  # Span.text, not rebuilt
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
