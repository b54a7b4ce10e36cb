"""The temporal tagger: finds time expressions and normalises them (``doc._.times``).

Spans come from hand-written patterns (month names, weekdays, "last/next X",
"N units ago", quarters, seasons, times of day, sets, vague references) with
TimeML span conventions: a leading "the" and modifiers such as "late",
"about" or "more than" are inside the span, prepositions are not. spaCy's
DATE/TIME entities add candidates the patterns miss, kept only when the
normaliser understands them. Values come from :func:`wirewatch.nlp.timex.normalise`
with the article's publication date as anchor and the clause's tense.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from wirewatch.model import TimeExpr, content_id
from wirewatch.nlp import extensions  # noqa: F401  (registers Doc._ attributes)
from wirewatch.nlp.doctext import text_of
from wirewatch.nlp.patternscan import WindowedPattern, lowered, token_starts
from wirewatch.nlp.timex import Timex, normalise, parse_anchor

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.?|Sep\.|Oct\.|Nov\.|Dec\.|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?=\s+\d))"
)
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d%])"
_NUM = (
    r"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|(?:a|one|two|three|four|five)[\s-]hundred|a\s+dozen|"
    r"a\s+couple\s+of|several|a\s+few|few|many|(?:a|one|two|three)\s+and\s+a\s+half)"
)
_UNITS = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|quarters?|years?|"
    r"decades?|century|centuries)"
)
_PLURAL_UNITS = r"(?:seconds|minutes|hours|days|weeks|months|quarters|years|decades|centuries)"
_QUANT_MOD = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|more\s+than|less\s+than|"
    r"fewer\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|over|under|just|only|"
    r"some)\s+)"
)
_EDGE_MOD = r"(?:\b(?:early|late|mid|earlier|later)[\s-]+)"
_REL = (
    r"(?:last|next|this|past|coming|previous|following|current|this\s+past|this\s+coming)"
)
_POD = r"(?:morning|afternoon|evening|night)"
_TIME = (
    r"(?:(?:about|around|approximately|shortly\s+(?:before|after))\s+)?"
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|a\.m|p\.m|am|pm)(?![a-z])|\d{1,2}:\d\d(?!\d)|"
    # wire-service clock times: "1451 GMT", "0900 hrs"
    r"\b(?:[01]\d|2[0-3])[0-5]\d(?=\s*(?:GMT|UTC|Z|hrs|hours)\b)|"
    r"noon|midnight|midday)"
    r"(?:\s+(?:EST|EDT|GMT|UTC|CST|CDT|PST|PDT|BST|CET|local\s+time|hrs|hours\b))?"
)

# Nouns that make a holiday name a kind of thing ("Christmas lights") rather than a day
_HOLIDAY_THINGS = ("trees?", "lights?", "cards?", "carols?", "decorations?", "presents?",
                   "gifts?", "shopping", "sales?", "markets?", "songs?", "movies?", "films?",
                   "specials?", "albums?", "sweaters?", "jumpers?", "puddings?", "cakes?",
                   "cookies", "ornaments?", "stockings?", "costumes?", "candy", "turkeys?",
                   "menus?", "music", "spirit", "lists?", "wish")

_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?\b"),
    ("numeric", r"(?<![\d/])\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})(?![\d/])"),
    ("nine_eleven", r"(?<![\d/])9/11(?![\d/])"),
    ("mdy", rf"(?:{_WD},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"),
    ("dmy", rf"(?:{_WD},?\s+)?(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?"),
    ("month", rf"{_EDGE_MOD}?(?:(?:the\s+)?(?:middle|end|beginning|start)\s+of\s+)?"
              rf"(?:{_REL}\s+)?{_MONTH}(?:,?\s+(?:of\s+)?{_YEAR}|\s+(?:this|last|next)\s+year)?"),
    ("year", rf"(?:{_EDGE_MOD}|(?:the\s+)?(?:middle|end|beginning|start)\s+of\s+)?"
             rf"(?:(?:the\s+)?fiscal\s+(?:year\s+)?)?\b{_YEAR}"),
    ("fiscal_yy", r"\b(?:fiscal|FY)\s*'?\d\d\b"),
    ("year_words", r"\b(?:the\s+year\s+)?(?:nineteen|two\s+thousand)(?:\s+and)?[\s-]"
                   r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                   r"(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|"
                   r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"),
    ("y2k", r"\bthe\s+year\s+two\s+thousand\b"),
    ("decade", rf"(?:the\s+)?{_EDGE_MOD}?(?:\b\d{{3}}0'?s\b|'\d0s\b|"
               r"\b(?:nineteen\s+)?(?:twenties|thirties|forties|fifties|sixties|seventies|"
               r"eighties|nineties)\b)"),
    ("century", r"(?:the\s+)?\b(?:\d{1,2}(?:st|nd|rd|th)|twentieth|twenty[- ]first|"
                r"nineteenth)\s+century\b|\bthis\s+century\b"),
    ("quarter", r"(?:\b(?:the|its|a|this\s+year's|next\s+year's|last\s+year's)\s+)?"
                r"(?:fiscal[\s-]+)?\b(?:first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+"
                rf"(?:fiscal[\s-]+)?(?:quarter|half)\b(?:\s+of\s+(?:fiscal\s+)?{_YEAR})?"),
    ("quarter_rel", r"\b(?:the\s+)?(?:latest|current|most\s+recent|same|year-earlier|year-ago|"
                    r"comparable|previous|prior|this|last|next)\s+(?:fiscal\s+)?"
                    r"(?:quarter|period)\b|\bthe\s+quarter\b"),
    ("year_adj", r"\b(?:year-earlier|year-ago)\b(?!\s+(?:quarter|period))"),
    ("year_ago_q", r"\b(?:the\s+)?(?:comparable\s+)?(?:year-earlier|year-ago)\s+"
                   r"(?:first|second|third|fourth)\s+quarter\b"),
    ("report_period", rf"\b(?:the\s+)?{_YEAR}\s+(?:(?:first|second|third|fourth)\s+)?"
                      r"(?:fiscal\s+)?(?:quarter|period)\b|"
                      rf"\b(?:the\s+)?(?:first|second|last|latter)\s+half\s+of\s+(?:fiscal\s+)?"
                      rf"{_YEAR}|\b(?:the|this)\s+(?:(?:full|current|latest)\s+)?"
                      r"(?:fiscal\s+)?(?:year|week)\b(?!['\u2019-])"),
    ("season", rf"(?:\b(?:this|last|next|this\s+past|this\s+coming|the|coming)\s+"
               rf"{_EDGE_MOD}?|{_EDGE_MOD})\b(?:spring|summer|fall|autumn|winter)\b"
               rf"(?:\s+(?:of\s+)?{_YEAR})?|\b(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?"
               rf"{_YEAR}|\b(?:summer|winter)\b(?!\s+(?:olympics|games|camp|school))"),
    ("rel_unit", rf"{_EDGE_MOD}?(?:\bthe\s+)?\b{_REL}\s+(?:fiscal\s+)?"
                 r"(?:week|month|year|weekend|decade|century|quarter)\b"),
    ("edge_of", r"(?:\bthe\s+)?\b(?:end|beginning|start|middle|close)\s+of\s+(?:the\s+)?"
                r"(?:this\s+|last\s+|next\s+|current\s+)?(?:week|month|year|quarter|decade)\b"),
    ("earlier_in", r"\b(?:earlier|later|early|late)\s+in\s+the\s+(?:week|month|year)\b"),
    ("year_end", r"\b(?:year[\s-]end|year's\s+end)\b"),
    ("ago", rf"{_QUANT_MOD}?\b{_NUM}\s+(?:more\s+|full\s+)?{_UNITS}\s+(?:or\s+so\s+)?"
            r"(?:ago|earlier|later|from\s+now|hence)\b"),
    ("duration", rf"{_QUANT_MOD}?(?:\b(?:each|all)\s+of\s+)?(?:\b(?:the|a|an)\s+)?"
                 r"(?:\b(?:past|last|next|first|previous|coming|following|final|latest|"
                 r"remaining|full|entire|whole|same)\s+)?"
                 rf"\b{_NUM}(?:\s+or\s+{_NUM})?(?:\s+to\s+{_NUM})?[\s-]+"
                 r"(?:(?:more|additional|full|straight|consecutive|trading|business)\s+)?"
                 rf"{_UNITS}\b(?:[\s-]+long\b|\s+or\s+so\b)?"),
    ("vague_plural", r"(?:\b(?:the\s+)?(?:recent|coming|past|next|last|previous|first)\s+"
                     r"(?:few\s+|several\s+|many\s+)?)" + _PLURAL_UNITS + r"\b"),
    ("bare_plural", r"(?<!\w\s)(?<!\d\s)\b(?:years|decades|centuries)\b(?!\s+(?:of|old|ago))"),
    ("deictic", r"\b(?:today|yesterday|tomorrow|tonight|now|currently|recently|nowadays|"
                r"these\s+days|right\s+now|lately|formerly)\b|\bcurrent(?=\s+[a-z])"),
    ("deictic_the", r"\bthe\s+(?:near\s+|distant\s+)?(?:future|past|present)\b|"
                    r"\bthe\s+(?:near|short|long)\s+term\b|\bthe\s+(?:short|long)\s+run\b|"
                    r"\bas\s+soon\s+as\s+possible\b|\ba\s+later\s+date\b"),
    ("day_pod", rf"(?:\b(?:early|late|earlier|later)\s+)?\b(?:today|yesterday|tomorrow|tonight)"
                rf"(?:\s+{_POD})?\b|\b(?:this|last|tomorrow|yesterday)\s+{_POD}\b|\bovernight\b"),
    ("weekday", rf"(?:\b(?:early|late|earlier|later)\s+)?(?:\b(?:last|next|this|this\s+coming|"
                rf"this\s+past|the\s+previous|the\s+following|coming)\s+)?\b{_WD}"
                rf"(?:\s+{_POD})?\b"),
    ("weekday_set", rf"\b(?:every|each)\s+{_WD}s?(?:\s+{_POD}s?)?\b|\b{_WD}s(?:\s+{_POD}s)?\b"),
    ("time", rf"{_TIME}(?:,?\s+(?:on\s+)?(?:{_WD}|today|yesterday|tomorrow|"
             rf"{_MONTH}\s+{_DAY}))?"),
    ("time_after", rf"\b(?:{_WD}|today|yesterday|tomorrow)(?:\s+at)?\s+{_TIME}"),
    ("set", r"\b(?:daily|weekly|monthly|yearly|hourly|nightly)\b|"
            r"\b(?:every|each)\s+(?:other\s+)?(?:day|week|month|year|quarter|hour|night|morning|"
            r"evening|spring|summer|fall|autumn|winter)\b|"
            rf"\b(?:every|each)\s+{_MONTH}\b"),
    ("holiday", r"\b(?:(?:last|next|this)\s+)?(?:Christmas(?:\s+(?:Day|Eve))?|"
                r"New\s+Year's(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?|Halloween|"
                r"Independence\s+Day|Election\s+Day|Veterans\s+Day|Valentine's\s+Day)"
                rf"(?:\s+{_YEAR})?"
                # "Christmas-tree lights", "Halloween costumes": things, not days
                r"(?![\w']*-\w)(?!\s+(?:" + "|".join(_HOLIDAY_THINGS) + r")\b)"),
]
# (as near the clock forms of _TIME as a trigger can be: "am" inside "team" or a lone
# colon tried the clock patterns about 600 times over 77 articles, these 74)
_CLOCK_TRIGGER = (r"am(?![a-z])|pm(?![a-z])|a\.m|p\.m|:\d\d|noon|midnight|midday|"
                  r"\d{4}(?=\s*(?:gmt|utc|z|hrs|hours)\b)")
# the forms _MONTH allows, not any "mar" or "dec" ("market", "decision")
_MONTH_TRIGGER = (r"january|february|march|april|may|june|july|august|september|october|"
                  r"november|december|jan\.|feb\.|mar\.|apr\.|jun\.|jul\.|aug\.|sept|sep\.|"
                  r"oct\.|nov\.|dec\.|jan\s+\d|feb\s+\d|mar\s+\d|apr\s+\d|jun\s+\d|jul\s+\d|"
                  r"aug\s+\d|sep\s+\d|oct\s+\d|nov\s+\d|dec\s+\d")
# A regex (lower case) every match of the pattern has an occurrence of: the pattern is
# tried only a few words around those (wirewatch.nlp.patternscan). A pattern missing
# here is run over the whole text.
_TRIGGERS: dict[str, str] = {
    # (a full scan tries even these short patterns at every character: ~3 ms each)
    "iso": r"-\d\d-",
    "numeric": r"/",
    "nine_eleven": r"9/11",
    "fiscal_yy": r"fiscal|fy",
    "year_adj": r"year-",
    "year_end": r"year",
    "mdy": _MONTH_TRIGGER,
    "dmy": _MONTH_TRIGGER,
    "month": _MONTH_TRIGGER,
    "year": r"1[5-9]\d\d|20\d\d",
    "year_words": r"nineteen|thousand",
    "y2k": r"thousand",
    "decade": r"0'?s|ties",
    "century": r"century",
    "quarter": r"quarter|half",
    "quarter_rel": r"quarter|period",
    "year_ago_q": r"quarter",
    "report_period": r"quarter|period|half|year|week",
    "season": r"spring|summer|fall|autumn|winter",
    "rel_unit": r"week|month|year|decade|century|quarter",
    "edge_of": r"week|month|year|quarter|decade",
    "earlier_in": r"week|month|year",
    "ago": r"ago\b|earlier\b|later\b|from\s+now\b|hence\b",
    # the unit word after its separator ("two-day", "18 months"), not "day" in "today"
    "duration": r"[\s-](?:(?:more|additional|full|straight|consecutive|trading|business)\s+)?"
                + _UNITS + r"\b",
    "vague_plural": r"[\s-]" + _PLURAL_UNITS + r"\b",
    "bare_plural": r"year|decade|centur",
    "deictic": r"day|tomorrow|tonight|now|current|recent|late|former",
    "deictic_the": r"future|past|present|term|run|possible|date",
    "day_pod": r"day|tomorrow|night|morning|afternoon|evening",
    "weekday": r"day",
    "weekday_set": r"day",
    "time": _CLOCK_TRIGGER,
    "time_after": _CLOCK_TRIGGER,
    "set": r"daily|weekly|monthly|yearly|hourly|nightly|every|each",
    "holiday": r"christmas|new|thanksgiving|halloween|independence|election|veterans|valentine",
}
_COMPILED = [(name, WindowedPattern(p, _TRIGGERS.get(name))) for name, p in _PATTERNS]
# Names that must be capitalised to count (lowercase "may", "march" are words)
_CAPITALISED = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b",
    re.IGNORECASE,
)
# A bare year number next to these is a quantity, not a year
_NOT_YEAR_AFTER = re.compile(
    r"^\s*(?:%|percent|people|troops|soldiers|men|women|members|workers|jobs|units|shares|"
    r"tons|tonnes|miles|kilometers|km|feet|meters|dollars|euros|pounds|acres|barrels|votes|"
    r"cases|deaths|cars|homes|points|square|gmt|utc|z|hrs|hours)\b",
    re.IGNORECASE,
)
_TENSE_FUTURE = {"will", "shall", "'ll", "wo", "gon"}


def _capitalisation_ok(text: str) -> bool:
    for m in _CAPITALISED.finditer(text):
        word = m.group(0)
        if not word[0].isupper():
            return False
        if word.lower() in ("may", "march") and word.isupper() and len(text) == len(word):
            return False
    return True


_OVER_THE = re.compile(r"over\s+(?=the\s)", re.IGNORECASE)
_ADJECTIVAL_ARTICLE = re.compile(
    r"(?:a|an|the|its|their)\s+(?=[\w ]*\w-(?:[a-z]+-)?" + _UNITS + r"$)", re.IGNORECASE)
# "May" the month only after one of these ("in May"), not the modal ("May we begin?")
_MAY_BEFORE = re.compile(
    r"\b(?:in|since|until|till|by|of|early|late|mid|through|from|last|next|this|before|"
    r"after|during|to|and|or|between)\s*-?$",
    re.IGNORECASE,
)
_OLD_AFTER = re.compile(r"[\s-]+old\b")
_OLD = re.compile(r"\bold\b")
_RANGE_AFTER = re.compile(r"\s*(?:-|to)\s*\d")
_FOUR_DIGITS_END = re.compile(r"\d{4}$")
_ENTITY_PREPOSITIONS = re.compile(
    r"(?:(?:in|on|at|by|since|from|until|during|for|of|over)\s+)+", re.I)
_THE_UNITS = re.compile(r"the\s+(?=(?:days|weeks|months|years|decades)$)", re.I)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _trim_determiner(text: str, s: int, e: int) -> int:
    """TimeML leaves out prepositions and the articles of adjectival times ("a two-year")."""
    frag = text[s:e]
    m = _OVER_THE.match(frag)
    if m:
        return s + m.end()
    m = _ADJECTIVAL_ARTICLE.match(frag)
    if m:
        return s + m.end()
    return s


def candidate_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping pattern matches, longest first: (start, end, pattern name)."""
    found: list[tuple[int, int, str]] = []
    low = lowered(text)
    tokens = token_starts(low) if low is not None else None
    triggers: dict[str, list[int]] = {}  # several patterns share a trigger
    for name, rx in _COMPILED:
        for m in rx.finditer(text, low, tokens, triggers):
            s, e = m.span()
            while e > s and text[e - 1] in " ,-":
                e -= 1
            while s < e and text[s] in " ,-":
                s += 1
            if e <= s:
                continue
            s = _trim_determiner(text, s, e)
            frag = text[s:e]
            if not _capitalisation_ok(frag):
                continue
            if frag.lower() == "may" and not _MAY_BEFORE.search(text[max(0, s - 12):s]):
                continue  # "May we begin?": the modal verb, not the month
            if name in ("duration", "ago") and _OLD_AFTER.match(text, e):
                continue
            if name == "year":
                if _NOT_YEAR_AFTER.match(text[e:]) or text[max(0, s - 1):s] in ("$", "#", "."):
                    continue
                if _RANGE_AFTER.match(text, e) and not _FOUR_DIGITS_END.search(frag):
                    continue
            found.append((s, e, name))
    found.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    chosen: list[tuple[int, int, str]] = []
    for s, e, name in found:
        if any(s < ce and cs < e for cs, ce, _ in chosen):
            continue
        chosen.append((s, e, name))
    chosen.sort()
    return chosen


def clause_tense(span: Span) -> str | None:
    """past | present | future for the verb governing ``span`` (None without a parse)."""
    doc = span.doc
    if not doc.has_annotation("DEP") and not doc.has_annotation("TAG"):
        return None
    tok = span.root
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    verbs = [tok] if tok.pos_ in ("VERB", "AUX") else [t for t in span.sent if t.pos_ == "VERB"]
    for v in verbs:
        aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        words = {a.lower_ for a in aux}
        if words & _TENSE_FUTURE or (v.lower_ in _TENSE_FUTURE):
            return "future"
        if any(a.lower_ == "going" for a in aux) or (
            v.tag_ == "VB" and any(a.lower_ == "to" for a in aux) and v.head.lower_ == "going"
        ):
            return "future"
        if v.tag_ == "VBD" or any(a.tag_ == "VBD" for a in aux) or words & {"has", "have", "had"}:
            return "past"
        if v.tag_ in ("VBZ", "VBP", "VBG") or words & {"is", "are", "am"}:
            return "present"
    return None


def _to_record(doc: Doc, start: int, end: int, tx: Timex, source: str, art_id: str) -> TimeExpr:
    conf = 0.85 if source == "pattern" else 0.6
    if tx.uncertain:
        conf -= 0.25
    if tx.value is None or "X" in (tx.value or ""):
        conf -= 0.1
    return TimeExpr(
        id=content_id("t", art_id, start, end),
        start=start,
        end=end,
        text=text_of(doc)[start:end],
        type=tx.type,
        value=tx.value,
        granularity=tx.granularity,
        uncertain=tx.uncertain,
        reason=[f"found by {source}", *tx.reason],
        confidence=round(max(conf, 0.05), 2),
    )


def _trim_entity(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip prepositions and punctuation spaCy sometimes leaves on DATE entities."""
    m = _ENTITY_PREPOSITIONS.match(text[s:e])
    if m:
        s += m.end()
    m = _THE_UNITS.match(text[s:e])
    if m:
        s += m.end()
    while e > s and text[e - 1] in " ,.;:'\"":
        e -= 1
    return s, e


def _context(doc: Doc, span: Span | None, s: int, e: int) -> str:
    """The sentence and the one before it: enough to see "quarter" or "Gaza" nearby."""
    if span is None or not doc.has_annotation("SENT_START"):
        return text_of(doc)[max(0, s - 300): e + 200]
    sent = span.sent
    start = sent.start_char
    if sent.start > 0:
        start = doc[sent.start - 1].sent.start_char
    return text_of(doc)[start: sent.end_char]


_HOLIDAY = re.compile(r"christmas|new year|thanksgiving|halloween|easter|ramadan|eid|diwali|"
                      r"hanukkah|valentine", re.IGNORECASE)
_HOLIDAY_THING = re.compile(
    r"[\w']*-[a-z]|\s+(?:" + "|".join(_HOLIDAY_THINGS) + r")\b", re.IGNORECASE
)
_UNIT_WORDS = frozenset({"day", "days", "week", "weeks", "month", "months", "year", "years",
                         "decade", "decades", "century", "centuries", "hour", "hours",
                         "minute", "minutes", "season", "seasons", "moment", "moments"})


def _surname_like(text: str, s: int, e: int) -> bool:
    """ "Mr Weeks said", "Kevin Day": a capitalised unit word inside a sentence is a name."""
    word = text[s:e]
    if word.lower() not in _UNIT_WORDS or not word[:1].isupper() or word.isupper():
        return False
    before = text[:s].rstrip()
    return bool(before) and before[-1] not in ".!?:;\"“”'‘’(—-\n"


def _narrative_days(text: str, times: list[TimeExpr]) -> None:
    """A bare clock time takes the day the story is on, not the article's date.

    "At 9:30 a.m. on Saturday ... At 8:30 p.m. police arrived" is Saturday evening: the
    last day-precise expression earlier in the same or the previous paragraph sets the day.
    """
    day: tuple[str, int] | None = None  # (YYYY-MM-DD, paragraph index)
    for t in times:
        para = text.count("\n\n", 0, t.start)
        if day is not None and para - day[1] > 1:
            day = None
        value = t.value or ""
        on_anchor = "time of day on the anchor date" in t.reason
        if t.type == "TIME" and on_anchor and day is not None and len(value) > 10:
            t.value = day[0] + value[10:]
            t.reason.append(f"the day the narrative is on ({day[0]})")
            continue
        if t.type in ("DATE", "TIME") and not on_anchor and _ISO_DAY.match(value):
            day = (value[:10], para)


class TimeTagger:
    """Finds and normalises time expressions; sets ``doc._.times``."""

    def __init__(self, nlp: Language, name: str, use_entities: bool, min_confidence: float):
        self.name = name
        self.use_entities = use_entities
        self.min_confidence = min_confidence

    def spans(self, doc: Doc) -> Iterable[tuple[int, int, str]]:
        text = text_of(doc)
        pattern_spans = candidate_spans(text)
        yield from ((s, e, "pattern") for s, e, _ in pattern_spans
                    if not _surname_like(text, s, e))
        if not self.use_entities:
            return
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            s, e = _trim_entity(text, ent.start_char, ent.end_char)
            if e <= s or any(s < pe and ps < e for ps, pe, _ in pattern_spans):
                continue
            if _surname_like(text, s, e) or (
                _HOLIDAY.search(text[s:e]) and _HOLIDAY_THING.match(text, e)
            ):
                continue
            if _OLD.search(text[s:e]) or _OLD_AFTER.match(text, e):
                continue  # ages ("a 44-year-old") are not times
            yield s, e, "entity"

    def __call__(self, doc: Doc) -> Doc:
        article = doc._.article
        anchor = parse_anchor(article.published) if article is not None else None
        art_id = article.id if article is not None else "adhoc"
        times: list[TimeExpr] = []
        for s, e, source in self.spans(doc):
            span = doc.char_span(s, e, alignment_mode="expand")
            sent_text = _context(doc, span, s, e)
            tense = clause_tense(span) if span is not None else None
            tx = normalise(text_of(doc)[s:e], anchor, context=sent_text, tense=tense)
            if tx is None:
                continue
            rec = _to_record(doc, s, e, tx, source, art_id)
            if tense:
                rec.reason.insert(1, f"clause tense: {tense}")
            if rec.confidence >= self.min_confidence:
                times.append(rec)
        times.sort(key=lambda t: t.start)
        _narrative_days(text_of(doc), times)
        doc._.times = times
        return doc


@Language.factory(
    "wirewatch_times",
    default_config={"use_entities": True, "min_confidence": 0.0},
)
def make_time_tagger(
    nlp: Language, name: str, use_entities: bool, min_confidence: float
) -> TimeTagger:
    return TimeTagger(nlp, name, use_entities, min_confidence)


def event_date(doc: Doc, start: int, end: int) -> dict[str, object] | None:
    """Date for an event at ``[start, end)``: a time expression in its sentence, else the
    article date (marked as such), else None. Shape of ``Event.date``."""
    times = [t for t in (doc._.times or []) if t.type in ("DATE", "TIME") and t.value]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and doc.has_annotation("SENT_START"):
        s0, s1 = span.sent.start_char, span.sent.end_char
    else:
        s0, s1 = start, end
    inside = [t for t in times if s0 <= t.start and t.end <= s1]
    if inside:
        # the nearest expression to the event wins; specific values before vague ones
        best = min(
            inside,
            key=lambda t: (t.value.endswith("_REF"), min(abs(t.start - end), abs(start - t.end))),
        )
        return {
            "value": best.value,
            "granularity": best.granularity,
            "reason": f"time expression in the sentence: {best.text!r}",
            "time_id": best.id,
        }
    article = doc._.article
    published = getattr(article, "published", None)
    if published:
        return {
            "value": str(published)[:10],
            "granularity": "day",
            "reason": "no time expression in the sentence: article date",
            "time_id": None,
        }
    return None
