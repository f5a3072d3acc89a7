"""network: the brokerage-day invitations of recommended pairs

A pair of organisations (`a_id` < `b_id`) invited to an event, who invited (`invited_by_id`)
and when; once per pair and event.

Self-contained: no application code imported.

Revision ID: 0039_brokerage_invitations
Revises: 0038_meeting_agreement_confirm
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0039_brokerage_invitations"
down_revision = "0038_meeting_agreement_confirm"
branch_labels = None
depends_on = None
downgrade_loses = "the record of which pairs were invited to which brokerage day"


def _foreign_key(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{table}.id"],
        name=op.f(f"fk_brokerage_invitation_{column}_{table}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        "brokerage_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        _foreign_key("a_id", "organisation", "CASCADE"),
        _foreign_key("b_id", "organisation", "CASCADE"),
        _foreign_key("event_id", "event", "CASCADE"),
        _foreign_key("invited_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brokerage_invitation")),
        sa.UniqueConstraint("a_id", "b_id", "event_id", name=op.f("uq_brokerage_invitation_a_id")),
    )
    op.create_index("ix_brokerage_invitation_event_id", "brokerage_invitation", ["event_id"])
    op.create_index(
        "ix_brokerage_invitation_invited_by_id", "brokerage_invitation", ["invited_by_id"]
    )


def downgrade() -> None:
    op.drop_table("brokerage_invitation")
