"""matching: versions of the scoring features' weights, and the coordinator's example asks

Self-contained: no application code imported.

Revision ID: 0032_match_weights
Revises: 0031_match_feedback
Create Date: 2026-12-04 04:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_match_weights"
down_revision = "0031_match_feedback"
branch_labels = None
depends_on = None
downgrade_loses = "the coordinator's saved weights (ranking returns to the defaults) and examples"


def _user(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["user_account.id"],
        name=op.f(f"fk_{table}_{column}_user_account"),
        ondelete="SET NULL",
    )


def upgrade() -> None:
    op.create_table(
        "match_weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("examples", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        _user("match_weights", "created_by_id"),
        _user("match_weights", "decided_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_weights")),
    )
    for column in ("status", "created_by_id", "decided_by_id"):
        op.create_index(op.f(f"ix_match_weights_{column}"), "match_weights", [column])
    op.create_table(
        "match_example",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _user("match_example", "created_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_example")),
    )
    op.create_index(op.f("ix_match_example_created_by_id"), "match_example", ["created_by_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_match_example_created_by_id"), table_name="match_example")
    op.drop_table("match_example")
    for column in ("status", "created_by_id", "decided_by_id"):
        op.drop_index(op.f(f"ix_match_weights_{column}"), table_name="match_weights")
    op.drop_table("match_weights")
