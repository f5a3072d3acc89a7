"""free-text search index: FTS5 on SQLite, trigram GIN on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 00:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
# What `upland db downgrade` warns that reverting this migration removes.
downgrade_loses = "the free-text search index (rebuilt when upgrading again; no data lost)"
branch_labels = None
depends_on = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE organisation_fts USING fts5(
        search_text, content='organisation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER organisation_fts_insert AFTER INSERT ON organisation BEGIN
        INSERT INTO organisation_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    """CREATE TRIGGER organisation_fts_delete AFTER DELETE ON organisation BEGIN
        INSERT INTO organisation_fts(organisation_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    """CREATE TRIGGER organisation_fts_update AFTER UPDATE OF search_text ON organisation BEGIN
        INSERT INTO organisation_fts(organisation_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO organisation_fts(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    "INSERT INTO organisation_fts(organisation_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS organisation_fts_update",
    "DROP TRIGGER IF EXISTS organisation_fts_delete",
    "DROP TRIGGER IF EXISTS organisation_fts_insert",
    "DROP TABLE IF EXISTS organisation_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_organisation_search_trgm ON organisation USING gin (search_text gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_organisation_search_trgm"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_UP if sqlite else POSTGRES_UP)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_DOWN if sqlite else POSTGRES_DOWN)
