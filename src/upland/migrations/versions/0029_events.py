"""events: events and their sessions

An event (brokerage day, fair, open lab, training) with its registration window, tables,
participant types and request rules; its sessions, which the application cuts into slots.

Self-contained: no application code imported.

Revision ID: 0029_events
Revises: 0028_matching_vectors
Create Date: 2026-12-04 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_events"
down_revision = "0028_matching_vectors"
branch_labels = None
depends_on = None
downgrade_loses = "every event and its sessions"


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title_pl", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("description_pl", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("online", sa.Boolean(), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("registration_opens", sa.Date(), nullable=True),
        sa.Column("registration_closes", sa.Date(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("table_count", sa.Integer(), nullable=False),
        sa.Column("table_names", sa.JSON(), nullable=False),
        sa.Column("reserved_tables", sa.JSON(), nullable=False),
        sa.Column("participant_types", sa.JSON(), nullable=False),
        sa.Column("request_rules", sa.JSON(), nullable=False),
        sa.Column("meeting_cap", sa.Integer(), nullable=True),
        sa.Column("request_mode", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organiser_id"],
            ["organisation.id"],
            name=op.f("fk_event_organiser_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_event_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index("ix_event_status_starts", "event", ["status", "starts_on", "id"])
    op.create_index(op.f("ix_event_organiser_id"), "event", ["organiser_id"])
    op.create_index(op.f("ix_event_created_by_id"), "event", ["created_by_id"])
    op.create_table(
        "event_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("breaks", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_session_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_session")),
    )
    op.create_index(op.f("ix_event_session_event_id"), "event_session", ["event_id"])


def downgrade() -> None:
    op.drop_table("event_session")
    op.drop_table("event")
