"""One function per fact kind from the pipeline's output and its reviews to what is shown.

A fact row keeps ``data``, the machine's output, unchanged. Its reviews fold into a
:class:`ReviewState`; :func:`effective` applies that state and the actor merges to the
data; the filter columns are derived from the effective data by :func:`fact_row`. The
store calls these when it saves a fact, when a review is added and when it reads one, so
the lists, counts, facets, pages and exports all see the same state.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from wirewatch.model import COUNTED_MODALITIES, ISO_DAY


@dataclass
class ReviewState:
    """The effect of every review of one target, in order."""

    rejected: bool = False
    fields: dict[str, Any] = field(default_factory=dict)
    merged_into: str | None = None  # actors only
    last: dict[str, Any] | None = None  # the latest review row, for display

    @property
    def edited(self) -> list[str]:
        return sorted(self.fields)


def fold(rows: list[dict[str, Any]]) -> ReviewState:
    """Reviews of one target, oldest first, to its state. An edit never changes whether a
    fact is rejected: only ``reject`` and ``accept`` (an explicit un-reject) do."""
    state = ReviewState()
    for r in rows:
        action = r["action"]
        payload = r.get("payload") or {}
        if action == "reject":
            state.rejected = True
        elif action == "accept":
            state.rejected = False
        elif action == "edit":
            state.fields.update(payload.get("fields") or {})
        elif action == "merge":
            state.merged_into = payload.get("into")
        elif action == "split":
            state.merged_into = None
        state.last = r
    return state


def review_info(state: ReviewState | None) -> dict[str, Any] | None:
    if state is None or state.last is None:
        return None
    last = state.last
    info = {k: last.get(k) for k in ("id", "action", "reviewer", "comment", "created_at")}
    info["rejected"] = state.rejected
    return info


def effective(kind: str, data: dict[str, Any], state: ReviewState | None,
              actor_map: dict[str, str]) -> dict[str, Any]:
    """The fact as an analyst sees it: reviewed edits applied, merged actors followed."""
    out = copy.deepcopy(data)
    for key, value in (state.fields if state else {}).items():
        if kind == "event" and key == "date":
            out["date"] = {**(out.get("date") or {}), "value": value, "reason": "reviewed"}
        elif kind == "event" and key == "place_name":
            out["location"] = {**(out.get("location") or {}), "name": value,
                               "reason": "reviewed"}
        elif kind == "event" and key in ("actors", "recipients"):
            out[key] = [dict(p) for p in value]
        elif kind == "quote" and key == "speaker":
            out["speaker"] = (value or {}).get("entity")
            out["speaker_text"] = (value or {}).get("text")
            out["speaker_kind"] = "named" if out["speaker"] else "unresolved"
        else:
            out[key] = value
    if actor_map:
        if kind == "event":
            for role in ("actors", "recipients"):
                for p in out.get(role) or []:
                    p["entity"] = actor_map.get(p.get("entity"), p.get("entity"))
        elif kind == "quote":
            out["speaker"] = actor_map.get(out.get("speaker"), out.get("speaker"))
        elif kind == "relation":
            for key in ("subject", "object"):
                out[key] = actor_map.get(out.get(key), out.get(key))
    if state is not None and state.last is not None:
        out["review"] = review_info(state)
        out["edited"] = state.edited
    return out


def fact_row(kind: str, eff: dict[str, Any], article_id: str, published: str | None,
             state: ReviewState | None, copy: bool = False) -> dict[str, Any]:
    """The filter columns of a fact table, derived from the effective fact. ``copy``: the
    article is a republished near-copy of another. Sort keys are never NULL ("" instead),
    so lists are read in index order."""
    rejected = bool(state and state.rejected)
    common = {"id": eff["id"], "article_id": article_id, "rejected": int(rejected),
              "review_id": (state.last or {}).get("id") if state else None}
    day = published[:10] if published and ISO_DAY.match(published) else published
    published = published or ""
    if kind == "event":
        loc = eff.get("location") or {}
        counted = not rejected and not copy and eff["modality"] in COUNTED_MODALITIES
        return {**common, "type": eff["type"], "modality": eff["modality"],
                "counted": int(counted), "cameo": eff.get("cameo"),
                "date": (eff.get("date") or {}).get("value") or day or "",
                "place_name": loc.get("name"), "lat": loc.get("lat"), "lon": loc.get("lon"),
                "geo_level": loc.get("level"), "country": loc.get("country"),
                "sentence": eff["sentence"], "start": eff["start"], "end": eff["end"],
                "confidence": eff["confidence"], "published": published}
    if kind == "quote":
        return {**common, "counted": int(not rejected and not copy),
                "speaker_id": eff.get("speaker"),
                "speaker_text": eff.get("speaker_text"),
                "speaker_role": eff.get("speaker_role"), "kind": eff["kind"],
                "cue": eff.get("cue"), "addressee": eff.get("addressee"),
                "content": eff["content"], "sentence": eff["sentence"], "start": eff["start"],
                "end": eff["end"], "confidence": eff["confidence"], "published": published}
    if kind == "relation":
        return {**common, "type": eff["type"], "subject_id": eff["subject"],
                "object_id": eff.get("object"), "object_text": eff["object_text"],
                "role": eff.get("role"), "observed_at": eff.get("observed_at") or day or "",
                "sentence": eff["sentence"], "start": eff["start"], "end": eff["end"],
                "confidence": eff["confidence"]}
    raise ValueError(f"unknown fact kind {kind!r}")


def participant_rows(eff: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for role in ("actor", "recipient"):
        for i, p in enumerate(eff.get(role + "s") or []):
            rows.append({"event_id": eff["id"], "role": role, "position": i,
                         "actor_id": p.get("entity"), "text": p.get("text")})
    return rows


def actor_ids_of(kind: str, eff: dict[str, Any]) -> set[str]:
    """Every actor id a fact refers to (to find the facts an actor merge touches)."""
    if kind == "event":
        return {p["entity"] for r in ("actors", "recipients") for p in eff.get(r) or []
                if p.get("entity")}
    if kind == "quote":
        return {eff["speaker"]} if eff.get("speaker") else set()
    return {x for x in (eff.get("subject"), eff.get("object")) if x}
