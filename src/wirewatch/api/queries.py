"""What the pages and the JSON API show, assembled from the store (reviews applied)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from wirewatch.export.graph import ISO_DAY, event_day
from wirewatch.store import reviews
from wirewatch.store import schema as t
from wirewatch.store.repository import Filters, Store


def event_item(ev: dict[str, Any]) -> dict[str, Any]:
    d = ev.get("data") or {}
    loc = d.get("location") or {}
    return {
        "id": ev["id"], "article_id": ev["article_id"], "date": ev.get("date"),
        "day": event_day(ev),
        "type": ev["type"], "modality": ev.get("modality"), "cameo": ev.get("cameo"),
        "trigger": d.get("trigger"), "actors": d.get("actors") or [],
        "recipients": d.get("recipients") or [], "place_name": ev.get("place_name"),
        "precision": loc.get("level"), "location": d.get("location"),
        "confidence": ev.get("confidence"), "sentence": ev.get("sentence"),
        "source": ev.get("source"), "published": ev.get("published"),
        "review": ev.get("review"), "edited": ev.get("edited"),
    }


def relation_item(rel: dict[str, Any]) -> dict[str, Any]:
    d = rel.get("data") or {}
    out = {k: v for k, v in rel.items() if k != "data"}
    out["subject_text"] = d.get("subject_text")
    return out


def filter_place(items: list[dict[str, Any]], place: str | None) -> list[dict[str, Any]]:
    if not place:
        return items
    p = place.lower()
    return [e for e in items if p in (e.get("place_name") or "").lower()
            or p == ((e.get("location") or {}).get("country") or "").lower()]


def actor_names(store: Store, ids: set[str]) -> dict[str, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.actors.c.id, t.actors.c.name).where(t.actors.c.id.in_(ids)))
        return {r[0]: r[1] for r in rows}


def article_view(store: Store, article_id: str,
                 include_rejected: bool = True) -> dict[str, Any] | None:
    """The article record with reviews applied (rejected facts kept but flagged, for the page)."""
    record = store.get_record(article_id)
    if record is None:
        return None
    return reviews.apply_to_record(store, record, include_rejected=include_rejected)


def actor_profile(store: Store, actor_id: str) -> dict[str, Any] | None:
    ac = t.actors
    amap = reviews.actor_map(store)
    canonical = amap.get(actor_id, actor_id)
    with store.engine.connect() as conn:
        row = conn.execute(select(ac).where(ac.c.id == canonical)).mappings().first()
    if row is None:
        return None
    actor = reviews.overlay(store, "actor", [dict(row)])[0]
    ids = reviews.expand_actor_ids(store, [canonical])
    merged = [i for i in ids if i != canonical]
    aliases = set(actor.get("aliases") or [])
    if merged:
        with store.engine.connect() as conn:
            for name, more in conn.execute(select(ac.c.name, ac.c.aliases).where(
                    ac.c.id.in_(merged))):
                aliases |= {name, *(more or [])}
    rels = [relation_item(r) for r in store.relations(Filters(actor=canonical))]
    roles = sorted((r for r in rels if r["type"] == "holds_role" and r["subject_id"] == canonical),
                   key=lambda r: (r.get("observed_at") or "", r["id"]))
    role_ids = {r["id"] for r in roles}
    periods: dict[str, dict[str, Any]] = {}
    for r in roles:  # one row per role: first and last seen, with every evidence sentence
        name = (r.get("role") or r.get("object_text") or "").strip()
        p = periods.setdefault(name.lower(), {"role": name, "first": r.get("observed_at"),
                                              "last": r.get("observed_at"), "evidence": []})
        p["last"] = r.get("observed_at") or p["last"]
        p["evidence"].append(r)
    affiliations = [r for r in rels if r["id"] not in role_ids]
    quotes = store.quotes(Filters(speaker=canonical))
    quotes = [q for q in quotes if q.get("speaker_id") == canonical]
    events = [event_item(e) for e in store.events(Filters(actor=canonical))]
    as_recipient = [event_item(e) for e in store.events(Filters(recipient=canonical))]
    seen = {e["id"] for e in events}
    events += [e for e in as_recipient if e["id"] not in seen]
    events.sort(key=lambda e: (e.get("date") or "", e["id"]))
    names = actor_names(store, {r.get("object_id") for r in rels} | {r["subject_id"] for r in rels})
    return {
        "actor": actor, "aliases": sorted(aliases), "merged_from": merged,
        "roles": roles, "role_periods": list(periods.values()), "affiliations": affiliations,
        "quotes": quotes, "events": events,
        "names": names, "review": actor.get("review"),
    }


def stats(store: Store, f: Filters, place: str | None = None) -> dict[str, Any]:
    """Counts, counts per day, event types, top actors and sources for the overview."""
    events = filter_place([event_item(e) for e in store.events(f)], place)
    quotes = store.quotes(Filters(since=f.since, until=f.until, source=f.source,
                                  speaker=f.actor, include_rejected=f.include_rejected))
    articles = store.articles(Filters(since=f.since, until=f.until, source=f.source))
    per_day: dict[str, Counter] = defaultdict(Counter)
    for e in events:
        per_day[e["day"] or "undated"]["events"] += 1
    for q in quotes:
        per_day[_day(q.get("published")) or "undated"]["quotes"] += 1
    for a in articles:
        per_day[_day(a.get("published")) or "undated"]["articles"] += 1
    _fill_gaps(per_day)
    actor_counts: Counter = Counter()
    for e in events:
        for p in e["actors"] + e["recipients"]:
            if p.get("entity"):
                actor_counts[p["entity"]] += 1
    for q in quotes:
        if q.get("speaker_id"):
            actor_counts[q["speaker_id"]] += 1
    listed = {a["id"] for a in store.actors(Filters())}
    top = [(aid, n) for aid, n in actor_counts.most_common() if aid in listed][:12]
    names = actor_names(store, {aid for aid, _ in top})
    return {
        "counts": store.counts(),
        "window": {"events": len(events), "quotes": len(quotes), "articles": len(articles)},
        "per_day": [{"date": d, **per_day[d]} for d in sorted(per_day)],
        "event_types": dict(Counter(e["type"] for e in events).most_common()),
        "sources": dict(Counter(a.get("source") or "unknown" for a in articles).most_common()),
        "top_actors": [{"id": aid, "name": names.get(aid, aid), "count": n} for aid, n in top],
        "reviews": len(reviews.history(store)),
    }


def _day(value: str | None) -> str:
    return value[:10] if value and ISO_DAY.match(value) else ""


def _fill_gaps(per_day: dict[str, Counter], max_days: int = 800) -> None:
    """Empty days between the first and last, so the chart's x axis is time."""
    days = sorted(d for d in per_day if d != "undated")
    if len(days) < 2:
        return
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    if (last - first).days > max_days:
        return
    d = first
    while d < last:
        per_day[d.isoformat()]  # noqa: B018 (defaultdict: creates the empty day)
        d += timedelta(days=1)


def places(store: Store) -> list[dict[str, Any]]:
    p = t.places
    with store.engine.connect() as conn:
        rows = conn.execute(select(
            p.c.place_id, p.c.name, p.c.level, p.c.country, p.c.lat, p.c.lon,
            func.count().label("mentions"),
            func.count(func.distinct(p.c.article_id)).label("articles"),
        ).group_by(p.c.place_id, p.c.name, p.c.level, p.c.country, p.c.lat, p.c.lon)).mappings()
        out = [dict(r) for r in rows]
    by_name = Counter((e.get("place_name") or "") for e in store.events(Filters()))
    for r in out:
        r["id"] = r.pop("place_id")
        r["events"] = by_name.get(r["name"], 0)
    return out
