"""Run case-insensitive patterns only near the words they need, with the same matches.

The time tagger's patterns all start with optional modifiers ("early", "the", "about"),
so the regex matcher cannot skip ahead and tries every one at every character of the
article: about two thirds of the time component. A :class:`WindowedPattern` gives
exactly what ``re.finditer(pattern, text, re.IGNORECASE)`` gives, faster, in two ways:

* it matches case-sensitively on the lower-cased text (about twice as fast as
  IGNORECASE), where lower-casing provably changes nothing (:func:`lowered`);
* given a *trigger* (a regex every match has an occurrence of, e.g. a month name) it
  tries the pattern only in a window of words around each trigger. The window is as
  wide as the pattern can reach: the most runs of whitespace/hyphens any path through
  it (lookarounds included) can cross, read from the compiled pattern itself
  (:func:`separator_reach`), so no hand-kept width can go stale.

Why it is exact: every match contains a trigger occurrence ``q`` and starts at most
``reach`` separator runs before it, so no match starts outside the windows; and an
attempt at a start ``i <= q`` reads at most ``reach`` runs ahead, so cutting the text
a little beyond that cannot change it. Only matches starting at or before the
trigger are kept from each windowed search; the rest are found from the next trigger.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from re import _constants as sre_c  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

# A "token" is a run of anything but whitespace and hyphens; the runs between tokens
# are what the window widths count.
_TOKEN = re.compile(r"[^\s-]+")
_UNBOUNDED = 10**9
_ASCII_LETTERS = [re.compile(c, re.IGNORECASE) for c in string.ascii_lowercase]


def _is_separator(code: int) -> bool:
    return chr(code).isspace() or code == ord("-")


def _class_separators(items: list[tuple[object, object]]) -> tuple[bool, bool]:
    """(can match a separator, can match a non-separator) for a character class."""
    sep = other = False
    for op, av in items:
        if op is sre_c.NEGATE:
            return True, True
        if op is sre_c.LITERAL:
            sep, other = sep or _is_separator(av), other or not _is_separator(av)  # type: ignore[arg-type]
        elif op is sre_c.RANGE:
            lo, hi = av  # type: ignore[misc]
            has = any(_is_separator(c) for c in range(lo, min(hi, 0x3000) + 1))
            sep, other = sep or has, True
        elif op is sre_c.CATEGORY:
            if av in (sre_c.CATEGORY_SPACE, sre_c.CATEGORY_UNI_SPACE):
                sep = True
            elif av in (sre_c.CATEGORY_DIGIT, sre_c.CATEGORY_UNI_DIGIT,
                        sre_c.CATEGORY_WORD, sre_c.CATEGORY_UNI_WORD):
                other = True
            else:  # \S, \D, \W: both
                return True, True
        else:
            return True, True
    return sep, other


def _reach(seq: list[tuple[object, object]]) -> int:
    """Most separator-consuming steps on any path through ``seq`` (an over-count of the
    separator runs it can cross: adjacent steps in one run count twice)."""
    total = 0
    for op, av in seq:
        if op is sre_c.LITERAL:
            total += _is_separator(av)  # type: ignore[arg-type]
        elif op is sre_c.NOT_LITERAL or op is sre_c.ANY:
            return _UNBOUNDED
        elif op is sre_c.IN:
            sep, other = _class_separators(av)  # type: ignore[arg-type]
            total += sep
            if sep and other:
                total += 1  # one char, but it may split a run: count it twice
        elif op is sre_c.SUBPATTERN:
            total += _reach(list(av[-1]))  # type: ignore[index]
        elif op is sre_c.BRANCH:
            total += max(_reach(list(b)) for b in av[1])  # type: ignore[index]
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            lo, hi, item = av  # type: ignore[misc]
            inner = _reach(list(item))
            if inner == 0:
                continue
            single = len(item) == 1 and item[0][0] in (sre_c.IN, sre_c.LITERAL)
            if single and inner == 1 and not (item[0][0] is sre_c.IN
                                              and all(_class_separators(item[0][1]))):
                total += 1  # "\s+", "[\s-]+": one run, however long
            elif hi == sre_c.MAXREPEAT:
                return _UNBOUNDED
            else:
                total += inner * hi
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            total += _reach(list(av[1]))  # type: ignore[index]
        elif op in (sre_c.AT, sre_c.GROUPREF):
            if op is sre_c.GROUPREF:
                return _UNBOUNDED
        else:
            return _UNBOUNDED
        if total >= _UNBOUNDED:
            return _UNBOUNDED
    return total


def separator_reach(pattern: str) -> int:
    """How many whitespace/hyphen runs a match attempt of ``pattern`` can read across
    (lookarounds included); ``_UNBOUNDED`` when it has no bound."""
    return _reach(list(sre_parse.parse(pattern.lower())))


@lru_cache(maxsize=4096)
def _lower_safe(ch: str) -> bool:
    """Lower-casing ``ch`` keeps case-insensitive ASCII matching exact: one character,
    same class (word, digit, space), and not one of the few non-ASCII letters IGNORECASE
    equates with an ASCII one (dotted/dotless i, long s, Kelvin sign)."""
    low = ch.lower()
    if len(low) != 1:
        return False
    if any(rx.fullmatch(ch) for rx in _ASCII_LETTERS):
        return False
    return ((ch.isalnum() or ch == "_") == (low.isalnum() or low == "_")
            and ch.isdecimal() == low.isdecimal() and ch.isspace() == low.isspace())


def lowered(text: str) -> str | None:
    """``text`` lower-cased when case-sensitive matching of lower-case ASCII patterns on
    it is exactly IGNORECASE matching on ``text``; None when it is not."""
    if not text.isascii() and not all(_lower_safe(c) for c in set(text) if not c.isascii()):
        return None
    return text.lower()


class WindowedPattern:
    """One case-insensitive pattern, matched only around its trigger (see module doc)."""

    def __init__(self, pattern: str, trigger: str | None = None):
        self.full = re.compile(pattern, re.IGNORECASE)
        self.lower = re.compile(pattern.lower())
        reach = separator_reach(pattern)
        # an empty match would need finditer's rule for the next start: not worth copying
        empty = sre_parse.parse(pattern.lower()).getwidth()[0] == 0
        windowed = trigger is not None and reach < _UNBOUNDED and not empty
        self.trigger = trigger if windowed else None
        self._trigger = re.compile(trigger) if windowed else None  # type: ignore[arg-type]
        # one run more each way than the count, for the character read past a run's end
        self.back = reach + 1
        self.ahead = reach + 3

    def finditer(self, text: str, low: str | None, tokens: list[int] | None,
                 triggers: dict[str, list[int]] | None = None) -> Iterator[re.Match[str]]:
        """The matches of ``re.finditer(pattern, text, re.IGNORECASE)``, in order. ``low``
        is :func:`lowered` text (None: match ``text`` as is), ``tokens`` the token starts of
        ``low`` (:func:`token_starts`). ``triggers`` keeps the trigger occurrences of
        ``low`` by trigger, for the next pattern with the same trigger (one dict per text)."""
        if low is None:
            yield from self.full.finditer(text)
            return
        if self.trigger is None or tokens is None:
            yield from self.lower.finditer(low)
            return
        hits = triggers.get(self.trigger) if triggers is not None else None
        if hits is None:
            hits = _starts(self._trigger, low)  # type: ignore[arg-type]
            if triggers is not None:
                triggers[self.trigger] = hits
        yield from self._windowed(low, tokens, hits)

    def _windowed(self, low: str, tokens: list[int], hits: list[int]
                  ) -> Iterator[re.Match[str]]:
        # Triggers whose windows overlap are searched as one window: a search tries each
        # start once, where a window per trigger tried the starts they share again. Exact
        # for the same reason: no match starts before the first trigger's window, and
        # the cut after the last one's leaves every start up to that trigger unchanged.
        n = len(low)
        last_token = len(tokens) - 1
        back, ahead = self.back, self.ahead
        pos = 0  # no match can start before this (the last match's end)
        first = 0
        while True:
            first = bisect_left(hits, pos, first)  # the first trigger at or after pos
            if first == len(hits):
                return
            j = first
            q = hits[j]
            k = bisect_right(tokens, q) - 1  # the token holding (or before) the trigger
            start = max(pos, tokens[k - back] if k - back >= 0 else 0)
            while j + 1 < len(hits):
                k_next = bisect_right(tokens, hits[j + 1], max(k, 0)) - 1
                if k + ahead <= last_token and k_next - back > k + ahead:
                    break  # the next trigger's window starts after this one ends
                j += 1
                q, k = hits[j], k_next
            end = tokens[k + ahead] if k + ahead <= last_token else n
            m = self.lower.search(low, start, end)
            if m is not None and m.start() <= q:
                yield m
                pos = m.end()
            else:
                pos = q + 1


def _starts(trigger: re.Pattern[str], low: str) -> list[int]:
    """Where ``trigger`` occurs in ``low``, overlapping occurrences too ("\\d{4}" in "12345"
    at 0 and at 1): each start ``trigger.search(low, pos)`` can answer. Searched one by one,
    not as a lookahead, so the regex search still skips ahead to the first letters it needs."""
    out: list[int] = []
    m = trigger.search(low)
    while m is not None:
        out.append(m.start())
        m = trigger.search(low, m.start() + 1)
    return out


def token_starts(low: str) -> list[int]:
    return [m.start() for m in _TOKEN.finditer(low)]
