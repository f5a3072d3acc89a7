"""organisations: an organisation may opt out of being suggested as a partner

Self-contained: no application code imported.

Revision ID: 0030_organisation_not_suggested
Revises: 0029_market_text_totals
Create Date: 2026-12-04 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_organisation_not_suggested"
down_revision = "0029_market_text_totals"
branch_labels = None
depends_on = None
downgrade_loses = "which organisations opted out of suggestions"


# Plain ALTER TABLE (no batch copy on SQLite, which would drop the table's search triggers).
def upgrade() -> None:
    op.add_column(
        "organisation",
        sa.Column("not_suggested", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("organisation", "not_suggested")
