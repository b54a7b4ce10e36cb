"""live sources (feeds, sitemaps, pages) with their schedule and validators; a fetch log

Revision ID: 0007
Revises: 0006
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False, unique=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("every_seconds", sa.Integer(), nullable=False),
        sa.Column("allow_private", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("added_at", sa.String(40), nullable=False),
        sa.Column("last_fetched", sa.String(40), nullable=True),
        sa.Column("next_due", sa.String(40), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_table(
        "fetch_log",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("source_id", sa.String(40), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("fetched_at", sa.String(40), nullable=True),
        sa.Column("bytes", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("stamp", sa.Text(), nullable=True),
        sa.Column("article_id", sa.String(40), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=True),
    )
    op.create_index("ix_fetch_log_source_id", "fetch_log", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_fetch_log_source_id", table_name="fetch_log")
    op.drop_table("fetch_log")
    op.drop_table("sources")
