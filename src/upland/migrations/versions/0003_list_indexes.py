"""covering indexes for registry lists and their exact totals

Lists walk (name_key, id) and now find visibility in the same index; counts check each id of a
filter's set against (id, visibility); the site, PKD-section and capability sets are read from
(key, organisation_id) indexes. None of them has to touch the wide organisation rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 01:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
# What `upland db downgrade` warns that reverting this migration removes.
downgrade_loses = "list indexes (recreated when upgrading again; no data lost)"
branch_labels = None
depends_on = None

# (table, old index, old columns, new index, new columns)
REPLACED = [
    (
        "organisation",
        "ix_organisation_name_key_id",
        ["name_key", "id"],
        "ix_organisation_name_visibility",
        ["name_key", "id", "visibility"],
    ),
    ("site", "ix_site_teryt", ["teryt"], "ix_site_teryt_org", ["teryt", "organisation_id"]),
    (
        "organisation_pkd",
        "ix_organisation_pkd_section",
        ["section"],
        "ix_organisation_pkd_section_org",
        ["section", "organisation_id"],
    ),
    (
        "organisation_capability",
        "ix_organisation_capability_term_id",
        ["term_id"],
        "ix_organisation_capability_term_org",
        ["term_id", "organisation_id"],
    ),
]


def upgrade() -> None:
    for table, old, _old_columns, new, columns in REPLACED:
        op.create_index(new, table, columns)
        op.drop_index(old, table_name=table)
    op.create_index("ix_organisation_id_visibility", "organisation", ["id", "visibility"])


def downgrade() -> None:
    op.drop_index("ix_organisation_id_visibility", table_name="organisation")
    for table, old, old_columns, new, _columns in REPLACED:
        op.create_index(old, table, old_columns)
        op.drop_index(new, table_name=table)
