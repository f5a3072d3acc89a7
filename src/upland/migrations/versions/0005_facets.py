"""facet tokens for fast exact counts: organisation.facets, indexed by FTS5 on SQLite

See `upland.organisations.facets`. On SQLite the FTS table gets a second column, so it is
rebuilt with its triggers; on PostgreSQL a GIN index covers the tokens as an array. Existing
organisations get their facets computed by the current code.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
# What `upland db downgrade` warns that reverting this migration removes.
downgrade_loses = "organisation.facets and its index (recomputed on the next upgrade; no data lost)"
branch_labels = None
depends_on = None

DROP_FTS = [
    "DROP TRIGGER IF EXISTS organisation_fts_update",
    "DROP TRIGGER IF EXISTS organisation_fts_delete",
    "DROP TRIGGER IF EXISTS organisation_fts_insert",
    "DROP TABLE IF EXISTS organisation_fts",
]
# Counts on PostgreSQL test the tokens with @> and && (queries._filtered_by_facets).
POSTGRES_INDEX = (
    "CREATE INDEX ix_organisation_facets ON organisation USING gin (string_to_array(facets, ' '))"
)


def _fts(columns: list[str], update_of: str) -> list[str]:
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"""CREATE VIRTUAL TABLE organisation_fts USING fts5(
            {names}, content='organisation', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
        f"""CREATE TRIGGER organisation_fts_insert AFTER INSERT ON organisation BEGIN
            INSERT INTO organisation_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER organisation_fts_delete AFTER DELETE ON organisation BEGIN
            INSERT INTO organisation_fts(organisation_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER organisation_fts_update AFTER UPDATE OF {update_of} ON organisation
        BEGIN
            INSERT INTO organisation_fts(organisation_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
            INSERT INTO organisation_fts(rowid, {names}) VALUES (new.id, {new});
        END""",
        "INSERT INTO organisation_fts(organisation_fts) VALUES ('rebuild')",
    ]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    from upland.organisations import facets

    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _run(DROP_FTS)
    op.add_column("organisation", sa.Column("facets", sa.Text(), nullable=False, server_default=""))
    ids = list(bind.scalars(sa.text("SELECT id FROM organisation")))
    facets.refresh(bind, ids)
    if sqlite:
        _run(_fts(["search_text", "facets"], "search_text, facets"))
    else:
        op.execute(POSTGRES_INDEX)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(DROP_FTS if sqlite else ["DROP INDEX IF EXISTS ix_organisation_facets"])
    op.drop_column("organisation", "facets")  # SQLite ≥ 3.35 drops it in place
    if sqlite:
        _run(_fts(["search_text"], "search_text"))
