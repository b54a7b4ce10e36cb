"""Cross-article actor resolution: a lone surname joins the one known person who has it.

Inside an article "Mahdi" joins "Ziyad Kamil Mahdi" when both appear. Across
articles, a story that only writes "Mahdi" is linked to the stored actor of
that surname, but only when exactly one known person has it: a shared surname
is never merged blindly.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select

from wirewatch.model import ArticleRecord
from wirewatch.nlp.registry import strip_particle
from wirewatch.store import schema as t


def surname_key(name: str, actor_type: str | None) -> str | None:
    """What ``actors.surname`` holds: a person's last name, particles stripped, when the
    name has two words or more."""
    parts = name.split()
    if actor_type != "PERSON" or len(parts) < 2:
        return None
    return strip_particle(parts[-1])


def _surname_index(source: Any, surnames: set[str]) -> dict[str, set[str]]:
    """These surnames -> the stored person actors that have them, through the indexed
    ``actors.surname`` (reading every person, as this once did, cost 0.1 s per article
    at 20,000 persons and 0.6 s at 100,000). ``source`` is a store or an open connection
    (inside a write transaction, which also sees the actors that transaction stored)."""
    index: dict[str, set[str]] = defaultdict(set)
    ac = t.actors
    # Only persons have a surname. (Testing the type as well made SQLite read every
    # person through the type's index instead.)
    query = select(ac.c.surname, ac.c.id).where(ac.c.surname.in_(sorted(surnames)))
    if isinstance(source, Connection):
        rows = source.execute(query).all()
    else:
        with source.engine.connect() as conn:
            rows = conn.execute(query).all()
    for surname, actor_id in rows:
        index[surname].add(actor_id)
    return index


def link_known_actors(record: ArticleRecord, store: Any) -> dict[str, str]:
    """Rewrite ids of surname-only person entities to a unique stored actor; return the map.
    ``store`` is a store or a connection (see ``_surname_index``)."""
    candidates = [e for e in record.entities if e.type == "PERSON" and not e.registry_id
                  and len(e.name.split()) == 1]
    if not candidates:
        return {}
    index = _surname_index(store, {strip_particle(e.name) for e in candidates})
    remap = {}
    for ent in candidates:
        known = index.get(strip_particle(ent.name), set())
        if len(known) == 1:
            remap[ent.id] = next(iter(known))
    if remap:
        apply_id_map(record, remap)
    return remap


def apply_id_map(record: ArticleRecord, remap: dict[str, str]) -> None:
    """Replace entity ids everywhere in a record, merging entities that become one."""
    merged: dict[str, object] = {}
    for ent in record.entities:
        ent.id = remap.get(ent.id, ent.id)
        if ent.id in merged:
            first = merged[ent.id]
            first.mentions = sorted(first.mentions + ent.mentions, key=lambda m: m.start)
        else:
            merged[ent.id] = ent
    record.entities = list(merged.values())
    for q in record.quotes:
        q.speaker = remap.get(q.speaker, q.speaker) if q.speaker else q.speaker
    for ev in record.events:
        for p in ev.actors + ev.recipients:
            p.entity = remap.get(p.entity, p.entity) if p.entity else p.entity
    for r in record.relations:
        r.subject = remap.get(r.subject, r.subject)
        r.object = remap.get(r.object, r.object) if r.object else r.object
