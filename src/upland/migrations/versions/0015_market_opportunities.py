"""market: opportunities with their classifications, access requests, attachments, search

Opportunities (offers and requests) with their PKD codes, capabilities, places of interest and
named organisations; access requests and attachments; a search index.

The search index is made by raw SQL: an FTS5 table over `search_title` and `search_text` kept by
triggers on SQLite; a stored, generated `search_vector` (titles at weight A) under a GIN index on
PostgreSQL. Self-contained: no application code imported.

Revision ID: 0015_market
Revises: 0014_perf
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_market"
down_revision = "0014_perf"
branch_labels = None
depends_on = None
downgrade_loses = (
    "every opportunity of the marketplace, its access requests and the records of its "
    "attachments (the stored files stay in UPLAND_FILES_DIR)"
)

SQLITE_UP = [
    """CREATE VIRTUAL TABLE opportunity_fts USING fts5(
        search_title, search_text, content='opportunity', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER opportunity_fts_insert AFTER INSERT ON opportunity BEGIN
        INSERT INTO opportunity_fts(rowid, search_title, search_text)
        VALUES (new.id, new.search_title, new.search_text);
    END""",
    """CREATE TRIGGER opportunity_fts_delete AFTER DELETE ON opportunity BEGIN
        INSERT INTO opportunity_fts(opportunity_fts, rowid, search_title, search_text)
        VALUES ('delete', old.id, old.search_title, old.search_text);
    END""",
    """CREATE TRIGGER opportunity_fts_update AFTER UPDATE OF search_title, search_text
        ON opportunity BEGIN
        INSERT INTO opportunity_fts(opportunity_fts, rowid, search_title, search_text)
        VALUES ('delete', old.id, old.search_title, old.search_text);
        INSERT INTO opportunity_fts(rowid, search_title, search_text)
        VALUES (new.id, new.search_title, new.search_text);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opportunity_fts_update",
    "DROP TRIGGER IF EXISTS opportunity_fts_delete",
    "DROP TRIGGER IF EXISTS opportunity_fts_insert",
    "DROP TABLE IF EXISTS opportunity_fts",
]
POSTGRES_UP = [
    """ALTER TABLE opportunity ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, search_title), 'A')
        || to_tsvector('simple'::regconfig, search_text)) STORED""",
    "CREATE INDEX ix_opportunity_search ON opportunity USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_opportunity_search",
    "ALTER TABLE opportunity DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    op.create_table(
        "opportunity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("title_pl", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=200), nullable=False),
        sa.Column("description_pl", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("advantages", sa.Text(), nullable=False),
        sa.Column("innovation", sa.Text(), nullable=False),
        sa.Column("process", sa.String(length=200), nullable=False),
        sa.Column("machine", sa.String(length=200), nullable=False),
        sa.Column("hours_per_week", sa.Integer(), nullable=True),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("available_to", sa.Date(), nullable=True),
        sa.Column("equipment", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("trl", sa.Integer(), nullable=True),
        sa.Column("ip_status", sa.String(length=20), nullable=True),
        sa.Column("patent_number", sa.String(length=40), nullable=False),
        sa.Column("partnership_types", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("visibility", sa.String(length=12), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=False),
        sa.Column("teryt", sa.String(length=7), nullable=True),
        sa.Column("search_title", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_opportunity_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["organisation.id"],
            name=op.f("fk_opportunity_owner_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity")),
    )
    op.create_index(
        op.f("ix_opportunity_created_by_id"), "opportunity", ["created_by_id"], unique=False
    )
    op.create_index("ix_opportunity_kind_status", "opportunity", ["kind", "status"], unique=False)
    op.create_index(
        "ix_opportunity_owner_status", "opportunity", ["owner_id", "status"], unique=False
    )
    op.create_index(
        "ix_opportunity_status_deadline", "opportunity", ["status", "deadline", "id"], unique=False
    )
    op.create_index(
        "ix_opportunity_status_expires", "opportunity", ["status", "expires_on"], unique=False
    )
    op.create_index(
        "ix_opportunity_status_published",
        "opportunity",
        ["status", "published_at", "id"],
        unique=False,
    )
    op.create_table(
        "access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_access_request_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_access_request_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_access_request_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_access_request_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_request")),
        sa.UniqueConstraint(
            "opportunity_id", "organisation_id", name=op.f("uq_access_request_opportunity_id")
        ),
    )
    op.create_index(
        op.f("ix_access_request_decided_by_id"), "access_request", ["decided_by_id"], unique=False
    )
    op.create_index(
        op.f("ix_access_request_opportunity_id"), "access_request", ["opportunity_id"], unique=False
    )
    op.create_index(
        op.f("ix_access_request_organisation_id"),
        "access_request",
        ["organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_access_request_requested_by_id"),
        "access_request",
        ["requested_by_id"],
        unique=False,
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_attachment_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_attachment_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("key", name=op.f("uq_attachment_key")),
    )
    op.create_index(
        op.f("ix_attachment_created_by_id"), "attachment", ["created_by_id"], unique=False
    )
    op.create_index(
        op.f("ix_attachment_opportunity_id"), "attachment", ["opportunity_id"], unique=False
    )
    op.create_table(
        "opportunity_capability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_capability_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["capability_term.id"],
            name=op.f("fk_opportunity_capability_term_id_capability_term"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_capability")),
    )
    op.create_index(
        op.f("ix_opportunity_capability_opportunity_id"),
        "opportunity_capability",
        ["opportunity_id"],
        unique=False,
    )
    op.create_index(
        "ix_opportunity_capability_term",
        "opportunity_capability",
        ["term_id", "opportunity_id"],
        unique=False,
    )
    op.create_table(
        "opportunity_named",
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_named_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_opportunity_named_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "opportunity_id", "organisation_id", name=op.f("pk_opportunity_named")
        ),
    )
    op.create_index(
        "ix_opportunity_named_org",
        "opportunity_named",
        ["organisation_id", "opportunity_id"],
        unique=False,
    )
    op.create_table(
        "opportunity_pkd",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("section", sa.String(length=1), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_pkd_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_pkd")),
    )
    op.create_index(
        "ix_opportunity_pkd_code", "opportunity_pkd", ["code", "opportunity_id"], unique=False
    )
    op.create_index(
        op.f("ix_opportunity_pkd_opportunity_id"),
        "opportunity_pkd",
        ["opportunity_id"],
        unique=False,
    )
    op.create_index(
        "ix_opportunity_pkd_section", "opportunity_pkd", ["section", "opportunity_id"], unique=False
    )
    op.create_table(
        "opportunity_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("teryt", sa.String(length=7), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_place_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_place")),
    )
    op.create_index(
        op.f("ix_opportunity_place_opportunity_id"),
        "opportunity_place",
        ["opportunity_id"],
        unique=False,
    )
    op.create_index(
        "ix_opportunity_place_teryt", "opportunity_place", ["teryt", "opportunity_id"], unique=False
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_UP if sqlite else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_DOWN if sqlite else POSTGRES_DOWN:
        op.execute(statement)
    op.drop_index("ix_opportunity_place_teryt", table_name="opportunity_place")
    op.drop_index(op.f("ix_opportunity_place_opportunity_id"), table_name="opportunity_place")
    op.drop_table("opportunity_place")
    op.drop_index("ix_opportunity_pkd_section", table_name="opportunity_pkd")
    op.drop_index(op.f("ix_opportunity_pkd_opportunity_id"), table_name="opportunity_pkd")
    op.drop_index("ix_opportunity_pkd_code", table_name="opportunity_pkd")
    op.drop_table("opportunity_pkd")
    op.drop_index("ix_opportunity_named_org", table_name="opportunity_named")
    op.drop_table("opportunity_named")
    op.drop_index("ix_opportunity_capability_term", table_name="opportunity_capability")
    op.drop_index(
        op.f("ix_opportunity_capability_opportunity_id"), table_name="opportunity_capability"
    )
    op.drop_table("opportunity_capability")
    op.drop_index(op.f("ix_attachment_opportunity_id"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_created_by_id"), table_name="attachment")
    op.drop_table("attachment")
    op.drop_index(op.f("ix_access_request_requested_by_id"), table_name="access_request")
    op.drop_index(op.f("ix_access_request_organisation_id"), table_name="access_request")
    op.drop_index(op.f("ix_access_request_opportunity_id"), table_name="access_request")
    op.drop_index(op.f("ix_access_request_decided_by_id"), table_name="access_request")
    op.drop_table("access_request")
    op.drop_index("ix_opportunity_status_published", table_name="opportunity")
    op.drop_index("ix_opportunity_status_expires", table_name="opportunity")
    op.drop_index("ix_opportunity_status_deadline", table_name="opportunity")
    op.drop_index("ix_opportunity_owner_status", table_name="opportunity")
    op.drop_index("ix_opportunity_kind_status", table_name="opportunity")
    op.drop_index(op.f("ix_opportunity_created_by_id"), table_name="opportunity")
    op.drop_table("opportunity")
