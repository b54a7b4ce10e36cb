"""The synthetic bench store: the bulk loaders (SQLite: large transactions with indexes and
full-text triggers made after the load; PostgreSQL: COPY with keys and indexes made after
it) leave the same store, table by table, as plain INSERTs through SQLAlchemy."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from tests.stores import empty_postgres
from wirewatch.store import rollups, synthetic
from wirewatch.store import schema as t
from wirewatch.store.repository import Store


def dump(store: Store) -> dict[str, Any]:
    """Every table's rows as stored (JSON as its text), in key order, with SQLite's rowids
    of the full-text tables' rows, the full-text vocabularies and the schema's indexes,
    triggers and keys."""
    out: dict[str, Any] = {}
    with store.engine.connect() as conn:
        for table in t.metadata.sorted_tables:
            cols = [sa.cast(c, sa.Text) if isinstance(c.type, sa.JSON) else c
                    for c in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = conn.execute(sa.select(*cols).order_by(*order)).all()
        if store.dialect == "sqlite":
            for name in ("articles", "quotes"):
                out[f"{name}.rowid"] = conn.execute(sa.text(
                    f"SELECT rowid, id FROM {name} ORDER BY rowid")).all()
                out[f"{name}_fts_terms"] = conn.execute(sa.text(
                    f"SELECT term, doc, cnt FROM {name}_fts_terms ORDER BY term")).all()
                conn.execute(sa.text(
                    f"INSERT INTO {name}_fts({name}_fts) VALUES ('integrity-check')"))
            out["schema"] = sorted(conn.execute(sa.text(
                "SELECT type, name, tbl_name, sql FROM sqlite_master")).all())
        else:
            out["indexes"] = sorted(conn.execute(sa.text(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema()")).all())
            out["keys"] = sorted(conn.execute(sa.text(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
            )).all())
            # The stored words (migration 0013) as each loader left them.
            for name in ("articles", "quotes"):
                out[f"{name}.fts"] = conn.execute(sa.text(
                    f"SELECT id, fts::text FROM {name} ORDER BY id")).all()
            out["fts_hits"] = conn.execute(sa.text(
                "SELECT id FROM quotes WHERE fts @@ to_tsquery('simple', 'border') "
                "ORDER BY id")).all()
    return out


def _fresh(store: Store, tmp_path: Any) -> Store:
    """A second empty store of the same kind."""
    if store.dialect == "sqlite":
        return Store(f"sqlite:///{tmp_path / 'bulk.db'}")
    url = store.url
    store.close()
    return Store(empty_postgres(url))


def test_bulk_build_equals_plain_build(store, tmp_path, monkeypatch):
    # Small batches and commits, so the loaders cross several of each.
    monkeypatch.setattr(synthetic, "SQLITE_COMMIT_EVERY", 150)
    plain_counts = synthetic.build(store, 600, seed=5, batch=100, bulk=False)
    plain = dump(store)
    bulk_store = _fresh(store, tmp_path)
    try:
        bulk_counts = synthetic.build(bulk_store, 600, seed=5, batch=100)
        bulk = dump(bulk_store)
        with bulk_store.engine.connect() as conn:
            assert rollups.stored_counts(conn) == rollups.full_counts(conn)
    finally:
        bulk_store.close()
    assert bulk_counts == plain_counts == {"articles": 120, "events": 600, "quotes": 360}
    assert plain["events"] and plain["fact_counts"] and plain["mentions"]
    assert sum(r.mention_count for r in plain["actors"]) == 2 * 600
    assert bulk.keys() == plain.keys()
    for name in plain:
        assert bulk[name] == plain[name], name
