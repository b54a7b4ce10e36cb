"""Which event reports tell of the same happening: the pairwise rule behind incidents.

GDELT's best-known flaw is one story counted hundreds of times. Near-copies of an article
are already set aside at ingest; this rule goes further and groups events from *different*
articles that report the same happening, in different words. Precision first: two reports
join only when they agree on the type, the day (within ``WINDOW_DAYS``), the place (or one
of them does not say), and either share a resolved participant or, failing that, name the
same kind of target in the same place on the same day in similar words. A clear
difference (different resolved participants in a role, different targets, different
places) keeps them apart. Pure functions over plain dicts: no SQL here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from typing import Any

from wirewatch.model import content_id, event_day
from wirewatch.nlp.datafiles import event_table
from wirewatch.nlp.timex import number

WINDOW_DAYS = 2  # reports of one happening are dated within this many days of each other
STRONG = 5  # the evidence two reports need to join (see ``evidence``)


@cache
def words() -> dict[str, Any]:
    data = event_table("incidents.yaml")
    return {k: set(v) if isinstance(v, list) else v for k, v in data.items()}


@dataclass
class Report:
    """The events one article codes for one happening: those of one sentence and type
    (the coder makes one event per target of a sentence)."""

    key: str  # the earliest member event id
    article_id: str
    source: str | None
    type: str
    day: str
    published: str = ""  # the article's, to name an incident after its first report
    place: str | None = None
    country: str | None = None
    level: str | None = None
    ids: dict[str, set[str]] = field(default_factory=lambda: {"actor": set(), "recipient": set()})
    heads: dict[str, set[str]] = field(default_factory=lambda: {"actor": set(),
                                                                "recipient": set()})
    tokens: set[str] = field(default_factory=set)
    killed: int | None = None
    events: list[dict[str, Any]] = field(default_factory=list)


def head(text: str | None) -> str | None:
    """The last word of a participant's text, singular-ish: 'four police officers' ->
    'officer'; None for a vague one ('others', 'they')."""
    found = re.findall(r"[A-Za-z]+", text or "")
    if not found:
        return None
    w = found[-1].lower()
    if w in words()["vague_heads"] or len(w) < 3:
        return None
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def tokens(sentence: str | None) -> set[str]:
    stop = words()["stopwords"]
    return {w for w in re.findall(r"[a-z]+", (sentence or "").lower())
            if len(w) >= 4 and w not in stop}


def casualties(data: dict[str, Any]) -> int | None:
    """Deaths an event reports: the coder's own ``casualties`` field when it has one,
    else a number next to a killing cue in the evidence sentence."""
    cas = data.get("casualties")
    if isinstance(cas, dict):
        for key in ("killed", "dead", "deaths"):
            if isinstance(cas.get(key), int | float):
                return int(cas[key])
    elif isinstance(cas, int | float) and not isinstance(cas, bool):
        return int(cas)
    sentence = data.get("sentence") or ""
    num = r"((?:at least |more than )?[\w-]+(?: [\w-]+)?)"
    cues = "|".join(sorted(words()["killed_cues"]))
    after = "|".join(sorted(words()["killed_after"]))
    for m in re.finditer(rf"\b(?:{cues})\s+{num}", sentence, re.I):
        n = _count(m[1])
        if n is not None:
            return n
    for m in re.finditer(rf"\b([\w-]+)\s+(?:[a-z]+\s+){{0,2}}(?:were |was |)(?:{after})\b",
                         sentence, re.I):
        n = _count(m[1])
        if n is not None:
            return n
    return None


def _count(phrase: str) -> int | None:
    phrase = re.sub(r"^(?:at least|more than) ", "", phrase.lower())
    for cut in (phrase, phrase.split(" ")[0]):
        if cut in ("a", "an"):
            return None
        n = number(cut)
        if n is not None and n == int(n):
            return int(n)
    return None


def reports(rows: list[dict[str, Any]]) -> list[Report]:
    """Event rows (with ``data``, ``source``, ``published``) grouped into reports."""
    out: dict[tuple[Any, ...], Report] = {}
    for row in sorted(rows, key=lambda r: r["id"]):
        # An undated event (no day of its own nor of its article) is a report of its own
        # that joins nothing: there is no day to compare.
        day = event_day(row)
        d = row.get("data") or {}
        k = (row["article_id"], d.get("start", row.get("start")), d.get("end", row.get("end")),
             row["type"])
        rep = out.get(k)
        if rep is None:
            rep = out[k] = Report(key=row["id"], article_id=row["article_id"],
                                  source=row.get("source"), type=row["type"], day=day,
                                  published=row.get("published") or "",
                                  tokens=tokens(row.get("sentence")))
        rep.day = min(x for x in (rep.day, day) if x) if rep.day or day else ""
        if row.get("place_name") and not rep.place:
            rep.place, rep.country, rep.level = (row["place_name"], row.get("country"),
                                                 row.get("geo_level"))
        for role in ("actor", "recipient"):
            for p in d.get(role + "s") or []:
                if p.get("entity"):
                    rep.ids[role].add(p["entity"])
                else:
                    h = head(p.get("text"))
                    if h:
                        rep.heads[role].add(h)
        n = casualties({**d, "sentence": row.get("sentence")})
        if n is not None:
            rep.killed = n if rep.killed is None else max(rep.killed, n)
        rep.events.append(row)
    return list(out.values())


@lru_cache(maxsize=8192)
def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def _days(a: str, b: str) -> int:
    return abs(_ordinal(a) - _ordinal(b))


def _same_place(a: Report, b: Report) -> bool | None:
    """True: the same place (or one is the other's country); False: different places;
    None: one of them does not say."""
    if not a.place or not b.place:
        return None
    if a.place.lower() == b.place.lower():
        return True
    for x, y in ((a, b), (b, a)):  # a city within its country
        if x.level == "country" and x.country and x.country == y.country:
            return True
    return False


def evidence(a: Report, b: Report) -> int:
    """How strongly two reports tell of the same happening; 0 when something says they
    do not. A shared resolved participant counts 2, a known same place 2, the same day 1,
    a shared unresolved target or actor 1, alike sentences 1 or 2."""
    if a.article_id == b.article_id or a.type != b.type or not a.day or not b.day:
        return 0
    if _days(a.day, b.day) > WINDOW_DAYS:
        return 0
    place = _same_place(a, b)
    if place is False:
        return 0
    shared_ids = False
    shared_heads = False
    for role in ("actor", "recipient"):
        if a.ids[role] and b.ids[role]:
            if a.ids[role] & b.ids[role]:
                shared_ids = True
            else:
                return 0  # both say who, and they differ
        if a.heads[role] & b.heads[role]:
            shared_heads = True
    if not shared_ids and a.heads["recipient"] and b.heads["recipient"] and not (
            a.heads["recipient"] & b.heads["recipient"]):
        return 0  # a patrol is not a shop
    inter = len(a.tokens & b.tokens)
    sim = inter / max(1, len(a.tokens | b.tokens))
    score = (2 * shared_ids + shared_heads + 2 * bool(place) + (a.day == b.day)
             + (sim >= 0.25) + (sim >= 0.45))
    if not shared_ids and not (shared_heads and place):
        return 0  # no one resolved in common: only the same target in the same place
    return score


def linked(a: Report, b: Report) -> bool:
    return evidence(a, b) >= STRONG


def components(reps: list[Report], must: Sequence[tuple[str, str]] = (),
               cannot: Sequence[tuple[str, str]] = ()) -> list[list[Report]]:
    """Connected components of the pairwise rule, each sorted by (day, key); the same for
    any input order. A reviewer's ``must`` pairs of event ids join their reports whatever
    the rule says; ``cannot`` pairs keep the two reports' incidents apart."""
    reps = sorted(reps, key=lambda r: (r.day, r.key))
    parent = list(range(len(reps)))
    at = {e["id"]: i for i, r in enumerate(reps) for e in r.events}
    apart: dict[int, set[int]] = {}
    for x, y in cannot:
        if x in at and y in at and at[x] != at[y]:
            apart.setdefault(at[x], set()).add(at[y])
            apart.setdefault(at[y], set()).add(at[x])
    members = {i: {i} for i in range(len(reps))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj or any(apart.get(m, set()) & members[rj] for m in members[ri]):
            return
        parent[rj] = ri
        members[ri] |= members.pop(rj)

    for x, y in must:
        if x in at and y in at:
            union(at[x], at[y])
    # Only reports of one type can join: each is compared with the later ones of its type,
    # pairs taken in the same order as over all reports (so a reviewer's ``cannot`` pairs
    # refuse the same unions).
    of_type: dict[str, list[int]] = {}
    for i, r in enumerate(reps):
        of_type.setdefault(r.type, []).append(i)
    after = {i: (same, k + 1) for same in of_type.values() for k, i in enumerate(same)}
    for i, a in enumerate(reps):
        if not a.day:
            continue  # undated: joins only where a reviewer said so
        same, k = after[i]
        for n in range(k, len(same)):
            j = same[n]
            b = reps[j]
            if b.day > a.day and _days(a.day, b.day) > WINDOW_DAYS:
                break  # sorted by day: nothing further can join a
            if linked(a, b):
                union(i, j)
    groups: dict[int, list[Report]] = {}
    for i, r in enumerate(reps):
        groups.setdefault(find(i), []).append(r)
    return sorted(groups.values(), key=lambda g: (g[0].day, g[0].key))


def first(group: list[Report]) -> Report:
    """The earliest member by (day, publication, event id)."""
    return min(group, key=lambda r: (r.day, r.published, r.key))


def incident_id(group: list[Report]) -> str:
    """Named after its earliest member (``first``): stable across re-processing and input
    order, and kept when a report published later joins (only a report of an earlier day,
    or of the same day published earlier, renames the incident)."""
    first_report = first(group)
    return content_id("inc", first_report.key)
