"""events: a rotatable video-room key per event, and a guest's language

`event.video_secret`: the key the event's video rooms are named with (None: the deployment's
secret key, as before, until the organiser issues a new link). `event_registration.
guest_language`: the language of the form a guest sent, so their e-mails are written in it
(None: Polish, as before).

Self-contained: no application code imported.

Revision ID: 0040_video_guest_language
Revises: 0039_brokerage_invitations
Create Date: 2026-12-04 17:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0040_video_guest_language"
down_revision = "0039_brokerage_invitations"
branch_labels = None
depends_on = None
downgrade_loses = "events' issued video-room keys (old links work again) and guests' languages"


def upgrade() -> None:
    with op.batch_alter_table("event") as batch:
        batch.add_column(sa.Column("video_secret", sa.String(64), nullable=True))
    with op.batch_alter_table("event_registration") as batch:
        batch.add_column(sa.Column("guest_language", sa.String(2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_registration") as batch:
        batch.drop_column("guest_language")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("video_secret")
