"""effective fact columns: review state and country on the fact rows; facts stored once

Facts were stored three times (the article's record JSON, the fact table's columns and its
``data`` JSON). From here the fact table's ``data`` is the machine's output, its columns are
derived from it and the reviews by one function (``store.facts``), and the article record
keeps only the article and its entities. Existing rows are re-derived by
``Store.migrate`` after this revision (it sets ``needs_rederive``).

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FACTS = ("events", "quotes", "relations")


def upgrade() -> None:
    for table in FACTS:
        op.add_column(table, sa.Column("rejected", sa.Integer(), nullable=False,
                                       server_default="0"))
        op.add_column(table, sa.Column("review_id", sa.Integer(), nullable=True))
        op.create_index(f"ix_{table}_rejected", table, ["rejected"])
    op.add_column("events", sa.Column("country", sa.String(3), nullable=True))
    op.create_index("ix_events_country", "events", ["country"])
    # What counts, as one indexed flag: the default list is an index range in date order.
    for table in ("events", "quotes"):
        op.add_column(table, sa.Column("counted", sa.Integer(), nullable=False,
                                       server_default="0"))
    op.create_index("ix_events_counted_date_id", "events", ["counted", "date", "id"])
    op.create_index("ix_quotes_counted_published_id", "quotes", ["counted", "published", "id"])
    op.create_index("ix_events_date_id", "events", ["date", "id"])
    op.create_index("ix_quotes_published_id", "quotes", ["published", "id"])
    op.create_index("ix_actors_mentions_id", "actors", ["mention_count", "id"])
    op.create_index("ix_relations_observed_id", "relations", ["observed_at", "id"])
    op.create_index("ix_articles_published_id", "articles", ["published", "id"])
    op.create_table(
        "store_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=True),
    )
    op.execute("INSERT INTO store_state (key, value) VALUES ('needs_rederive', '1')")


def downgrade() -> None:
    op.drop_table("store_state")
    for name, table in (("ix_articles_published_id", "articles"),
                        ("ix_relations_observed_id", "relations"),
                        ("ix_actors_mentions_id", "actors"),
                        ("ix_quotes_published_id", "quotes"), ("ix_events_date_id", "events"),
                        ("ix_events_country", "events")):
        op.drop_index(name, table_name=table)
    op.drop_index("ix_quotes_counted_published_id", table_name="quotes")
    op.drop_index("ix_events_counted_date_id", table_name="events")
    op.drop_column("quotes", "counted")
    op.drop_column("events", "counted")
    op.drop_column("events", "country")
    for table in FACTS:
        op.drop_index(f"ix_{table}_rejected", table_name=table)
        op.drop_column(table, "review_id")
        op.drop_column(table, "rejected")
