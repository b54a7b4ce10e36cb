"""Incidents: events from different articles that report the same happening, grouped by
the pairwise rule in ``wirewatch.incident_rule``, with their membership stored.

Only counted events take part (``events.counted``: not rejected, not from a near-copy, in
a counted modality). Grouping is incremental: after an ingest, only the incidents within
reach of the new events' days are recomputed (the days ± twice the window, plus every
incident that had a member there), and since an incident is named after its earliest
member, a report joining an incident keeps its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    delete,
    func,
    or_,
    select,
)

from wirewatch.incident_rule import WINDOW_DAYS, Report, components, incident_id, reports
from wirewatch.store import rollups
from wirewatch.store import schema as t
from wirewatch.store.chunks import chunks
from wirewatch.store.lists import Filters, Page
from wirewatch.store.schema import metadata

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from wirewatch.store.repository import Store

incidents = Table(
    "incidents", metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(12), index=True),
    Column("first_day", String(10), nullable=False),
    Column("last_day", String(10), nullable=False),
    Column("place_name", Text),
    Column("country", String(3)),
    Column("reports", Integer, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("first_reported", String(40)),
    Column("data", JSON, nullable=False),  # the incident as every surface shows it
)
Index("ix_incidents_first_day_id", incidents.c.first_day, incidents.c.id)

incident_events = Table(
    "incident_events", metadata,
    Column("event_id", String(40), primary_key=True),
    Column("incident_id", String(40), nullable=False, index=True),
    Column("article_id", String(40), nullable=False, index=True),
    Column("day", String(10), nullable=False, index=True),
)


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# The ranges a regrouping reads, at most: each is a term of one OR, and SQLite refuses an
# expression deeper than 1,000. Beyond it, neighbouring ranges merge (reading more days).
MAX_WINDOWS = 64


def _windows(days: Sequence[str]) -> list[tuple[str, str]]:
    """The days within reach of these (sorted) days, ± twice the window, as merged
    ranges. One range from the first day to the last regrouped everything between: an
    article citing a date two years back regrouped two years of events."""
    out: list[tuple[str, str]] = []
    for day in days:
        try:
            lo, hi = _shift(day, -2 * WINDOW_DAYS), _shift(day, 2 * WINDOW_DAYS)
        except ValueError:  # not a calendar day ("2025-02-30"): its own events, at least
            lo = hi = day
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    while len(out) > MAX_WINDOWS:
        out = [(out[k][0], max(r[1] for r in out[k:k + 2])) for k in range(0, len(out), 2)]
    return out


def _event_rows(conn: Connection, windows: Sequence[tuple[str, str]],
                extra_ids: Iterable[str] = (), everything: bool = False
                ) -> list[dict[str, Any]]:
    """Counted events: all of them, or those of the days in these ranges, the undated
    ones and ``extra_ids``."""
    ev, ar = t.events, t.articles
    q = select(ev.c.id, ev.c.article_id, ev.c.type, ev.c.date, ev.c.place_name, ev.c.country,
               ev.c.geo_level, ev.c.sentence, ev.c.start, ev.c.end, ev.c.data,
               ar.c.source, ar.c.url, ar.c.published).join(
        ar, ar.c.id == ev.c.article_id).where(ev.c.counted == 1)
    if not everything:
        # An event's day is its date when that is a day, else its article's: the same day
        # the incident members are filed under, so every incident a regrouping can rebuild
        # is one it deleted first (an event dated weeks before its article was read twice).
        # An undated event is its own incident, regrouped every time (there are few).
        from wirewatch.store.lists import event_day_column

        day = "____-__-__%"
        clauses = [and_(func.coalesce(ev.c.date, "").not_like(day),
                        func.coalesce(ar.c.published, "").not_like(day))]
        clauses += [event_day_column().between(lo, hi) for lo, hi in windows]
        extra = list(extra_ids)
        if extra:
            clauses.append(ev.c.id.in_(extra))
        q = q.where(or_(*clauses))
    return [dict(r) for r in conn.execute(q).mappings()]


def rebuild(store: Store, days: Iterable[str] | None = None) -> int:
    """Recompute the incidents within reach of these days (all of them when None; the
    undated events' own incidents in any case). Returns how many incidents were
    written."""
    days = sorted({d[:10] for d in days or () if d}) if days is not None else None

    def work(conn: Connection) -> int:
        ie = incident_events
        windows = _windows(days or [])
        if days is None:
            old_ids = [r[0] for r in conn.execute(select(incidents.c.id))]
        else:
            near = [ie.c.day == ""] + [ie.c.day.between(lo, hi) for lo, hi in windows]
            old_ids = [r[0] for r in conn.execute(select(ie.c.incident_id).where(
                or_(*near)).distinct())]
        members = [r[0] for r in conn.execute(select(incident_events.c.event_id).where(
            incident_events.c.incident_id.in_(old_ids)))] if old_ids else []
        rows = _event_rows(conn, windows, members, everything=days is None)
        if days is not None:
            # An event regrouped here may still sit in an incident filed under another day
            # (its article was re-processed with a new date): that incident is regrouped
            # too, or its id (named after its first event) would come back twice.
            known = set(old_ids)
            more: set[str] = set()
            for chunk in chunks([r["id"] for r in rows]):
                more |= {r[0] for r in conn.execute(select(ie.c.incident_id).where(
                    ie.c.event_id.in_(chunk)).distinct())} - known
            if more:
                old_ids += sorted(more)
                members += [r[0] for r in conn.execute(select(ie.c.event_id).where(
                    ie.c.incident_id.in_(sorted(more))))]
                rows = _event_rows(conn, windows, members)
        # Membership moves first reports: the counts of every event regrouped here are
        # taken out now and put back after (all of them recomputed on a full rebuild).
        recount = None if days is None else rollups.Recount(
            conn, events=members + [r["id"] for r in rows])
        for chunk in chunks(old_ids):
            conn.execute(delete(incident_events).where(
                incident_events.c.incident_id.in_(chunk)))
            conn.execute(delete(incidents).where(incidents.c.id.in_(chunk)))
        must, cannot = constraints(conn)
        groups = components(reports(rows), must, cannot)
        names = _actor_names(conn, {a for g in groups for r in g for role in r.ids
                                    for a in r.ids[role]})
        # Events of reports dropped since (a re-processed article) must not linger.
        ids = [e["id"] for g in groups for r in g for e in r.events]
        for chunk in chunks(ids):
            conn.execute(delete(incident_events).where(incident_events.c.event_id.in_(chunk)))
        # One statement per table for all the groups (a statement built per incident cost
        # more than the insert itself: 1 ms each, at the end of every ingest).
        rows, members_rows = [], []
        for g in groups:
            item = summary(g, names)
            rows.append(dict(
                id=item["id"], type=item["type"], first_day=item["date"]["start"] or "",
                last_day=item["date"]["end"] or "", place_name=(item["place"] or {}).get("name"),
                country=(item["place"] or {}).get("country"), reports=item["reports"],
                sources=item["sources"], first_reported=item["first_reported"]["published"],
                data=item))
            members_rows += [
                {"event_id": e["id"], "incident_id": item["id"], "article_id": e["article_id"],
                 "day": r.day} for r in g for e in r.events]
        if rows:
            conn.execute(incidents.insert(), rows)
        if members_rows:
            conn.execute(incident_events.insert(), members_rows)
        n = len(rows)
        if recount is None:
            rollups.rebuild(conn)
        else:
            recount.done()
        return n

    # Under the store's write lock, retried like every write: two ingests regroup in turn.
    return store._write(work)


def constraints(conn: Connection) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """A reviewer's merges (must join) and splits (must stay apart), as pairs of event
    ids (stable across re-processing), oldest review first; a later review of the same
    pair wins."""
    from wirewatch.store.reviews import reviews as log

    pairs: dict[tuple[str, str], str] = {}
    for action, payload in conn.execute(select(log.c.action, log.c.payload).where(
            log.c.target_type == "incident").order_by(log.c.id)):
        payload = payload or {}
        kind = "must" if action == "merge" else "cannot"
        for x in payload.get("events") or []:
            for y in payload.get("others") or []:
                pairs[tuple(sorted((x, y)))] = kind  # type: ignore[index]
    must = sorted(p for p, k in pairs.items() if k == "must")
    cannot = sorted(p for p, k in pairs.items() if k == "cannot")
    return must, cannot


def review(store: Store, incident_id: str, action: str, reviewer: str,
           comment: str | None = None, payload: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    """Split an incident (``{"events": [member event ids]}`` leave it, together) or merge
    it with another (``{"into": incident id}``). Kept in the review log as pairs of event
    ids, so it holds when the articles are re-processed; the incidents are recomputed."""
    from wirewatch.store.reviews import ReviewError, _now
    from wirewatch.store.reviews import reviews as log

    payload = dict(payload or {})
    if action not in ("split", "merge"):
        raise ReviewError("an incident can be split or merged")
    if not reviewer or not reviewer.strip():
        raise ReviewError("a review needs a reviewer")
    ie = incident_events
    with store.engine.begin() as conn:
        def members(iid: str) -> list[tuple[str, str]]:
            return [(r[0], r[1]) for r in conn.execute(select(ie.c.event_id, ie.c.day).where(
                ie.c.incident_id == iid).order_by(ie.c.event_id))]

        mine = members(incident_id)
        if not mine:
            raise LookupError(f"no incident with id {incident_id!r}")
        days = {d for _, d in mine}
        ids = [e for e, _ in mine]
        if action == "split":
            chosen = payload.get("events")
            if not isinstance(chosen, list) or not chosen or not set(chosen) <= set(ids):
                raise ReviewError("split needs 'events': some of the incident's event ids")
            others = [e for e in ids if e not in set(chosen)]
            if not others:
                raise ReviewError("split needs to leave some events in the incident")
            stored = {"events": sorted(set(chosen)), "others": others}
        else:
            into = payload.get("into")
            theirs = members(into) if isinstance(into, str) and into != incident_id else []
            if not theirs:
                raise ReviewError("merge needs 'into': the id of another incident")
            days |= {d for _, d in theirs}
            stored = {"into": into, "events": ids, "others": [e for e, _ in theirs]}
        row = dict(target_type="incident", target_id=incident_id, action=action,
                   payload=stored, reviewer=reviewer.strip(), comment=comment,
                   created_at=_now())
        row["id"] = conn.execute(log.insert().values(**row)).inserted_primary_key[0]
    rebuild(store, days)
    return row


def _actor_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    ac = t.actors
    return {r[0]: r[1] for r in conn.execute(select(ac.c.id, ac.c.name).where(
        ac.c.id.in_(sorted(ids))))}


PLACE_RANK = {"point": 0, "city": 1, "district": 2, "region": 3, "country": 4}


def summary(group: list[Report], names: dict[str, str]) -> dict[str, Any]:
    """What an incident shows: its reports, what they agree on and where they differ."""
    iid = incident_id(group)
    days = sorted(r.day for r in group if r.day)  # an undated report has none
    articles = sorted({r.article_id for r in group})
    sources = sorted({r.source or r.article_id for r in group})
    events = sorted((e for r in group for e in r.events),
                    key=lambda e: (e.get("published") or "", e["article_id"], e["id"]))
    first = events[0]
    participants: dict[str, dict[str, Any]] = {}
    for r in group:
        for role in ("actor", "recipient"):
            for aid in sorted(r.ids[role]):
                p = participants.setdefault(aid, {"id": aid, "name": names.get(aid, aid),
                                                  "roles": [], "reports": set()})
                if role not in p["roles"]:
                    p["roles"].append(role)
                p["reports"].add(r.article_id)
    places = sorted({(r.place, r.country, r.level) for r in group if r.place},
                    key=lambda p: (PLACE_RANK.get(p[2] or "", 5), p[0]))
    place = ({"name": places[0][0], "country": places[0][1], "level": places[0][2]}
             if places else None)
    disagreements = []
    tolls: dict[int, set[str]] = {}
    for r in group:
        if r.killed is not None:
            tolls.setdefault(r.killed, set()).add(r.article_id)
    if len(tolls) > 1:
        disagreements.append({"field": "killed", "values": [
            {"value": v, "articles": sorted(a)} for v, a in sorted(tolls.items())]})
    if len(places) > 1:
        disagreements.append({"field": "place", "values": [
            {"value": p[0], "articles": sorted({r.article_id for r in group
                                                if r.place == p[0]})} for p in places]})
    for role in ("actor", "recipient"):
        said = {r.article_id: sorted(r.ids[role]) for r in group if r.ids[role]}
        if len({tuple(v) for v in said.values()}) > 1:
            disagreements.append({"field": role + "s", "values": [
                {"value": v, "articles": sorted(a for a, w in said.items() if w == v)}
                for v in sorted({tuple(v) for v in said.values()})]})
    if len(set(days)) > 1:
        disagreements.append({"field": "date", "values": [
            {"value": d, "articles": sorted({r.article_id for r in group if r.day == d})}
            for d in sorted(set(days))]})
    killed = sorted(tolls)
    return {
        "id": iid, "type": group[0].type, "reports": len(articles), "sources": len(sources),
        "first_reported": {"article_id": first["article_id"], "source": first.get("source"),
                           "url": first.get("url"), "published": first.get("published")},
        "date": {"start": days[0] if days else None, "end": days[-1] if days else None},
        "place": place,
        "participants": [{**p, "reports": len(p["reports"])}
                         for p in sorted(participants.values(), key=lambda p: p["id"])],
        "killed": ({"min": killed[0], "max": killed[-1]} if killed else None),
        "events": [{"id": e["id"], "article_id": e["article_id"], "url": e.get("url"),
                    "source": e.get("source"), "published": e.get("published"),
                    "date": e.get("date"), "place_name": e.get("place_name"),
                    "sentence": (e.get("sentence") or "").strip(),
                    "actors": [p.get("entity") or p.get("text")
                               for p in (e.get("data") or {}).get("actors") or []],
                    "recipients": [p.get("entity") or p.get("text")
                                   for p in (e.get("data") or {}).get("recipients") or []]}
                   for e in events],
        "disagreements": disagreements,
    }


def event_days(store: Store, article_ids: list[str]) -> list[str]:
    """The days of these articles' events and of their incident memberships (where their
    incidents must be recomputed)."""
    if not article_ids:
        return []
    ev, ar, ie = t.events, t.articles, incident_events
    out: set[str] = set()
    with store.engine.connect() as conn:
        for chunk in chunks(article_ids):
            out.update(r[0] for r in conn.execute(select(ie.c.day).where(
                ie.c.article_id.in_(chunk)).distinct()))
            for d, p in conn.execute(select(ev.c.date, ar.c.published).join(
                    ar, ar.c.id == ev.c.article_id).where(ev.c.article_id.in_(chunk))):
                for v in (d, p):
                    if v and len(v) >= 10 and v[4] == "-" and v[7] == "-":
                        out.add(v[:10])
    return sorted(out)


def refresh_for_events(store: Store, event_ids: list[str]) -> int:
    """After a review of these events: recompute the incidents around their articles."""
    ev = t.events
    with store.engine.connect() as conn:
        articles = sorted({r[0] for r in conn.execute(select(ev.c.article_id).where(
            ev.c.id.in_(event_ids)))})
    return rebuild(store, event_days(store, articles))


FACETS = ("type", "country", "reports")


def page(store: Store, f: Filters, limit: int | None = None, cursor: str | None = None,
         min_reports: int = 1, facets: Sequence[str] = ()) -> Page:
    """Incidents, earliest first (keyset on first day and id), filtered by day window,
    type, country and participant (id or name); ``facets`` counts matching incidents by
    type, country or number of reports."""
    inc, ie, pt = incidents, incident_events, t.event_participants
    where: list[Any] = [inc.c.reports >= min_reports]
    if f.since:
        where.append(inc.c.last_day >= f.since)
    if f.until:
        where.append(inc.c.first_day <= f.until + "\uffff")
    if f.type:
        where.append(inc.c.type == f.type.upper())
    if f.country:
        where.append(inc.c.country == f.country.upper())
    with store.engine.connect() as conn:
        if f.actor:
            from wirewatch.store import reviews
            from wirewatch.store.lists import _contains, actor_ids

            ids = actor_ids(conn, f.actor, reviews.actor_map(conn))
            sub = select(ie.c.incident_id).join(pt, pt.c.event_id == ie.c.event_id).where(
                or_(pt.c.actor_id.in_(ids), _contains(pt.c.text, f.actor)))
            where.append(inc.c.id.in_(sub))
        from wirewatch.store.lists import _page

        for name in facets:
            if name not in FACETS:
                raise ValueError(f"unknown facet {name!r} for incidents: use "
                                 f"{', '.join(FACETS)}")
        plain = select().select_from(inc)
        fq = {name: (getattr(inc.c, name), plain) for name in FACETS}
        order = [(inc.c.first_day, False), (inc.c.id, False)]
        base = select(inc.c.data, *[c.label(f"_k{i}") for i, (c, _) in enumerate(order)])
        rows, total, nxt, counts, prv = _page(conn, base, where, order, limit, cursor, fq,
                                              facets, count_from=inc)
    return Page([dict(r["data"]) for r in rows], total, nxt, counts, prv)


def get(store: Store, incident_id: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(incidents.c.data).where(
            incidents.c.id == incident_id)).first()
    return None if row is None else dict(row[0])


def of_event(store: Store, event_id: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(select(incident_events.c.incident_id).where(
            incident_events.c.event_id == event_id)).scalar()


def of_representatives(store: Store, event_ids: list[str]
                       ) -> dict[str, tuple[dict[str, Any], dict[str, Any] | None]]:
    """For events that stand for their incident: the incident as shown, and the location
    (as the event coder wrote it) of a member event at the incident's agreed place."""
    ev, ie = t.events, incident_events
    out: dict[str, tuple[dict[str, Any], dict[str, Any] | None]] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(event_ids):
            rows = conn.execute(select(ie.c.event_id, incidents.c.id, incidents.c.data).join(
                incidents, incidents.c.id == ie.c.incident_id).where(
                ie.c.event_id.in_(chunk))).all()
            for event_id, iid, data in rows:
                place = (data or {}).get("place") or {}
                loc = None
                if place.get("name"):
                    found = conn.execute(select(ev.c.data).join(
                        ie, ie.c.event_id == ev.c.id).where(
                        ie.c.incident_id == iid, ev.c.place_name == place["name"]).order_by(
                        ev.c.id).limit(1)).scalar()
                    loc = (found or {}).get("location")
                out[event_id] = (dict(data), loc)
    return out


def of_events(store: Store, event_ids: list[str]) -> dict[str, str]:
    ie = incident_events
    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for chunk in chunks(event_ids):
            out.update((r[0], r[1]) for r in conn.execute(select(
                ie.c.event_id, ie.c.incident_id).where(ie.c.event_id.in_(chunk))))
    return out
