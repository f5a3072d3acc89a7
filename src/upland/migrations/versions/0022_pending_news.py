"""market: pending news (the outbox of the marketplace's notifications)

One row per marketplace signal whose notifications are still to be made, written in the
transaction that published the signal and stamped when its news was delivered.

Self-contained: no application code imported.

Revision ID: 0022_pending_news
Revises: 0021_saved
Create Date: 2026-12-03 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_pending_news"
down_revision = "0021_saved"
branch_labels = None
depends_on = None
downgrade_loses = "the marketplace's news not yet delivered"


def upgrade() -> None:
    op.create_table(
        "market_pending_news",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signal", sa.String(length=80), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_market_pending_news")),
    )
    op.create_index(
        "ix_market_pending_news_delivered",
        "market_pending_news",
        ["delivered_at", "created_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_market_pending_news_delivered", table_name="market_pending_news")
    op.drop_table("market_pending_news")
