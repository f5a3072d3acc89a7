"""matching: whether an anonymous reader may open a matched item

`item_vector.public`: only such items count in BM25's corpus statistics (number of documents,
document frequencies, average length), so that no score tells how many restricted items say a
word. Existing rows get the anonymous reader's rule as it stands today, in SQL: an organisation
of visibility "public"; an opportunity of visibility "public", published and not past its
expiry. Every refresh sets the flag again from the areas' own rules (`visible_to`).

Self-contained: no application code imported.

Revision ID: 0043_item_vector_public
Revises: 0042_relation_event
Create Date: 2026-12-05 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0043_item_vector_public"
down_revision = "0042_relation_event"
branch_labels = None
depends_on = None
downgrade_loses = "which matched items are public (BM25 counts every item again)"

_ORGANISATIONS = """
UPDATE item_vector SET public = EXISTS (
  SELECT 1 FROM organisation o WHERE o.id = item_vector.item_id AND o.visibility = 'public'
) WHERE item_kind = 'organisation'
"""
_OPPORTUNITIES = """
UPDATE item_vector SET public = EXISTS (
  SELECT 1 FROM opportunity p
  WHERE p.id = item_vector.item_id AND p.visibility = 'public' AND p.status = 'published'
    AND (p.expires_on IS NULL OR p.expires_on >= CURRENT_DATE)
) WHERE item_kind = 'opportunity'
"""


def upgrade() -> None:
    with op.batch_alter_table("item_vector") as batch:
        batch.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute(_ORGANISATIONS)
    op.execute(_OPPORTUNITIES)


def downgrade() -> None:
    with op.batch_alter_table("item_vector") as batch:
        batch.drop_column("public")
