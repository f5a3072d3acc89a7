"""market: the expiry date each owner was reminded of

The daily reminder job records on each opportunity the expiry date it reminded the owner's
editors of, so a second run the same day (or another process) sends nothing, and renewing
(a new date) earns a new reminder.

Self-contained: no application code imported.

Revision ID: 0020_alerts
Revises: 0019_dashboard
Create Date: 2026-12-03 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_alerts"
down_revision = "0019_dashboard"
branch_labels = None
depends_on = None
downgrade_loses = "which expiry dates owners were reminded of"


# Plain ALTER TABLE on both backends: a batch copy of `opportunity` on SQLite would lose the
# search index's triggers (migration 0015).


def upgrade() -> None:
    op.add_column("opportunity", sa.Column("expiry_reminded_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("opportunity", "expiry_reminded_on")
