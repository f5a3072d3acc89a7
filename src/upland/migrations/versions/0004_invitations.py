"""invitations: one-time links with which invited people set up their accounts

Only the SHA-256 of a link's token is stored, as for API tokens. The role an invitation offers
is the membership row itself, granted when the invitation is made.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
# What `upland db downgrade` warns that reverting this migration removes.
downgrade_loses = "the invitation table: pending invitations and their links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invited_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_invited_by_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_invitation_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index(op.f("ix_invitation_organisation_id"), "invitation", ["organisation_id"])
    op.create_index(op.f("ix_invitation_user_id"), "invitation", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invitation_user_id"), table_name="invitation")
    op.drop_index(op.f("ix_invitation_organisation_id"), table_name="invitation")
    op.drop_table("invitation")
