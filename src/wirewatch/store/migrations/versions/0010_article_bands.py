"""article_bands: the LSH band keys of each article's near-copy fingerprint

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from wirewatch.ingest.dedupe import band_keys

    op.create_table(
        "article_bands",
        sa.Column("key", sa.BigInteger(), primary_key=True),
        sa.Column("article_id", sa.String(40), primary_key=True),
    )
    op.create_index("ix_article_bands_article_id", "article_bands", ["article_id"])
    # The bands of the articles already stored, from their stored fingerprints.
    conn = op.get_bind()
    bands = sa.table("article_bands", sa.column("key", sa.BigInteger),
                     sa.column("article_id", sa.String))
    rows = []
    for article_id, fp in conn.execute(sa.text(
            "SELECT id, fingerprint FROM articles WHERE fingerprint IS NOT NULL")):
        fp = json.loads(fp) if isinstance(fp, str) else fp
        rows += [{"key": k, "article_id": article_id} for k in sorted(set(band_keys(fp or [])))]
        if len(rows) >= 5000:
            conn.execute(bands.insert(), rows)
            rows = []
    if rows:
        conn.execute(bands.insert(), rows)


def downgrade() -> None:
    op.drop_table("article_bands")
