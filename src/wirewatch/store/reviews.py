"""Reviews: an append-only, audited overlay on the machine's facts.

An analyst accepts, rejects or edits an event, quote or relation, or merges or
splits actors. Each action is one row in ``reviews``; the effective state of a
target is its latest review. Reviews are keyed on the deterministic content ids,
so re-ingesting or re-processing an article (which rewrites the fact rows with
the same ids) leaves them in force.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    String,
    Text,
    and_,
    func,
    select,
)
from sqlalchemy import Table as SaTable

from wirewatch.model import MODALITIES, PLOVER_TYPES, RELATION_TYPES
from wirewatch.store import schema as t
from wirewatch.store.schema import metadata

if TYPE_CHECKING:
    from wirewatch.store.repository import Filters, Store

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
              "place_name": None, "mode": None},
    "quote": {"speaker_text": None, "speaker_role": None, "kind": ("direct", "indirect", "mixed"),
              "cue": None, "addressee": None, "content": None},
    "relation": {"type": RELATION_TYPES, "role": None, "object_text": None, "observed_at": None},
    "actor": {"name": None, "type": None, "kind": None, "country": None},
}

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
    """Validate and append one review; returns the stored row."""
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
    with store.engine.begin() as conn:
        if conn.execute(select(table.c.id).where(table.c.id == target_id)).first() is None:
            raise LookupError(f"no {target_type} with id {target_id!r}")
        if action == "edit":
            payload = {"fields": _check_fields(target_type, payload.get("fields"))}
        elif action == "merge":
            into = payload.get("into")
            if not isinstance(into, str) or not into or into == target_id:
                raise ReviewError("merge needs 'into': the id of another actor")
            if conn.execute(select(t.actors.c.id).where(t.actors.c.id == into)).first() is None:
                raise LookupError(f"no actor with id {into!r}")
            payload = {"into": into}
        row = dict(target_type=target_type, target_id=target_id, action=action,
                   payload=payload or None, reviewer=reviewer.strip(), comment=comment,
                   created_at=_now())
        result = conn.execute(reviews.insert().values(**row))
        row["id"] = result.inserted_primary_key[0]
    return row


def _check_fields(target_type: str, fields: Any) -> dict[str, Any]:
    if not isinstance(fields, dict) or not fields:
        raise ReviewError("edit needs 'fields': an object of field -> new value")
    allowed = EDITABLE[target_type]
    out = {}
    for key, value in fields.items():
        if key not in allowed:
            raise ReviewError(f"{target_type} field {key!r} cannot be edited; "
                              f"editable: {', '.join(allowed)}")
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


# -- reading ---------------------------------------------------------------


def _latest_ids():
    """Id of the latest review of each target."""
    return select(func.max(reviews.c.id)).group_by(reviews.c.target_type, reviews.c.target_id)


def latest(store: Store, target_type: str | None = None,
           ids: list[str] | None = None) -> dict[tuple[str, str], dict[str, Any]]:
    """Effective review per (target_type, target_id)."""
    q = select(reviews).where(reviews.c.id.in_(_latest_ids()))
    if target_type:
        q = q.where(reviews.c.target_type == target_type)
    if ids is not None:
        if not ids:
            return {}
        q = q.where(reviews.c.target_id.in_(ids))
    with store.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    return {(r["target_type"], r["target_id"]): r for r in rows}


def rejected_ids(target_type: str):
    """A subquery of the ids whose latest review is a rejection (for NOT IN filters)."""
    return select(reviews.c.target_id).where(and_(
        reviews.c.id.in_(_latest_ids()), reviews.c.target_type == target_type,
        reviews.c.action == "reject"))


def hidden_actor_ids():
    """Actors rejected or merged into another, by their latest review."""
    return select(reviews.c.target_id).where(and_(
        reviews.c.id.in_(_latest_ids()), reviews.c.target_type == "actor",
        reviews.c.action.in_(["reject", "merge"])))


def edited_to(store: Store, target_type: str, field: str, value: Any) -> list[str]:
    """Ids whose effective review edits ``field`` to ``value`` (so a filter on the new value
    finds them; ``overlay`` drops the ones edited away from it)."""
    return [tid for (_, tid), r in latest(store, target_type).items()
            if r["action"] == "edit"
            and ((r.get("payload") or {}).get("fields") or {}).get(field) == value]


def hide_rejected(query: Any, id_column: Any, target_type: str, include_rejected: bool) -> Any:
    if include_rejected:
        return query
    return query.where(id_column.not_in(rejected_ids(target_type)))


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


def actor_map(store: Store) -> dict[str, str]:
    """Merged actor id -> the actor it now counts as (chains followed, cycles cut)."""
    direct = {tid: r["payload"]["into"] for (kind, tid), r in latest(store, "actor").items()
              if r["action"] == "merge" and r.get("payload")}
    out = {}
    for start in direct:
        seen, cur = {start}, direct[start]
        while cur in direct and direct[cur] not in seen:
            seen.add(cur)
            cur = direct[cur]
        out[start] = cur
    return out


def merged_into(store: Store, actor_id: str) -> list[str]:
    """Ids of the actors merged into ``actor_id``."""
    return sorted(k for k, v in actor_map(store).items() if v == actor_id)


def expand_actor_ids(store: Store, ids: list[str]) -> list[str]:
    """The ids plus every actor merged into one of them."""
    amap = actor_map(store)
    wanted = {amap.get(i, i) for i in ids}
    return sorted(set(ids) | wanted | {k for k, v in amap.items() if v in wanted})


def overlay(store: Store, target_type: str, rows: list[dict[str, Any]],
            filters: Filters | None = None) -> list[dict[str, Any]]:
    """Apply the effective reviews to list rows: edits override fields, merged actor ids
    point at the actor they were merged into, and each row says how it was reviewed."""
    if not rows:
        return rows
    state = latest(store, target_type, [r["id"] for r in rows])
    amap = actor_map(store)
    out = []
    for row in rows:
        review = state.get((target_type, row["id"]))
        if review is not None:
            row = _apply(target_type, row, review)
            if filters is not None and not _still_matches(row, filters):
                continue
        if amap:
            _remap_actors(target_type, row, amap)
        out.append(row)
    return out


def apply_to_record(store: Store, record: dict[str, Any],
                    include_rejected: bool = False) -> dict[str, Any]:
    """An article record with reviews applied: rejected facts dropped (or flagged)."""
    rec = copy.deepcopy(record)
    amap = actor_map(store)
    for key, kind in (("events", "event"), ("quotes", "quote"), ("relations", "relation")):
        items = rec.get(key) or []
        state = latest(store, kind, [i["id"] for i in items])
        kept = []
        for item in items:
            review = state.get((kind, item["id"]))
            if review is not None:
                item = _apply(kind, item, review)
                if review["action"] == "reject" and not include_rejected:
                    continue
            _remap_actors(kind, item, amap)
            kept.append(item)
        rec[key] = kept
    for ent in rec.get("entities") or []:
        if ent["id"] in amap:
            ent["merged_into"] = amap[ent["id"]]
    return rec


def _apply(target_type: str, row: dict[str, Any], review: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["review"] = {k: review[k] for k in ("id", "action", "reviewer", "comment", "created_at")}
    if review["action"] == "edit":
        fields = (review.get("payload") or {}).get("fields") or {}
        data = copy.deepcopy(row["data"]) if isinstance(row.get("data"), dict) else None
        for key, value in fields.items():
            if target_type == "event" and key in ("date", "place_name"):
                _edit_event_field(row, data, key, value)
                continue
            row[key] = value
            if data is not None:
                data[key] = value
        if data is not None:
            row["data"] = data
        row["edited"] = sorted(fields)
    return row


def _edit_event_field(row: dict[str, Any], data: dict[str, Any] | None, key: str,
                      value: Any) -> None:
    # A list row has flat columns plus the record in ``data``; a record item has only the
    # nested form ({"date": {"value": ...}}, {"location": {"name": ...}}).
    nested, sub = ("date", "value") if key == "date" else ("location", "name")
    target = data if data is not None else row
    extra = {"reason": "reviewed"} if key == "date" else {}
    target[nested] = {**(target.get(nested) or {}), sub: value, **extra}
    if data is not None:
        row[key] = value


def _still_matches(row: dict[str, Any], f: Filters) -> bool:
    if f.type and "type" in (row.get("edited") or []):
        return str(row.get("type", "")).lower() == f.type.lower()
    if f.modality and "modality" in (row.get("edited") or []):
        return row.get("modality") == f.modality.lower()
    return True


def _remap_actors(target_type: str, row: dict[str, Any], amap: dict[str, str]) -> None:
    if target_type == "quote":
        for key in ("speaker_id", "speaker"):
            if row.get(key) in amap:
                row[key] = amap[row[key]]
    elif target_type == "relation":
        for key in ("subject_id", "object_id", "subject", "object"):
            if row.get(key) in amap:
                row[key] = amap[row[key]]
    elif target_type == "event":
        data = row.get("data") if isinstance(row.get("data"), dict) else row
        for role in ("actors", "recipients"):
            for p in data.get(role) or []:
                if p.get("entity") in amap:
                    p["entity"] = amap[p["entity"]]


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
