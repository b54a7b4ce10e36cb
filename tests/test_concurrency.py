"""Two writers at once, and a writer killed at a random point: the store ends up exactly as
one clean run leaves it (articles, facts, near-copy marks, actor counts). SQLite always;
PostgreSQL when WIREWATCH_TEST_POSTGRES is set."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, select, text

from tests.stores import empty_postgres
from wirewatch.ingest.run import ingest
from wirewatch.store import schema as t
from wirewatch.store.repository import Store, resolve_url

from .conftest import EXAMPLES

# Fictional sample articles: three copies of one wire story (013a-c) and four others.
FILES = ["013b_raids-arrest-nine-militia-members_crescent.txt", "025_iranian-lawmaker-warns-us.txt",
         "007_baghdad-rally-against-disarmament.txt", "009_lawmakers-grill-interior-minister.txt",
         "013c_raids-arrest-nine-militia-members_northstar.txt",
         "013a_raids-arrest-nine-militia-members.txt", "029_reactions-partial-deal.txt"]
PATHS = [str(EXAMPLES / f) for f in FILES]


def _backends() -> list[str]:
    return ["sqlite"] + (["postgresql"] if os.environ.get("WIREWATCH_TEST_POSTGRES") else [])


@pytest.fixture(params=_backends())
def empty_db(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'w.db'}"
    empty_postgres(os.environ["WIREWATCH_TEST_POSTGRES"])
    return os.environ["WIREWATCH_TEST_POSTGRES"]


def snapshot(url: str) -> dict:
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            articles = {r[0]: r[1] for r in conn.execute(
                select(t.articles.c.id, t.articles.c.duplicate_of))}
            records = {r[0]: r[1]["article"]["duplicate_of"] for r in conn.execute(
                select(t.articles.c.id, t.articles.c.record))}
            actors = {r[0]: tuple(r[1:]) for r in conn.execute(select(
                t.actors.c.id, t.actors.c.mention_count, t.actors.c.article_count,
                t.actors.c.first_seen, t.actors.c.last_seen))}
            events = set(conn.execute(select(t.events.c.id)).scalars())
        counts = store.stored_counts()
    finally:
        store.close()
    assert records == articles  # the stored record JSON agrees with the column
    return {"articles": articles, "actors": actors, "events": events, "counts": counts}


@pytest.fixture(scope="module")
def clean(nlp, tmp_path_factory) -> dict:
    url = f"sqlite:///{tmp_path_factory.mktemp('clean') / 'clean.db'}"
    store = Store(url)
    summary = ingest(store, PATHS, nlp=nlp)
    store.close()
    assert summary.new == len(PATHS) and summary.near_copies == 2
    return snapshot(url)


def _cli(paths: list[str], db: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from wirewatch.cli import app; app()", "ingest", *paths,
         "--db", db, "-f", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_ingests_of_one_store_both_finish_correctly(clean, empty_db):
    # Overlapping halves; the copies of one story are split between the two writers.
    first = _cli(PATHS[:4], empty_db)
    second = _cli(PATHS[3:], empty_db)
    for proc in (first, second):
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err[-3000:]
    assert snapshot(empty_db) == clean


def _articles_stored(db: str) -> int:
    try:
        engine = create_engine(resolve_url(db))
        with engine.connect() as conn:
            n = conn.execute(select(text("count(*)")).select_from(t.articles)).scalar_one()
        engine.dispose()
        return n
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def test_ingest_killed_at_a_random_point_resumes_to_a_clean_store(clean, empty_db):
    seed = int(os.environ.get("WIREWATCH_CRASH_SEED") or random.randrange(1 << 30))
    rnd = random.Random(seed)
    proc = _cli(PATHS, empty_db)
    target = rnd.randrange(0, len(PATHS))  # kill once this many articles are stored ...
    deadline = time.monotonic() + 300
    while proc.poll() is None and _articles_stored(empty_db) < target:
        assert time.monotonic() < deadline, f"seed {seed}: ingest made no progress"
        time.sleep(0.05)
    time.sleep(rnd.uniform(0, 0.5))  # ... plus a random moment within the next save(s)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    resumed = _cli(PATHS, empty_db)
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, f"seed {seed}: {err[-3000:]}"
    assert snapshot(empty_db) == clean, f"seed {seed}"
