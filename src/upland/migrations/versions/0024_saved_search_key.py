"""market: saved searches filed under a match key (an inverted index for the fan-out)

A newly published opportunity used to test every saved search's columns in one SELECT that
no index could serve (each condition is "blank, or this"): at 20 000 saved searches that scan,
once per publication, was most of the fan-out's time. `match_key` files each search under its
most selective condition (`upland.market.saved.keys.key_of`: a term, else its words, else its
PKD code, its city's voivodeship, its kind, its owner kind, else `*`), and the fan-out reads
only the searches under the keys an opportunity has, from `ix_saved_search_match_key`; the
distinct texts of words it checks against each opportunity come from `ix_saved_search_q`. The
indexes of kind and city go: SQLite preferred them (an OR of "blank, or this") to the key's.

The rows that exist are filled here by the same rule written in SQL.

Self-contained: no application code imported.

Revision ID: 0024_saved_search_key
Revises: 0023_market_search
Create Date: 2026-12-03 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_saved_search_key"
down_revision = "0023_market_search"
branch_labels = None
depends_on = None
downgrade_loses = "nothing (the key is derived from the saved search's other columns)"

FILL = """UPDATE saved_search SET match_key = CASE
    WHEN capability IS NOT NULL AND capability != '' THEN 't:' || capability
    WHEN certification IS NOT NULL AND certification != '' THEN 't:' || certification
    WHEN q IS NOT NULL AND q != '' THEN 'q:' || q
    WHEN pkd IS NOT NULL AND pkd != '' THEN 'p:' || pkd
    WHEN city_teryt IS NOT NULL AND city_teryt != '' THEN 'c:' || substr(city_teryt, 1, 2)
    WHEN kind IS NOT NULL AND kind != '' THEN 'k:' || kind
    WHEN owner_kind IS NOT NULL AND owner_kind != '' THEN 'o:' || owner_kind
    ELSE '*' END"""


def upgrade() -> None:
    op.add_column(
        "saved_search",
        sa.Column("match_key", sa.String(length=210), server_default="*", nullable=False),
    )
    op.execute(FILL)
    op.create_index("ix_saved_search_match_key", "saved_search", ["match_key"], unique=False)
    op.create_index("ix_saved_search_q", "saved_search", ["q"], unique=False)
    op.drop_index("ix_saved_search_kind", table_name="saved_search")
    op.drop_index("ix_saved_search_city", table_name="saved_search")


def downgrade() -> None:
    op.create_index("ix_saved_search_city", "saved_search", ["city_teryt"], unique=False)
    op.create_index("ix_saved_search_kind", "saved_search", ["kind"], unique=False)
    op.drop_index("ix_saved_search_q", table_name="saved_search")
    op.drop_index("ix_saved_search_match_key", table_name="saved_search")
    with op.batch_alter_table("saved_search") as batch:
        batch.drop_column("match_key")
