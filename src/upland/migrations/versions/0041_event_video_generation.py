"""events: how many times an event's video-room link was issued

`event.video_generation`: added to each online meeting's calendar SEQUENCE, so a calendar app
replaces the entry (and its room) when the organiser issues a new link instead of keeping the
old room, which whoever holds the leaked link could wait in. 0 for every existing event.

Self-contained: no application code imported.

Revision ID: 0041_event_video_generation
Revises: 0040_video_guest_language
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0041_event_video_generation"
down_revision = "0040_video_guest_language"
branch_labels = None
depends_on = None
downgrade_loses = "how many times each event's video-room link was issued"


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(
            sa.Column("video_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.drop_column("video_generation")
