"""full-text search that finds the same rows on SQLite and PostgreSQL

Both sides now index words without stemming or stop words (SQLite FTS5 ``unicode61``
without diacritic folding; PostgreSQL's ``simple`` configuration), and both queries ask
for every word, the last one as a prefix. Before, the Porter stemmer on one side and the
English dictionary (with its stop words) on the other answered the same query differently.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_FTS = {
    "articles": ("articles_fts", ["title", "text"]),
    "quotes": ("quotes_fts", ["content", "speaker_text", "speaker_role"]),
}


def _sqlite(tokenize: str) -> list[str]:
    out = []
    for table, (fts, cols) in _FTS.items():
        names = ", ".join(cols)
        new = ", ".join(f"new.{c}" for c in cols)
        old = ", ".join(f"old.{c}" for c in cols)
        out += [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")]
        out += [
            f"DROP TABLE IF EXISTS {fts}",
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{table}', "
            f"content_rowid='rowid', tokenize='{tokenize}')",
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


def _postgres(config: str) -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_articles_fts",
        "DROP INDEX IF EXISTS ix_quotes_fts",
        f"CREATE INDEX ix_articles_fts ON articles USING GIN "
        f"(to_tsvector('{config}', coalesce(title, '') || ' ' || text))",
        f"CREATE INDEX ix_quotes_fts ON quotes USING GIN "
        f"(to_tsvector('{config}', coalesce(content, '') || ' ' || coalesce(speaker_text, '') "
        f"|| ' ' || coalesce(speaker_role, '')))",
    ]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite("unicode61 remove_diacritics 0") if sqlite else _postgres("simple"):
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _sqlite("porter unicode61") if sqlite else _postgres("english"):
        op.execute(statement)
