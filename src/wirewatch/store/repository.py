"""The store: save article records, record failures, and answer the list queries.

One class over SQLite (the default) and PostgreSQL. Each article is written in
its own transaction, so a crash loses at most the article in flight and a
re-run picks up where it stopped.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
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

from wirewatch.ingest.dedupe import find_original
from wirewatch.model import ArticleRecord, IngestFailure, content_id
from wirewatch.nlp.codebook import COUNTED_MODALITIES
from wirewatch.store import reviews
from wirewatch.store import schema as t

DEFAULT_DB = "sqlite:///wirewatch.db"


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


WRITE_ATTEMPTS = 8
WRITE_LOCK_KEY = 0x77697265  # "wire": the PostgreSQL advisory lock all writers share
T = TypeVar("T")


@dataclass
class SaveResult:
    status: str  # new | unchanged | updated
    duplicate_of: str | None = None  # the original, when the article is a near-copy


@dataclass
class Filters:
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    type: str | None = None
    source: str | None = None
    modality: str | None = None
    recipient: str | None = None
    speaker: str | None = None
    about: str | None = None
    article: str | None = None
    include_unasserted: bool = False
    include_copies: bool = False  # events of republished near-copies
    include_rejected: bool = False  # facts a reviewer rejected
    limit: int | None = None


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

        def upgrade(conn: Connection) -> None:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

        # Under the write lock: a second process starting at the same moment waits and
        # then finds the schema at head, instead of creating the tables twice.
        self._write(upgrade)

    def close(self) -> None:
        self.engine.dispose()

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
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles.c.pipeline_version).where(t.articles.c.id == article_id)
            ).first()
        return row is not None and (pipeline_version is None or row[0] == pipeline_version)

    def save(
        self, record: ArticleRecord, fingerprint: list[int] | None = None, force: bool = False
    ) -> SaveResult:
        """Store one record and everything derived from it in one transaction: its facts,
        its actors and their counts, its near-copy mark (when a fingerprint is given) and
        the failures the pipeline met on it. A crash leaves all of it or none of it."""
        return self._write(lambda conn: self._save(conn, record, fingerprint, force))

    def _save(
        self, conn: Connection, record: ArticleRecord, fingerprint: list[int] | None,
        force: bool,
    ) -> SaveResult:
        article = record.article
        existing = conn.execute(
            select(t.articles.c.pipeline_version).where(t.articles.c.id == article.id)
        ).first()
        if existing is not None and existing[0] == record.pipeline_version and not force:
            return SaveResult("unchanged")
        touched: set[str] = set()
        if existing is not None:
            touched |= {r[0] for r in conn.execute(select(t.mentions.c.actor_id).where(
                t.mentions.c.article_id == article.id).distinct())}
            self._delete_facts(conn, article.id)
            conn.execute(delete(t.articles).where(t.articles.c.id == article.id))
        if fingerprint is not None:
            _mark_near_copy(conn, article, fingerprint)
        self._insert_record(conn, record, fingerprint)
        touched |= {ent.id for ent in record.entities}
        _recount(conn, touched)
        if article.origin:
            conn.execute(delete(t.ingest_failures).where(
                t.ingest_failures.c.origin == article.origin))
        for failure in record.failures:
            _log_failure(conn, failure)
        return SaveResult("updated" if existing is not None else "new", article.duplicate_of)

    def _delete_facts(self, conn: Connection, article_id: str) -> None:
        event_ids = select(t.events.c.id).where(t.events.c.article_id == article_id)
        conn.execute(delete(t.event_participants).where(
            t.event_participants.c.event_id.in_(event_ids)))
        for table in (t.mentions, t.quotes, t.events, t.relations, t.times, t.places):
            conn.execute(delete(table).where(table.c.article_id == article_id))

    def fingerprints(self) -> list[tuple[str, list[int]]]:
        """(article id, fingerprint) of every stored original (near-copies point to theirs)."""
        a = t.articles
        with self.engine.connect() as conn:
            rows = conn.execute(select(a.c.id, a.c.fingerprint).where(
                a.c.duplicate_of.is_(None)).where(a.c.fingerprint.is_not(None))).all()
        return [(r[0], list(r[1])) for r in rows]

    def _insert_record(
        self, conn: Connection, record: ArticleRecord, fingerprint: list[int] | None = None
    ) -> None:
        a = record.article
        data = record.to_dict()
        conn.execute(t.articles.insert().values(
            id=a.id, url=a.url, source=a.source, title=a.title, published=a.published,
            published_from=a.published_from, byline=a.byline, language=a.language,
            text=a.text, origin=a.origin, duplicate_of=a.duplicate_of, fingerprint=fingerprint,
            pipeline_version=record.pipeline_version, ingested_at=_now(), record=data,
        ))
        day = a.published[:10] if a.published else None
        mention_rows = []
        # Actors in id order: every writer takes actor row locks in the same order.
        for ent in sorted(record.entities, key=lambda e: e.id):
            self._upsert_actor(conn, ent, day)
        for ent in record.entities:
            for m in ent.mentions:
                mention_rows.append(dict(
                    id=content_id("m", a.id, m.start, m.end), article_id=a.id, actor_id=ent.id,
                    start=m.start, end=m.end, text=m.text, label=m.label))
        _insert_many(conn, t.mentions, mention_rows)
        _insert_many(conn, t.quotes, [dict(
            id=q.id, article_id=a.id, speaker_id=q.speaker, speaker_text=q.speaker_text,
            speaker_role=q.speaker_role, kind=q.kind, cue=q.cue, addressee=q.addressee,
            content=q.content, sentence=q.sentence, start=q.start, end=q.end,
            confidence=q.confidence, published=a.published, data=d)
            for q, d in zip(record.quotes, data["quotes"], strict=True)])
        part_rows = []
        event_rows = []
        for e, d in zip(record.events, data["events"], strict=True):
            loc = e.location or {}
            event_rows.append(dict(
                id=e.id, article_id=a.id, type=e.type, modality=e.modality, cameo=e.cameo,
                date=(e.date or {}).get("value") or day, place_name=loc.get("name"),
                lat=loc.get("lat"), lon=loc.get("lon"), geo_level=loc.get("level"),
                sentence=e.sentence, start=e.start, end=e.end, confidence=e.confidence,
                published=a.published, data=d))
            for role, parts in (("actor", e.actors), ("recipient", e.recipients)):
                for i, p in enumerate(parts):
                    part_rows.append(dict(event_id=e.id, role=role, position=i,
                                          actor_id=p.entity, text=p.text))
        _insert_many(conn, t.events, event_rows)
        _insert_many(conn, t.event_participants, part_rows)
        _insert_many(conn, t.relations, [dict(
            id=r.id, article_id=a.id, type=r.type, subject_id=r.subject, object_id=r.object,
            object_text=r.object_text, role=r.role, observed_at=r.observed_at or day,
            sentence=r.sentence, start=r.start, end=r.end, confidence=r.confidence, data=d)
            for r, d in zip(record.relations, data["relations"], strict=True)])
        _insert_many(conn, t.times, [dict(
            id=x.id, article_id=a.id, start=x.start, end=x.end, text=x.text, type=x.type,
            value=x.value, data=d) for x, d in zip(record.times, data["times"], strict=True)])
        _insert_many(conn, t.places, [dict(
            id=p.id, article_id=a.id, start=p.start, end=p.end, text=p.text,
            place_id=p.place.id, name=p.place.name, lat=p.place.lat, lon=p.place.lon,
            country=p.place.country, level=p.place.level, confidence=p.confidence, data=d)
            for p, d in zip(record.places, data["places"], strict=True)])

    def _upsert_actor(self, conn: Connection, ent: Any, day: str | None) -> None:
        surfaces = sorted({m.text for m in ent.mentions})
        inserted = conn.execute(_insert_ignore(conn, t.actors).values(
            id=ent.id, name=ent.name, type=ent.type, kind=ent.kind, sectors=ent.sectors,
            country=ent.country, registry_id=ent.registry_id, aliases=surfaces,
            mention_count=0, article_count=0, first_seen=day, last_seen=day)
            .returning(t.actors.c.id)).first()
        if inserted is not None:
            return
        query = select(t.actors).where(t.actors.c.id == ent.id)
        if conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).mappings().one()
        aliases = sorted(set(row["aliases"] or []) | set(surfaces))[:200]
        first = min(filter(None, [row["first_seen"], day]), default=None)
        last = max(filter(None, [row["last_seen"], day]), default=None)
        # A longer name for the same actor ("Hussein" first, "Fuad Hussein" later) wins.
        name = ent.name if (not ent.registry_id and len(ent.name) > len(row["name"])
                            and ent.type == "PERSON") else row["name"]
        conn.execute(t.actors.update().where(t.actors.c.id == ent.id).values(
            aliases=aliases, first_seen=first, last_seen=last, name=name))

    def refresh_actor_counts(self) -> None:
        """Recount mentions and articles of every actor.

        ``save`` keeps the counts of the actors it touches current in its own transaction,
        so this is only a repair for stores written by older versions.
        """
        def recount_all(conn: Connection) -> None:
            _recount(conn, None)

        self._write(recount_all)

    def record_failure(self, failure: IngestFailure) -> None:
        self._write(lambda conn: _log_failure(conn, failure))

    # -- reading -----------------------------------------------------------

    def get_record(self, article_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.articles.c.record).where(
                or_(t.articles.c.id == article_id, t.articles.c.id.like(f"{article_id}%"))
            ).limit(2)).all()
        return row[0][0] if len(row) == 1 else None

    def articles(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        a = t.articles
        q = select(a.c.id, a.c.published, a.c.source, a.c.title, a.c.duplicate_of, a.c.origin)
        q = _date_range(q, a.c.published, f)
        if f.source:
            q = q.where(a.c.source.ilike(f"%{f.source}%"))
        q = q.order_by(a.c.published, a.c.id)
        return self._rows(q, f.limit)

    def failures(self) -> list[dict[str, Any]]:
        q = select(t.ingest_failures).order_by(t.ingest_failures.c.origin)
        return self._rows(q, None)

    def actors(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        ac = t.actors
        q = select(ac).where(ac.c.kind.is_distinct_from("place"))
        q = q.where(ac.c.type.not_in(["LOC", "FAC", "NORP"]))
        q = q.where(ac.c.kind.is_distinct_from("nationality"))
        if f.actor:
            q = q.where(or_(ac.c.name.ilike(f"%{f.actor}%"), ac.c.id == f.actor))
        if f.type:
            q = q.where(ac.c.type == f.type.upper())
        if f.since or f.until or f.source:
            m, ar = t.mentions, t.articles
            sub = select(m.c.actor_id).join(ar, ar.c.id == m.c.article_id)
            sub = _date_range(sub, ar.c.published, f)
            if f.source:
                sub = sub.where(ar.c.source.ilike(f"%{f.source}%"))
            q = q.where(ac.c.id.in_(sub))
        if not f.include_rejected:
            q = q.where(ac.c.id.not_in(reviews.hidden_actor_ids()))
        q = q.order_by(ac.c.mention_count.desc(), ac.c.name)
        return reviews.overlay(self, "actor", self._rows(q, f.limit))

    def quotes(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        qt, ar = t.quotes, t.articles
        q = select(qt.c.id, qt.c.article_id, qt.c.published, qt.c.speaker_id,
                   qt.c.speaker_text, qt.c.speaker_role, qt.c.kind, qt.c.cue, qt.c.addressee,
                   qt.c.content, qt.c.confidence, qt.c.sentence, ar.c.source).join(
            ar, ar.c.id == qt.c.article_id)
        q = _date_range(q, qt.c.published, f)
        who = f.speaker or f.actor
        if who:
            ids = self._actor_ids(who)
            q = q.where(or_(qt.c.speaker_id.in_(ids), qt.c.speaker_text.ilike(f"%{who}%")))
        if f.about:
            q = q.where(qt.c.content.ilike(f"%{f.about}%"))
        if f.source:
            q = q.where(ar.c.source.ilike(f"%{f.source}%"))
        if f.type:
            q = q.where(qt.c.kind == f.type.lower())
        if f.article:
            q = q.where(qt.c.article_id.like(f"{f.article}%"))
        q = reviews.hide_rejected(q, qt.c.id, "quote", f.include_rejected)
        q = q.order_by(qt.c.published, qt.c.article_id, qt.c.start)
        return reviews.overlay(self, "quote", self._rows(q, f.limit), f)

    def events(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        ev, ar, pt = t.events, t.articles, t.event_participants
        q = select(ev.c.id, ev.c.article_id, ev.c.date, ev.c.type, ev.c.modality, ev.c.cameo,
                   ev.c.place_name, ev.c.confidence, ev.c.sentence, ev.c.data, ar.c.source,
                   ev.c.published).join(ar, ar.c.id == ev.c.article_id)
        q = _date_range(q, ev.c.date, f)
        if f.type:
            q = q.where(or_(ev.c.type == f.type.upper(), ev.c.id.in_(
                reviews.edited_to(self, "event", "type", f.type.upper()))))
        if f.modality:
            q = q.where(or_(ev.c.modality == f.modality.lower(), ev.c.id.in_(
                reviews.edited_to(self, "event", "modality", f.modality.lower()))))
        elif not f.include_unasserted:
            # Hypothetical, negated and demanded actions did not happen (yet); historical
            # background restates older events.
            q = q.where(ev.c.modality.in_(COUNTED_MODALITIES))
        if not f.include_copies:
            q = q.where(ar.c.duplicate_of.is_(None))
        if f.source:
            q = q.where(ar.c.source.ilike(f"%{f.source}%"))
        for who, role in ((f.actor, "actor"), (f.recipient, "recipient")):
            if who:
                ids = self._actor_ids(who)
                sub = select(pt.c.event_id).where(pt.c.role == role).where(
                    or_(pt.c.actor_id.in_(ids), pt.c.text.ilike(f"%{who}%")))
                q = q.where(ev.c.id.in_(sub))
        if f.article:
            q = q.where(ev.c.article_id.like(f"{f.article}%"))
        q = reviews.hide_rejected(q, ev.c.id, "event", f.include_rejected)
        q = q.order_by(ev.c.date, ev.c.article_id, ev.c.start)
        return reviews.overlay(self, "event", self._rows(q, f.limit), f)

    def relations(self, filters: Filters | None = None) -> list[dict[str, Any]]:
        f = filters or Filters()
        r = t.relations
        q = select(r)
        if f.actor:
            ids = self._actor_ids(f.actor)
            q = q.where(or_(r.c.subject_id.in_(ids), r.c.object_id.in_(ids)))
        if f.type:
            q = q.where(or_(r.c.type == f.type, r.c.id.in_(
                reviews.edited_to(self, "relation", "type", f.type))))
        q = _date_range(q, r.c.observed_at, f)
        q = reviews.hide_rejected(q, r.c.id, "relation", f.include_rejected)
        q = q.order_by(r.c.observed_at, r.c.subject_id, r.c.type)
        return reviews.overlay(self, "relation", self._rows(q, f.limit), f)

    def find_actor(self, name: str) -> dict[str, Any] | None:
        ac = t.actors
        with self.engine.connect() as conn:
            for cond in (ac.c.id == name, func.lower(ac.c.name) == name.lower(),
                         ac.c.name.ilike(f"%{name}%")):
                row = conn.execute(select(ac).where(cond).order_by(
                    ac.c.mention_count.desc())).mappings().first()
                if row is not None:
                    return dict(row)
        return None

    def actor_profile(self, actor_id: str) -> dict[str, Any] | None:
        """An actor with its relations (both directions), roles over time and fact counts."""
        ac, r = t.actors, t.relations
        with self.engine.connect() as conn:
            actor = conn.execute(select(ac).where(ac.c.id == actor_id)).mappings().first()
            if actor is None:
                return None
            rels = [dict(x) for x in conn.execute(select(r).where(or_(
                r.c.subject_id == actor_id, r.c.object_id == actor_id)).order_by(
                r.c.observed_at, r.c.type, r.c.id)).mappings()]
            n_quotes = conn.execute(select(func.count()).select_from(t.quotes).where(
                t.quotes.c.speaker_id == actor_id)).scalar_one()
            pt = t.event_participants
            n_events = {role: conn.execute(select(func.count(func.distinct(pt.c.event_id))).where(
                pt.c.actor_id == actor_id).where(pt.c.role == role)).scalar_one()
                for role in ("actor", "recipient")}
        roles: dict[tuple[str, str | None], dict[str, Any]] = {}
        for rel in rels:
            if rel["type"] != "holds_role" or rel["subject_id"] != actor_id:
                continue
            key = (rel["role"] or rel["object_text"], rel["object_id"])
            org = rel["object_text"] if rel["object_id"] else None
            entry = roles.setdefault(key, {"role": key[0], "organisation": org,
                                           "organisation_id": rel["object_id"],
                                           "first_seen": rel["observed_at"],
                                           "last_seen": rel["observed_at"], "evidence": 0})
            day = rel["observed_at"]
            if day:
                entry["first_seen"] = min(filter(None, [entry["first_seen"], day]))
                entry["last_seen"] = max(filter(None, [entry["last_seen"], day]))
            entry["evidence"] += 1
        return {"actor": dict(actor), "relations": rels, "roles": list(roles.values()),
                "quotes": n_quotes, "events_as_actor": n_events["actor"],
                "events_as_recipient": n_events["recipient"]}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            out = {}
            for name, table in (("articles", t.articles), ("actors", t.actors),
                                ("mentions", t.mentions), ("quotes", t.quotes),
                                ("events", t.events), ("relations", t.relations),
                                ("times", t.times), ("places", t.places),
                                ("failures", t.ingest_failures)):
                out[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return out

    def _actor_ids(self, who: str) -> list[str]:
        ac = t.actors
        with self.engine.connect() as conn:
            rows = conn.execute(select(ac.c.id).where(or_(
                ac.c.id == who, ac.c.name.ilike(f"%{who}%")))).all()
        return reviews.expand_actor_ids(self, [r[0] for r in rows])

    def _rows(self, query: Any, limit: int | None) -> list[dict[str, Any]]:
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]

    def iter_records(self) -> Iterator[dict[str, Any]]:
        with self.engine.connect() as conn:
            for (rec,) in conn.execute(select(t.articles.c.record).order_by(t.articles.c.id)):
                yield rec


def _date_range(query: Any, column: Any, f: Filters) -> Any:
    if f.since:
        query = query.where(column >= f.since)
    if f.until:
        # An ISO datetime on the last day still counts as "until" that day.
        query = query.where(column <= f.until + "\uffff")
    return query


def _log_failure(conn: Connection, failure: IngestFailure) -> None:
    now = _now()
    f = t.ingest_failures
    inserted = conn.execute(_insert_ignore(conn, f).values(
        id=failure.id, origin=failure.origin, reason=failure.reason,
        detail=failure.detail, first_seen=now, last_seen=now, attempts=1).returning(f.c.id)).first()
    if inserted is None:
        conn.execute(f.update().where(f.c.id == failure.id).values(
            last_seen=now, attempts=f.c.attempts + 1, detail=failure.detail))


def _recount(conn: Connection, actor_ids: set[str] | None) -> None:
    """Set mention and article counts from the mentions table (all actors when None)."""
    ac, m = t.actors, t.mentions
    n_mentions = select(func.count()).where(m.c.actor_id == ac.c.id).scalar_subquery()
    n_articles = select(func.count(func.distinct(m.c.article_id))).where(
        m.c.actor_id == ac.c.id).scalar_subquery()
    stmt = ac.update().values(mention_count=n_mentions, article_count=n_articles)
    if actor_ids is not None:
        if not actor_ids:
            return
        stmt = stmt.where(ac.c.id.in_(sorted(actor_ids)))
    conn.execute(stmt)


def _mark_near_copy(conn: Connection, article: Any, fp: list[int]) -> None:
    """Set ``duplicate_of`` against every stored article, inside the write transaction.

    The earliest-published copy of a story is its original, whichever process or run
    stored it first: an earlier-published newcomer takes over as original and the
    stored copies are pointed at it. An article is never compared with itself.
    """
    a = t.articles
    rows = conn.execute(select(a.c.id, a.c.fingerprint, a.c.duplicate_of, a.c.published).where(
        a.c.fingerprint.is_not(None)).where(a.c.id != article.id)).all()
    published = {r[0]: r[3] for r in rows}
    # A stored copy of this very article stands for it, not for an original of it.
    candidates = [(r[2] or r[0], list(r[1])) for r in rows if (r[2] or r[0]) != article.id]
    original = find_original(fp, candidates)
    article.duplicate_of = None
    if original is None:
        return
    if (article.published or "9999", article.id) >= (published.get(original) or "9999",
                                                      original):
        article.duplicate_of = original
        return
    # The newcomer is older than the stored original: the stored copies now point to it.
    for copy_id, record in conn.execute(select(a.c.id, a.c.record).where(
            (a.c.id == original) | (a.c.duplicate_of == original))).all():
        record = dict(record)
        record["article"] = {**record["article"], "duplicate_of": article.id}
        conn.execute(a.update().where(a.c.id == copy_id).values(
            duplicate_of=article.id, record=record))


def _retryable(exc: Exception) -> bool:
    text_ = str(getattr(exc, "orig", exc)).lower()
    if isinstance(exc, IntegrityError):
        return True  # another writer inserted the same row first: the retry sees it
    return any(word in text_ for word in ("locked", "busy", "deadlock", "could not serialize"))


def _insert_ignore(conn: Connection, table: Any) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _insert_many(conn: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> None:
    rows = list(rows)
    if not rows:
        return
    dialect = conn.dialect.name
    # Ids are content hashes: a repeated fact (same id twice in one article) is one row.
    if dialect == "postgresql":
        stmt = postgresql.insert(table).on_conflict_do_nothing()
    else:
        stmt = sqlite.insert(table).on_conflict_do_nothing()
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
