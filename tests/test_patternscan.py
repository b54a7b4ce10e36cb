"""Windowed pattern scanning (wirewatch.nlp.patternscan): the time patterns tried only
around their trigger words, on lower-cased text, must find exactly what a plain
case-insensitive scan of the whole text finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.nlp import times
from wirewatch.nlp.patternscan import (
    WindowedPattern,
    lowered,
    separator_reach,
    token_starts,
)

# Words the time patterns care about, in several casings, plus near misses
# ("amid", "marched", "mayor") and characters IGNORECASE treats specially.
_WORDS = [
    "January", "jan.", "Feb", "MARCH", "march", "marched", "May", "may", "mayor", "Sept.",
    "Dec", "Monday", "monday", "Fridays", "today", "Yesterday", "tonight", "overnight",
    "morning", "evening", "the", "The", "a", "an", "about", "more", "than", "at", "least",
    "early", "mid", "amid", "late", "later", "earlier", "last", "next", "this", "past",
    "coming", "fiscal", "FY", "quarter", "half", "first", "third", "period", "year", "years",
    "year-ago", "month", "weeks", "days", "decade", "century", "twenty", "first", "two",
    "thousand", "nineteen", "nineties", "1990s", "'90s", "ago", "from", "now", "hence",
    "or", "so", "to", "of", "end", "middle", "start", "spring", "winter", "summer", "every",
    "each", "daily", "Christmas", "Day", "Eve", "New", "Year's", "lights", "9/11", "3/4/2024",
    "2024-05-06", "2019", "1451", "GMT", "hrs", "9:30", "a.m.", "p.m.", "PM", "noon",
    "midnight", "local", "time", "5", "12th", "31", "3", "1/2", "percent", "%", "$", "old",
    "olympics", "on", "in", "since", "Dorsk", "Velma", "ſ", "\u212a", "\u0130", "\u0131",
    "É", "Ärger", "straße", "\u201c", "\u2019",
]
_SEPARATORS = [" ", " ", " ", "  ", "-", " - ", "--", "\n\n", ", ", ". ", ",", "", "\t", "/"]

_texts = st.lists(
    st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS)), max_size=40,
).map(lambda parts: "".join(w + s for w, s in parts))


def _plain(pattern: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def _windowed(rx: WindowedPattern, text: str) -> list[tuple[int, int]]:
    low = lowered(text)
    tokens = token_starts(low) if low is not None else None
    return [m.span() for m in rx.finditer(text, low, tokens)]


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_every_time_pattern_finds_what_a_full_scan_finds(text: str) -> None:
    for name, rx in times._COMPILED:
        pattern = dict(times._PATTERNS)[name]
        assert _windowed(rx, text) == _plain(pattern, text), name


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | _texts)
def test_arbitrary_text_matches_a_full_scan(text: str) -> None:
    for name, rx in times._COMPILED:
        assert _windowed(rx, text) == _plain(dict(times._PATTERNS)[name], text), name


def test_matches_inside_words_and_far_from_the_trigger_are_kept() -> None:
    text = ("Talks resumed amid January strikes; more than twenty-five years ago the "
            "plant in Tromso closed, and on Monday,  Jan. 5, 2026 at 9:30 a.m. GMT it reopened.")
    for name, rx in times._COMPILED:
        assert _windowed(rx, text) == _plain(dict(times._PATTERNS)[name], text), name
    month = _windowed(times._COMPILED[5][1], text)
    assert (19, 26) in month and (15, 26) not in month  # "January", not "mid January"


def test_separator_reach_counts_whitespace_and_hyphen_runs() -> None:
    assert separator_reach(r"\d+") == 0
    assert separator_reach(r"early[\s-]+june") == 1
    assert separator_reach(r"(?:the\s+)?end\s+of\s+(?:may|june)(?=\s+\d)") == 4
    assert separator_reach(r"a(?:\s+b|-c-d)") == 2
    assert separator_reach(r"(?:\w+\s+)+x") >= 10**9  # no bound: never windowed
    assert separator_reach(r"[\s\w]+x") >= 10**9


def test_unbounded_pattern_is_scanned_whole() -> None:
    rx = WindowedPattern(r"(?:\w+\s+)*june", trigger="june")
    assert rx.trigger is None
    text = "one two three June"
    assert _windowed(rx, text) == _plain(r"(?:\w+\s+)*june", text)


def test_lowering_is_refused_where_ignorecase_differs() -> None:
    assert lowered("Talks in MAY") == "talks in may"
    assert lowered("Café Dorsk") == "café dorsk"
    for odd in ("\u017f", "\u212a", "\u0130", "\u0131"):  # long s, Kelvin sign, dotted/dotless i
        assert lowered(f"Lord {odd}elvin") is None
