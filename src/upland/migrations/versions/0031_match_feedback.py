"""matching: feedback on suggestions (useful / not relevant, reason, features then)

Self-contained: no application code imported.

Revision ID: 0031_match_feedback
Revises: 0030_organisation_not_suggested
Create Date: 2026-12-04 03:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_match_feedback"
down_revision = "0030_organisation_not_suggested"
branch_labels = None
depends_on = None
downgrade_loses = "every feedback given on suggestions"


def upgrade() -> None:
    op.create_table(
        "match_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("source_kind", sa.String(length=12), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("query_hash", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=12), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_match_feedback_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_match_feedback_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_feedback")),
    )
    op.create_index(
        "ix_match_feedback_asker_target",
        "match_feedback",
        ["organisation_id", "target_kind", "target_id"],
    )
    op.create_index("ix_match_feedback_created", "match_feedback", ["created_at"])
    op.create_index(op.f("ix_match_feedback_user_id"), "match_feedback", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_match_feedback_user_id"), table_name="match_feedback")
    op.drop_index("ix_match_feedback_created", table_name="match_feedback")
    op.drop_index("ix_match_feedback_asker_target", table_name="match_feedback")
    op.drop_table("match_feedback")
