"""events: places per session

A session may have its own number of places (`event_session.capacity`); a registration keeps
the sessions it waits for (`event_registration.waiting_sessions`) beside those it attends.

Self-contained: no application code imported.

Revision ID: 0035_session_places
Revises: 0034_network_relations
Create Date: 2026-12-04 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0035_session_places"
down_revision = "0034_network_relations"
branch_labels = None
depends_on = None
downgrade_loses = "sessions' own numbers of places and who waits for a session"


def upgrade() -> None:
    with op.batch_alter_table("event_session") as batch:
        batch.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
    with op.batch_alter_table("event_registration") as batch:
        batch.add_column(
            sa.Column("waiting_sessions", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("event_registration") as batch:
        batch.drop_column("waiting_sessions")
    with op.batch_alter_table("event_session") as batch:
        batch.drop_column("capacity")
