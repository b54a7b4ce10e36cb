"""Facts of a doc looked up by offset, not by scanning every fact of the article.

Later components ask, once per sentence or per event, for the times, places or
quotes in a range. A scan of the whole list each time makes an article's cost
grow with the square of its length; this index (built once per doc and list,
kept in ``doc.user_data``) answers by binary search and returns the facts in
their original list order, so results are exactly those of the scan.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from spacy.tokens import Doc


class _Index:
    def __init__(self, items: list[Any]):
        order = sorted(range(len(items)), key=lambda i: items[i].start)
        self.items = items
        self.order = order
        self.starts = [items[i].start for i in order]
        self.longest = max((items[i].end - items[i].start for i in order), default=0)

    def _pick(self, lo: int, hi: int, keep: Any = None) -> list[Any]:
        picked = sorted(i for i in self.order[lo:hi] if keep is None or keep(self.items[i]))
        return [self.items[i] for i in picked]

    def starting_in(self, start: int, end: int) -> list[Any]:
        return self._pick(bisect_left(self.starts, start), bisect_left(self.starts, end))

    def covering(self, offset: int) -> list[Any]:
        lo = bisect_left(self.starts, offset - self.longest)
        hi = bisect_right(self.starts, offset)
        return self._pick(lo, hi, lambda x: x.start <= offset < x.end)


def _index(doc: Doc, attr: str) -> _Index:
    items = getattr(doc._, attr) or []
    key = ("wirewatch_index", attr)
    cached = doc.user_data.get(key)
    if cached is None or cached.items is not items or len(cached.order) != len(items):
        cached = doc.user_data[key] = _Index(items)
    return cached


def starting_in(doc: Doc, attr: str, start: int, end: int) -> list[Any]:
    """Facts in ``doc._.<attr>`` whose start lies in [start, end), in list order."""
    return _index(doc, attr).starting_in(start, end)


def covering(doc: Doc, attr: str, offset: int) -> list[Any]:
    """Facts in ``doc._.<attr>`` whose [start, end) contains ``offset``, in list order."""
    return _index(doc, attr).covering(offset)


class Intervals(list):
    """(start, end) pairs, sorted, that also answer "which may overlap [s, e)?" by binary
    search: still a list wherever one is expected."""

    def __init__(self, pairs: list[tuple[int, int]]):
        super().__init__(sorted(pairs))
        self._starts = [a for a, _ in self]
        self._longest = max((b - a for a, b in self), default=0)

    def near(self, start: int, end: int) -> list[tuple[int, int]]:
        """Every pair that overlaps or contains [start, end) (and perhaps a few more)."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_right(self._starts, max(start, end))
        return self[lo:hi]
