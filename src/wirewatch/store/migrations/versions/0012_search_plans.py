"""search plans for common words: FTS5 vocabularies, articles in list order

A word in a large share of the rows is read in list order with the full-text index probed
per row (``store.search``); that needs the articles' list order as an index, and on SQLite
the words of the index (``fts5vocab``) to spell a prefix out.

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_VOCAB = ("articles", "quotes")


def upgrade() -> None:
    op.create_index("ix_articles_blank_published_id", "articles",
                    [sa.text("coalesce(published, '')"), "id"])
    if op.get_bind().dialect.name == "sqlite":
        for table in _VOCAB:
            op.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}_fts_terms "
                       f"USING fts5vocab({table}_fts, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in _VOCAB:
            op.execute(f"DROP TABLE IF EXISTS {table}_fts_terms")
    op.drop_index("ix_articles_blank_published_id", "articles")
