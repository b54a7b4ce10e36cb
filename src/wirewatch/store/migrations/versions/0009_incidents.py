"""incidents: events from different articles reporting the same happening, and membership

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(12), nullable=True),
        sa.Column("first_day", sa.String(10), nullable=False),
        sa.Column("last_day", sa.String(10), nullable=False),
        sa.Column("place_name", sa.Text(), nullable=True),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("first_reported", sa.String(40), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_incidents_type", "incidents", ["type"])
    op.create_index("ix_incidents_first_day_id", "incidents", ["first_day", "id"])
    op.create_table(
        "incident_events",
        sa.Column("event_id", sa.String(40), primary_key=True),
        sa.Column("incident_id", sa.String(40), nullable=False),
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
    )
    op.create_index("ix_incident_events_incident_id", "incident_events", ["incident_id"])
    op.create_index("ix_incident_events_article_id", "incident_events", ["article_id"])
    op.create_index("ix_incident_events_day", "incident_events", ["day"])
    # The events a store already holds are grouped by ``Store.migrate`` after this revision.
    op.execute("INSERT INTO store_state (key, value) VALUES ('needs_incidents', '1')")


def downgrade() -> None:
    op.execute("DELETE FROM store_state WHERE key = 'needs_incidents'")
    op.drop_table("incident_events")
    op.drop_table("incidents")
