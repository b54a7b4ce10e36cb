"""The shared span -> entity index answers exactly as a scan of every mention would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wirewatch.model import Entity, Mention
from wirewatch.nlp.spanindex import EntityIndex

TYPES = ("PERSON", "ORG", "GPE")


@st.composite
def entities(draw: st.DrawFn) -> list[Entity]:
    """Entities whose mentions never overlap each other (as the actor component makes them)."""
    n = draw(st.integers(0, 6))
    cuts = sorted(draw(st.sets(st.integers(0, 40), min_size=2 * n, max_size=2 * n)))
    ents = [Entity(id=f"e{i}", name=f"E{i}", type=draw(st.sampled_from(TYPES)))
            for i in range(draw(st.integers(1, 4)))]
    for k in range(n):
        owner = ents[draw(st.integers(0, len(ents) - 1))]
        owner.mentions.append(Mention(cuts[2 * k], cuts[2 * k + 1], "x"))
    return ents


def _rows(ents: list[Entity]) -> list[tuple[int, int, Entity]]:
    return sorted(((m.start, m.end, e) for e in ents for m in e.mentions),
                  key=lambda r: (r[0], r[1], r[2].id))


@settings(max_examples=300, deadline=None)
@given(entities(), st.integers(0, 40), st.integers(0, 20))
def test_overlapping_is_the_best_overlap(ents: list[Entity], start: int, width: int) -> None:
    end = start + width
    best, want = 0, None
    for s, e, ent in _rows(ents):
        shared = min(e, end) - max(s, start)
        if shared > best:
            best, want = shared, ent
    assert EntityIndex(ents).overlapping(start, end) is want


@settings(max_examples=300, deadline=None)
@given(entities(), st.integers(0, 40), st.integers(1, 8), st.integers(0, 10))
def test_covering_needs_the_head(ents: list[Entity], hs: int, hw: int, pad: int) -> None:
    he = hs + hw
    start, end = max(0, hs - pad), he + pad
    want, best = None, -1
    for s, e, ent in _rows(ents):
        if s <= hs and he <= e and s < end and start < e and e - s > best:
            want, best = ent, e - s
    assert EntityIndex(ents).covering(hs, he, start, end) is want


@settings(max_examples=300, deadline=None)
@given(entities(), st.integers(0, 45))
def test_before_lists_earlier_mentions_in_text_order(ents: list[Entity], offset: int) -> None:
    want = [(s, ent) for s, e, ent in _rows(ents) if e <= offset and ent.type in {"PERSON"}]
    assert EntityIndex(ents).before(offset, {"PERSON"}) == want
