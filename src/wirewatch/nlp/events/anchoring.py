"""When and where an event happened: its date and place, read from its own clause, and
whether its dates make it background rather than news."""

from __future__ import annotations

import datetime as dt
from typing import Any

from spacy.tokens import Doc, Span, Token

from wirewatch.model import Participant
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.events.syntax import SUBJ_DEPS, clause_head, in_clause
from wirewatch.nlp.events.words import DAY_NOUNS, DIRECTION_WORDS, PLACE_PREPS
from wirewatch.nlp.spanindex import starting_in


def event_date(doc: Doc, sent: Span, trig: Token) -> tuple[dict[str, Any] | None, float]:
    times = [
        t
        for t in starting_in(doc, "times", sent.start_char, sent.end_char)
        if t.type in {"DATE", "TIME"}
    ]
    head = clause_head(trig)
    heads = [head]
    if trig.tag_ == "VBG" and trig.dep_ in {"advcl", "xcomp"} and not any(
        c.dep_ in SUBJ_DEPS for c in trig.children
    ):
        heads.append(clause_head(trig.head))  # "called last week, seeking help": its day
    clause_times = []
    for h in heads:
        for t in times:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is not None and t.value and t.value[:1].isdigit() and in_clause(
                span.root, h
            ) and not nested_in_argument(span.root, h, trig):
                clause_times.append(t)
        if clause_times:
            break
    if not clause_times:
        clause_times = day_of_relative(doc, times, head)
    if clause_times:
        pick = min(clause_times, key=lambda t: abs(t.start - trig.idx))
        return (
            {
                "value": pick.value,
                "granularity": pick.granularity,
                "reason": "expression in sentence",
                "time_id": pick.id,
            },
            0.8,
        )
    article = doc._.article
    if article is not None and article.published:
        return {"value": article.published[:10], "reason": "article date"}, 0.5
    return None, 0.0


def nested_in_argument(tok: Token, head: Token, trig: Token) -> bool:
    """A date inside a prepositional phrase of an argument dates that argument, not the
    event: "seeking his extradition over a leak in 2010"."""
    nouns = 0
    tok = tok.head
    while tok.i not in {head.i, trig.i} and tok.head.i != tok.i:
        if tok.pos_ in {"NOUN", "PROPN"}:
            if tok.dep_ == "pobj":
                return True
            nouns += 1
        tok = tok.head
    return nouns > 1


def day_of_relative(doc: Doc, times: list[Any], head: Token) -> list[Any]:
    """ "on December 18, the day the council voted": a relative clause on a day noun
    takes that day's date."""
    if head.dep_ != "relcl" or head.head.lemma_.lower() not in DAY_NOUNS:
        return []
    tok = head.head
    chain = [tok]
    while tok.dep_ in {"appos", "conj", "npadvmod"} and tok.head.i != tok.i:
        tok = tok.head
        chain.append(tok)
    return [
        t for t in times if t.value and t.value[:1].isdigit()
        and any(t.start <= c.idx < t.end for c in chain)
    ]


HISTORY_DAYS = 31  # older than this before the article is background, not news


def period_end(value: str) -> dt.date | None:
    """The last day of a date value ("2019-04" -> 2019-04-30, "2014" -> 2014-12-31)."""
    try:
        if len(value) >= 10:
            return dt.date.fromisoformat(value[:10])
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7])
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def dated_before(
    doc: Doc, sent: Span, trig: Token, date: dict[str, Any] | None
) -> str | None:
    """Why an event is history by its dates: its own date, or every date its sentence
    gives outside the event's own phrase, ends more than a month before the article.
    ("seeking his extradition over a leak in 2010": 2010 dates the leak, not the seeking.)
    None when news or undated."""
    article = doc._.article
    if article is None or not article.published:
        return None
    try:
        published = dt.date.fromisoformat(article.published[:10])
    except ValueError:
        return None
    text = text_of(doc)

    def ongoing(t: Any) -> bool:
        # "has been held since March": from then until now is news, not background
        return text[max(0, t.start - 8):t.start].rstrip().lower().endswith("since")

    in_sent = [t for t in (doc._.times or []) if sent.start_char <= t.start < sent.end_char]
    if date and date.get("reason") == "expression in sentence":
        if any(t.id == date.get("time_id") and ongoing(t) for t in in_sent):
            return None
        values = [str(date.get("value"))]
    else:
        inside = {t.idx for t in trig.subtree}
        values = [
            t.value for t in in_sent
            if t.type in {"DATE", "TIME"} and t.value and t.value[:1].isdigit()
            and t.start not in inside and not ongoing(t)
        ]
    ends = [e for e in (period_end(v) for v in values) if e is not None]
    if not ends or len(ends) != len(values):
        return None
    if all((published - e).days > HISTORY_DAYS for e in ends):
        return f"dated {max(ends).isoformat()}, over a month before the article"
    return None


def recent(doc: Doc, date: dict[str, Any] | None, days: int = HISTORY_DAYS) -> bool:
    """The event's own date (from the sentence) falls in the days before publication."""
    article = doc._.article
    if not date or date.get("reason") != "expression in sentence" or article is None:
        return False
    try:
        when = dt.date.fromisoformat(str(date.get("value"))[:10])
        published = dt.date.fromisoformat((article.published or "")[:10])
    except ValueError:
        return False
    return 0 <= (published - when).days <= days


def event_location(
    doc: Doc, sent: Span, trig: Token, parts: list[Participant]
) -> tuple[dict[str, Any] | None, float]:
    places = starting_in(doc, "places", sent.start_char, sent.end_char)
    if not places:
        return None, 0.0
    head = clause_head(trig)
    for pm in sorted(places, key=lambda p: abs(p.start - trig.idx)):
        if any(p.start < pm.end and pm.start < p.end and p.end - p.start <= pm.end - pm.start + 4
               for p in parts):
            continue  # the place is a party ("Iraq accused Iran"), not where it happened
        span = doc.char_span(pm.start, pm.end, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        prep = root.head
        while prep.dep_ in {"compound", "conj", "appos", "pobj"} and prep.pos_ != "ADP":
            prep = prep.head
        relative = prep.lower_ == "of" and prep.head.lower_ in DIRECTION_WORDS
        if prep.pos_ != "ADP" or not (prep.lower_ in PLACE_PREPS or relative) or not in_clause(
            prep, head
        ):
            continue
        words = f"{prep.head.text} of" if relative else prep.text
        place = pm.place
        return (
            {
                "place_id": getattr(place, "id", None),
                "name": getattr(place, "name", pm.text),
                "lat": getattr(place, "lat", None),
                "lon": getattr(place, "lon", None),
                "level": getattr(place, "level", None),
                "country": getattr(place, "country", None),
                "admin1": getattr(place, "admin1", None),
                # "west of Mosul" is near the town, not in it: the reason says which
                "reason": f"'{words} {pm.text}' in the event's clause",
            },
            0.7,
        )
    return None, 0.0


