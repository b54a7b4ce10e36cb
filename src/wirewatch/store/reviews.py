"""Reviews: an append-only, audited overlay on the machine's facts.

An analyst accepts, rejects or edits an event, quote or relation (an event's actors
and recipients and a quote's speaker included), or merges or splits actors. Each
action is one row in ``reviews``; a target's state is all its reviews folded in order
(``store.facts.fold``): an edit keeps a rejected fact rejected, only ``accept``
restores it. Reviews are keyed on the deterministic content ids, so re-ingesting or
re-processing an article (which rewrites the fact rows with the same ids) leaves them
in force: the store re-derives each fact's columns from its data and its reviews.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    String,
    Text,
    func,
    select,
)
from sqlalchemy import Table as SaTable

from wirewatch.model import MODALITIES, PLOVER_TYPES, QUOTE_KINDS, RELATION_TYPES
from wirewatch.store import schema as t
from wirewatch.store.facts import ReviewState, fold
from wirewatch.store.schema import metadata

if TYPE_CHECKING:
    from wirewatch.store.repository import Store

reviews = SaTable(
    "reviews", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("target_type", String(12), nullable=False),
    Column("target_id", String(80), nullable=False),
    Column("action", String(8), nullable=False),
    Column("payload", JSON),
    Column("reviewer", Text, nullable=False),
    Column("comment", Text),
    Column("created_at", String(40), nullable=False),
    Index("ix_reviews_target", "target_type", "target_id"),
    Index("ix_reviews_created_at", "created_at"),
)

TARGET_TYPES = ("event", "quote", "relation", "actor")
ACTIONS = ("accept", "reject", "edit", "merge", "split")

# Fields an edit may override, with the values allowed where the set is closed.
EDITABLE: dict[str, dict[str, tuple[str, ...] | None]] = {
    "event": {"type": PLOVER_TYPES, "modality": MODALITIES, "cameo": None, "date": None,
              "place_name": None, "mode": None, "actors": None, "recipients": None},
    "quote": {"speaker": None, "speaker_text": None, "speaker_role": None, "kind": QUOTE_KINDS,
              "cue": None, "addressee": None, "content": None},
    "relation": {"type": RELATION_TYPES, "role": None, "object_text": None, "observed_at": None},
    "actor": {"name": None, "type": None, "kind": None, "country": None},
}

# Edits that name actors (ids), resolved to names when the review is written.
ACTOR_FIELDS = {"event": ("actors", "recipients"), "quote": ("speaker",)}

_TABLES = {"event": t.events, "quote": t.quotes, "relation": t.relations, "actor": t.actors}

CHANGE_OF = {"reject": "deleted", "edit": "updated", "accept": "confirmed", "merge": "merged",
             "split": "split"}


class ReviewError(ValueError):
    """A review that cannot be applied (unknown target, bad action or field)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- writing ---------------------------------------------------------------


def add_review(
    store: Store, target_type: str, target_id: str, action: str, reviewer: str,
    comment: str | None = None, payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate and append one review, and re-derive what it changes, in one transaction."""
    payload = dict(payload or {})
    if target_type not in TARGET_TYPES:
        raise ReviewError(f"target_type must be one of {', '.join(TARGET_TYPES)}")
    if action not in ACTIONS:
        raise ReviewError(f"action must be one of {', '.join(ACTIONS)}")
    if not reviewer or not reviewer.strip():
        raise ReviewError("a review needs a reviewer")
    if action in ("merge", "split") and target_type != "actor":
        raise ReviewError(f"{action} applies to actors only")
    table = _TABLES[target_type]
    def work(conn: Any) -> dict[str, Any]:
        body = dict(payload)  # a retried attempt starts again from the request's payload
        found = conn.execute(select(table).where(table.c.id == target_id)).mappings().first()
        if found is None:
            raise LookupError(f"no {target_type} with id {target_id!r}")
        if action == "edit":
            fields = _check_fields(target_type, body.get("fields"))
            body = {"fields": _resolve_actor_fields(conn, target_type, dict(found), fields)}
        elif action == "merge":
            into = body.get("into")
            if not isinstance(into, str) or not into or into == target_id:
                raise ReviewError("merge needs 'into': the id of another actor")
            if conn.execute(select(t.actors.c.id).where(t.actors.c.id == into)).first() is None:
                raise LookupError(f"no actor with id {into!r}")
            body = {"into": into}
        before = actor_map(conn) if target_type == "actor" else {}
        row = dict(target_type=target_type, target_id=target_id, action=action,
                   payload=body or None, reviewer=reviewer.strip(), comment=comment,
                   created_at=_now())
        result = conn.execute(reviews.insert().values(**row))
        row["id"] = result.inserted_primary_key[0]
        if target_type == "actor":
            touched = {target_id, before.get(target_id), actor_map(conn).get(target_id)}
            store.rederive_actor_facts(conn, {x for x in touched if x})
        else:
            store.rederive(conn, target_type, [target_id])
        return row

    # Under the store's write lock, like every write (a concurrent ingest waits its turn).
    return store._write(work)


def _check_fields(target_type: str, fields: Any) -> dict[str, Any]:
    if not isinstance(fields, dict) or not fields:
        raise ReviewError("edit needs 'fields': an object of field -> new value")
    allowed = EDITABLE[target_type]
    out = {}
    for key, value in fields.items():
        if key not in allowed:
            raise ReviewError(f"{target_type} field {key!r} cannot be edited; "
                              f"editable: {', '.join(allowed)}")
        if key in ACTOR_FIELDS.get(target_type, ()):
            out[key] = value
            continue
        choices = allowed[key]
        if value is not None and not isinstance(value, str | int | float):
            raise ReviewError(f"{key} must be a string")
        if choices is not None:
            match = [c for c in choices if isinstance(value, str) and c.lower() == value.lower()]
            if not match:
                raise ReviewError(f"{key} must be one of {', '.join(choices)}")
            value = match[0]
        out[key] = value
    return out


def _resolve_actor_fields(conn: Any, target_type: str, fact: dict[str, Any],
                          fields: dict[str, Any]) -> dict[str, Any]:
    """Who-did-what edits name actor ids: an entity of the fact's article or any stored
    actor. The payload keeps each id with its name (and its span in the sentence when the
    article mentions it), so the review reads back without looking anything up."""
    wanted = ACTOR_FIELDS.get(target_type, ())
    if not any(k in fields for k in wanted):
        return fields
    record = conn.execute(select(t.articles.c.record).where(
        t.articles.c.id == fact["article_id"])).scalar_one()
    entities = {e["id"]: e for e in (record or {}).get("entities") or []}

    def resolve(value: Any) -> dict[str, Any]:
        actor_id = value.get("entity") if isinstance(value, dict) else value
        if not isinstance(actor_id, str) or not actor_id:
            raise ReviewError("an actor is given by its id (a string)")
        ent = entities.get(actor_id)
        if ent is not None:
            lo, hi = fact.get("start") or 0, fact.get("end") or 0
            span = next(([m["start"], m["end"]] for m in ent.get("mentions") or []
                         if lo <= m["start"] and m["end"] <= hi), [None, None])
            return {"entity": actor_id, "text": ent["name"], "start": span[0], "end": span[1]}
        name = conn.execute(select(t.actors.c.name).where(t.actors.c.id == actor_id)).scalar()
        if name is None:
            raise LookupError(f"no actor with id {actor_id!r}")
        return {"entity": actor_id, "text": name, "start": None, "end": None}

    out = dict(fields)
    for key in wanted:
        if key not in fields:
            continue
        value = fields[key]
        if key == "speaker":
            out[key] = None if value is None else {
                k: v for k, v in resolve(value).items() if k in ("entity", "text")}
            continue
        if not isinstance(value, list):
            raise ReviewError(f"{key} must be a list of actor ids")
        out[key] = [resolve(v) for v in value]
    return out


# -- reading ---------------------------------------------------------------


def states(conn: Any, target_type: str, ids: list[str] | None = None) -> dict[str, ReviewState]:
    """The folded review state of each reviewed target (of ``ids``, or all)."""
    q = select(reviews).where(reviews.c.target_type == target_type)
    if ids is not None:
        if not ids:
            return {}
        q = q.where(reviews.c.target_id.in_(ids))
    grouped: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(q.order_by(reviews.c.id)).mappings():
        grouped.setdefault(r["target_id"], []).append(dict(r))
    return {tid: fold(rows) for tid, rows in grouped.items()}


def actor_map(conn: Any) -> dict[str, str]:
    """Merged actor id -> the actor it now counts as (chains followed, cycles cut)."""
    direct = {tid: st.merged_into for tid, st in states(conn, "actor").items()
              if st.merged_into}
    out = {}
    for start in direct:
        seen, cur = {start}, direct[start]
        while cur in direct and direct[cur] not in seen:
            seen.add(cur)
            cur = direct[cur]
        out[start] = cur
    return out


def hidden_actor_ids(conn: Any) -> list[str]:
    """Actors rejected, or merged into another."""
    return sorted(tid for tid, st in states(conn, "actor").items()
                  if st.rejected or st.merged_into)


def expand_actor_ids(amap: dict[str, str], ids: list[str]) -> list[str]:
    """The ids plus every actor merged into one of them."""
    wanted = {amap.get(i, i) for i in ids}
    return sorted(set(ids) | wanted | {k for k, v in amap.items() if v in wanted})


def history(store: Store, target_type: str | None = None, target_id: str | None = None,
            since: str | None = None) -> list[dict[str, Any]]:
    """The audit log, oldest first."""
    q = select(reviews)
    if target_type:
        q = q.where(reviews.c.target_type == target_type)
    if target_id:
        q = q.where(reviews.c.target_id == target_id)
    if since:
        q = q.where(reviews.c.created_at >= since)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(q.order_by(reviews.c.id)).mappings()]


def count(store: Store) -> int:
    with store.reader() as conn:
        return conn.execute(select(func.count()).select_from(reviews)).scalar_one()


def changes(store: Store, since: str) -> list[dict[str, Any]]:
    """ACLED-style update feed: facts added, edited, confirmed, deleted or merged since a date."""
    out = []
    with store.engine.connect() as conn:
        for aid, ingested_at, title in conn.execute(
                select(t.articles.c.id, t.articles.c.ingested_at, t.articles.c.title)
                .where(t.articles.c.ingested_at >= since).order_by(t.articles.c.ingested_at)):
            out.append({"change": "added", "target_type": "article", "target_id": aid,
                        "at": ingested_at, "title": title})
    previous: dict[tuple[str, str], str] = {}
    for r in history(store):
        key = (r["target_type"], r["target_id"])
        change = CHANGE_OF[r["action"]]
        if r["action"] == "accept" and previous.get(key) == "reject":
            change = "restored"
        previous[key] = r["action"]
        if r["created_at"] >= since:
            out.append({"change": change, "target_type": r["target_type"],
                        "target_id": r["target_id"], "at": r["created_at"],
                        "review_id": r["id"], "reviewer": r["reviewer"],
                        "comment": r["comment"], "payload": r["payload"]})
    out.sort(key=lambda c: (c["at"] or "", c["target_type"], c["target_id"]))
    return out
