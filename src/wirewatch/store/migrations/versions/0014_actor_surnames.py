"""actors.surname: a person's last name, indexed, for cross-article linking

An article that names a person by surname alone is linked to the one stored person of
that surname (``store.linking``). That lookup read every stored person and split each
name, inside the write transaction: 0.1 s per such article at 20,000 persons, 0.6 s at
100,000. The surname is now kept in an indexed column, set when an actor is written and
filled here for the actors already stored.

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from wirewatch.store.linking import surname_key

    op.add_column("actors", sa.Column("surname", sa.String(200), nullable=True))
    op.create_index("ix_actors_surname", "actors", ["surname"])
    conn = op.get_bind()
    actors = sa.table("actors", sa.column("id", sa.String), sa.column("surname", sa.String))
    update = actors.update().where(actors.c.id == sa.bindparam("b_id")).values(
        surname=sa.bindparam("b_surname"))
    rows = []
    for actor_id, name in conn.execute(sa.text(
            "SELECT id, name FROM actors WHERE type = 'PERSON'")):
        surname = surname_key(name, "PERSON")
        if surname is not None:
            rows.append({"b_id": actor_id, "b_surname": surname})
        if len(rows) >= 5000:
            conn.execute(update, rows)
            rows = []
    if rows:
        conn.execute(update, rows)


def downgrade() -> None:
    with op.batch_alter_table("actors") as batch:
        batch.drop_index("ix_actors_surname")
        batch.drop_column("surname")
