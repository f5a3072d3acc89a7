"""events: events, their sessions, registrations, meeting requests and meetings

An event (brokerage day, fair, open lab, training) with its registration window, tables,
participant types and request rules; its sessions, which the application cuts into slots;
registrations of member users and guests (capacity, waiting list, availability, topics);
meeting requests between registrations (message, priority, status); the scheduled meetings
(slot, table, locked, sequence, outcome); each person's calendar-feed token (its hash).

Self-contained: no application code imported.

Revision ID: 0033_events
Revises: 0032_match_weights
Create Date: 2026-12-04 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_events"
down_revision = "0032_match_weights"
branch_labels = None
depends_on = None
downgrade_loses = (
    "every event, its sessions, registrations, meeting requests, meetings and calendar-feed tokens"
)


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
        sa.Column("schedule_report", sa.JSON(), nullable=False),
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

    op.create_table(
        "event_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("guest_name", sa.String(length=200), nullable=False),
        sa.Column("guest_email", sa.String(length=254), nullable=True),
        sa.Column("guest_organisation", sa.String(length=200), nullable=False),
        sa.Column("participant_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("offer", sa.Text(), nullable=False),
        sa.Column("seek", sa.Text(), nullable=False),
        sa.Column("mail_off", sa.Boolean(), nullable=False),
        sa.Column("attendance", sa.String(length=12), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_registration_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_event_registration_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_event_registration_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registration")),
    )
    op.create_index(
        "ix_event_registration_event_status",
        "event_registration",
        ["event_id", "status", "created_at"],
    )
    op.create_index(op.f("ix_event_registration_user_id"), "event_registration", ["user_id"])
    op.create_index(
        op.f("ix_event_registration_organisation_id"), "event_registration", ["organisation_id"]
    )

    op.create_table(
        "meeting_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("receiver_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_meeting_request_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["event_registration.id"],
            name=op.f("fk_meeting_request_requester_id_event_registration"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["event_registration.id"],
            name=op.f("fk_meeting_request_receiver_id_event_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_request")),
    )
    op.create_index("ix_meeting_request_event_status", "meeting_request", ["event_id", "status"])
    op.create_index(op.f("ix_meeting_request_requester_id"), "meeting_request", ["requester_id"])
    op.create_index(op.f("ix_meeting_request_receiver_id"), "meeting_request", ["receiver_id"])

    op.create_table(
        "event_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("table_no", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("agreement_type", sa.String(length=30), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_meeting_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meeting_request.id"],
            name=op.f("fk_event_meeting_request_id_meeting_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_meeting")),
        sa.UniqueConstraint("request_id", name=op.f("uq_event_meeting_request_id")),
    )
    op.create_index("ix_event_meeting_event_slot", "event_meeting", ["event_id", "slot"])

    op.create_table(
        "event_feed_token",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_event_feed_token_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_event_feed_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_event_feed_token_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("event_feed_token")
    op.drop_table("event_meeting")
    op.drop_table("meeting_request")
    op.drop_table("event_registration")
    op.drop_table("event_session")
    op.drop_table("event")
