"""market: a covering index for the browse list's totals

Every browse page asks for its exact total: `count(*)` over the live opportunities the reader
sees (status, expiry, visibility, owner) and the kind/TRL filters. Without this index each
count read every live row of the wide `opportunity` table (titles, descriptions and search
tokens: ~2 KB a row), ~0.9 s for 55 000 live rows of 100 000 on SQLite (`upland bench market`);
with it the count reads the index alone (SQLite covering index, PostgreSQL index-only scan).

Self-contained: no application code imported.

Revision ID: 0019_dashboard
Revises: 0018_interests
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0019_dashboard"
down_revision = "0018_interests"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (an index)"

# `id` last: PostgreSQL indexes do not carry it, and a reader's named opportunities are
# found by id (an index-only count needs every column it reads).
COLUMNS = ["status", "visibility", "expires_on", "kind", "trl", "owner_id", "id"]


def upgrade() -> None:
    op.create_index("ix_opportunity_browse", "opportunity", COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_opportunity_browse", table_name="opportunity")
