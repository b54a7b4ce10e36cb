"""fact_counts: counts kept at write time, and events.first_report

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("first_report", sa.Integer(), nullable=False,
                                      server_default="0"))
    op.create_index("ix_events_first_report_date_id", "events",
                    ["first_report", "date", "id"])
    op.create_table(
        "fact_counts",
        sa.Column("kind", sa.String(10), primary_key=True),
        sa.Column("dim", sa.String(20), primary_key=True),
        sa.Column("value", sa.String(200), primary_key=True),
        sa.Column("n", sa.BigInteger(), nullable=False),
    )
    # The counts of a store's facts are computed by ``Store.migrate`` after this revision.
    op.execute("INSERT INTO store_state (key, value) VALUES ('needs_fact_counts', '1')")


def downgrade() -> None:
    op.execute("DELETE FROM store_state WHERE key = 'needs_fact_counts'")
    op.drop_table("fact_counts")
    op.drop_index("ix_events_first_report_date_id", table_name="events")
    op.drop_column("events", "first_report")
