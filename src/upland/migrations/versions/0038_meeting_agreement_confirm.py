"""events: a meeting's agreement counts once confirmed

The side that reported an agreement signed at a meeting (`event_meeting.agreement_side_id`),
and how and when it was confirmed (`agreement_confirmed_as`: partner or organiser,
`agreement_confirmed_at`). Agreements recorded before stay one side's word until confirmed.

Self-contained: no application code imported.

Revision ID: 0038_meeting_agreement_confirm
Revises: 0037_market_kept_totals
Create Date: 2026-12-04 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0038_meeting_agreement_confirm"
down_revision = "0037_market_kept_totals"
branch_labels = None
depends_on = None
downgrade_loses = "who reported and who confirmed meetings' agreements"


def upgrade() -> None:
    with op.batch_alter_table("event_meeting") as batch:
        batch.add_column(sa.Column("agreement_side_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("agreement_confirmed_as", sa.String(12), nullable=True))
        batch.add_column(
            sa.Column("agreement_confirmed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.create_foreign_key(
            "fk_event_meeting_agreement_side_id_event_registration",
            "event_registration",
            ["agreement_side_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("event_meeting") as batch:
        batch.drop_constraint(
            "fk_event_meeting_agreement_side_id_event_registration", type_="foreignkey"
        )
        batch.drop_column("agreement_confirmed_at")
        batch.drop_column("agreement_confirmed_as")
        batch.drop_column("agreement_side_id")
