"""A deterministic synthetic store of fictional articles and facts, for measuring queries at
scale (``wirewatch bench store``). Names are invented ("Actor 00042", "Source 07"); the
rows have the shape the pipeline writes, so every list, facet and page runs as it would.

Two loaders write the same rows: ``bulk`` (the default) loads them the fast way (SQLite:
large transactions through the driver, secondary indexes and full-text triggers dropped
during the load and rebuilt after it; PostgreSQL: COPY, with secondary and full-text
indexes and the keys built after the load); the plain loader inserts through SQLAlchemy
as any writer would. ``tests/test_synthetic.py`` checks the two give the same store.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert

from wirewatch.model import COUNTED_MODALITIES, MODALITIES, PLOVER_TYPES, content_id
from wirewatch.store import rollups
from wirewatch.store import schema as t
from wirewatch.store.linking import surname_key

EVENTS_PER_ARTICLE = 5
QUOTES_PER_ARTICLE = 3
ACTORS = 5000
SOURCES = 40
WORDS = ("ceasefire talks militia convoy border ministry protest arrests drone strike council "
         "envoy sanctions weapons agreement checkpoint election parliament refugees port "
         "pipeline curfew hostage tribal governor").split()
DAY0 = date(2024, 1, 1)
TABLES = ("articles", "events", "event_participants", "quotes", "mentions")
# Bulk loads commit every this many events on SQLite (its WAL file grows with a transaction).
SQLITE_COMMIT_EVERY = 100_000

Rows = dict[str, list[dict[str, Any]]]


def _words(rng: random.Random, n: int) -> str:
    # rng.choice(WORDS), n times, without its per-call overhead (the same draws).
    below, k = rng._randbelow, len(WORDS)  # type: ignore[attr-defined]
    return " ".join([WORDS[below(k)] for _ in range(n)])


def _article_text(rng: random.Random) -> str:
    return _words(rng, 120) + "."


def _actor_rows(actor_ids: list[str]) -> list[dict[str, Any]]:
    rows = [dict(
        id=a, name=f"Actor {i:05d}", type=("PERSON", "ORG", "GPE")[i % 3],
        kind=("person", "armed_group", "state")[i % 3], sectors=[], country="IRQ",
        registry_id=None, aliases=[f"Actor {i:05d}"], mention_count=0, article_count=0,
        first_seen="2024-01-01", last_seen="2025-12-31") for i, a in enumerate(actor_ids)]
    for row in rows:
        row["surname"] = surname_key(row["name"], row["type"])
    return rows


def _batches(events: int, seed: int, batch: int, actor_ids: list[str],
             counts: dict[str, int]) -> Iterator[Rows]:
    """The rows, about ``batch`` events at a time (``counts`` kept as they are made)."""
    rng = random.Random(seed)
    n_articles = max(1, events // EVENTS_PER_ARTICLE)
    # A few actors in many events, as in news. Cumulative weights once: rng.choices
    # accumulates the weights on every call otherwise (the same draws either way).
    cum = list(accumulate(1 / (i + 1) for i in range(ACTORS)))
    rows: Rows = {k: [] for k in TABLES}
    for a in range(n_articles):
        day = (DAY0 + timedelta(days=rng.randrange(730))).isoformat()
        aid = content_id("art", "synthetic", seed, a)
        source = f"Source {rng.randrange(SOURCES):02d}"
        text = _article_text(rng)
        rows["articles"].append(dict(
            id=aid, url=f"https://example.org/{a}", source=source, title=f"Story {a}",
            published=day, published_from="metadata", byline=None, language="en", text=text,
            origin=f"synthetic:{a}", duplicate_of=None, fingerprint=None,
            pipeline_version="synthetic", ingested_at=day,
            record={"article": {"id": aid, "text": text, "title": f"Story {a}",
                                "source": source, "published": day}, "entities": []}))
        for e in range(EVENTS_PER_ARTICLE):
            eid = content_id("ev", aid, e)
            who = rng.choices(actor_ids, cum_weights=cum, k=2)
            etype = rng.choice(PLOVER_TYPES)
            modality = "asserted" if rng.random() < 0.8 else rng.choice(MODALITIES)
            sentence = f"Actor {who[0][-5:]} and Actor {who[1][-5:]}: {rng.choice(WORDS)}."
            data = {"id": eid, "type": etype, "start": 0, "end": len(sentence),
                    "trigger": {"start": 0, "end": 5, "text": "Actor", "label": None},
                    "actors": [{"entity": who[0], "text": f"Actor {who[0][-5:]}",
                                "start": 0, "end": 11}],
                    "recipients": [{"entity": who[1], "text": f"Actor {who[1][-5:]}",
                                    "start": 16, "end": 27}],
                    "modality": modality, "sentence": sentence, "confidence": 0.7,
                    "date": {"value": day, "reason": "article date"},
                    "location": None}
            rows["events"].append(dict(
                id=eid, article_id=aid, type=etype, modality=modality, cameo=None, date=day,
                place_name=None, lat=None, lon=None, geo_level=None, country="IRQ",
                sentence=sentence, start=0, end=len(sentence), confidence=0.7,
                published=day, rejected=0, review_id=None,
                counted=int(modality in COUNTED_MODALITIES),
                first_report=int(modality in COUNTED_MODALITIES), data=data))
            for role, who_id, pos in (("actor", who[0], 0), ("recipient", who[1], 0)):
                rows["event_participants"].append(dict(
                    event_id=eid, role=role, position=pos, actor_id=who_id,
                    text=f"Actor {who_id[-5:]}"))
                rows["mentions"].append(dict(
                    id=content_id("m", eid, role), article_id=aid, actor_id=who_id,
                    start=0, end=11, text=f"Actor {who_id[-5:]}", label=None))
            counts["events"] += 1
        for q in range(QUOTES_PER_ARTICLE):
            qid = content_id("q", aid, q)
            speaker = rng.choices(actor_ids, cum_weights=cum)[0]
            content = _words(rng, 12)
            data = {"id": qid, "start": 0, "end": 10, "content": content,
                    "content_spans": [[0, 10]], "kind": "indirect", "speaker": speaker,
                    "speaker_text": f"Actor {speaker[-5:]}", "speaker_span": None,
                    "speaker_role": None, "cue": "said", "cue_span": None, "addressee": None,
                    "sentence": content, "sentence_span": [0, 10], "confidence": 0.7}
            rows["quotes"].append(dict(
                id=qid, article_id=aid, speaker_id=speaker,
                speaker_text=f"Actor {speaker[-5:]}", speaker_role=None, kind="indirect",
                cue="said", addressee=None, content=content, sentence=content, start=0,
                end=10, confidence=0.7, published=day, rejected=0, review_id=None, counted=1,
                data=data))
            counts["quotes"] += 1
        counts["articles"] += 1
        if len(rows["events"]) >= batch:
            yield rows
            rows = {k: [] for k in TABLES}
    if any(rows.values()):
        yield rows


def build(store: Any, events: int, seed: int = 7, batch: int = 2000,
          progress: Callable[[int, int], None] | None = None,
          bulk: bool = True) -> dict[str, int]:
    """Fill an empty store with about ``events`` events (and their articles, actors,
    participants, quotes); the same arguments give the same rows, with either loader."""
    actor_ids = [f"act_syn{i:05d}" for i in range(ACTORS)]
    counts = {"articles": 0, "events": 0, "quotes": 0}
    batches = _batches(events, seed, batch, actor_ids, counts)
    actors = _actor_rows(actor_ids)

    def report() -> None:
        if progress:
            progress(counts["events"], events)

    if bulk and store.dialect == "sqlite" and store.engine.url.database not in (None, "",
                                                                               ":memory:"):
        _load_sqlite(store, actors, batches, report)
    elif bulk and store.dialect == "postgresql":
        _load_postgresql(store, actors, batches, report)
    else:
        _load_plain(store, actors, batches, report)
    # Every article and actor is new, so the counts are set by one GROUP BY each, not by
    # the per-write recounts a save does.
    store.refresh_actor_counts()
    # No incidents here: every counted event is its own first report (set above).
    store._write(lambda conn: rollups.rebuild(conn, first_reports=False))
    # PostgreSQL: planner statistics and the visibility map after a bulk load (autovacuum
    # would gather them later; until then it plans an actor's 100,000 rows as a dozen, and
    # counts read the table instead of the index). Not SQLite's ANALYZE: with its
    # statistics SQLite drove a common full-text word's 240,000 matches through a sort
    # (quotes?q= 0.9 s -> 4.6 s at a million events).
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                sa.text("VACUUM ANALYZE"))
    return counts


def _load_plain(store: Any, actors: list[dict[str, Any]], batches: Iterator[Rows],
                report: Callable[[], None]) -> None:
    """INSERTs through SQLAlchemy, one transaction per batch (what the bulk loaders must
    equal)."""
    with store.engine.begin() as conn:
        conn.execute(insert(t.actors), actors)
    for rows in batches:
        with store.engine.begin() as conn:
            for name in TABLES:
                if rows[name]:
                    conn.execute(insert(t.metadata.tables[name]), rows[name])
        report()


def _columns(name: str, row: dict[str, Any]) -> tuple[list[str], list[bool]]:
    """The columns a row dict fills (every other column of these tables has no default),
    and which of them hold JSON."""
    table = t.metadata.tables[name]
    cols = list(row)
    missing = [c.name for c in table.columns if c.name not in row and c.default is not None]
    if missing:  # a new column with a default: the plain loader would fill it
        raise ValueError(f"synthetic {name} rows leave out {missing}")
    return cols, [isinstance(table.c[c].type, sa.JSON) for c in cols]


def _tuples(name: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Rows as value lists, JSON serialised as SQLAlchemy's JSON type does (json.dumps;
    None as JSON null)."""
    cols, is_json = _columns(name, rows[0])
    out = [list(r.values()) for r in rows]
    dumps = json.dumps
    for j in (j for j, flag in enumerate(is_json) if flag):
        for row in out:
            row[j] = dumps(row[j])
    return cols, out


def _quoted(cols: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


# -- SQLite ---------------------------------------------------------------------------------


def _load_sqlite(store: Any, actors: list[dict[str, Any]], batches: Iterator[Rows],
                 report: Callable[[], None]) -> None:
    """executemany in large transactions on a connection of its own, with the build's
    pragmas; secondary indexes and the full-text triggers are dropped for the load and
    made again after it (same SQL), the full-text indexes rebuilt from the rows."""
    path = store.engine.url.database
    store.engine.dispose()  # the load is the only connection to the file
    db = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=OFF", "foreign_keys=OFF",
                       "temp_store=MEMORY", "cache_size=-400000"):
            db.execute(f"PRAGMA {pragma}")
        names = ", ".join(f"'{n}'" for n in (*TABLES, "actors"))
        saved = db.execute(
            f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({names}) "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid").fetchall()
        fts = [n for (n,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE "
            "'CREATE VIRTUAL TABLE % USING fts5(%' ORDER BY name")]
        db.execute("BEGIN IMMEDIATE")
        for kind, name, _ in saved:
            db.execute(f'DROP {kind.upper()} "{name}"')
        loaded = False
        try:
            _sqlite_insert(db, "actors", actors)
            done = 0
            for rows in batches:
                for name in TABLES:
                    if rows[name]:
                        _sqlite_insert(db, name, rows[name])
                done += len(rows["events"])
                if done >= SQLITE_COMMIT_EVERY:
                    db.execute("COMMIT")
                    db.execute("BEGIN IMMEDIATE")
                    done = 0
                report()
            loaded = True
        finally:
            # Indexes and triggers come back even when the load fails part-way (the rows
            # committed so far stay, indexed).
            if db.in_transaction:
                db.execute("COMMIT" if loaded else "ROLLBACK")
            db.execute("BEGIN IMMEDIATE")
            for _, _, sql in saved:
                db.execute(sql)
            for name in fts:
                db.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
            db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def _sqlite_insert(db: sqlite3.Connection, name: str, rows: list[dict[str, Any]]) -> None:
    cols, values = _tuples(name, rows)
    marks = ", ".join("?" * len(cols))
    db.executemany(f'INSERT INTO "{name}" ({_quoted(cols)}) VALUES ({marks})', values)


# -- PostgreSQL -----------------------------------------------------------------------------


def _load_postgresql(store: Any, actors: list[dict[str, Any]], batches: Iterator[Rows],
                     report: Callable[[], None]) -> None:
    """COPY in one transaction. The keys (primary and foreign) and the indexes of the loaded
    tables are dropped first and made again after the load from their own definitions:
    building an index (the full-text GIN ones above all) once from sorted rows is far
    faster than keeping it during the load."""
    raw = store.engine.raw_connection()
    try:
        conn = raw.driver_connection
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
            tables = [*TABLES, "actors"]
            # Keys of these tables and foreign keys pointing at them; foreign keys go first
            # (a primary key cannot go while one refers to it) and come back last.
            keys = cur.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), "
                "c.contype FROM pg_constraint c WHERE c.contype IN ('p', 'f', 'u') AND "
                "(c.conrelid::regclass::text = ANY(%s) OR c.confrelid::regclass::text = "
                "ANY(%s)) ORDER BY c.contype = 'f' DESC, c.conname", (tables, tables)).fetchall()
            indexes = cur.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
                "current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM "
                "pg_constraint c WHERE c.conname = i.indexname) ORDER BY i.indexname",
                (tables,)).fetchall()
            for table, name, _, _ in keys:
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cur.execute(f'DROP INDEX "{name}"')
            _copy(cur, "actors", actors)
            for rows in batches:
                for name in TABLES:
                    if rows[name]:
                        _copy(cur, name, rows[name])
                report()
            for _, sql in indexes:
                cur.execute(sql)
            for table, name, definition, _ in reversed(keys):
                cur.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    finally:
        raw.close()


def _copy(cur: Any, name: str, rows: list[dict[str, Any]]) -> None:
    cols, values = _tuples(name, rows)
    with cur.copy(f'COPY "{name}" ({_quoted(cols)}) FROM STDIN') as copy:
        for row in values:
            copy.write_row(row)
