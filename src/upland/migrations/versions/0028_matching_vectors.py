"""matching: item vectors (one per organisation or opportunity and text version)

The text each item is matched on, its hash, the embedding model and the float32 vector: the
matching index is rebuilt from this table, and web processes follow it by `updated_at`.

Self-contained: no application code imported.

Revision ID: 0028_matching_vectors
Revises: 0027_pending_news_attempts
Create Date: 2026-12-03 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_matching_vectors"
down_revision = "0027_pending_news_attempts"
branch_labels = None
depends_on = None
downgrade_loses = "the stored matching vectors (`upland index rebuild` makes them again)"


def upgrade() -> None:
    op.create_table(
        "item_vector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_kind", sa.String(length=12), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("languages", sa.String(length=8), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_vector")),
        sa.UniqueConstraint("item_kind", "item_id", name=op.f("uq_item_vector_item_kind")),
    )
    op.create_index("ix_item_vector_updated", "item_vector", ["updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_item_vector_updated", table_name="item_vector")
    op.drop_table("item_vector")
