"""removals: an opaque random token names each removal (ids counted removals platform-wide)

Self-contained: no application code imported.

Revision ID: 0017_polish
Revises: 0016_notify
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0017_polish"
down_revision = "0016_notify"
branch_labels = None
depends_on = None
downgrade_loses = "the removals' tokens (an Undo offered before the downgrade no longer works)"


def upgrade() -> None:
    with op.batch_alter_table("removed_record", table_kwargs={"sqlite_autoincrement": True}) as b:
        b.add_column(sa.Column("token", sa.String(length=32), nullable=True))
    removed = sa.table("removed_record", sa.column("id", sa.Integer), sa.column("token"))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(removed.c.id)).all():
        token = secrets.token_urlsafe(16)
        connection.execute(removed.update().where(removed.c.id == row_id).values(token=token))
    with op.batch_alter_table("removed_record", table_kwargs={"sqlite_autoincrement": True}) as b:
        b.alter_column("token", existing_type=sa.String(length=32), nullable=False)
        b.create_unique_constraint(op.f("uq_removed_record_token"), ["token"])


def downgrade() -> None:
    with op.batch_alter_table("removed_record", table_kwargs={"sqlite_autoincrement": True}) as b:
        b.drop_constraint(op.f("uq_removed_record_token"), type_="unique")
        b.drop_column("token")
