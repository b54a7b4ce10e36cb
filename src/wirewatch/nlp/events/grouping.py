"""Mentions of one happening: one event per happening, not per verb.

Within one sentence, the stated casualty counts go on one attack. Across an article, the
mentions of one happening ("gunmen opened fire on a market, killing 19 ... the attackers
stormed ... gunning down shoppers") become one event: the first mention is its trigger,
the later ones are kept as evidence in ``event.also``. Precision first: mentions join
only when they agree on the type, the modality, the date and the place (or one of them
does not say), no participant conflicts, and — across sentences — a participant links
them (the same entity, or a definite description pointing back: "the attackers",
"the suspects"). A sentence that speaks of another happening ("a second bomb",
"separately") never joins an earlier one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

from wirewatch.model import Event, EventMention, Participant
from wirewatch.nlp.casualties import find_casualties
from wirewatch.nlp.codebook import COUNTED_MODALITIES
from wirewatch.nlp.datafiles import event_table
from wirewatch.nlp.tables import table

NEWS = {"asserted", "reported"}  # one happening may be told as fact and as someone's report


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


@dataclass(frozen=True)
class _Words:
    types: frozenset[str]
    distinct: frozenset[str]
    umbrella: frozenset[str]
    perpetrators: frozenset[str]
    anaphors: frozenset[str]
    definite: frozenset[str]
    reflexive: frozenset[str]


@table
def _words() -> _Words:
    data = event_table("grouping.yaml")
    return _Words(**{k: frozenset(str(w) for w in data.get(k) or []) for k in (
        "types", "distinct", "umbrella", "perpetrators", "anaphors", "definite", "reflexive")})


@dataclass
class _Group:
    event: Event  # the first mention, which becomes the grouped event
    members: list[Event] = field(default_factory=list)
    umbrella: bool = False


def group_mentions(events: list[Event], doc: Doc | None = None) -> list[Event]:
    """The article's events with the later mentions of each happening folded into its
    first mention (``also``); other events are kept as they are, in order."""
    words = _words()
    out: list[Event] = []
    groups: list[_Group] = []
    for ev in events:
        if ev.type not in words.types:
            out.append(ev)
            continue
        said = [(m.start() + ev.start, m.group()) for m in
                re.finditer(r"[a-z]+", ev.sentence.lower())]
        target = None
        for group in reversed(groups):
            if not group.umbrella and group.event.type == ev.type and all(
                _compatible(m, ev) and not _told_apart(m, ev, said) for m in group.members
            ) and (any(m.start == ev.start for m in group.members)
                   or any(_linked(m, ev) for m in group.members)):
                target = group
                break
        if target is not None:
            target.members.append(ev)
            continue
        umbrella = any(w in words.umbrella for _, w in said)
        group = _Group(ev, [ev], umbrella=umbrella or _plural(ev, doc))
        groups.append(group)
        out.append(ev)
    for group in groups:
        if len(group.members) > 1:
            _fold(group)
    return out


def _told_apart(a: Event, b: Event, said: list[tuple[int, str]]) -> bool:
    """The later mention's sentence marks another happening: anywhere in it when the
    earlier mention is in another sentence ("a second bomb", "separately"), between the two
    triggers when they share one ("one victim was shot ... while the second was killed";
    but "Separately, gunmen attacked a church, killing two" is one attack)."""
    distinct = _words().distinct
    if a.start != b.start:
        return any(w in distinct for _, w in said)
    return any(w in distinct and a.trigger.end <= at < b.trigger.end for at, w in said)


def _compatible(a: Event, b: Event) -> bool:
    """Nothing says the two mentions are of different happenings."""
    if a.modality != b.modality and not (a.modality in NEWS and b.modality in NEWS):
        return False
    if not _same_date(a, b) or not _same_place(a, b):
        return False
    same_sentence = a.start == b.start
    return not _conflict(a.actors, b.actors, "actor", same_sentence) and not _conflict(
        a.recipients, b.recipients, "recipient", same_sentence)


def _linked(a: Event, b: Event) -> bool:
    """A participant ties a later sentence's mention to an earlier one."""
    return _link(a.actors, b.actors, "actor") or _link(a.recipients, b.recipients, "recipient")


def _ids(parts: list[Participant]) -> set[str]:
    return {p.entity for p in parts if p.entity}


def _head(text: str) -> str:
    found = re.findall(r"[A-Za-z]+", text)
    return found[-1].lower() if found else ""


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _definite(p: Participant) -> bool:
    first = re.findall(r"[A-Za-z]+", p.text)
    return bool(first) and first[0].lower() in _words().definite


def _reflexive(parts: list[Participant]) -> bool:
    return any(p.text.lower() in _words().reflexive for p in parts)


def _conflict(a: list[Participant], b: list[Participant], role: str, same_sentence: bool) -> bool:
    if not a or not b:
        return False
    if _reflexive(a) != _reflexive(b):
        return True  # "shot himself" after "shot two people": another deed
    ids_a, ids_b = _ids(a), _ids(b)
    if ids_a and ids_b:
        return not ids_a & ids_b
    if ids_a or ids_b:
        return True  # a named party against an unnamed one: nothing says they are one
    if role == "recipient":
        # targets are told many ways ("a market", "19 people", "shoppers"), but a later
        # sentence that brings in "a checkpoint" after "a convoy" tells of a new target
        return not same_sentence and _new_referent(a, b)
    heads_a = {_singular(_head(p.text)) for p in a}
    heads_b = {_singular(_head(p.text)) for p in b}
    perps = {_singular(w) for w in _words().perpetrators}
    if heads_a & heads_b or (heads_a <= perps and heads_b <= perps):
        return False
    return True  # "workers" and "drivers" are two parties


def _new_referent(a: list[Participant], b: list[Participant]) -> bool:
    heads_a = {_singular(_head(p.text)) for p in a}
    for p in b:
        first = re.findall(r"[A-Za-z]+", p.text)
        if first and first[0].lower() in {"a", "an"} and _singular(_head(p.text)) not in heads_a:
            return True
    return False


def _link(a: list[Participant], b: list[Participant], role: str) -> bool:
    """The later mention's participant is the earlier one's: the same entity, or a
    definite description that points back ("the attackers" after "gunmen")."""
    if not a or not b:
        return False
    if _ids(a) & _ids(b):
        return True
    later = [p for p in b if p.entity is None and _definite(p)]
    if not later:
        return False
    heads_a = {_singular(_head(p.text)) for p in a}
    perps = {_singular(w) for w in _words().perpetrators}
    anaphors = {_singular(w) for w in _words().anaphors}
    for p in later:
        h = _singular(_head(p.text))
        if h in heads_a or (role == "actor" and h in perps and heads_a & perps):
            return True
        if h in anaphors and not _ids(a):
            return True  # "the suspects" after "a man and a woman"
    return False


def _own_date(ev: Event) -> str | None:
    d = ev.date
    if d is None or getattr(d, "reason", None) != "expression in sentence":
        return None
    return getattr(d, "value", None)


def _same_date(a: Event, b: Event) -> bool:
    va, vb = _own_date(a), _own_date(b)
    if not va or not vb:
        return True
    n = min(len(va), len(vb), 10)
    if va[:n] != vb[:n]:
        return False
    if "T" in va[10:11] and "T" in vb[10:11]:
        return va == vb  # same day, different times of day: two happenings
    return True


def _same_place(a: Event, b: Event) -> bool:
    la, lb = a.location, b.location
    if la is None or lb is None:
        return True
    ida, idb = getattr(la, "place_id", None), getattr(lb, "place_id", None)
    if ida and ida == idb:
        return True
    if (getattr(la, "name", "") or "").lower() == (getattr(lb, "name", "") or "").lower():
        return True
    for wide, narrow in ((la, lb), (lb, la)):
        if getattr(wide, "level", None) == "country" and getattr(wide, "country", None) and (
            getattr(wide, "country", None) == getattr(narrow, "country", None)
        ):
            return True  # "in the United States" and "in Miami"
    return False


def _plural(ev: Event, doc: Doc | None) -> bool:
    """A plural noun trigger ("the attacks", "arrests") tells of several happenings."""
    if doc is None:
        return False
    span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
    return span is not None and span.root.tag_ in {"NNS", "NNPS"}


def _fold(group: _Group) -> None:
    """The first mention becomes the event of the happening: it keeps its trigger, takes
    what it lacks (participants, own date, place) from the later mentions in text order,
    the most specific casualty count, and every later mention as evidence."""
    ev = group.event
    later = group.members[1:]
    for m in later:
        if not ev.actors and m.actors:
            ev.actors = list(m.actors)
        if not ev.recipients and m.recipients:
            ev.recipients = list(m.recipients)
        if _own_date(ev) is None and _own_date(m) is not None:
            ev.date = m.date
        if ev.location is None and m.location is not None:
            ev.location = m.location
    counts = [m.casualties for m in group.members if m.casualties]
    if counts:
        ev.casualties = max(counts, key=_specificity)  # never added up: one happening
    ev.also = [
        EventMention(id=m.id, start=m.start, end=m.end, trigger=m.trigger, sentence=m.sentence)
        for m in later
    ]


def _specificity(cas: dict[str, Any]) -> tuple[int, int, int, int]:
    """An exact count beats "at least"; a count of both dead and injured beats one; then
    the larger (a toll that rose)."""
    killed, injured = cas.get("killed"), cas.get("injured")
    return (not cas.get("lower_bound"), (killed is not None) + (injured is not None),
            killed or 0, injured or 0)
