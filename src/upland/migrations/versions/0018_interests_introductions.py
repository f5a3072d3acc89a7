"""market: interests, introductions, outcomes and bookings

Interests and passes, introductions, outcome reports and bookings of research infrastructure,
whose accepted bookings hold their days (unique per offer: no double booking).

Self-contained: no application code imported.

Revision ID: 0018_interests
Revises: 0017_polish
Create Date: 2026-12-03 11:23:22.046458
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_interests"
down_revision = "0017_polish"
branch_labels = None
depends_on = None
downgrade_loses = (
    "every expression of interest, introduction, outcome report and booking of the marketplace"
)


def upgrade() -> None:
    op.create_table(
        "booking",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_booking_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_booking_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_booking_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_booking_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking")),
    )
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_decided_by_id"), ["decided_by_id"], unique=False
        )
        batch_op.create_index(
            "ix_booking_opportunity_status", ["opportunity_id", "status", "starts_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_booking_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_booking_requested_by_id"), ["requested_by_id"], unique=False
        )

    op.create_table(
        "interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("response", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("decline_reason", sa.String(length=30), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_interest_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_interest_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_interest_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_interest_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interest")),
        sa.UniqueConstraint(
            "opportunity_id", "organisation_id", name=op.f("uq_interest_opportunity_id")
        ),
    )
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interest_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interest_decided_by_id"), ["decided_by_id"], unique=False
        )
        batch_op.create_index(
            "ix_interest_opportunity_status", ["opportunity_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_interest_organisation_status", ["organisation_id", "status"], unique=False
        )

    op.create_table(
        "booking_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_booking_day_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_booking_day_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_day")),
        sa.UniqueConstraint("opportunity_id", "day", name=op.f("uq_booking_day_opportunity_id")),
    )
    with op.batch_alter_table("booking_day", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_booking_day_booking_id"), ["booking_id"], unique=False)

    op.create_table(
        "introduction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interest_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("interested_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("interested_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["interest_id"],
            ["interest.id"],
            name=op.f("fk_introduction_interest_id_interest"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interested_id"],
            ["organisation.id"],
            name=op.f("fk_introduction_interested_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interested_user_id"],
            ["user_account.id"],
            name=op.f("fk_introduction_interested_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_introduction_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["organisation.id"],
            name=op.f("fk_introduction_owner_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["user_account.id"],
            name=op.f("fk_introduction_owner_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction")),
        sa.UniqueConstraint("interest_id", name=op.f("uq_introduction_interest_id")),
    )
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_introduction_interested", ["interested_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_introduction_interested_user_id"), ["interested_user_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_introduction_opportunity_id"), ["opportunity_id"], unique=False
        )
        batch_op.create_index("ix_introduction_owner", ["owner_id", "created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_introduction_owner_user_id"), ["owner_user_id"], unique=False
        )

    op.create_table(
        "outcome_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=True),
        sa.Column("agreement_type", sa.String(length=30), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("confirms_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_as", sa.String(length=12), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
            name=op.f("fk_outcome_report_confirmed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirms_id"],
            ["outcome_report.id"],
            name=op.f("fk_outcome_report_confirms_id_outcome_report"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introduction.id"],
            name=op.f("fk_outcome_report_introduction_id_introduction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_outcome_report_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name=op.f("fk_outcome_report_reported_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_report")),
    )
    with op.batch_alter_table("outcome_report", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_report_confirmed_by_id"), ["confirmed_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outcome_report_introduction_id"), ["introduction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outcome_report_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outcome_report_reported_by_id"), ["reported_by_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outcome_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_report_reported_by_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_report_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_report_introduction_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_report_confirmed_by_id"))

    op.drop_table("outcome_report")
    with op.batch_alter_table("introduction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_owner_user_id"))
        batch_op.drop_index("ix_introduction_owner")
        batch_op.drop_index(batch_op.f("ix_introduction_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_introduction_interested_user_id"))
        batch_op.drop_index("ix_introduction_interested")

    op.drop_table("introduction")
    with op.batch_alter_table("booking_day", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_day_booking_id"))

    op.drop_table("booking_day")
    with op.batch_alter_table("interest", schema=None) as batch_op:
        batch_op.drop_index("ix_interest_organisation_status")
        batch_op.drop_index("ix_interest_opportunity_status")
        batch_op.drop_index(batch_op.f("ix_interest_decided_by_id"))
        batch_op.drop_index(batch_op.f("ix_interest_created_by_id"))

    op.drop_table("interest")
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_booking_organisation_id"))
        batch_op.drop_index("ix_booking_opportunity_status")
        batch_op.drop_index(batch_op.f("ix_booking_decided_by_id"))

    op.drop_table("booking")
