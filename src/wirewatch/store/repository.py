"""The store: save article records, record failures, and answer the list queries.

One class over SQLite (the default) and PostgreSQL. Each article is written in
its own transaction, so a crash loses at most the article in flight and a
re-run picks up where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
)
from sqlalchemy.dialects import postgresql, sqlite

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


@dataclass
class SaveResult:
    status: str  # new | unchanged | updated


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
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -----------------------------------------------------------

    def has_article(self, article_id: str, pipeline_version: str | None = None) -> bool:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.articles.c.pipeline_version).where(t.articles.c.id == article_id)
            ).first()
        return row is not None and (pipeline_version is None or row[0] == pipeline_version)

    def save(
        self, record: ArticleRecord, fingerprint: list[int] | None = None, force: bool = False
    ) -> SaveResult:
        article = record.article
        with self.engine.begin() as conn:
            existing = conn.execute(
                select(t.articles.c.pipeline_version).where(t.articles.c.id == article.id)
            ).first()
            if existing is not None and existing[0] == record.pipeline_version and not force:
                return SaveResult("unchanged")
            if existing is not None:
                self._delete_facts(conn, article.id)
                conn.execute(delete(t.articles).where(t.articles.c.id == article.id))
            self._insert_record(conn, record, fingerprint)
            if article.origin:
                conn.execute(delete(t.ingest_failures).where(
                    t.ingest_failures.c.origin == article.origin))
        return SaveResult("updated" if existing is not None else "new")

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
        for ent in record.entities:
            self._upsert_actor(conn, ent, day)
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
        row = conn.execute(select(t.actors).where(t.actors.c.id == ent.id)).mappings().first()
        surfaces = sorted({m.text for m in ent.mentions})
        if row is None:
            conn.execute(t.actors.insert().values(
                id=ent.id, name=ent.name, type=ent.type, kind=ent.kind, sectors=ent.sectors,
                country=ent.country, registry_id=ent.registry_id, aliases=surfaces,
                mention_count=0, article_count=0, first_seen=day, last_seen=day))
            return
        aliases = sorted(set(row["aliases"] or []) | set(surfaces))[:200]
        first = min(filter(None, [row["first_seen"], day]), default=None)
        last = max(filter(None, [row["last_seen"], day]), default=None)
        # A longer name for the same actor ("Hussein" first, "Fuad Hussein" later) wins.
        name = ent.name if (not ent.registry_id and len(ent.name) > len(row["name"])
                            and ent.type == "PERSON") else row["name"]
        conn.execute(t.actors.update().where(t.actors.c.id == ent.id).values(
            aliases=aliases, first_seen=first, last_seen=last, name=name))

    def refresh_actor_counts(self) -> None:
        """Recount mentions and articles per actor (after a batch of saves)."""
        with self.engine.begin() as conn:
            m = t.mentions
            counts = conn.execute(
                select(m.c.actor_id, func.count(), func.count(func.distinct(m.c.article_id)))
                .group_by(m.c.actor_id)
            ).all()
            for actor_id, n_mentions, n_articles in counts:
                conn.execute(t.actors.update().where(t.actors.c.id == actor_id).values(
                    mention_count=n_mentions, article_count=n_articles))

    def record_failure(self, failure: IngestFailure) -> None:
        now = _now()
        with self.engine.begin() as conn:
            row = conn.execute(select(t.ingest_failures.c.attempts).where(
                t.ingest_failures.c.id == failure.id)).first()
            if row is None:
                conn.execute(t.ingest_failures.insert().values(
                    id=failure.id, origin=failure.origin, reason=failure.reason,
                    detail=failure.detail, first_seen=now, last_seen=now, attempts=1))
            else:
                conn.execute(t.ingest_failures.update().where(
                    t.ingest_failures.c.id == failure.id).values(
                    last_seen=now, attempts=row[0] + 1, detail=failure.detail))

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
    cur.close()
