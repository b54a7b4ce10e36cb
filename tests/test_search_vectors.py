"""PostgreSQL's stored words (migration 0013: a generated ``fts`` column with its GIN index)
and the plan of a common word: the full-text lists read the same pages as on SQLite, rows
stored before the migration are found after it, and a common word is estimated as common
(so PostgreSQL reads it in list order, not through every index entry)."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import func, literal, select, text

from tests.stores import empty_postgres, migrate_to, pages
from wirewatch.store import lists, search, synthetic
from wirewatch.store import schema as t
from wirewatch.store.lists import Filters
from wirewatch.store.repository import Store

PG = os.environ.get("WIREWATCH_TEST_POSTGRES")
needs_pg = pytest.mark.skipif(not PG, reason="WIREWATCH_TEST_POSTGRES is not set")
# A rare word beside the synthetic ones, in the same quotes on both databases.
RARE = "UPDATE quotes SET content = content || ' bordello' WHERE substr(id, 3, 1) < '4'"
QUERIES = ["ceasefire", "hostage border", "bord", "border", "ceasefire talks militia",
           "bordello", "c", "zeppelin", "Hostage  BORDER", "cease fire", "hostage bordello"]
FILTERS = [Filters(kind="indirect"), Filters(source="Source 0"),
           Filters(since="2024-03-01", until="2024-06-30"), Filters(include_copies=True)]


# First in this file: the ``store`` fixture empties the PostgreSQL schema that ``pair``
# (module-scoped, made by the first test that asks for it) builds in afterwards.
def test_rows_stored_before_the_migration_are_found_after_it(store):
    synthetic.build(store, 100)
    with store.engine.begin() as conn:
        conn.exec_driver_sql(RARE)
    migrate_to(store, "0012")
    if store.dialect == "postgresql":
        with store.engine.connect() as conn:
            assert conn.execute(text(
                "SELECT count(*) FROM pg_attribute WHERE attrelid = 'quotes'::regclass "
                "AND attname = 'fts'")).scalar_one() == 0
            # 0012's expression index searched the same words.
            hits = conn.execute(text(
                "SELECT id FROM quotes WHERE to_tsvector('simple', coalesce(content, '') "
                "|| ' ' || coalesce(speaker_text, '') || ' ' || coalesce(speaker_role, '')) "
                "@@ to_tsquery('simple', 'bordello') ORDER BY id")).scalars().all()
    migrate_to(store, "head")
    for kind in ("quotes", "articles"):
        for q in ("bordello", "hostage bord"):
            if kind == "quotes" or q != "bordello":
                assert pages(store, kind, Filters(q=q), limit=50)[0][0], (kind, q)
    if store.dialect == "postgresql":
        found = [i for p in pages(store, "quotes", Filters(q="bordello"), limit=50)
                 for i in p[0]]
        assert sorted(found) == hits


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    """The same small synthetic store on SQLite and on PostgreSQL."""
    if not PG:
        pytest.skip("WIREWATCH_TEST_POSTGRES is not set")
    lite = Store(f"sqlite:///{tmp_path_factory.mktemp('vectors') / 's.db'}")
    pg = Store(empty_postgres(PG))
    for store in (lite, pg):
        synthetic.build(store, 400)
        with store.engine.begin() as conn:
            conn.exec_driver_sql(RARE)
    with pg.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    yield lite, pg
    lite.close()
    pg.close()


def test_the_last_word_is_spelled_for_the_planner():
    assert search._tsquery("Hostage bord") == "hostage & bord:*"
    assert search._tsquery("Hostage bord", planned=True) == "hostage & (bord | bord:*)"


@needs_pg
@pytest.mark.parametrize("kind", ["quotes", "articles"])
@pytest.mark.parametrize("q", QUERIES)
def test_postgresql_reads_the_pages_sqlite_reads(pair, kind, q):
    lite, pg = pair
    assert pages(pg, kind, Filters(q=q)) == pages(lite, kind, Filters(q=q))


@needs_pg
def test_other_filters_and_capped_totals_agree(pair, monkeypatch):
    lite, pg = pair
    monkeypatch.setattr(lists, "COUNT_CAP", 20)
    seen_capped = False
    for f in FILTERS:
        for q in ("ceasefire", "bordello", "hostage bord"):
            for kind in ("quotes", "articles"):
                fq = Filters(**{**vars(f), "q": q})
                got = pages(pg, kind, fq)
                assert got == pages(lite, kind, fq), (fq, kind)
                seen_capped |= got[0][2]
    assert seen_capped  # some totals passed the cap and were labelled estimated


@needs_pg
def test_the_words_are_a_stored_column_with_its_index(pair):
    _, pg = pair
    with pg.engine.connect() as conn:
        for table in ("articles", "quotes"):
            generated = conn.execute(text(
                "SELECT attgenerated FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) "
                "AND attname = 'fts'"), {"t": table}).scalar_one()
            assert generated == "s"  # stored
            index = conn.execute(text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = :n"),
                {"n": f"ix_{table}_fts"}).scalar_one()
            assert "USING gin (fts)" in index
    clause = str(search.fts_clause("postgresql", "quotes", "border"))
    assert clause.startswith("quotes.fts @@")


@needs_pg
def test_a_common_word_is_estimated_as_common(pair):
    """What makes PostgreSQL read a common word in list order: the planner's estimate of
    the rows of the lists' own clause. With fewer than 100 common words in the column's
    statistics (here by a small statistics target) PostgreSQL estimates any prefix at 2 %
    of the rows; the word itself is estimated from its own frequency."""
    _, pg = pair
    with pg.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE articles ALTER COLUMN fts SET STATISTICS 5")
        conn.exec_driver_sql("ANALYZE articles")
    try:
        with pg.engine.connect() as conn:
            articles = conn.execute(text("SELECT count(*) FROM articles")).scalar_one()
            query = select(literal(1)).select_from(t.articles).where(
                search.match(conn, "articles", "hostage border").clause)
            matching = conn.execute(select(func.count()).select_from(
                query.subquery())).scalar_one()
            sql = query.compile(dialect=conn.dialect)
            plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}",
                                        sql.params).scalar_one()
    finally:
        with pg.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE articles ALTER COLUMN fts SET STATISTICS -1")
            conn.exec_driver_sql("ANALYZE articles")
    plan = plan if isinstance(plan, list) else json.loads(plan)
    assert matching > 0.8 * articles
    assert plan[0]["Plan"]["Plan Rows"] > 0.5 * articles
