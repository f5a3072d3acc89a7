"""notifications: news for people, how each wants each kind, and the scheduler's tick claims

Self-contained: no application code imported.

Revision ID: 0016_notify
Revises: 0015_market
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_notify"
down_revision = "0015_market"
branch_labels = None
depends_on = None
downgrade_loses = (
    "the notification, notification_preference and schedule_claim tables (everyone's "
    "notifications, their delivery choices, and when periodic jobs last ran)"
)


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("mail_message_id", sa.Integer(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digested_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["user_account.id"],
            name=op.f("fk_notification_recipient_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mail_message_id"],
            ["mail_message.id"],
            name=op.f("fk_notification_mail_message_id_mail_message"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_recipient_unread", "notification", ["recipient_id", "read_at"])
    op.create_index("ix_notification_pending_digest", "notification", ["delivery", "digested_at"])
    op.create_index(op.f("ix_notification_mail_message_id"), "notification", ["mail_message_id"])
    op.create_table(
        "notification_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_notification_preference_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preference")),
    )
    op.create_table(
        "schedule_claim",
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_schedule_claim")),
    )


def downgrade() -> None:
    op.drop_table("schedule_claim")
    op.drop_table("notification_preference")
    op.drop_index(op.f("ix_notification_mail_message_id"), table_name="notification")
    op.drop_index("ix_notification_pending_digest", table_name="notification")
    op.drop_index("ix_notification_recipient_unread", table_name="notification")
    op.drop_table("notification")
