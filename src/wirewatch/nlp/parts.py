"""Long articles in parts: cut at paragraph breaks, read separately, facts merged back.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its parser
needs about 1 GB of memory per 100,000 characters, while our input limit is 5 MB.
A text over the part size is cut at the last paragraph break (else line break,
sentence end, space) before the limit; each part is read as its own small article
and every offset of its facts is shifted back into the whole text. An actor
named in several parts is one entity with all its mentions.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from wirewatch.model import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    Mention,
    Participant,
    Quote,
    Segment,
)

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]?\s")


@dataclass
class Part:
    offset: int  # where the part starts in the whole text
    article: Article  # the part as an article of its own (the article itself if not cut)


def split_parts(article: Article, max_chars: int) -> list[Part]:
    text = article.text
    if max_chars <= 0 or len(text) <= max_chars:
        return [Part(0, article)]
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > max_chars:
        cut = _cut(text, start, start + max_chars)
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    parts = []
    for i, (a, b) in enumerate(bounds):
        segments = [Segment(max(s.start, a) - a, min(s.end, b) - a, s.kind)
                    for s in article.segments if s.start < b and s.end > a]
        # Each part has its own id so fact ids (hashes of id and offsets) never collide.
        sub = dataclasses.replace(article, id=f"{article.id}~{i}", text=text[a:b],
                                  segments=segments, removed=[], warnings=[])
        parts.append(Part(a, sub))
    return parts


def _cut(text: str, lo: int, hi: int) -> int:
    """The end of the part starting at ``lo``: a break in the second half of the window."""
    floor = lo + (hi - lo) // 2
    for sep in ("\n\n", "\n"):
        at = text.rfind(sep, floor, hi)
        if at >= 0:
            return at + len(sep)
    last = None
    for m in _SENTENCE_END.finditer(text, floor, hi):
        last = m.end()
    if last is not None:
        return last
    at = text.rfind(" ", floor, hi)
    return at + 1 if at >= 0 else hi


def merge_parts(article: Article, records: list[tuple[int, ArticleRecord]]) -> ArticleRecord:
    """One record for the whole article, every offset relative to its full text."""
    if len(records) == 1 and records[0][0] == 0:
        record = records[0][1]
        record.article = article
        return record
    merged = ArticleRecord(article=article, pipeline_version=records[0][1].pipeline_version)
    entities: dict[str, Entity] = {}
    for offset, rec in records:
        for ent in rec.entities:
            ent.mentions = [_mention(m, offset) for m in ent.mentions]
            known = entities.get(ent.id)
            if known is None:
                entities[ent.id] = ent
                continue
            known.mentions.extend(ent.mentions)
            known.roles.extend(r for r in ent.roles if r not in known.roles)
            known.confidence = max(known.confidence, ent.confidence)
        merged.quotes.extend(_quote(q, offset) for q in rec.quotes)
        merged.events.extend(_event(e, offset) for e in rec.events)
        for fact in (*rec.relations, *rec.times, *rec.places):
            fact.start += offset
            fact.end += offset
        merged.relations.extend(rec.relations)
        merged.times.extend(rec.times)
        merged.places.extend(rec.places)
        merged.failures.extend(rec.failures)
    merged.entities = list(entities.values())
    article.warnings.append(f"long text read in {len(records)} parts cut at paragraph breaks")
    return merged


def _span(span: list[int] | None, offset: int) -> list[int] | None:
    return None if span is None else [x + offset for x in span]


def _mention(m: Mention, offset: int) -> Mention:
    return dataclasses.replace(m, start=m.start + offset, end=m.end + offset)


def _participant(p: Participant, offset: int) -> Participant:
    return dataclasses.replace(p, start=p.start + offset, end=p.end + offset)


def _quote(q: Quote, offset: int) -> Quote:
    return dataclasses.replace(
        q, start=q.start + offset, end=q.end + offset,
        content_spans=[[x + offset for x in s] for s in q.content_spans],
        speaker_span=_span(q.speaker_span, offset), cue_span=_span(q.cue_span, offset),
        sentence_span=_span(q.sentence_span, offset) or [])


def _event(e: Event, offset: int) -> Event:
    casualties = e.casualties
    if casualties and casualties.get("evidence"):
        ev = casualties["evidence"]
        casualties = {**casualties,
                      "evidence": {**ev, "start": ev["start"] + offset, "end": ev["end"] + offset}}
    return dataclasses.replace(
        e, start=e.start + offset, end=e.end + offset, trigger=_mention(e.trigger, offset),
        actors=[_participant(p, offset) for p in e.actors],
        recipients=[_participant(p, offset) for p in e.recipients], casualties=casualties,
        also=[dataclasses.replace(m, start=m.start + offset, end=m.end + offset,
                                  trigger=_mention(m.trigger, offset)) for m in e.also])
