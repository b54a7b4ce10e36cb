"""Normalise one temporal expression to a TimeML/TIMEX3 type and value.

Pure functions, no spaCy: ingest uses them for the article date and the event
component for event dates. ``normalise`` answers with a :class:`Timex` tuple
``(type, value, granularity, uncertain, reason)`` or ``None`` when the text is
not a temporal expression it understands.

Relative expressions are resolved against an *anchor* (the publication date).
Without an anchor they keep X placeholders and are flagged uncertain: a value
is never invented.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple


class Timex(NamedTuple):
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    granularity: str | None
    uncertain: bool
    reason: list[str]


MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
# first month of each TIMEX3 season, used to order seasons against the anchor
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}
SMALL = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "couple": 2, "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
VAGUE_NUMS = ("several", "a few", "few", "some", "many", "the", "")
# unit word -> (TIMEX3 duration letter, is time part, multiplier)
UNITS = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "weekend": ("D", False, 2), "month": ("M", False, 1), "quarter": ("M", False, 3),
    "year": ("Y", False, 1), "decade": ("Y", False, 10), "century": ("Y", False, 100),
}
VAGUE_UNIT = {
    "second": "PTXS", "minute": "PTXM", "hour": "PTXH", "day": "PXD", "night": "PXD",
    "week": "PXW", "weekend": "PXW", "month": "PXM", "quarter": "PXQ", "year": "PXY",
    "decade": "PXE", "century": "PXC",
}
DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}
# "more than two weeks" -> TIMEX3 mod
MODS = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "nearly": "APPROX", "almost": "APPROX", "at about": "APPROX",
    "more than": "MORE_THAN", "over": "MORE_THAN", "less than": "LESS_THAN",
    "under": "LESS_THAN", "at least": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS", "within": "EQUAL_OR_LESS", "just": "", "only": "",
    "early": "START", "earlier": "START", "late": "END", "later": "END", "mid": "MID",
    "the middle of": "MID", "the end of": "END", "end of": "END", "the beginning of": "START",
    "the start of": "START", "the close of": "END",
}
# Named dates news relies on without a year; resolved only when the context says so.
NAMED_DATES: list[tuple[tuple[int, int], re.Pattern[str], int, str]] = [
    ((10, 7), re.compile(r"\b(israel\w*|hamas|gaza|hezbollah|houthi\w*|iran\w*|hostages?)\b",
                         re.I), 2023, "Hamas attack on Israel"),
    ((1, 6), re.compile(r"\b(capitol|insurrection|rioters?|riot)\b", re.I), 2021,
     "US Capitol attack"),
    ((2, 24), re.compile(r"\b(ukrain\w*|russia\w*|invasion|kyiv)\b", re.I), 2022,
     "Russian invasion of Ukraine"),
]
HOLIDAYS_FIXED = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "new year's": (1, 1),
    "halloween": (10, 31), "independence day": (7, 4), "valentine's day": (2, 14),
    "veterans day": (11, 11),
}


_PARSE_ANCHOR_RX1 = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")


def parse_anchor(anchor: date | datetime | str | None) -> date | None:
    """An ISO date or datetime string (or date) as a ``date``; None when absent or unreadable."""
    if anchor is None:
        return None
    if isinstance(anchor, datetime):
        return anchor.date()
    if isinstance(anchor, date):
        return anchor
    m = _PARSE_ANCHOR_RX1.match(str(anchor))
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


_SPACES = re.compile(r"\s+")
_NUMBER_RX2 = re.compile(r"(\d+)(?:\s+(\d)/(\d))?")
_NUMBER_RX3 = re.compile(r"(\d+\.\d+)")
_NUMBER_RX4 = re.compile(r"(\w+)(?: and)? a half")


def number(text: str) -> float | None:
    """'twenty-four', '24', 'a', '2 1/2' -> a number; None when not a number phrase."""
    t = text.strip().lower().replace("-", " ")
    t = _SPACES.sub(" ", t)
    if not t:
        return None
    m = _NUMBER_RX2.fullmatch(t.replace(",", ""))
    if m:
        val = float(m[1])
        if m[2]:
            val += int(m[2]) / int(m[3])
        return val
    m = _NUMBER_RX3.fullmatch(t)
    if m:
        return float(m[1])
    if t in SMALL:
        return SMALL[t]
    m = _NUMBER_RX4.fullmatch(t)
    if m and (m[1] in SMALL):
        return SMALL[m[1]] + 0.5
    parts = t.split()
    total = 0
    cur = 0
    for p in parts:
        if p in SMALL:
            cur += SMALL[p]
        elif p in TENS:
            cur += TENS[p]
        elif p == "hundred":
            cur = max(cur, 1) * 100
        elif p == "thousand":
            total += max(cur, 1) * 1000
            cur = 0
        elif p == "and":
            continue
        else:
            return None
    return total + cur


def _fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def _duration_value(n: float | None, unit: str) -> str:
    letter, is_time, mult = UNITS[unit]
    if n is None:
        return VAGUE_UNIT[unit]
    n = n * mult
    if not float(n).is_integer():
        # 2 1/2 years -> P2Y6M; 5 1/2 hours -> PT5H30M
        whole = int(n)
        if letter == "Y":
            return f"P{whole}Y6M"
        if letter == "H":
            return f"PT{whole}H30M"
        if letter == "M" and is_time:
            return f"PT{whole}M30S"
        if letter == "D":
            return f"P{whole}DT12H"
    return f"PT{_fmt_num(n)}{letter}" if is_time else f"P{_fmt_num(n)}{letter}"


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _add_months(d: date, months: int) -> tuple[int, int]:
    idx = d.year * 12 + d.month - 1 + months
    return idx // 12, idx % 12 + 1


def _season_of(d: date) -> tuple[int, str]:
    m = d.month
    if m in (3, 4, 5):
        return d.year, "SP"
    if m in (6, 7, 8):
        return d.year, "SU"
    if m in (9, 10, 11):
        return d.year, "FA"
    # TIMEX3 winter belongs to the year of its December
    return (d.year if m == 12 else d.year - 1), "WI"


_CLEAN_RX2 = re.compile(r"'s$")
_CLEAN_RX3 = re.compile(r"(a\.m|p\.m|\b[a-z]{3,4})\.$")


def _clean(text: str) -> str:
    t = text.strip().lower()
    t = t.replace("\u2019", "'").replace("`", "'")
    t = _SPACES.sub(" ", t)
    t = t.rstrip(",;:")
    if t.endswith(".") and not _CLEAN_RX3.search(t):
        t = t[:-1]
    t = _CLEAN_RX2.sub("", t)
    return t


_MONTH_RE = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WD_RE = (
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|"
    r"fri|sat|sun)\.?"
)
_DAY_RE = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>1[0-9]\d\d|20\d\d|'\d\d)"
_UNIT_RE = (
    r"(?P<unit>seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|quarters?|"
    r"years?|decades?|century|centuries)"
)
_NUM_WORDS = (
    r"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|(?:a|one|two|three|four|five)[\s-]hundred|a\s+dozen|dozen|"
    r"a\s+couple\s+of|couple\s+of|a\s+couple|several|a\s+few|few|some|many|"
    r"(?:a|one|two|three)\s+and\s+a\s+half|(?:a|an|one|two|three)(?:\s+\w+)?\s+and\s+a\s+half)"
)


def _unit_name(u: str) -> str:
    u = u.lower()
    if u in ("century", "centuries"):
        return "century"
    return u[:-1] if u.endswith("s") else u


def _year_from(y: str, anchor: date | None) -> int:
    if y.startswith("'"):
        two = int(y[1:])
        century = (anchor.year // 100 * 100) if anchor else 1900
        val = century + two
        if anchor and val > anchor.year + 10:
            val -= 100
        return val
    return int(y)


def _tense_direction(tense: str | None) -> int:
    """-1 past, +1 future, 0 unknown or present."""
    if tense in ("past", "PAST"):
        return -1
    if tense in ("future", "FUTURE"):
        return 1
    return 0


def _pick_year_for_month_day(
    month: int, day: int | None, anchor: date, tense: str | None, since: bool
) -> tuple[int, str]:
    """Year of a bare month(-day): nearest occurrence in the sentence's direction."""
    direction = -1 if since else _tense_direction(tense)
    d = day or 1
    if not since:
        # a date within a few months of the anchor is meant as the nearest one,
        # whatever the verb's tense ("said it would pay on Nov. 10")
        near = _nearest_occurrence(month, day, anchor)
        close = 120 if day else 2
        dist = abs((near - anchor).days) if day else abs(
            near.year * 12 + near.month - anchor.year * 12 - anchor.month
        )
        if dist <= close:
            return near.year, "nearest"
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            cands.append(date(y, month, min(d, 28) if month == 2 and d > 28 else d))
        except ValueError:
            continue
    if day is None:
        # a month: compare months, the anchor's own month counts as both past and future
        a_idx = anchor.year * 12 + anchor.month
        if direction < 0:
            ok = [c for c in cands if c.year * 12 + c.month <= a_idx]
        elif direction > 0:
            ok = [c for c in cands if c.year * 12 + c.month >= a_idx]
        else:
            ok = cands
        best = min(ok or cands, key=lambda c: abs(c.year * 12 + c.month - a_idx))
    else:
        if direction < 0:
            ok = [c for c in cands if c <= anchor]
        elif direction > 0:
            ok = [c for c in cands if c >= anchor]
        else:
            ok = cands
        best = min(ok or cands, key=lambda c: abs((c - anchor).days))
    how = {-1: "past", 1: "future", 0: "nearest"}[direction]
    return best.year, how


def _nearest_occurrence(month: int, day: int | None, anchor: date) -> date:
    cands = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            cands.append(date(y, month, day or 1))
        except ValueError:
            cands.append(date(y, month, 28))
    if day is None:
        a_idx = anchor.year * 12 + anchor.month
        return min(cands, key=lambda c: abs(c.year * 12 + c.month - a_idx))
    return min(cands, key=lambda c: abs((c - anchor).days))


def _ymd(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def _resolve_weekday(wd: int, anchor: date, tense: str | None, rel: str | None) -> date:
    delta = wd - anchor.weekday()
    if rel in ("last", "the previous", "previous", "this past"):
        back = (anchor.weekday() - wd) % 7 or 7
        return anchor - timedelta(days=back)
    if rel in ("next", "the following", "following", "this coming", "coming"):
        fwd = delta % 7 or 7
        return anchor + timedelta(days=fwd)
    direction = _tense_direction(tense)
    fwd, back = delta % 7, (-delta) % 7
    if direction > 0:
        return anchor + timedelta(days=fwd)
    if direction < 0:
        return anchor - timedelta(days=back)
    # present tense or no verb: the nearest one, the past one on a tie
    return anchor + timedelta(days=fwd) if fwd < back else anchor - timedelta(days=back)


_SINCE = re.compile(r"\b(since|after)\s+", re.I)


class _Ctx:
    """What one normalisation call knows: anchor, tense, context and the reason trail."""

    def __init__(self, anchor: date | None, context: str, tense: str | None, text: str):
        self.anchor = anchor
        self.context = context
        self.tense = tense
        self.text = text
        self.reason: list[str] = []
        self.uncertain = False

    def since(self) -> bool:
        if not self.context:
            return False
        # the pattern below is new for each text (compiled anew each time): most contexts
        # have no "since" or "after" to try it on
        if _SINCE.search(self.context) is None:
            return False
        pat = r"\b(since|after)\s+" + re.escape(self.text.strip())
        return re.search(pat, self.context, re.I) is not None

    def need_anchor(self) -> bool:
        if self.anchor is None:
            self.reason.append("no anchor date: relative expression left unresolved")
            self.uncertain = True
            return False
        return True


def _split_mod(t: str) -> tuple[str, str | None]:
    """Peel a leading modifier ('about', 'early', 'the end of', 'mid-') off the text."""
    for word in sorted(MODS, key=len, reverse=True):
        for sep in (" ", "-"):
            if t.startswith(word + sep) and len(t) > len(word) + 1:
                rest = t[len(word) + 1:]
                # "later this year" keeps its meaning; "earlier yesterday" too
                return rest, MODS[word] or None
    if t.endswith(" or so"):
        return t[:-6], "APPROX"
    return t, None


def normalise(
    text: str,
    anchor: date | datetime | str | None,
    context: str = "",
    tense: str | None = None,
) -> Timex | None:
    """TIMEX3 type, value, granularity, uncertainty and reason trail for ``text``.

    ``tense`` is the tense of the clause ("past", "present", "future"), used to
    pick the direction of bare weekdays and month-days. ``context`` is the
    sentence (or more); it decides named dates ("Oct. 7" in a text about Gaza)
    and whether a bare date follows "since". Returns None for text that is not
    a temporal expression this module understands.
    """
    t = _clean(text)
    if not t:
        return None
    ctx = _Ctx(parse_anchor(anchor), context, tense, text)
    for rule in _RULES:
        res = rule(t, ctx)
        if res is not None:
            typ, value, gran = res
            return Timex(typ, value, gran, ctx.uncertain, ctx.reason)
    # modifiers wrap any other expression: "early next year", "about two weeks"
    core, mod = _split_mod(t)
    if mod is not None or core != t:
        for rule in _RULES:
            res = rule(core, ctx)
            if res is not None:
                typ, value, gran = res
                ctx.reason.append(f"modifier: {mod}" if mod else "modifier ignored")
                return Timex(typ, value, gran, ctx.uncertain, ctx.reason)
    return None


# --- rules: each takes cleaned text and the context, returns (type, value, granularity) ---

Result = tuple[str, str | None, str | None] | None


_RULE_EXPLICIT_RX1 = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2}))?(?::\d{2})?.*")
_RULE_EXPLICIT_RX2 = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_WD_COMMA = _WD_RE + r",?\s+"
_DAY_MONTH_YEAR = [
    re.compile(rf"(?:{_WD_COMMA})?(?:the\s+)?{_DAY_RE}(?:\s+of)?\s+{_MONTH_RE},?\s+{_YEAR_RE}"),
    re.compile(rf"(?:{_WD_COMMA})?{_MONTH_RE}\s+{_DAY_RE},?\s+{_YEAR_RE}"),
]
_RULE_EXPLICIT_RX3 = re.compile(rf"{_MONTH_RE},?\s+(?:of\s+)?{_YEAR_RE}")


def _rule_explicit(t: str, ctx: _Ctx) -> Result:
    m = _RULE_EXPLICIT_RX1.fullmatch(t)
    if m and _ymd(int(m[1]), int(m[2]), int(m[3])):
        ctx.reason.append("ISO date")
        if m[4]:
            return "TIME", f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}", "time"
        return "DATE", f"{m[1]}-{m[2]}-{m[3]}", "day"
    if t in ("9/11", "sept. 11, 2001", "september 11, 2001"):
        ctx.reason.append("named date: 9/11 is 2001-09-11")
        return "DATE", "2001-09-11", "day"
    m = _RULE_EXPLICIT_RX2.fullmatch(t)
    if m:
        y = _year_from("'" + m[3] if len(m[3]) == 2 else m[3], ctx.anchor)
        a, b = int(m[1]), int(m[2])
        # US order month/day unless the first number cannot be a month
        mo, d = (a, b) if a <= 12 else (b, a)
        if a <= 12 and b <= 12 and a != b:
            ctx.reason.append("numeric date read month/day (US order); ambiguous")
            ctx.uncertain = True
        v = _ymd(y, mo, d)
        if v:
            ctx.reason.append("numeric date")
            return "DATE", v, "day"
    for p in _DAY_MONTH_YEAR:
        m = p.fullmatch(t)
        if m:
            y = _year_from(m["year"], ctx.anchor)
            v = _ymd(y, MONTHS[m["month"]], int(m["day"]))
            if v:
                ctx.reason.append("explicit day, month and year")
                return "DATE", v, "day"
    m = _RULE_EXPLICIT_RX3.fullmatch(t)
    if m:
        ctx.reason.append("explicit month and year")
        return "DATE", f"{_year_from(m['year'], ctx.anchor):04d}-{MONTHS[m['month']]:02d}", "month"
    return None


_MONTH_DAY = re.compile(rf"(?:{_WD_COMMA})?{_MONTH_RE}\s+{_DAY_RE}")
_DAY_MONTH = re.compile(rf"(?:{_WD_COMMA})?(?:the\s+)?{_DAY_RE}(?:\s+of)?\s+{_MONTH_RE}")


def _rule_month_day(t: str, ctx: _Ctx) -> Result:
    m = _MONTH_DAY.fullmatch(t) or _DAY_MONTH.fullmatch(t)
    if not m:
        return None
    month, day = MONTHS[m["month"]], int(m["day"])
    for (nm, nd), pattern, year, label in NAMED_DATES:
        if (month, day) == (nm, nd) and ctx.context and pattern.search(ctx.context):
            if ctx.anchor is None or ctx.anchor >= date(year, nm, nd):
                ctx.reason.append(f"named date: {label} ({year}), from the context")
                return "DATE", f"{year:04d}-{month:02d}-{day:02d}", "day"
    if not ctx.need_anchor():
        return "DATE", f"XXXX-{month:02d}-{day:02d}", "day"
    anchor = ctx.anchor
    assert anchor is not None
    if m["wd"]:
        # the weekday pins the year: take the nearest year where they agree
        want = WEEKDAYS[m["wd"]]
        for y in (anchor.year, anchor.year - 1, anchor.year + 1):
            v = _ymd(y, month, day)
            if v and date.fromisoformat(v).weekday() == want:
                ctx.reason.append("year from the weekday that goes with the date")
                return "DATE", v, "day"
    since = ctx.since()
    year, how = _pick_year_for_month_day(month, day, anchor, ctx.tense, since)
    ctx.reason.append(f"year inferred from the anchor ({how} occurrence)")
    v = _ymd(year, month, day)
    if v is None:
        return None
    gap = abs((date.fromisoformat(v) - anchor).days)
    if since:
        ctx.reason.append("'since' + a date without a year: could be an earlier year")
        ctx.uncertain = True
    elif gap > 183:
        ctx.reason.append("inferred year more than six months from the anchor")
        ctx.uncertain = True
    return "DATE", v, "day"


_RULE_MONTH_RX1 = re.compile(
    rf"(?P<rel>last|next|this|this past|this coming|coming|past)?\s*{_MONTH_RE}"
    r"(?:\s+(?P<yrel>this|last|next) year)?",
)


def _rule_month(t: str, ctx: _Ctx) -> Result:
    m = _RULE_MONTH_RX1.fullmatch(t)
    if not m:
        return None
    month = MONTHS[m["month"]]
    if not ctx.need_anchor():
        return "DATE", f"XXXX-{month:02d}", "month"
    anchor = ctx.anchor
    assert anchor is not None
    rel, yrel = m["rel"], m["yrel"]
    if yrel:
        year = anchor.year + {"this": 0, "last": -1, "next": 1}[yrel]
        ctx.reason.append(f"month of {yrel} year")
    elif rel in ("last", "this past", "past"):
        year = anchor.year if month < anchor.month else anchor.year - 1
        ctx.reason.append("'last' month name: the latest one before the anchor")
    elif rel in ("next", "this coming", "coming"):
        year = anchor.year if month > anchor.month else anchor.year + 1
        ctx.reason.append("'next' month name: the first one after the anchor")
    elif rel == "this":
        year = anchor.year
        ctx.reason.append("'this' month name: the anchor's year")
    else:
        year, how = _pick_year_for_month_day(month, None, anchor, ctx.tense, ctx.since())
        ctx.reason.append(f"year inferred from the anchor ({how} occurrence)")
        gap = abs(year * 12 + month - anchor.year * 12 - anchor.month)
        if gap > 6:
            ctx.uncertain = True
            ctx.reason.append("inferred year more than six months from the anchor")
    return "DATE", f"{year:04d}-{month:02d}", "month"


_RULE_YEAR_RX1 = re.compile(
    r"(?:(?:the\s+)?fiscal(?:\s+year)?\s+|fy\s*|the\s+year\s+)?(1\d\d\d|20\d\d)",
)
_RULE_YEAR_RX2 = re.compile(r"(?:fiscal|fy)\s*'?(\d\d)")
_RULE_YEAR_RX3 = re.compile(r"(?:the\s+year\s+)?(nineteen|two thousand)(?:\s+and)?[\s-](.+)")


def _rule_year(t: str, ctx: _Ctx) -> Result:
    m = _RULE_YEAR_RX1.fullmatch(t)
    if m:
        ctx.reason.append("explicit year" + (" (fiscal)" if "fiscal" in t or "fy" in t else ""))
        return "DATE", m[1], "year"
    m = _RULE_YEAR_RX2.fullmatch(t)
    if m:
        ctx.reason.append("two-digit fiscal year")
        return "DATE", str(_year_from("'" + m[1], ctx.anchor)), "year"
    m = _RULE_YEAR_RX3.fullmatch(t)
    if m:
        rest = number(m[2])
        if rest is not None and rest < 100:
            base = 1900 if m[1] == "nineteen" else 2000
            ctx.reason.append("year in words")
            return "DATE", str(base + int(rest)), "year"
    if t in ("the year two thousand", "two thousand", "the year 2000"):
        ctx.reason.append("year in words")
        return "DATE", "2000", "year"
    return None


_RULE_DECADE_CENTURY_RX1 = re.compile(
    r"(?:the\s+)?(?:(early|late|mid)[\s-]+)?(?:nineteen\s+)?(\w+ties)",
)
_RULE_DECADE_CENTURY_RX2 = re.compile(r"(?:the\s+)?(\d\d?)(?:st|nd|rd|th)\s+century")
_RULE_DECADE_CENTURY_RX3 = re.compile(
    r"(?:the\s+)?(twentieth|twenty[- ]first|nineteenth)\s+century",
)
_RULE_DECADE_CENTURY_RX4 = re.compile(r"(?:the\s+)?(?:(early|late|mid)[\s-]+)?(\d\d\d)0'?s")
_RULE_DECADE_CENTURY_RX5 = re.compile(r"(?:the\s+)?(?:(early|late|mid)[\s-]+)?'(\d)0s")


def _rule_decade_century(t: str, ctx: _Ctx) -> Result:
    m = _RULE_DECADE_CENTURY_RX4.fullmatch(t) or _RULE_DECADE_CENTURY_RX5.fullmatch(t)
    if m:
        digits = m[2]
        if len(digits) == 1:
            base = (ctx.anchor.year // 100) if ctx.anchor else 19
            digits = f"{base}{digits}"
            if ctx.anchor and int(digits) * 10 > ctx.anchor.year:
                digits = f"{base - 1}{m[2]}"
        ctx.reason.append("decade" + (f" ({m[1]})" if m[1] else ""))
        return "DATE", digits, "decade"
    m = _RULE_DECADE_CENTURY_RX1.fullmatch(t)
    if m and m[2] in DECADE_WORDS:
        ctx.reason.append("decade in words, assumed 20th century")
        ctx.uncertain = ctx.uncertain or "nineteen" not in t
        return "DATE", f"19{DECADE_WORDS[m[2]]}", "decade"
    m = _RULE_DECADE_CENTURY_RX2.fullmatch(t)
    if m:
        ctx.reason.append("century")
        return "DATE", f"{int(m[1]) - 1:02d}", "century"
    words = {"twentieth": 20, "twenty-first": 21, "twenty first": 21, "nineteenth": 19}
    m = _RULE_DECADE_CENTURY_RX3.fullmatch(t)
    if m:
        ctx.reason.append("century in words")
        return "DATE", f"{words[m[1].replace(' ', '-')] - 1:02d}", "century"
    if t in ("this century", "the century"):
        if not ctx.need_anchor():
            return "DATE", "XX", "century"
        ctx.reason.append("the anchor's century")
        return "DATE", f"{ctx.anchor.year // 100:02d}", "century"  # type: ignore[union-attr]
    return None


def _reporting_quarter(anchor: date) -> tuple[int, int]:
    """The last finished quarter: what an earnings report at the anchor talks about."""
    q = _quarter(anchor) - 1
    return (anchor.year, q) if q else (anchor.year - 1, 4)


_RULE_REPORT_PERIOD_RX1 = re.compile(
    r"(?:the\s+)?(?P<y>1\d\d\d|20\d\d)\s+(?:(?P<ord>first|second|third|fourth)\s+)?"
    r"(?:fiscal\s+)?(?P<kind>quarter|period)",
)
_RULE_REPORT_PERIOD_RX2 = re.compile(
    r"(?:the\s+)?(?P<which>first|second|last|latter)\s+half\s+of\s+(?:fiscal\s+)?"
    r"(?P<y>1\d\d\d|20\d\d)",
)
_RULE_REPORT_PERIOD_RX3 = re.compile(
    r"(?:the\s+)?(?:comparable\s+)?(?:year-earlier|year-ago)\s+"
    r"(?P<ord>first|second|third|fourth)\s+quarter",
)
_RULE_REPORT_PERIOD_RX4 = re.compile(
    r"(?:the|that|this)\s+(?:(?:full|current|latest)\s+)?(?P<f>fiscal\s+)?"
    r"(?P<unit>year|week)",
)
_QUARTER = re.compile(r"\bquarter\b", re.I)


def _rule_report_period(t: str, ctx: _Ctx) -> Result:
    """Business-report periods: 'the 1988 quarter', 'year-earlier', 'the fiscal year'."""
    m = _RULE_REPORT_PERIOD_RX1.fullmatch(t)
    if m:
        if m["ord"]:
            ctx.reason.append("explicit year and quarter")
            return "DATE", f"{m['y']}-Q{ORDINALS[m['ord']]}", "quarter"
        if ctx.anchor is not None:
            _, q = _reporting_quarter(ctx.anchor)
            ctx.reason.append("'<year> quarter': the reporting quarter of that year")
            return "DATE", f"{m['y']}-Q{q}", "quarter"
        return "DATE", f"{m['y']}-QX", "quarter"
    m = _RULE_REPORT_PERIOD_RX2.fullmatch(t)
    if m:
        h = 1 if m["which"] == "first" else 2
        ctx.reason.append("half year")
        return "DATE", f"{m['y']}-H{h}", "half"
    m = _RULE_REPORT_PERIOD_RX3.fullmatch(t)
    if m:
        if not ctx.need_anchor():
            return "DATE", f"XXXX-Q{ORDINALS[m['ord']]}", "quarter"
        q = ORDINALS[m["ord"]]
        anchor = ctx.anchor
        assert anchor is not None
        y = anchor.year if q <= _quarter(anchor) else anchor.year - 1
        ctx.reason.append("the same quarter a year before")
        return "DATE", f"{y - 1:04d}-Q{q}", "quarter"
    if t in ("year-earlier", "year-ago", "year earlier"):
        if not ctx.need_anchor():
            return "DATE", "XXXX", "year"
        anchor = ctx.anchor
        assert anchor is not None
        if ctx.context and _QUARTER.search(ctx.context):
            y, q = _reporting_quarter(anchor)
            ctx.reason.append("'year-earlier' in a quarterly report: the year-ago quarter")
            return "DATE", f"{y - 1:04d}-Q{q}", "quarter"
        ctx.reason.append("'year-earlier': the year before the anchor")
        return "DATE", f"{anchor.year - 1:04d}", "year"
    m = _RULE_REPORT_PERIOD_RX4.fullmatch(t)
    if m:
        if ctx.context and re.search(
            re.escape(ctx.text.strip()) + r"\s+(?:that\s+)?(?:ended|ending|ends|to)\b",
            ctx.context,
            re.I,
        ):
            ctx.reason.append("a period that ends on a given date: a duration")
            return "DURATION", "P1Y" if m["unit"] == "year" else "P1W", m["unit"]
        if t.startswith("that "):
            return None  # refers back to a time in the text
        if not ctx.need_anchor():
            return "DATE", "XXXX", m["unit"]
        anchor = ctx.anchor
        assert anchor is not None
        ctx.reason.append(f"'{t}': the anchor's {m['unit']}")
        if m["unit"] == "week":
            return "DATE", _week(anchor), "week"
        if m["f"] and "latest" in t:
            return "DATE", f"{anchor.year - 1:04d}", "year"
        return "DATE", f"{anchor.year:04d}", "year"
    return None


_RULE_QUARTER_RX1 = re.compile(
    r"(?:the\s+|its\s+|a\s+)?(?:(?P<yrel>this|next|last) year's\s+)?(?:fiscal[\s-]+)?"
    r"(?:flat\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal[\s-]+)?"
    r"(?P<kind>quarter|half|period)"
    r"(?:\s+of\s+(?:fiscal\s+)?(?P<year>1\d\d\d|20\d\d)|\s+(?P<year2>1\d\d\d|20\d\d))?",
)
_RULE_QUARTER_RX2 = re.compile(
    r"(?:the\s+)?(?P<rel>latest|current|most recent|recent|same|this|last|next|previous|"
    r"prior|year-earlier|year-ago|comparable|year earlier|fiscal)?\s*"
    r"(?:fiscal\s+)?(?P<kind>quarter|period)",
)


def _rule_quarter(t: str, ctx: _Ctx) -> Result:
    m = _RULE_QUARTER_RX1.fullmatch(t)
    if m:
        q = ORDINALS[m["ord"]]
        kind = "H" if m["kind"] == "half" else "Q"
        if kind == "H" and q > 2:
            return None
        year_s = m["year"] or m["year2"]
        if year_s:
            ctx.reason.append("explicit quarter and year")
            return "DATE", f"{year_s}-{kind}{q}", "quarter" if kind == "Q" else "half"
        if not ctx.need_anchor():
            return "DATE", f"XXXX-{kind}{q}", "quarter"
        anchor = ctx.anchor
        assert anchor is not None
        if m["yrel"]:
            year = anchor.year + {"this": 0, "next": 1, "last": -1}[m["yrel"]]
        else:
            cur = _quarter(anchor) if kind == "Q" else (1 if anchor.month <= 6 else 2)
            # reports talk about finished quarters; "will" looks ahead
            if _tense_direction(ctx.tense) > 0:
                year = anchor.year if q >= cur else anchor.year + 1
            else:
                year = anchor.year if q <= cur else anchor.year - 1
        ctx.reason.append("quarter without year: the nearest one in the clause's direction")
        return "DATE", f"{year:04d}-{kind}{q}", "quarter" if kind == "Q" else "half"
    m = _RULE_QUARTER_RX2.fullmatch(t)
    if m and (m["rel"] or t.startswith("the ")):
        rel = m["rel"] or "the"
        if m["kind"] == "period" and rel in ("the", "this", "same", "fiscal"):
            return None
        if not ctx.need_anchor():
            return "DATE", "XXXX-QX", "quarter"
        anchor = ctx.anchor
        assert anchor is not None
        cur_y, cur_q = anchor.year, _quarter(anchor)
        if rel in ("current", "this"):
            y, q = cur_y, cur_q
        elif rel == "next":
            y, q = (cur_y, cur_q + 1) if cur_q < 4 else (cur_y + 1, 1)
        else:
            y, q = (cur_y, cur_q - 1) if cur_q > 1 else (cur_y - 1, 4)
            if rel in ("previous", "prior", "last"):
                y, q = (y, q - 1) if q > 1 else (y - 1, 4)
            if rel in ("year-earlier", "year-ago", "comparable", "year earlier"):
                y -= 1
        ctx.reason.append(f"'{rel} {m['kind']}': the reporting quarter relative to the anchor")
        return "DATE", f"{y:04d}-Q{q}", "quarter"
    return None


_RULE_SEASON_RX1 = re.compile(
    r"(?:(?P<rel>this|last|next|this past|this coming|the|coming|past)\s+)?"
    r"(?:(?:early|late|mid)[\s-]+)?(?P<season>spring|summer|fall|autumn|winter)"
    r"(?:\s+(?:of\s+)?(?P<year>1\d\d\d|20\d\d)|\s+of\s+(?P<wyear>nineteen.+|two thousand.*))?",
)


def _rule_season(t: str, ctx: _Ctx) -> Result:
    m = _RULE_SEASON_RX1.fullmatch(t)
    if not m:
        return None
    s = SEASONS[m["season"]]
    year_s = m["year"]
    if m["wyear"]:
        yr = _rule_year(m["wyear"], ctx)
        year_s = yr[1] if yr else None
    if year_s:
        ctx.reason.append("season with explicit year")
        return "DATE", f"{year_s}-{s}", "season"
    if not ctx.need_anchor():
        return "DATE", f"XXXX-{s}", "season"
    anchor = ctx.anchor
    assert anchor is not None
    cur_y, cur_s = _season_of(anchor)
    order = ["WI", "SP", "SU", "FA"]

    def idx(y: int, season: str) -> int:
        # winter of year Y (Dec Y - Feb Y+1) comes after fall of Y
        return y * 4 + (order.index(season) if season != "WI" else 4)

    cur = idx(cur_y, cur_s)
    cands = [(y, s) for y in (anchor.year - 2, anchor.year - 1, anchor.year, anchor.year + 1)]
    rel = m["rel"]
    if rel in ("last", "this past", "past"):
        pick = max((c for c in cands if idx(*c) < cur), key=lambda c: idx(*c))
        ctx.reason.append("'last' season: the latest one before the anchor's season")
    elif rel in ("next", "this coming", "coming"):
        pick = min((c for c in cands if idx(*c) > cur), key=lambda c: idx(*c))
        ctx.reason.append("'next' season: the first one after the anchor's season")
    elif rel == "this":
        pick = (anchor.year, s)
        ctx.reason.append("'this' season: the anchor's year")
    else:
        direction = _tense_direction(ctx.tense)
        if direction < 0:
            pool = [c for c in cands if idx(*c) <= cur]
        elif direction > 0:
            pool = [c for c in cands if idx(*c) >= cur]
        else:
            pool = cands
        pick = min(pool, key=lambda c: abs(idx(*c) - cur))
        ctx.reason.append("season without year: nearest in the clause's direction")
    return "DATE", f"{pick[0]:04d}-{s}", "season"


_REL_UNITS = r"(?P<unit>week|month|year|weekend|decade|century|fiscal year|quarter)"


_RULE_RELATIVE_UNIT_RX1 = re.compile(
    r"(?:(?P<mod>early|late|mid|earlier|later)[\s-]+)?(?:in\s+)?(?:the\s+)?"
    r"(?P<rel>last|next|this|past|coming|previous|following|current|same|this past|"
    r"this coming|the past|the current)\s+" + _REL_UNITS,
)
_RULE_RELATIVE_UNIT_RX2 = re.compile(
    r"(?P<mod>earlier|later|early|late)\s+in\s+the\s+(?P<rel>)" + _REL_UNITS,
)
_RULE_RELATIVE_UNIT_RX3 = re.compile(r"(?P<mod>)(?P<rel>the|this)\s+(?P<unit>weekend)")
_RULE_RELATIVE_UNIT_RX4 = re.compile(
    r"(?:the\s+)?(?P<mod>end|beginning|start|middle|close)\s+of\s+(?:the\s+)?"
    r"(?P<rel>this|last|next|current|)\s*" + _REL_UNITS,
)
_RULE_RELATIVE_UNIT_RX5 = re.compile(r"(?:the\s+)?(?:year[\s-]end|year's end|end of the year)")
_RULE_RELATIVE_UNIT_RX6 = re.compile(r"the (?P<mod>end) of (?P<rel>this) (?P<unit>year)")


def _rule_relative_unit(t: str, ctx: _Ctx) -> Result:
    m = (_RULE_RELATIVE_UNIT_RX1.fullmatch(t) or _RULE_RELATIVE_UNIT_RX2.fullmatch(t)
         or _RULE_RELATIVE_UNIT_RX3.fullmatch(t) or _RULE_RELATIVE_UNIT_RX4.fullmatch(t))
    if not m:
        m2 = _RULE_RELATIVE_UNIT_RX5.fullmatch(t)
        if m2:
            t = "the end of this year"
            m = _RULE_RELATIVE_UNIT_RX6.fullmatch(t)
        else:
            return None
    assert m is not None
    unit = m["unit"].replace("fiscal ", "")
    rel = (m["rel"] or "this").replace("the ", "")
    mod = m["mod"]
    if mod:
        ctx.reason.append(f"modifier '{mod}'")
    if not ctx.need_anchor():
        return "DATE", {"week": "XXXX-WXX", "month": "XXXX-XX", "quarter": "XXXX-QX"}.get(
            unit, "XXXX"
        ), unit
    anchor = ctx.anchor
    assert anchor is not None
    if unit == "decade" and rel in ("past", "last"):
        ctx.reason.append("'the past decade': ten years up to the anchor")
        return "DURATION", "P10Y", "year"
    step = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1,
            "following": 1, "this coming": 1}.get(rel, 0)
    if rel in ("previous", "following"):
        ctx.uncertain = True
        ctx.reason.append(f"'{rel}' is relative to a time in the text; anchored on the date")
    ctx.reason.append(f"'{rel} {unit}' counted from the anchor")
    if unit == "year":
        return "DATE", f"{anchor.year + step:04d}", "year"
    if unit == "month":
        y, mo = _add_months(anchor, step)
        return "DATE", f"{y:04d}-{mo:02d}", "month"
    if unit == "week":
        return "DATE", _week(anchor + timedelta(weeks=step)), "week"
    if unit == "weekend":
        # the weekend of the anchor's week, or the one before / after
        base = anchor + timedelta(weeks=step)
        if rel in ("the", "this") and _tense_direction(ctx.tense) < 0 and anchor.weekday() < 5:
            base = anchor - timedelta(weeks=1)
            ctx.reason.append("past tense on a weekday: the weekend just gone")
        return "DATE", _week(base) + "-WE", "weekend"
    if unit == "quarter":
        y, q = anchor.year, _quarter(anchor) + step
        if q < 1:
            y, q = y - 1, 4
        if q > 4:
            y, q = y + 1, 1
        return "DATE", f"{y:04d}-Q{q}", "quarter"
    if unit == "decade":
        return "DATE", f"{(anchor.year // 10) + step:03d}", "decade"
    if unit == "century":
        return "DATE", f"{(anchor.year // 100) + step:02d}", "century"
    return None


_RULE_AGO_RX1 = re.compile(
    rf"(?P<n>{_NUM_WORDS})\s+(?:more\s+|full\s+)?{_UNIT_RE}\s+(?:or\s+so\s+)?"
    r"(?P<dir>ago|earlier|before|later|after|from now|hence|since|back|previously)",
)


def _rule_ago(t: str, ctx: _Ctx) -> Result:
    m = _RULE_AGO_RX1.fullmatch(t)
    if not m:
        return None
    unit = _unit_name(m["unit"])
    n = number(m["n"])
    sign = 1 if m["dir"] in ("later", "after", "from now", "hence") else -1
    if n is None:
        ctx.reason.append("vague count: a past or future reference")
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None
    if m["dir"] in ("earlier", "before", "ago") and ctx.context and _QUARTER.search(
        ctx.context
    ) and unit == "year" and n == 1:
        # "a year earlier" in an earnings report is the same quarter last year
        if not ctx.need_anchor():
            return "DATE", "XXXX-QX", "quarter"
        anchor = ctx.anchor
        assert anchor is not None
        q = _quarter(anchor) - 1 or 4
        y = anchor.year - 1 - (1 if q == 4 else 0)
        ctx.reason.append("'a year earlier' in a quarterly report: the year-ago quarter")
        return "DATE", f"{y:04d}-Q{q}", "quarter"
    if not ctx.need_anchor():
        return "DATE", None, unit
    anchor = ctx.anchor
    assert anchor is not None
    if m["dir"] in ("earlier", "before", "later", "after"):
        ctx.reason.append("counted from the anchor (the text may count from another time)")
    else:
        ctx.reason.append(f"{_fmt_num(n)} {unit}(s) {m['dir']} counted from the anchor")
    k = sign * n
    if unit in ("day", "night"):
        return "DATE", (anchor + timedelta(days=int(k))).isoformat(), "day"
    if unit in ("week", "weekend"):
        return "DATE", _week(anchor + timedelta(weeks=int(k))), "week"
    if unit == "month":
        y, mo = _add_months(anchor, int(k))
        return "DATE", f"{y:04d}-{mo:02d}", "month"
    if unit == "quarter":
        y, mo = _add_months(anchor, int(k * 3))
        return "DATE", f"{y:04d}-Q{(mo - 1) // 3 + 1}", "quarter"
    if unit == "year":
        return "DATE", f"{anchor.year + int(k):04d}", "year"
    if unit == "decade":
        return "DATE", f"{(anchor.year + int(k * 10)) // 10:03d}", "decade"
    if unit == "century":
        return "DATE", f"{(anchor.year + int(k * 100)) // 100:02d}", "century"
    if unit in ("hour", "minute", "second"):
        ctx.reason.append("time of day unknown: date only")
        return "TIME", anchor.isoformat(), "day"
    return None


_RULE_DURATION_RX1 = re.compile(
    r"(?:(?:each|all|one)\s+of\s+)?(?:the\s+|a\s+|an\s+|its\s+|their\s+)?"
    r"(?:(?P<rel>past|last|next|first|previous|coming|following|final|latest|recent|"
    r"initial|remaining|same|full|entire|whole|year-earlier|year-ago|ensuing|"
    r"preceding)\s+)?"
    r"(?:(?P<n>" + _NUM_WORDS + r")[\s-]+)?(?:(?:more|additional|full|straight|consecutive|"
    r"trading|business|calendar|long|short)\s+)?"
    + _UNIT_RE + r"(?P<tail>[\s-]+(?:long|old|period|term|span|ahead|to come))?"
    r"(?:\s+or\s+so)?",
)


def _rule_duration(t: str, ctx: _Ctx) -> Result:
    m = _RULE_DURATION_RX1.fullmatch(t)
    if not m:
        return None
    unit = _unit_name(m["unit"])
    n_text = (m["n"] or "").strip()
    rel = m["rel"]
    plural = m["unit"].lower().endswith("s") or m["unit"].lower() == "centuries"
    if not n_text:
        if not plural and not rel and not m["tail"]:
            return None
        if not plural and rel in ("past", "last", "next", "coming", "previous", "following"):
            return None  # "the past year" is a date, handled elsewhere
        if not plural and rel is None:
            return None
    n = number(n_text) if n_text else None
    if n_text and n is None and n_text not in VAGUE_NUMS:
        return None
    if rel in ("recent", "past", "coming") and n is None and plural:
        if unit == "year" and rel == "recent":
            ctx.reason.append("'recent years': a vague past reference")
            return "DATE", "PAST_REF", None
    value = _duration_value(n, unit)
    ctx.reason.append("duration" + ("" if n is not None else " of unstated length"))
    return "DURATION", value, unit


_PODS = r"(?P<pod>morning|afternoon|evening|night|overnight)"


_TIME_VALUE_RX1 = re.compile(
    r"(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?:gmt|utc|z|hrs|hours)\b,?\s*",
)
_TIME_VALUE_RX2 = re.compile(
    r"(?:(?:about|around|at about|approximately|shortly before|shortly after|just after|"
    r"just before)\s+)?(?P<h>\d{1,2})(?:[:.](?P<mi>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?"
    r"(?:\s*(?:est|edt|gmt|utc|cst|cdt|pst|pdt|bst|cet|local time)\b)?,?\s*",
)
_TIME_VALUE_RX3 = re.compile(r"(?:(?:about|around)\s+)?(noon|midday|midnight)\b,?\s*")


def _time_value(t: str) -> tuple[str | None, str]:
    """'10:35 a.m.' -> ('T10:35', rest) ; '1451 GMT' ; noon / midnight."""
    m = _TIME_VALUE_RX1.match(t)
    if m:
        return f"T{m['h']}:{m['mi']}", t[m.end():]
    m = _TIME_VALUE_RX2.match(t)
    if m and (m["ap"] or m["mi"]):
        h = int(m["h"])
        mi = int(m["mi"] or 0)
        if m["ap"] and m["ap"].startswith("p") and h < 12:
            h += 12
        if m["ap"] and m["ap"].startswith("a") and h == 12:
            h = 0
        if h > 24 or mi > 59:
            return None, t
        return f"T{h:02d}:{mi:02d}", t[m.end():]
    m = _TIME_VALUE_RX3.match(t)
    if m:
        return ("T12:00" if m[1] in ("noon", "midday") else "T24:00"), t[m.end():]
    return None, t


_RULE_TIME_RX1 = re.compile(r"^(on|of|this)\s+")
_RULE_TIME_RX2 = re.compile(r"(.+?)\s+(?:at\s+)?(?=\d|noon|midnight|midday)")


def _rule_time(t: str, ctx: _Ctx) -> Result:
    tv, rest = _time_value(t)
    if tv is None:
        # "Wednesday 10 p.m." / "yesterday at noon"
        m = _RULE_TIME_RX2.match(t)
        if not m:
            return None
        tv, rest2 = _time_value(t[m.end():])
        if tv is None or rest2.strip():
            return None
        rest = m[1]
    rest = rest.strip().strip(",").strip()
    rest = _RULE_TIME_RX1.sub("", rest)
    if not rest or rest in ("today", "tonight"):
        if not ctx.need_anchor():
            return "TIME", f"XXXX-XX-XX{tv}", "time"
        ctx.reason.append("time of day on the anchor date")
        return "TIME", f"{ctx.anchor.isoformat()}{tv}", "time"  # type: ignore[union-attr]
    day = normalise(rest, ctx.anchor, ctx.context, ctx.tense)
    if day is None or day.granularity != "day" or not day.value:
        return None
    ctx.reason.extend(day.reason)
    ctx.uncertain = ctx.uncertain or day.uncertain
    return "TIME", f"{day.value}{tv}", "time"


_RULE_DEICTIC_RX1 = re.compile(
    r"(?:(?P<mod>early|late|earlier|later)\s+)?(?P<d>today|yesterday|tomorrow|tonight)"
    rf"(?:\s+{_PODS})?",
)
_RULE_DEICTIC_RX2 = re.compile(rf"(?P<d>this|last|tomorrow|yesterday)\s+{_PODS}")
_RULE_DEICTIC_RX3 = re.compile(r"(?P<d>overnight|(?:the\s+)?(?:morning|afternoon|evening|night))")


def _rule_deictic(t: str, ctx: _Ctx) -> Result:
    vague = {
        "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
        "current": "PRESENT_REF", "these days": "PRESENT_REF", "nowadays": "PRESENT_REF",
        "the present": "PRESENT_REF", "at present": "PRESENT_REF", "presently": "PRESENT_REF",
        "today's": "PRESENT_REF", "this time": "PRESENT_REF", "the moment": "PRESENT_REF",
        "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF",
        "previously": "PAST_REF", "earlier": "PAST_REF", "formerly": "PAST_REF",
        "the past": "PAST_REF", "in the past": "PAST_REF", "more recently": "PAST_REF",
        "most recently": "PAST_REF", "once": "PAST_REF", "recent years": "PAST_REF",
        "soon": "FUTURE_REF", "the future": "FUTURE_REF", "future": "FUTURE_REF",
        "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
        "the short term": "FUTURE_REF", "the long term": "FUTURE_REF",
        "the long run": "FUTURE_REF", "the short run": "FUTURE_REF",
        "shortly": "FUTURE_REF", "later": "FUTURE_REF", "eventually": "FUTURE_REF",
        "as soon as possible": "FUTURE_REF", "a later date": "FUTURE_REF",
        "the coming years": "FUTURE_REF", "coming years": "FUTURE_REF",
        "the years ahead": "FUTURE_REF", "one day": "FUTURE_REF",
    }
    if t in vague:
        ctx.reason.append(f"vague reference kept vague ({vague[t]})")
        return "DATE", vague[t], None
    days = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0, "the day before": -1,
            "the day after": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
    m = (_RULE_DEICTIC_RX1.fullmatch(t) or _RULE_DEICTIC_RX2.fullmatch(t)
         or _RULE_DEICTIC_RX3.fullmatch(t))
    if not m:
        return None
    d = m["d"]
    pod = m.groupdict().get("pod")
    if d == "tonight":
        pod = "night"
    if d in ("overnight",):
        pod, d = "night", "last"
    if d.startswith("the ") or d in ("morning", "afternoon", "evening", "night"):
        pod = pod or d.split()[-1]
        d = "this"
    if d == "last" and pod != "night":
        d = "yesterday"
    if not ctx.need_anchor():
        return ("TIME" if pod else "DATE"), None, "day"
    anchor = ctx.anchor
    assert anchor is not None
    offset = {"this": 0, "last": -1}.get(d, days.get(d, 0))
    day = anchor + timedelta(days=offset)
    ctx.reason.append(f"'{d}' from the anchor")
    if pod:
        code = "NI" if pod in ("night", "overnight") else PARTS_OF_DAY[pod]
        return "TIME", f"{day.isoformat()}T{code}", "part_of_day"
    return "DATE", day.isoformat(), "day"


_RULE_WEEKDAY_RX1 = re.compile(
    r"(?:(?P<mod>early|late|earlier|later)\s+)?"
    r"(?:(?P<rel>last|next|this|this coming|this past|the previous|the following|coming|"
    r"previous|following)\s+)?" + _WD_RE + rf"(?:'s)?(?:\s+{_PODS})?",
)


def _rule_weekday(t: str, ctx: _Ctx) -> Result:
    m = _RULE_WEEKDAY_RX1.fullmatch(t)
    if not m:
        return None
    wd = WEEKDAYS[m["wd"]]
    pod = m["pod"]
    if not ctx.need_anchor():
        val = f"XXXX-WXX-{wd + 1}"
        return ("TIME" if pod else "DATE"), val + (
            f"T{PARTS_OF_DAY.get(pod, 'NI')}" if pod else ""
        ), "day"
    anchor = ctx.anchor
    assert anchor is not None
    d = _resolve_weekday(wd, anchor, ctx.tense, m["rel"])
    ctx.reason.append(
        f"weekday resolved {'with ' + repr(m['rel']) if m['rel'] else 'by tense ' + str(ctx.tense)}"
    )
    if pod:
        code = "NI" if pod in ("night", "overnight") else PARTS_OF_DAY[pod]
        return "TIME", f"{d.isoformat()}T{code}", "part_of_day"
    return "DATE", d.isoformat(), "day"


_RULE_SET_RX1 = re.compile(rf"(?:every|each)\s+(?P<n>{_NUM_WORDS})\s+{_UNIT_RE}")
_RULE_SET_RX2 = re.compile(r"(?:every|each)\s+" + _MONTH_RE)
_RULE_SET_RX3 = re.compile(r"(?:every|each)\s+(?P<s>spring|summer|fall|autumn|winter)")
_RULE_SET_RX4 = re.compile(r"(?:every|each|on)\s+" + _WD_RE + rf"s?(?:\s+{_PODS}s?)?")
_RULE_SET_RX5 = re.compile(_WD_RE + rf"s(?:\s+{_PODS}s?)?")
_RULE_SET_RX6 = re.compile(_WD_RE + rf"\s+{_PODS}s")


def _rule_set(t: str, ctx: _Ctx) -> Result:
    simple = {
        "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
        "hourly": "PT1H", "quarterly": "P3M", "nightly": "P1D", "biweekly": "P2W",
        "every day": "P1D", "each day": "P1D", "every week": "P1W", "each week": "P1W",
        "every month": "P1M", "each month": "P1M", "every year": "P1Y", "each year": "P1Y",
        "every quarter": "P1Q", "each quarter": "P1Q", "every hour": "PT1H",
        "every night": "P1D", "every morning": "P1D", "per year": "P1Y", "per day": "P1D",
        "every other day": "P2D", "every other week": "P2W", "every other year": "P2Y",
    }
    if t in simple:
        ctx.reason.append("recurring (set)")
        return "SET", simple[t], "set"
    m = _RULE_SET_RX1.fullmatch(t)
    if m and number(m["n"]) is not None:
        ctx.reason.append("recurring every N units (set)")
        return "SET", _duration_value(number(m["n"]), _unit_name(m["unit"])), "set"
    m = _RULE_SET_RX4.fullmatch(t) or _RULE_SET_RX5.fullmatch(t) or _RULE_SET_RX6.fullmatch(t)
    if m:
        wd = WEEKDAYS[m["wd"]] + 1
        pod = m.groupdict().get("pod")
        tail = f"T{'NI' if pod == 'night' else PARTS_OF_DAY[pod]}" if pod else ""
        ctx.reason.append("recurring weekday (set)")
        return "SET", f"XXXX-WXX-{wd}{tail}", "set"
    m = _RULE_SET_RX2.fullmatch(t)
    if m:
        ctx.reason.append("recurring month (set)")
        return "SET", f"XXXX-{MONTHS[m['month']]:02d}", "set"
    m = _RULE_SET_RX3.fullmatch(t)
    if m:
        ctx.reason.append("recurring season (set)")
        return "SET", f"XXXX-{SEASONS[m['s']]}", "set"
    return None


_RULE_HOLIDAY_RX1 = re.compile(
    r"(?:(?P<rel>last|next|this)\s+)?(?P<h>[a-z' ]+?)(?:\s+(?P<y>1\d{3}|20\d\d))?",
)


def _rule_holiday(t: str, ctx: _Ctx) -> Result:
    m = _RULE_HOLIDAY_RX1.fullmatch(t)
    if not m:
        return None
    name = m["h"]
    if name in ("thanksgiving", "thanksgiving day"):
        def nth(y: int) -> date:
            first = date(y, 11, 1)
            return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
        fn = nth
    elif name in ("election day",):
        def nth(y: int) -> date:
            first = date(y, 11, 2)
            return first + timedelta(days=(1 - first.weekday()) % 7)
        fn = nth
    elif name in HOLIDAYS_FIXED:
        mo, dd = HOLIDAYS_FIXED[name]

        def fixed(y: int) -> date:
            return date(y, mo, dd)
        fn = fixed
    else:
        return None
    if m["y"]:
        ctx.reason.append("holiday with explicit year")
        return "DATE", fn(int(m["y"])).isoformat(), "day"
    if not ctx.need_anchor():
        return "DATE", None, "day"
    anchor = ctx.anchor
    assert anchor is not None
    cands = [fn(y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    rel = m["rel"]
    if rel == "last":
        pick = max(c for c in cands if c < anchor)
    elif rel == "next":
        pick = min(c for c in cands if c > anchor)
    elif rel == "this":
        pick = cands[1]
    else:
        direction = _tense_direction(ctx.tense)
        pool = [c for c in cands if (c <= anchor if direction < 0 else c >= anchor)] if direction \
            else cands
        pick = min(pool or cands, key=lambda c: abs((c - anchor).days))
    ctx.reason.append("holiday resolved against the anchor")
    return "DATE", pick.isoformat(), "day"


_RULES = [
    _rule_explicit,
    _rule_month_day,
    _rule_month,
    _rule_year,
    _rule_decade_century,
    _rule_report_period,
    _rule_quarter,
    _rule_season,
    _rule_relative_unit,
    _rule_ago,
    _rule_set,
    _rule_deictic,
    _rule_weekday,
    _rule_time,
    _rule_holiday,
    _rule_duration,
]
