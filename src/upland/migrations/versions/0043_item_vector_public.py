"""matching: whether an anonymous reader may open a matched item

`item_vector.public`: only such items count in BM25's corpus statistics (number of documents,
document frequencies, average length), so that no score tells how many restricted items say a
word. Existing rows start as public (the statistics as they were); the next refresh (`upland
index rebuild`, or any item's refresh job for that item) sets the flag from the areas'
visibility rules without embedding anything again.

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


def upgrade() -> None:
    with op.batch_alter_table("item_vector") as batch:
        batch.add_column(
            sa.Column("public", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("item_vector") as batch:
        batch.drop_column("public")
