"""forms: removed sites, people and capabilities kept for a while so a removal can be undone

Self-contained: no application code imported.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None
downgrade_loses = "removals still waiting to be undone (the removed rows stay removed)"


def upgrade() -> None:
    op.create_table(
        "removed_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_removed_record_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["user_account.id"],
            name=op.f("fk_removed_record_removed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_removed_record")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_removed_record_organisation_id"), "removed_record", ["organisation_id"]
    )
    op.create_index(op.f("ix_removed_record_removed_at"), "removed_record", ["removed_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_removed_record_removed_at"), table_name="removed_record")
    op.drop_index(op.f("ix_removed_record_organisation_id"), table_name="removed_record")
    op.drop_table("removed_record")
