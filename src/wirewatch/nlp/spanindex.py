"""Facts of a doc looked up by offset, not by scanning every fact of the article.

Later components ask, once per sentence or per event, for the times, places or
quotes in a range. A scan of the whole list each time makes an article's cost
grow with the square of its length; this index (built once per doc and list,
kept in ``doc.user_data``) answers by binary search and returns the facts in
their original list order, so results are exactly those of the scan.
"""

from __future__ import annotations

import math
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

    def first_start_ending_after(self, offset: int) -> float:
        """The least start of the pairs that end after ``offset`` (inf when none): a span
        [offset, e) overlaps a pair exactly when that start is below e."""
        for k in range(bisect_left(self._starts, offset - self._longest), len(self)):
            a, b = self[k]
            if b > offset:
                return a
        return math.inf

    def near(self, start: int, end: int) -> list[tuple[int, int]]:
        """Every pair that overlaps or contains [start, end) (and perhaps a few more)."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_right(self._starts, max(start, end))
        return self[lo:hi]


class EntityIndex:
    """Every entity mention of an article, by offset: the one span -> entity lookup that
    coref, quotes, relations and events share (built once per doc, ``doc._.entity_index``).

    Rows are ordered by (start, end, entity id), the order of the actor component's
    ``doc._.entity_at``; mentions of different entities do not overlap there.
    """

    def __init__(
        self, entities: list[Any], rows: list[tuple[int, int, str, str]] | None = None
    ):
        self.entities = entities
        by_id: dict[str, Any] = {}
        for ent in entities:
            by_id.setdefault(ent.id, ent)
        if rows is None:
            rows = sorted(
                ((m.start, m.end, e.id, m.label) for e in entities for m in e.mentions),
                key=lambda r: r[:3],
            )
        self.rows = rows
        self.size = len(rows)
        self.starts = [r[0] for r in rows]
        self.ents = [by_id.get(r[2]) for r in rows]
        self.longest = max((r[1] - r[0] for r in rows), default=0)
        self._tokens: list[tuple[int, int, Any, str]] | None = None

    def _near(self, start: int, end: int) -> range:
        """Rows that may overlap [start, end): from the first whose mention can reach it."""
        return range(bisect_left(self.starts, start - self.longest),
                     bisect_left(self.starts, max(start, end)))

    def overlapping(self, start: int, end: int) -> Any:
        """The entity whose mention shares the most characters with [start, end)
        (the first in text order on a tie), or None."""
        best_ent, best = None, 0
        for i in self._near(start, end):
            s, e = self.rows[i][0], self.rows[i][1]
            shared = min(e, end) - max(s, start)
            if shared > best:
                best_ent, best = self.ents[i], shared
        return best_ent

    def covering(self, head_start: int, head_end: int, start: int, end: int) -> Any:
        """The entity with the longest mention that covers [head_start, head_end) and
        overlaps [start, end), or None: the head word decides, not a modifier."""
        best_ent, best_len = None, -1
        for i in self._near(min(start, head_start), max(end, head_end)):
            s, e = self.rows[i][0], self.rows[i][1]
            if s <= head_start and head_end <= e and s < end and start < e and e - s > best_len:
                best_ent, best_len = self.ents[i], e - s
        return best_ent

    def before(self, offset: int, types: set[str]) -> list[tuple[int, Any]]:
        """(start, entity) of every mention ending by ``offset`` whose entity has one of
        ``types``, in text order."""
        out = []
        for i in range(bisect_left(self.starts, offset)):
            ent = self.ents[i]
            if ent is not None and self.rows[i][1] <= offset and ent.type in types:
                out.append((self.rows[i][0], ent))
        return out

    def tokens(self, doc: Doc) -> list[tuple[int, int, Any, str]]:
        """(first token, end token, entity, label) of every mention, in text order."""
        if self._tokens is None:
            self._tokens = []
            for (s, e, _id, label), ent in zip(self.rows, self.ents, strict=True):
                span = doc.char_span(s, e, alignment_mode="expand")
                if ent is not None and span is not None and len(span):
                    self._tokens.append((span.start, span.end, ent, label))
        return self._tokens


def entity_index(doc: Doc) -> EntityIndex | None:
    """The doc's entity index from the actor component's entities (None when it did not
    run), built once and rebuilt only if the actor component's lists were replaced."""
    ext = doc._  # each ``doc._`` makes a new accessor object: one per call, not three
    entities = getattr(ext, "entities", None)
    rows = getattr(ext, "entity_at", None)
    if entities is None or rows is None:
        return None
    cached = ext.entity_index
    if (
        cached is None
        or cached.entities is not entities
        or cached.rows is not rows
        or cached.size != len(rows)
    ):
        cached = ext.entity_index = EntityIndex(entities, rows)
    return cached
