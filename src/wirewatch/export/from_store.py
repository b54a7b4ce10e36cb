"""Stored article records back to dataclasses, reviews applied, for the event exporters."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from wirewatch.model import Article, Entity, Event, Mention, Participant, Removed, Segment
from wirewatch.store import reviews
from wirewatch.store.repository import Store


def _make(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def _article(d: dict[str, Any]) -> Article:
    art = _make(Article, d)
    art.segments = [_make(Segment, s) for s in d.get("segments") or []]
    art.removed = [_make(Removed, r) for r in d.get("removed") or []]
    return art


def _entity(d: dict[str, Any]) -> Entity:
    ent = _make(Entity, d)
    ent.mentions = [_make(Mention, m) for m in d.get("mentions") or []]
    return ent


def _event(d: dict[str, Any]) -> Event:
    ev = _make(Event, d)
    ev.trigger = _make(Mention, d["trigger"])
    ev.actors = [_make(Participant, p) for p in d.get("actors") or []]
    ev.recipients = [_make(Participant, p) for p in d.get("recipients") or []]
    return ev


def event_rows(store: Store, since: str | None = None, until: str | None = None,
               include_rejected: bool = False) -> Iterator[tuple[Event, Article, dict]]:
    """(event, article, entities by id) for every stored event in the date window."""
    for raw in store.iter_records():
        rec = reviews.apply_to_record(store, raw, include_rejected=include_rejected)
        article = _article(rec["article"])
        entities = {e["id"]: _entity(e) for e in rec.get("entities") or []}
        for d in rec.get("events") or []:
            day = ((d.get("date") or {}).get("value") or article.published or "")[:10]
            if since and (not day or day < since):
                continue
            if until and (not day or day > until):
                continue
            yield _event(d), article, entities
