"""PostgreSQL: each article's and quote's words stored in a column, indexed

The full-text indexes of 0006 were on an expression, so every row a search read (a
recheck of the GIN index, a row tested in list order, a rank) ran ``to_tsvector`` on its
text again, and the planner had no statistics of the words to choose a plan by. A stored
generated ``tsvector`` column (``fts``) keeps the same words (``simple`` configuration,
same text) once per row; the GIN index is on the column, and ANALYZE gathers the words'
frequencies. SQLite is unchanged (its FTS5 tables already store the words).

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# The same text 0006 indexed, per table.
_TEXT = {
    "articles": "coalesce(title, '') || ' ' || text",
    "quotes": "coalesce(content, '') || ' ' || coalesce(speaker_text, '') || ' ' "
              "|| coalesce(speaker_role, '')",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, words in _TEXT.items():
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_fts")
        op.execute(f"ALTER TABLE {table} ADD COLUMN fts tsvector "
                   f"GENERATED ALWAYS AS (to_tsvector('simple', {words})) STORED")
        op.execute(f"CREATE INDEX ix_{table}_fts ON {table} USING GIN (fts)")
        # The words' frequencies for the planner: a common word is then read in list
        # order, a rare one from the index (autovacuum would gather them only later).
        op.execute(f"ANALYZE {table}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, words in _TEXT.items():
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_fts")
        op.execute(f"ALTER TABLE {table} DROP COLUMN fts")
        op.execute(f"CREATE INDEX ix_{table}_fts ON {table} USING GIN "
                   f"(to_tsvector('simple', {words}))")
