"""Test stores: an emptied PostgreSQL test database, a store moved to a schema revision,
and a list read page by page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from wirewatch.store import lists
from wirewatch.store.repository import resolve_url


def empty_postgres(url: str) -> str:
    """Drop and re-create the public schema of the (test) database at ``url``; its
    resolved URL, for a ``Store`` to migrate afresh."""
    resolved = resolve_url(url)
    engine = create_engine(resolved)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return resolved


def migrate_to(store: Any, revision: str) -> None:
    """Upgrade the store's schema to ``head`` or downgrade it to ``revision``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(lists.__file__).parent / "migrations"))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        if revision == "head":
            command.upgrade(cfg, revision)
        else:
            command.downgrade(cfg, revision)


def pages(store: Any, kind: str, f: lists.Filters, limit: int = 7
          ) -> list[tuple[list[str], int | None, bool]]:
    """Every page of a list, walked with its cursors: (ids, total, estimated) per page."""
    read = lists.quotes if kind == "quotes" else lists.articles
    out, cursor = [], None
    while True:
        page = read(store, f, limit=limit, cursor=cursor)
        out.append(([r["id"] for r in page.items], page.total, page.estimated))
        cursor = page.next
        if cursor is None:
            return out
