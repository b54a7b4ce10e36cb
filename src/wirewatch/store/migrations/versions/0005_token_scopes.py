"""token scopes: read, review, ingest

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tokens made before scopes existed could do everything; they keep that.
    op.add_column("api_tokens", sa.Column("scopes", sa.Text(), nullable=False,
                                          server_default="read,review,ingest"))


def downgrade() -> None:
    op.drop_column("api_tokens", "scopes")
