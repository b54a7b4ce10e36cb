"""Live sources (feeds, sitemaps, pages), their schedule and validators, and the fetch log.

The fetch log has one row per canonical URL: the last fetch's HTTP status, time, size and
error, the validators for the next conditional request, and the feed or sitemap stamp
(updated / lastmod) it was fetched for. A page is logged only once its article is saved,
so a run stopped half-way re-fetches what it had not stored, and never stores twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Integer, String, Table, Text, delete, func, or_, select

from wirewatch.model import content_id
from wirewatch.store.chunks import chunks
from wirewatch.store.schema import metadata

if TYPE_CHECKING:
    from wirewatch.store.repository import Store

sources = Table(
    "sources", metadata,
    Column("id", String(40), primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("kind", String(10), nullable=False),  # feed | sitemap | page
    Column("name", Text),
    Column("every_seconds", Integer, nullable=False),
    Column("allow_private", Integer, nullable=False, default=0),
    Column("added_at", String(40), nullable=False),
    Column("last_fetched", String(40)),
    Column("next_due", String(40)),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_status", Integer),
    Column("last_error", Text),
)

fetch_log = Table(
    "fetch_log", metadata,
    Column("url", Text, primary_key=True),
    Column("source_id", String(40), index=True),
    Column("status", Integer),  # HTTP status; None when no answer came
    Column("outcome", String(20)),  # new | updated | unchanged | not-modified | failed
    Column("fetched_at", String(40)),
    Column("bytes", Integer),
    Column("error", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("stamp", Text),  # the entry's updated / lastmod when it was fetched
    Column("article_id", String(40)),
    Column("attempts", Integer, default=1),
)

KINDS = ("feed", "sitemap", "page")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def add_source(store: Store, url: str, kind: str, every_seconds: int,
               name: str | None = None, allow_private: bool = False) -> dict[str, Any]:
    """Add (or update the settings of) a source; a new source is due at once."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    source_id = content_id("src", url)
    values = {"kind": kind, "name": name, "every_seconds": every_seconds,
              "allow_private": int(allow_private)}
    with store.engine.begin() as conn:
        exists = conn.execute(select(sources.c.id).where(sources.c.id == source_id)).first()
        if exists:
            conn.execute(sources.update().where(sources.c.id == source_id).values(**values))
        else:
            conn.execute(sources.insert().values(id=source_id, url=url, added_at=_iso(_now()),
                                                 **values))
    source = get_source(store, source_id)
    assert source is not None
    return source


def get_source(store: Store, key: str) -> dict[str, Any] | None:
    """A source by id, URL or name."""
    with store.engine.connect() as conn:
        row = conn.execute(select(sources).where(or_(
            sources.c.id == key, sources.c.url == key, sources.c.name == key))).first()
    return None if row is None else dict(row._mapping)


def list_sources(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(sources).order_by(sources.c.added_at, sources.c.id))
        out = [dict(r) for r in rows.mappings()]
        counts = dict(conn.execute(select(fetch_log.c.source_id, func.count()).group_by(
            fetch_log.c.source_id)).all())
    for row in out:
        row["pages"] = counts.get(row["id"], 0)
    return out


def remove_source(store: Store, key: str) -> int:
    """Remove a source (by id, URL or name) and its fetch log; stored articles stay."""
    source = get_source(store, key)
    if source is None:
        return 0
    with store.engine.begin() as conn:
        conn.execute(delete(fetch_log).where(fetch_log.c.source_id == source["id"]))
        conn.execute(delete(sources).where(sources.c.id == source["id"]))
    return 1


def due_sources(store: Store, everything: bool = False) -> list[dict[str, Any]]:
    """Sources whose next fetch is due (never fetched, or next_due passed)."""
    query = select(sources).order_by(sources.c.added_at, sources.c.id)
    if not everything:
        query = query.where(or_(sources.c.next_due.is_(None),
                                sources.c.next_due <= _iso(_now())))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def source_fetched(store: Store, source_id: str, status: int | None, error: str | None,
                   etag: str | None = None, last_modified: str | None = None,
                   complete: bool = True) -> None:
    """After a source's run: validators and the next due time. An incomplete run (stopped,
    or the listing failed) keeps the old validators, so the next run sees the listing anew
    and picks up what was left."""
    now = _now()
    with store.engine.begin() as conn:
        row = conn.execute(select(sources.c.every_seconds).where(
            sources.c.id == source_id)).first()
        if row is None:
            return
        values: dict[str, Any] = {"last_fetched": _iso(now), "last_status": status,
                                  "last_error": error}
        if complete:
            values.update(next_due=_iso(now + timedelta(seconds=row[0])))
            if status != 304:
                values.update(etag=etag, last_modified=last_modified)
        conn.execute(sources.update().where(sources.c.id == source_id).values(**values))


def log_fetch(store: Store, url: str, source_id: str | None, outcome: str,
              status: int | None = None, size: int | None = None, error: str | None = None,
              etag: str | None = None, last_modified: str | None = None,
              stamp: str | None = None, article_id: str | None = None,
              fetched_at: str | None = None) -> None:
    values = {"source_id": source_id, "outcome": outcome, "status": status,
              "fetched_at": fetched_at or _iso(_now()), "bytes": size, "error": error}
    if outcome != "not-modified":  # a 304 keeps the validators and article it confirmed
        values.update(etag=etag, last_modified=last_modified, article_id=article_id)
    if outcome != "failed":
        values.update(stamp=stamp)
    with store.engine.begin() as conn:
        row = conn.execute(select(fetch_log.c.attempts).where(fetch_log.c.url == url)).first()
        if row is None:
            conn.execute(fetch_log.insert().values(url=url, attempts=1, **values))
        else:
            conn.execute(fetch_log.update().where(fetch_log.c.url == url).values(
                attempts=(row[0] or 0) + 1, **values))


def fetch_states(store: Store, urls: list[str]) -> dict[str, dict[str, Any]]:
    """The fetch log rows of these URLs, by URL."""
    out: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for part in chunks(urls):
            rows = conn.execute(select(fetch_log).where(fetch_log.c.url.in_(part)))
            out.update({r["url"]: dict(r) for r in rows.mappings()})
    return out


def clear_failures(store: Store, origin: str) -> None:
    """A URL that answers again (a recovered feed, a page already stored under another
    URL) no longer lists as a failure."""
    from wirewatch.store.schema import ingest_failures

    with store.engine.begin() as conn:
        conn.execute(delete(ingest_failures).where(ingest_failures.c.origin == origin))


def known_pages(store: Store, source_id: str) -> int:
    """Pages of a source fetched and stored (or confirmed unchanged)."""
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(fetch_log).where(
            fetch_log.c.source_id == source_id, fetch_log.c.outcome != "failed")).scalar() or 0


def fetch_log_rows(store: Store, source_id: str | None = None) -> list[dict[str, Any]]:
    query = select(fetch_log).order_by(fetch_log.c.fetched_at, fetch_log.c.url)
    if source_id:
        query = query.where(fetch_log.c.source_id == source_id)
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]
