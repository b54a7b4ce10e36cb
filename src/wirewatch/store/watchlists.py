"""Watchlists: a saved search (actor, event type, place, text) with a name, whose new
matching events are published as an Atom feed.

A watchlist holds filters only; the events it matches are always the event list's (what
counts, reviews applied), so a rejected event leaves the feed too. The feed's pages come
from ``lists.newest_events``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, String, Table, Text, delete, insert, select

from wirewatch.store.lists import Filters
from wirewatch.store.schema import metadata

if TYPE_CHECKING:
    from wirewatch.store.repository import Store

watchlists = Table(
    "watchlists", metadata,
    Column("name", String(80), primary_key=True),
    Column("actor", Text),
    Column("type", String(40)),
    Column("place", Text),
    Column("q", Text),
    Column("created_by", Text),
    Column("created_at", String(40), nullable=False),
)

FIELDS = ("actor", "type", "place", "q")
# A name is part of the feed's URL: letters, digits, dash, underscore.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")


class WatchlistError(ValueError):
    """A watchlist that cannot be saved as given."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def save(store: Store, name: str, fields: dict[str, Any], created_by: str) -> dict[str, Any]:
    """Create or replace the watchlist ``name``."""
    if not isinstance(name, str) or not NAME.match(name):
        raise WatchlistError("name: 1-80 letters, digits, '-' or '_', starting with a letter "
                             "or digit")
    row: dict[str, Any] = {"name": name, "created_by": created_by, "created_at": _now()}
    for key in FIELDS:
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            raise WatchlistError(f"{key} must be a string")
        row[key] = value.strip() or None if isinstance(value, str) else None
    if not any(row[k] for k in FIELDS):
        raise WatchlistError("a watchlist needs at least one of: " + ", ".join(FIELDS))
    if row["type"]:
        row["type"] = row["type"].upper()
    with store.engine.begin() as conn:
        conn.execute(delete(watchlists).where(watchlists.c.name == name))
        conn.execute(insert(watchlists).values(**row))
    return row


def get(store: Store, name: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(watchlists).where(watchlists.c.name == name)).mappings().first()
    return dict(row) if row else None


def all_watchlists(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(watchlists).order_by(watchlists.c.name)).mappings().all()
    return [dict(r) for r in rows]


def remove(store: Store, name: str) -> int:
    with store.engine.begin() as conn:
        return conn.execute(delete(watchlists).where(watchlists.c.name == name)).rowcount


def filters(row: dict[str, Any]) -> Filters:
    return Filters(actor=row.get("actor"), type=row.get("type"), place=row.get("place"),
                   q=row.get("q"))
