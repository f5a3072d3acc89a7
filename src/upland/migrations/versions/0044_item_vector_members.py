"""matching: whether any member of the cluster may open a matched item

`item_vector.members`, beside `public`: with the two flags the index narrows a reader's search
to the items their level lets them open, instead of walking past the many they may not (on a
catalogue of years, most opportunities have ended and only their owners and staff open them).
Existing rows get a member's rule as it stands today, in SQL: an organisation of visibility
"public" or "members"; such an opportunity, published and not past its expiry, counted from
yesterday (UTC) so that no time zone's midnight turns off an item still live: a flag wrongly
on costs a search a candidate the rule then drops, one wrongly off would hide the item. Every
refresh sets the flag again from the areas' own rules (`visible_to`).

Self-contained: no application code imported.

Revision ID: 0044_item_vector_members
Revises: 0043_item_vector_public
Create Date: 2026-12-05 15:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0044_item_vector_members"
down_revision = "0043_item_vector_public"
branch_labels = None
depends_on = None
downgrade_loses = "which matched items every member may open (searches widen past the others)"

_ORGANISATIONS = """
UPDATE item_vector SET members = EXISTS (
  SELECT 1 FROM organisation o
  WHERE o.id = item_vector.item_id AND o.visibility IN ('public', 'members')
) WHERE item_kind = 'organisation'
"""
_OPPORTUNITIES = """
UPDATE item_vector SET members = EXISTS (
  SELECT 1 FROM opportunity p
  WHERE p.id = item_vector.item_id AND p.visibility IN ('public', 'members')
    AND p.status = 'published' AND (p.expires_on IS NULL OR p.expires_on >= :yesterday)
) WHERE item_kind = 'opportunity'
"""


def upgrade() -> None:
    with op.batch_alter_table("item_vector") as batch:
        batch.add_column(
            sa.Column("members", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute(_ORGANISATIONS)
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    op.get_bind().execute(sa.text(_OPPORTUNITIES), {"yesterday": yesterday})


def downgrade() -> None:
    with op.batch_alter_table("item_vector") as batch:
        batch.drop_column("members")
