"""The store: save article records, record failures, and answer the list queries.

One class over SQLite (the default) and PostgreSQL. Each article is written in
its own transaction, so a crash loses at most the article in flight and a
re-run picks up where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
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
from wirewatch.store import facts, lists, reviews
from wirewatch.store import schema as t
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


@dataclass
class SaveResult:
    status: str  # new | unchanged | updated


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
            state = t.store_state
            flag = conn.execute(select(state.c.value).where(
                state.c.key == "needs_rederive")).scalar()
            if flag:
                self._rederive_all(conn)
                conn.execute(delete(state).where(state.c.key == "needs_rederive"))
            pending = conn.execute(select(state.c.value).where(
                state.c.key == "needs_incidents")).scalar()
        if pending:  # after migration 0009: group the events already stored, once
            from wirewatch.store import incidents

            incidents.rebuild(self)
            with self.engine.begin() as conn:
                conn.execute(delete(state).where(state.c.key == "needs_incidents"))

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
        # A record saved without one holds JSON null, which IS NOT NULL does not catch.
        return [(r[0], list(r[1])) for r in rows if r[1]]

    def published_dates(self, article_ids: list[str]) -> dict[str, str | None]:
        if not article_ids:
            return {}
        a = t.articles
        with self.engine.connect() as conn:
            return {r[0]: r[1] for r in conn.execute(select(a.c.id, a.c.published).where(
                a.c.id.in_(article_ids)))}

    def promote_original(self, old_original: str, new_original: str) -> None:
        """Make an earlier-published article the original of a stored near-copy group. The
        new original is saved afterwards; the group's rows point at it from now on."""
        a = t.articles
        with self.engine.begin() as conn:
            group = [r[0] for r in conn.execute(select(a.c.id).where(or_(
                a.c.id == old_original, a.c.duplicate_of == old_original)))]
            conn.execute(a.update().where(a.c.id.in_(group)).values(
                duplicate_of=new_original))
            # Whether their facts count has changed with it.
            for kind, table in FACT_TABLES.items():
                self.rederive(conn, kind, [r[0] for r in conn.execute(
                    select(table.c.id).where(table.c.article_id.in_(group)))])

    def _insert_record(
        self, conn: Connection, record: ArticleRecord, fingerprint: list[int] | None = None
    ) -> None:
        a = record.article
        data = record.to_dict()
        # The record keeps the article and its entities; each fact is stored once, in its
        # table (``data``), and read back from there.
        stored = {k: v for k, v in data.items() if k not in FACT_KINDS.values()}
        conn.execute(t.articles.insert().values(
            id=a.id, url=a.url, source=a.source, title=a.title, published=a.published,
            published_from=a.published_from, byline=a.byline, language=a.language,
            text=a.text, origin=a.origin, duplicate_of=a.duplicate_of, fingerprint=fingerprint,
            pipeline_version=record.pipeline_version, ingested_at=_now(), record=stored,
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
        amap = reviews.actor_map(conn)
        for kind, key in FACT_KINDS.items():
            items = data[key]
            state = reviews.states(conn, kind, [d["id"] for d in items])
            rows, parts = [], []
            for d in items:
                eff = facts.effective(kind, d, state.get(d["id"]), amap)
                rows.append({**facts.fact_row(kind, eff, a.id, a.published,
                                              state.get(d["id"]), bool(a.duplicate_of)),
                             "data": d})
                if kind == "event":
                    parts += facts.participant_rows(eff)
            _insert_many(conn, FACT_TABLES[kind], rows)
            _insert_many(conn, t.event_participants, parts)
        _insert_many(conn, t.times, [dict(
            id=x.id, article_id=a.id, start=x.start, end=x.end, text=x.text, type=x.type,
            value=x.value, data=d) for x, d in zip(record.times, data["times"], strict=True)])
        _insert_many(conn, t.places, [dict(
            id=p.id, article_id=a.id, start=p.start, end=p.end, text=p.text,
            place_id=p.place.id, name=p.place.name, lat=p.place.lat, lon=p.place.lon,
            country=p.place.country, level=p.place.level, confidence=p.confidence, data=d)
            for p, d in zip(record.places, data["places"], strict=True)])

    # -- reviews: re-deriving what a review changes ----------------------------

    def rederive(self, conn: Connection, kind: str, ids: list[str]) -> int:
        """Re-derive the columns of these facts from their data and reviews."""
        if not ids:
            return 0
        table, ar = FACT_TABLES[kind], t.articles
        rows = conn.execute(select(table.c.id, table.c.data, table.c.article_id,
                                   ar.c.published, ar.c.duplicate_of)
                            .join(ar, ar.c.id == table.c.article_id)
                            .where(table.c.id.in_(ids))).mappings().all()
        state = reviews.states(conn, kind, [r["id"] for r in rows])
        amap = reviews.actor_map(conn)
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

    def get_record(self, article_id: str, include_rejected: bool = False
                   ) -> dict[str, Any] | None:
        """The article record (a unique id prefix is enough), every fact as the analyst sees
        it: reviews applied, merged actors followed, rejected facts left out (or kept and
        flagged with ``include_rejected``)."""
        a = t.articles
        with self.engine.connect() as conn:
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
        with self.engine.connect() as conn:
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
        with self.engine.connect() as conn:
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
        with self.engine.connect() as conn:
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
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.actors.c.id, t.actors.c.name).where(
                t.actors.c.id.in_(ids)))
            names = {r[0]: r[1] for r in rows}
            edits = reviews.states(conn, "actor", list(names))
        for aid, st in edits.items():
            if st.fields.get("name"):
                names[aid] = st.fields["name"]
        return names

    def actor_row(self, actor_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(t.actors).where(t.actors.c.id == actor_id)
                               ).mappings().first()
            if row is None:
                return None
            out = [dict(row)]
            lists.apply_actor_reviews(conn, out)
        return out[0]

    def canonical_actor(self, actor_id: str) -> str:
        with self.engine.connect() as conn:
            return reviews.actor_map(conn).get(actor_id, actor_id)

    def stored_counts(self) -> dict[str, int]:
        """Rows in each table, everything stored (near-copies, rejected and uncounted facts
        included): what the store holds, not what counts (``Service.counts`` is that)."""
        with self.engine.connect() as conn:
            out = {}
            for name, table in (("articles", t.articles), ("actors", t.actors),
                                ("mentions", t.mentions), ("quotes", t.quotes),
                                ("events", t.events), ("relations", t.relations),
                                ("times", t.times), ("places", t.places),
                                ("failures", t.ingest_failures)):
                out[name] = conn.execute(select(func.count()).select_from(table)).scalar_one()
        return out

    def article_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(t.articles.c.id).order_by(
                t.articles.c.id))]

    def table_rows(self, name: str) -> list[dict[str, Any]]:
        """Every row of one table (the Parquet export)."""
        table = t.metadata.tables[name]
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(table)).mappings()]

    def _rows(self, query: Any, limit: int | None) -> list[dict[str, Any]]:
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]


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
