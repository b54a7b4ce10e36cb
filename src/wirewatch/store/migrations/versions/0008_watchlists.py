"""watchlists: saved searches whose new matching events make an Atom feed

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watchlists",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("actor", sa.Text()),
        sa.Column("type", sa.String(40)),
        sa.Column("place", sa.Text()),
        sa.Column("q", sa.Text()),
        sa.Column("created_by", sa.Text()),
        sa.Column("created_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("watchlists")
