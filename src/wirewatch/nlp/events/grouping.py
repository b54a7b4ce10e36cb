"""Mentions of one happening: what one sentence's events share (its casualty counts),
so that counts are of happenings, not of verbs."""

from __future__ import annotations

from spacy.tokens import Span

from wirewatch.model import Event
from wirewatch.nlp.casualties import find_casualties
from wirewatch.nlp.codebook import COUNTED_MODALITIES


def attach_casualties(sent: Span, events: list[Event]) -> None:
    """The sentence's stated killed/injured counts go on one attack: the one whose trigger
    is inside the count's evidence ("killing six"), else the first; never on two, so
    counts are not added up twice."""
    attacks = [e for e in events if e.type == "ASSAULT"]
    if not attacks:
        return
    found = find_casualties(sent)
    if found is None:
        return
    ev = found["evidence"]
    inside = [e for e in attacks if ev["start"] <= e.trigger.start < ev["end"]]
    counted = [e for e in attacks if e.modality in COUNTED_MODALITIES]
    target = (inside or counted or attacks)[0]
    target.casualties = found
