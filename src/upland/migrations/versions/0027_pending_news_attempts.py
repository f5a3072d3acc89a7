"""market: pending news counts its failed attempts and parks what keeps failing

`attempts` counts the failed tries of one piece of the marketplace's news, `problem` keeps the
last error; after too many (or when its stored signal no longer loads) `parked_at` is set and
the sweep stops trying it. Parked news is kept, never deleted by the sweep.

Self-contained: no application code imported.

Revision ID: 0027_pending_news_attempts
Revises: 0026_market_facets
Create Date: 2026-12-03 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_pending_news_attempts"
down_revision = "0026_market_facets"
branch_labels = None
depends_on = None
downgrade_loses = "how often pending news failed, and which was parked (it is tried again)"


def upgrade() -> None:
    with op.batch_alter_table("market_pending_news", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("parked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("problem", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("market_pending_news", schema=None) as batch_op:
        batch_op.drop_column("problem")
        batch_op.drop_column("parked_at")
        batch_op.drop_column("attempts")
