"""full-text search over articles and quotes: FTS5 on SQLite, GIN tsvector on PostgreSQL

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# External-content FTS5 tables kept in step by triggers, so Store.save needs no change.
_FTS = {
    "articles": ("articles_fts", ["title", "text"]),
    "quotes": ("quotes_fts", ["content", "speaker_text", "speaker_role"]),
}


def _sqlite_ddl() -> list[str]:
    out = []
    for table, (fts, cols) in _FTS.items():
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        out += [
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
            "content_rowid='rowid', tokenize='porter unicode61')",
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END",
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); END",
            f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); "
            f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END",
            f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        ]
    return out


POSTGRES_DDL = [
    "CREATE INDEX ix_articles_fts ON articles USING GIN "
    "(to_tsvector('english', coalesce(title, '') || ' ' || text))",
    "CREATE INDEX ix_quotes_fts ON quotes USING GIN "
    "(to_tsvector('english', coalesce(content, '') || ' ' || coalesce(speaker_text, '')))",
]


def upgrade() -> None:
    ddl = _sqlite_ddl() if op.get_bind().dialect.name == "sqlite" else POSTGRES_DDL
    for statement in ddl:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for fts, _ in _FTS.values():
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    else:
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")
        op.execute("DROP INDEX IF EXISTS ix_quotes_fts")
