"""The store: save article records, record failures, and answer the list queries.

One class over SQLite (the default) and PostgreSQL. Each article is written in
its own transaction, so a crash loses at most the article in flight and a
re-run picks up where it stopped.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError

from wirewatch.ingest.dedupe import band_keys, find_original
from wirewatch.model import ArticleRecord, IngestFailure, content_id
from wirewatch.store import facts, lists, reviews, rollups
from wirewatch.store import schema as t
from wirewatch.store.chunks import chunks
from wirewatch.store.linking import surname_key
from wirewatch.store.lists import Filters, Page

DEFAULT_DB = "sqlite:///wirewatch.db"
FACT_KINDS = {"event": "events", "quote": "quotes", "relation": "relations"}
FACT_TABLES = {"event": t.events, "quote": t.quotes, "relation": t.relations}


def resolve_url(url: str | None = None) -> str:
    """--db, else WIREWATCH_DB, else ./wirewatch.db; plain paths become SQLite URLs."""
    url = url or os.environ.get("WIREWATCH_DB") or DEFAULT_DB
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The store and connection a ``Store.reading()`` block shares with every read inside it
# (per thread and per task, as context variables are).
_READING: ContextVar[tuple[Any, Connection] | None] = ContextVar("wirewatch_reading",
                                                                  default=None)
WRITE_ATTEMPTS = 8
WRITE_LOCK_KEY = 0x77697265  # "wire": the PostgreSQL advisory lock all writers share
T = TypeVar("T")


@dataclass
class SaveResult:
    status: str  # new | unchanged | updated
    duplicate_of: str | None = None  # the original, when the article is a near-copy


class Store:
    def __init__(self, url: str | None = None, migrate: bool = True):
        self.url = resolve_url(url)
        if self.url.startswith("sqlite"):
            # Wait for another writer instead of failing at once with "database is locked".
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": 60})
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            self.engine = create_engine(self.url)
        # Write transactions take the database's write lock when they start (SQLite
        # BEGIN IMMEDIATE; a PostgreSQL advisory lock), so two writers queue instead of
        # racing on the same actor rows or near-copy fingerprints.
        self._writer: Engine = self.engine.execution_options(wirewatch_write=True)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))

        def upgrade(conn: Connection) -> bool:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            state = t.store_state
            flag = conn.execute(select(state.c.value).where(
                state.c.key == "needs_rederive")).scalar()
            if flag:
                self._rederive_all(conn)
                conn.execute(delete(state).where(state.c.key == "needs_rederive"))
            if conn.execute(select(state.c.value).where(
                    state.c.key == "needs_fact_counts")).scalar():  # after migration 0011
                rollups.rebuild(conn)
                conn.execute(delete(state).where(state.c.key == "needs_fact_counts"))
            return bool(conn.execute(select(state.c.value).where(
                state.c.key == "needs_incidents")).scalar())

        # Under the write lock: a second process starting at the same moment waits and
        # then finds the schema at head, instead of creating the tables twice.
        if self._write(upgrade):  # after migration 0009: group the events already stored, once
            from wirewatch.store import incidents

            incidents.rebuild(self)
            self._write(lambda conn: conn.execute(delete(t.store_state).where(
                t.store_state.c.key == "needs_incidents")))

    def close(self) -> None:
        self.engine.dispose()

    # -- reading -----------------------------------------------------------

    def _shared(self) -> Connection | None:
        """The connection of the ``reading()`` block this code runs in, if any."""
        shared = _READING.get()
        return shared[1] if shared is not None and shared[0] is self else None

    @contextmanager
    def reader(self) -> Iterator[Connection]:
        """A connection to read with: the one a ``reading()`` block shares, else its own."""
        shared = self._shared()
        if shared is not None:
            yield shared
            return
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Every read inside shares one connection: the dozen list calls behind a page
        check out one connection and read in one transaction (one snapshot on SQLite), and
        an actor filter's named actors are read once (``lists.actor_ids``). For reads only:
        on SQLite a write inside the block is not seen by the reads after it."""
        if self._shared() is not None:
            yield
            return
        with self.engine.connect() as conn:
            token = _READING.set((self, conn))
            try:
                yield
            finally:
                _READING.reset(token)

    # -- writing -----------------------------------------------------------

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction, retried when the database reports a lock
        timeout, a deadlock or a concurrent insert of the same row."""
        delay = 0.05
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._writer.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"),
                                     {"k": WRITE_LOCK_KEY})
                    return work(conn)
            except (OperationalError, IntegrityError) as exc:
                if attempt == WRITE_ATTEMPTS or not _retryable(exc):
                    raise
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    def has_article(self, article_id: str, pipeline_version: str | None = None) -> bool:
        with self.reader() as conn:
            row = conn.execute(
                select(t.articles.c.pipeline_version).where(t.articles.c.id == article_id)
            ).first()
        return row is not None and (pipeline_version is None or row[0] == pipeline_version)

    def pipeline_versions(self, article_ids: list[str]) -> dict[str, str | None]:
        """The pipeline version each of these articles was stored with (absent: not stored),
        in one query per 500 ids instead of one per article."""
        with self.reader() as conn:
            return _stored_versions(conn, article_ids)

    def near_copy_count(self, article_ids: list[str]) -> int:
        """How many of these articles the store holds as near-copies of another."""
        a = t.articles
        with self.reader() as conn:
            return sum(conn.execute(select(func.count()).where(
                a.c.id.in_(part), a.c.duplicate_of.is_not(None))).scalar() or 0
                for part in chunks(article_ids))

    def save(
        self, record: ArticleRecord, fingerprint: list[int] | None = None, force: bool = False
    ) -> SaveResult:
        """Store one record and everything derived from it in one transaction: its facts,
        its actors and their counts, its near-copy mark (when a fingerprint is given) and
        the failures the pipeline met on it. A crash leaves all of it or none of it."""
        fps = {} if fingerprint is None else {record.article.id: fingerprint}
        return self.save_many([record], fps, force)[0]

    def save_many(
        self, records: list[ArticleRecord], fingerprints: dict[str, list[int]] | None = None,
        force: bool = False,
        before_save: Callable[[ArticleRecord, Connection], None] | None = None,
    ) -> list[SaveResult]:
        """``save`` for a batch of records in one transaction, in order (each one sees the
        ones before it): one commit per batch instead of one per article, and what a batch
        shares is done once for it: the review state and actor merges are read once, the
        stored versions and replaced fact ids in one query each, the fact counts and actor
        counts recomputed once around the whole batch, the facts of new articles inserted
        with one statement per table. ``before_save(record, conn)`` runs inside the
        transaction just before each record is saved (cross-article actor linking reads
        the actors the earlier records of the batch stored)."""
        fingerprints = fingerprints or {}

        def work(conn: Connection) -> list[SaveResult]:
            ctx = _WriteContext()
            saving = ctx.start(conn, records, force)
            out = []
            for i, record in enumerate(records):
                if before_save is not None:
                    before_save(record, conn)
                out.append(self._save(conn, record, fingerprints.get(record.article.id),
                                      force, ctx, saving[i + 1:]))
            ctx.finish(conn)
            return out

        return self._write(work)

    def _save(
        self, conn: Connection, record: ArticleRecord, fingerprint: list[int] | None,
        force: bool, ctx: _WriteContext, later: list[str | None],
    ) -> SaveResult:
        """One record of ``save_many`` (``later``: the origins of the records after it in
        the batch that will be saved, whose failures it clears)."""
        article = record.article
        existing = ctx.versions.get(article.id, _ABSENT)
        if existing is not _ABSENT and existing == record.pipeline_version and not force:
            return SaveResult("unchanged")
        if existing is not _ABSENT:
            # Inserts still pending go in first, so each table sees its deletes and inserts
            # in the order one record at a time made them (the same rowids).
            ctx.flush(conn)
            for actor_id, n in conn.execute(_stmt("mention_counts"), {"aid": article.id}):
                ctx.count_mentions(actor_id, -n)
            self._delete_facts(conn, article.id)
            conn.execute(_stmt("delete_article"), {"aid": article.id})
            conn.execute(_stmt("delete_bands"), {"aid": article.id})
        repointed: list[str] = []
        if fingerprint is not None:
            repointed = _mark_near_copy(conn, article, fingerprint)
        self._insert_record(conn, record, fingerprint, ctx)
        ctx.versions[article.id] = record.pipeline_version
        if fingerprint:
            _insert_many(conn, t.article_bands, [
                {"key": k, "article_id": article.id} for k in sorted(set(band_keys(fingerprint)))])
        if repointed:  # re-pointed copies no longer count
            ctx.flush(conn)
            for kind, table in FACT_TABLES.items():
                self.rederive(conn, kind, [r[0] for r in conn.execute(
                    select(table.c.id).where(table.c.article_id.in_(repointed)))],
                    counted_by=ctx.recount)
        # The failures of every saved article's origin were cleared when the batch began; a
        # failure naming the origin of a record saved later in the batch would have been
        # cleared by it.
        for failure in record.failures:
            if failure.origin not in later:
                _log_failure(conn, failure)
        return SaveResult("updated" if existing is not _ABSENT else "new",
                          article.duplicate_of)

    def _delete_facts(self, conn: Connection, article_id: str) -> None:
        for name in _DELETE_FACTS:
            conn.execute(_stmt(name), {"aid": article_id})

    def _insert_record(
        self, conn: Connection, record: ArticleRecord, fingerprint: list[int] | None,
        ctx: _WriteContext,
    ) -> None:
        a = record.article
        data = record.to_dict()
        # The record keeps the article and its entities; each fact is stored once, in its
        # table (``data``), and read back from there.
        stored = {k: v for k, v in data.items() if k not in FACT_KINDS.values()}
        conn.execute(_stmt("insert_article"), dict(
            id=a.id, url=a.url, source=a.source, title=a.title, published=a.published,
            published_from=a.published_from, byline=a.byline, language=a.language,
            text=a.text, origin=a.origin, duplicate_of=a.duplicate_of, fingerprint=fingerprint,
            pipeline_version=record.pipeline_version, ingested_at=_now(), record=stored,
        ))
        day = a.published[:10] if a.published else None
        self._upsert_actors(conn, record.entities, day)
        mention_rows: dict[str, dict[str, Any]] = {}
        for ent in record.entities:
            for m in ent.mentions:
                mid = content_id("m", a.id, m.start, m.end)
                # One row per span: the insert keeps the first and ignores a repeat, and
                # the actors' counts must count what is stored.
                mention_rows.setdefault(mid, dict(
                    id=mid, article_id=a.id, actor_id=ent.id, start=m.start, end=m.end,
                    text=m.text, label=m.label))
        for actor_id, n in Counter(r["actor_id"] for r in mention_rows.values()).items():
            ctx.count_mentions(actor_id, n)
        ctx.add(t.mentions, list(mention_rows.values()))
        amap = ctx.actor_map(conn)
        for kind, key in FACT_KINDS.items():
            items = data[key]
            state = ctx.states(conn, kind, [d["id"] for d in items])
            rows, parts = [], []
            for d in items:
                st = state.get(d["id"])
                # Unreviewed, no merged actors: the effective fact is the data itself (only
                # read below), so the deep copy ``effective`` makes is skipped.
                eff = d if st is None and not amap else facts.effective(kind, d, st, amap)
                rows.append({**facts.fact_row(kind, eff, a.id, a.published, st,
                                              bool(a.duplicate_of)),
                             "data": d})
                if kind == "event":
                    parts += facts.participant_rows(eff)
            ctx.add(FACT_TABLES[kind], rows)
            ctx.add(t.event_participants, parts)
        ctx.add(t.times, [dict(
            id=x.id, article_id=a.id, start=x.start, end=x.end, text=x.text, type=x.type,
            value=x.value, data=d) for x, d in zip(record.times, data["times"], strict=True)])
        ctx.add(t.places, [dict(
            id=p.id, article_id=a.id, start=p.start, end=p.end, text=p.text,
            place_id=p.place.id, name=p.place.name, lat=p.place.lat, lon=p.place.lon,
            country=p.place.country, level=p.place.level, confidence=p.confidence, data=d)
            for p, d in zip(record.places, data["places"], strict=True)])

    # -- reviews: re-deriving what a review changes ----------------------------

    def rederive(self, conn: Connection, kind: str, ids: list[str],
                 counted_by: rollups.Recount | None = None) -> int:
        """Re-derive the columns of these facts from their data and reviews. ``counted_by``:
        a recount already around this write (a batch of saves), which keeps the counts of
        the facts it covers; this one recounts the others."""
        if not ids:
            return 0
        table, ar = FACT_TABLES[kind], t.articles
        rows = conn.execute(select(table.c.id, table.c.data, table.c.article_id,
                                   ar.c.published, ar.c.duplicate_of)
                            .join(ar, ar.c.id == table.c.article_id)
                            .where(table.c.id.in_(ids))).mappings().all()
        state = reviews.states(conn, kind, [r["id"] for r in rows])
        amap = reviews.actor_map(conn)
        recount = rollups.Recount(conn, **{FACT_KINDS[kind]: [
            r["id"] for r in rows if counted_by is None or not counted_by.covers(kind, r["id"])]}) \
            if kind in ("event", "quote") else None
        for r in rows:
            st = state.get(r["id"])
            eff = facts.effective(kind, r["data"], st, amap)
            values = facts.fact_row(kind, eff, r["article_id"], r["published"], st,
                                    bool(r["duplicate_of"]))
            conn.execute(table.update().where(table.c.id == r["id"]).values(**values))
            if kind == "event":
                pt = t.event_participants
                conn.execute(delete(pt).where(pt.c.event_id == r["id"]))
                _insert_many(conn, pt, facts.participant_rows(eff))
        if recount is not None:
            recount.done()
        return len(rows)

    def rederive_actor_facts(self, conn: Connection, actor_ids: set[str]) -> None:
        """After a merge or split: every fact that names one of these actors."""
        pt, qt, rl = t.event_participants, t.quotes, t.relations
        ids = list(actor_ids)
        self.rederive(conn, "event", [r[0] for r in conn.execute(select(pt.c.event_id).where(
            pt.c.actor_id.in_(ids)).distinct())])
        self.rederive(conn, "quote", [r[0] for r in conn.execute(select(qt.c.id).where(
            qt.c.speaker_id.in_(ids)))])
        self.rederive(conn, "relation", [r[0] for r in conn.execute(select(rl.c.id).where(
            or_(rl.c.subject_id.in_(ids), rl.c.object_id.in_(ids))))])

    def _rederive_all(self, conn: Connection) -> None:
        """Once, after migration 0004: facts out of the article records, columns derived."""
        for aid, record in conn.execute(select(t.articles.c.id, t.articles.c.record)).all():
            if any(k in (record or {}) for k in FACT_KINDS.values()):
                stored = {k: v for k, v in record.items() if k not in FACT_KINDS.values()}
                conn.execute(t.articles.update().where(t.articles.c.id == aid).values(
                    record=stored))
        for kind, table in FACT_TABLES.items():
            self.rederive(conn, kind, [r[0] for r in conn.execute(select(table.c.id))])

    def _upsert_actors(self, conn: Connection, entities: list[Any], day: str | None) -> None:
        """Insert the record's actors that are new, and fold the others into the stored row
        (aliases, first and last seen, a longer name): one SELECT for all of them, one
        multi-row INSERT and one executemany UPDATE, in place of two or three statements per
        actor. Entities are taken in id order, as one at a time did, so the result is the
        same row for row."""
        ac = t.actors
        ents = sorted(entities, key=lambda e: e.id)
        if not ents:
            return
        query = _stmt("actors_of")
        if conn.dialect.name == "postgresql":
            # Row locks in id order: every writer takes actor row locks in the same order.
            query = _stmt("actors_of_locked")
        rows = {r[0]: {"name": r[1], "aliases": r[2], "first_seen": r[3], "last_seen": r[4],
                       "type": r[5]}
                for r in conn.execute(query, {"ids": sorted({e.id for e in ents})})}
        new: dict[str, dict[str, Any]] = {}
        changed: dict[str, dict[str, Any]] = {}
        for ent in ents:
            surfaces = sorted({m.text for m in ent.mentions})
            row = new.get(ent.id) or changed.get(ent.id) or rows.get(ent.id)
            if row is None:
                new[ent.id] = dict(
                    id=ent.id, name=ent.name, type=ent.type, kind=ent.kind,
                    sectors=ent.sectors, country=ent.country, registry_id=ent.registry_id,
                    aliases=surfaces, mention_count=0, article_count=0, first_seen=day,
                    last_seen=day)
                continue
            # A longer name for the same actor ("Hussein" first, "Fuad Hussein" later) wins.
            name = ent.name if (not ent.registry_id and len(ent.name) > len(row["name"])
                                and ent.type == "PERSON") else row["name"]
            folded = dict(
                type=row["type"],
                aliases=sorted(set(row["aliases"] or []) | set(surfaces))[:200],
                first_seen=min(filter(None, [row["first_seen"], day]), default=None),
                last_seen=max(filter(None, [row["last_seen"], day]), default=None),
                name=name)
            if ent.id in new:
                new[ent.id].update(folded)
            else:
                changed[ent.id] = folded
        for row in new.values():  # from the final name (a longer one may have won)
            row["surname"] = surname_key(row["name"], row["type"])
        _insert_many(conn, ac, list(new.values()))
        if changed:
            conn.execute(ac.update().where(ac.c.id == bindparam("b_id")).values(
                aliases=bindparam("b_aliases"), first_seen=bindparam("b_first"),
                last_seen=bindparam("b_last"), name=bindparam("b_name"),
                surname=bindparam("b_surname")),
                [{"b_id": aid, "b_aliases": v["aliases"], "b_first": v["first_seen"],
                  "b_last": v["last_seen"], "b_name": v["name"],
                  "b_surname": surname_key(v["name"], v["type"])}
                 for aid, v in changed.items()])

    def refresh_actor_counts(self) -> None:
        """Recount mentions and articles of every actor from the mentions table.

        ``save`` adds what it changes to the counts in its own transaction, so this is
        only a repair for stores written by older versions.
        """
        self._write(lambda conn: conn.execute(_stmt("recount_actors")))

    def record_failure(self, failure: IngestFailure) -> None:
        self._write(lambda conn: _log_failure(conn, failure))

    # -- reading -----------------------------------------------------------

    def get_record(self, article_id: str, include_rejected: bool = False
                   ) -> dict[str, Any] | None:
        """The article record (a unique id prefix is enough), every fact as the analyst sees
        it: reviews applied, merged actors followed, rejected facts left out (or kept and
        flagged with ``include_rejected``)."""
        a = t.articles
        with self.reader() as conn:
            rows = conn.execute(select(a.c.id, a.c.record).where(
                or_(a.c.id == article_id, lists._prefix(a.c.id, article_id))).limit(2)).all()
            if len(rows) != 1:
                return None
            aid, record = rows[0]
            rec = dict(record)
            amap = reviews.actor_map(conn)
            for kind, key in FACT_KINDS.items():
                table = FACT_TABLES[kind]
                q = select(table.c.data, table.c.rejected).where(table.c.article_id == aid)
                if not include_rejected:
                    q = q.where(table.c.rejected == 0)
                items = [r[0] for r in conn.execute(q.order_by(table.c.start, table.c.id))]
                state = reviews.states(conn, kind, [d["id"] for d in items])
                rec[key] = [facts.effective(kind, d, state.get(d["id"]), amap) for d in items]
            for key, table in (("times", t.times), ("places", t.places)):
                rec[key] = [r[0] for r in conn.execute(select(table.c.data).where(
                    table.c.article_id == aid).order_by(table.c.start, table.c.id))]
            for ent in rec.get("entities") or []:
                if ent["id"] in amap:
                    ent["merged_into"] = amap[ent["id"]]
        return rec

    def records(self, article_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored article part of each record (article and entities), by id."""
        if not article_ids:
            return {}
        a = t.articles
        with self.reader() as conn:
            return {r[0]: r[1] for r in conn.execute(select(a.c.id, a.c.record).where(
                a.c.id.in_(article_ids)))}

    def events_page(self, f: Filters, limit: int | None = None, cursor: str | None = None,
                    facets: tuple[str, ...] = (), newest: bool = False) -> Page:
        return lists.events(self, f, limit, cursor, facets, newest)

    def quotes_page(self, f: Filters, limit: int | None = None, cursor: str | None = None,
                    facets: tuple[str, ...] = (), newest: bool = False) -> Page:
        return lists.quotes(self, f, limit, cursor, facets, newest)

    def relations_page(self, f: Filters, limit: int | None = None, cursor: str | None = None,
                       facets: tuple[str, ...] = ()) -> Page:
        return lists.relations(self, f, limit, cursor, facets)

    def actors_page(self, f: Filters, limit: int | None = None, cursor: str | None = None,
                    facets: tuple[str, ...] = ()) -> Page:
        return lists.actors(self, f, limit, cursor, facets)

    def articles_page(self, f: Filters, limit: int | None = None, cursor: str | None = None,
                      facets: tuple[str, ...] = ()) -> Page:
        return lists.articles(self, f, limit, cursor, facets)

    def failures_page(self, limit: int | None = None, cursor: str | None = None) -> Page:
        return lists.failures(self, limit, cursor)

    def places_page(self, f: Filters, limit: int | None = None,
                    cursor: str | None = None) -> Page:
        return lists.places(self, f, limit, cursor)

    def per_day(self, f: Filters) -> dict[str, dict[str, int]]:
        return lists.per_day(self, f)

    def listed_actor_names(self, ids: set[str]) -> dict[str, str]:
        return lists.listed_actor_names(self, ids)

    # Whole lists (the CLI and tests): the same queries, every row.
    def events(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        return self.events_page(f, f.limit).items

    def quotes(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        return self.quotes_page(f, f.limit).items

    def relations(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        return self.relations_page(f, f.limit).items

    def actors(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        return self.actors_page(f, f.limit).items

    def articles(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        return self.articles_page(f, f.limit).items

    def failures(self) -> list[dict[str, Any]]:
        return self.failures_page().items

    def find_actor(self, name: str) -> dict[str, Any] | None:
        """An actor by id, exact name or part of a name (most mentioned first); a merged
        actor is found as the actor it was merged into."""
        ac = t.actors
        with self.reader() as conn:
            amap = reviews.actor_map(conn)
            for cond in (ac.c.id == name, func.lower(ac.c.name) == name.lower(),
                         lists._contains(ac.c.name, name)):
                row = conn.execute(select(ac).where(cond).order_by(
                    ac.c.mention_count.desc(), ac.c.id)).mappings().first()
                if row is not None:
                    canonical = amap.get(row["id"], row["id"])
                    if canonical != row["id"]:
                        row = conn.execute(select(ac).where(ac.c.id == canonical)
                                           ).mappings().first()
                    out = [dict(row)]
                    lists.apply_actor_reviews(conn, out)
                    return out[0]
        return None

    def actor_aliases(self, actor_id: str) -> tuple[list[str], list[str]]:
        """(aliases, ids merged into it): the actor's surface forms and those of every
        actor merged into it."""
        ac = t.actors
        with self.reader() as conn:
            amap = reviews.actor_map(conn)
            merged = [k for k, v in amap.items() if v == actor_id]
            names: set[str] = set()
            for name, more in conn.execute(select(ac.c.name, ac.c.aliases).where(
                    ac.c.id.in_([actor_id, *merged]))):
                names |= {name, *(more or [])}
        return sorted(names), sorted(merged)

    def actor_names(self, ids: set[str]) -> dict[str, str]:
        ids = {i for i in ids if i}
        if not ids:
            return {}
        with self.reader() as conn:
            rows = conn.execute(select(t.actors.c.id, t.actors.c.name).where(
                t.actors.c.id.in_(ids)))
            names = {r[0]: r[1] for r in rows}
            edits = reviews.states(conn, "actor", list(names))
        for aid, st in edits.items():
            if st.fields.get("name"):
                names[aid] = st.fields["name"]
        return names

    def actor_row(self, actor_id: str) -> dict[str, Any] | None:
        with self.reader() as conn:
            row = conn.execute(select(t.actors).where(t.actors.c.id == actor_id)
                               ).mappings().first()
            if row is None:
                return None
            out = [dict(row)]
            lists.apply_actor_reviews(conn, out)
        return out[0]

    def canonical_actor(self, actor_id: str) -> str:
        with self.reader() as conn:
            return reviews.actor_map(conn).get(actor_id, actor_id)

    def stored_counts(self) -> dict[str, int]:
        """Rows in each table, everything stored (near-copies, rejected and uncounted facts
        included): what the store holds, not what counts (``Service.counts`` is that)."""
        with self.reader() as conn:
            out = {}
            for name, table in (("articles", t.articles), ("actors", t.actors),
                                ("mentions", t.mentions), ("quotes", t.quotes),
                                ("events", t.events), ("relations", t.relations),
                                ("times", t.times), ("places", t.places),
                                ("failures", t.ingest_failures)):
                out[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return out

    def iter_records(self) -> Iterator[dict[str, Any]]:
        """Every stored record, assembled as ``get_record`` reads it, in id order."""
        for aid in self.article_ids():
            rec = self.get_record(aid, include_rejected=True)
            if rec is not None:
                yield rec

    def article_ids(self) -> list[str]:
        with self.reader() as conn:
            return [r[0] for r in conn.execute(select(t.articles.c.id).order_by(
                t.articles.c.id))]

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """Every row of one table (the Parquet export)."""
        table = t.metadata.tables[name]
        with self.reader() as conn:
            return [dict(r) for r in conn.execute(select(table)).mappings()]

    def _rows(self, query: Any, limit: int | None) -> list[dict[str, Any]]:
        if limit:
            query = query.limit(limit)
        with self.reader() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]


_ABSENT = object()  # not stored (a stored article's version can be None)


class _WriteContext:
    """What one write transaction (a batch of saves) does once, however many records it
    saves: it reads the actor merges and which kinds of fact have any review at all
    (reviews are writes, so nothing changes them while this transaction holds the write
    lock) and the stored versions of the batch's articles; it takes the fact counts of
    every row the batch may change before the first save and after the last (one
    ``rollups.Recount``), adds what it changed to the actors' counts once, and holds the
    rows of the fact tables until something reads those tables (``flush``)."""

    def __init__(self) -> None:
        self._amap: dict[str, str] | None = None
        self._reviewed: dict[str, bool] = {}
        self.versions: dict[str, Any] = {}
        self._mentions: Counter[str] = Counter()  # per actor: mentions added (or removed)
        self._articles: Counter[str] = Counter()  # and articles that mention it
        self.recount: rollups.Recount | None = None
        self._pending: dict[Any, list[dict[str, Any]]] = {}

    def start(self, conn: Connection, records: list[ArticleRecord], force: bool
              ) -> list[str | None]:
        """Before the first save: the stored versions, the recount of everything the
        batch may replace or add, the failures of the saved articles' origins cleared.
        Returns the origin of each record that will be saved (None for the others)."""
        self.versions.update(_stored_versions(conn, sorted({r.article.id for r in records})))
        versions = dict(self.versions)
        saving: list[str | None] = []
        events: list[str] = []
        quotes: list[str] = []
        articles: list[str] = []
        for r in records:
            aid = r.article.id
            if versions.get(aid, _ABSENT) == r.pipeline_version and not force:
                saving.append(None)
                continue
            versions[aid] = r.pipeline_version
            saving.append(r.article.origin)
            articles.append(aid)
            events += [e.id for e in r.events]
            quotes += [q.id for q in r.quotes]
        replaced = sorted({aid for aid in articles if aid in self.versions})
        for part in chunks(replaced):
            events += [r[0] for r in conn.execute(_stmt("event_ids"), {"aids": part})]
            quotes += [r[0] for r in conn.execute(_stmt("quote_ids"), {"aids": part})]
        # The counts of the facts replaced and written here, kept in this transaction.
        self.recount = rollups.Recount(conn, events=events, quotes=quotes, articles=articles)
        origins = sorted({o for o in saving if o})
        for part in chunks(origins):
            conn.execute(_stmt("delete_failures"), {"origins": part})
        return saving

    def count_mentions(self, actor_id: str, n: int) -> None:
        """``n`` mentions of an actor in one article stored (negative: deleted)."""
        self._mentions[actor_id] += n
        self._articles[actor_id] += 1 if n > 0 else -1

    def add(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._pending.setdefault(table, []).extend(rows)

    def flush(self, conn: Connection) -> None:
        """Insert the pending rows, one statement per table (events before their
        participants)."""
        for table in _PENDING_ORDER:
            rows = self._pending.pop(table, None)
            if rows:
                _insert_many(conn, table, rows)

    def finish(self, conn: Connection) -> None:
        self.flush(conn)
        if self.recount is not None:
            self.recount.done()
        # Added, not recounted: counting the stored mentions of every actor a batch touched
        # read all the mentions of the most mentioned ones, and each one's article, in
        # every batch (0.3 s for the top 20 actors at 200,000 events).
        rows = [{"b_id": a, "b_mentions": self._mentions[a], "b_articles": self._articles[a]}
                for a in sorted(self._mentions) if self._mentions[a] or self._articles[a]]
        if rows:
            conn.execute(_stmt("add_actor_counts"), rows)

    def actor_map(self, conn: Connection) -> dict[str, str]:
        if self._amap is None:
            self._amap = reviews.actor_map(conn)
        return self._amap

    def states(self, conn: Connection, kind: str, ids: list[str]
               ) -> dict[str, facts.ReviewState]:
        if not ids:
            return {}
        if kind not in self._reviewed:
            rv = reviews.reviews
            self._reviewed[kind] = conn.execute(select(rv.c.id).where(
                rv.c.target_type == kind).limit(1)).first() is not None
        return reviews.states(conn, kind, ids) if self._reviewed[kind] else {}


_PENDING_ORDER = (t.mentions, t.events, t.event_participants, t.quotes, t.relations, t.times,
                  t.places)
_DELETE_FACTS = ("delete_participants", "delete_mentions", "delete_quotes", "delete_events",
                 "delete_relations", "delete_times", "delete_places")


@cache
def _stmt(name: str) -> Any:
    """The statements a save runs for every article, built once (building one costs more
    than running it), with the values bound."""
    a, ab, m, ev = t.articles, t.article_bands, t.mentions, t.events
    aid = bindparam("aid")
    if name == "insert_article":
        return a.insert()
    if name == "mention_counts":
        return select(m.c.actor_id, func.count()).where(m.c.article_id == aid).group_by(
            m.c.actor_id)
    if name == "delete_article":
        return delete(a).where(a.c.id == aid)
    if name == "delete_bands":
        return delete(ab).where(ab.c.article_id == aid)
    if name == "delete_participants":
        return delete(t.event_participants).where(t.event_participants.c.event_id.in_(
            select(ev.c.id).where(ev.c.article_id == aid)))
    if name == "delete_failures":
        f = t.ingest_failures
        return delete(f).where(f.c.origin.in_(bindparam("origins", expanding=True)))
    if name.startswith("delete_"):
        table = t.metadata.tables[name[len("delete_"):]]
        return delete(table).where(table.c.article_id == aid)
    if name in ("event_ids", "quote_ids"):
        table = ev if name == "event_ids" else t.quotes
        return select(table.c.id).where(table.c.article_id.in_(
            bindparam("aids", expanding=True)))
    if name == "near":
        near = select(ab.c.article_id).where(ab.c.key.in_(
            bindparam("keys", expanding=True))).distinct()
        return select(a.c.id, a.c.fingerprint, a.c.duplicate_of, a.c.published).where(
            a.c.id.in_(near)).where(a.c.id != aid)
    if name == "recount_actors":
        ac = t.actors
        n_mentions = select(func.count()).where(m.c.actor_id == ac.c.id).scalar_subquery()
        n_articles = select(func.count(func.distinct(m.c.article_id))).where(
            m.c.actor_id == ac.c.id).scalar_subquery()
        return ac.update().values(mention_count=n_mentions, article_count=n_articles)
    if name == "add_actor_counts":
        ac = t.actors
        return ac.update().where(ac.c.id == bindparam("b_id")).values(
            mention_count=func.coalesce(ac.c.mention_count, 0) + bindparam("b_mentions"),
            article_count=func.coalesce(ac.c.article_count, 0) + bindparam("b_articles"))
    if name == "actors_of":
        ac = t.actors
        return select(ac.c.id, ac.c.name, ac.c.aliases, ac.c.first_seen, ac.c.last_seen,
                      ac.c.type).where(ac.c.id.in_(bindparam("ids", expanding=True)))
    if name == "actors_of_locked":
        return _stmt("actors_of").order_by(t.actors.c.id).with_for_update()
    raise KeyError(name)


def _stored_versions(conn: Connection, article_ids: list[str]) -> dict[str, str | None]:
    """The pipeline version each of these articles was stored with (absent: not stored)."""
    a = t.articles
    out: dict[str, str | None] = {}
    for part in chunks(article_ids):
        rows = conn.execute(select(a.c.id, a.c.pipeline_version).where(a.c.id.in_(part)))
        out.update((article_id, version) for article_id, version in rows)
    return out


def _log_failure(conn: Connection, failure: IngestFailure) -> None:
    now = _now()
    f = t.ingest_failures
    inserted = conn.execute(_insert_ignore(conn, f).values(
        id=failure.id, origin=failure.origin, reason=failure.reason,
        detail=failure.detail, first_seen=now, last_seen=now, attempts=1).returning(f.c.id)).first()
    if inserted is None:
        conn.execute(f.update().where(f.c.id == failure.id).values(
            last_seen=now, attempts=f.c.attempts + 1, detail=failure.detail))


def _mark_near_copy(conn: Connection, article: Any, fp: list[int]) -> list[str]:
    """Set ``duplicate_of`` against the stored articles that share an LSH band with this
    one (``ingest.dedupe``: the others are too unlike to be copies), inside the write
    transaction.

    The earliest-published copy of a story is its original, whichever process or run
    stored it first: an earlier-published newcomer takes over as original and the
    stored copies are pointed at it (their ids are returned: whether their facts count
    has changed). An article is never compared with itself.
    """
    a = t.articles
    keys = sorted(set(band_keys(fp)))
    rows = conn.execute(_stmt("near"), {"keys": keys, "aid": article.id}).all() if keys else []
    published = {r[0]: r[3] for r in rows}
    # A stored copy of this very article stands for it, not for an original of it.
    # (A record saved without a fingerprint holds JSON null, which IS NOT NULL lets through.)
    candidates = [(r[2] or r[0], list(r[1])) for r in rows
                  if r[1] and (r[2] or r[0]) != article.id]
    original = find_original(fp, candidates)
    article.duplicate_of = None
    if original is None:
        return []
    if (article.published or "9999", article.id) >= (published.get(original) or "9999",
                                                      original):
        article.duplicate_of = original
        return []
    # The newcomer is older than the stored original: the stored copies now point to it.
    repointed: list[str] = []
    for copy_id, record in conn.execute(select(a.c.id, a.c.record).where(
            (a.c.id == original) | (a.c.duplicate_of == original))).all():
        record = dict(record)
        record["article"] = {**record["article"], "duplicate_of": article.id}
        conn.execute(a.update().where(a.c.id == copy_id).values(
            duplicate_of=article.id, record=record))
        repointed.append(copy_id)
    return repointed


def _retryable(exc: Exception) -> bool:
    text_ = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, IntegrityError):
        return True  # another writer inserted the same row first: the retry sees it
    return any(word in text_ for word in ("locked", "busy", "deadlock", "could not serialize"))


def _insert_ignore(conn: Connection, table: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


_INSERT_IGNORE: dict[tuple[str, Any], Any] = {}


def _insert_many(conn: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    if not rows:
        return
    # Ids are content hashes: a repeated fact (same id twice in one article) is one row.
    # One statement object per table and dialect: building it anew for every call made
    # SQLAlchemy recompute its cache key each time.
    key = (conn.dialect.name, table)
    stmt = _INSERT_IGNORE.get(key)
    if stmt is None:
        stmt = _INSERT_IGNORE[key] = _insert_ignore(conn, table)
    conn.execute(stmt, rows)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.close()
    # SQLAlchemy emits BEGIN itself (see _sqlite_begin), not the driver.
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    """Writers take SQLite's write lock at BEGIN (IMMEDIATE): a deferred transaction that
    reads and then writes can fail at once with "database is locked" under a second
    writer, whatever the busy timeout."""
    if conn.get_execution_options().get("wirewatch_write"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
