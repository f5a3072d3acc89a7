"""facet tokens for fast exact counts: organisation.facets, indexed by FTS5 on SQLite

See `upland.organisations.facets`. On SQLite the FTS table gets a second column, so it is
rebuilt with its triggers; on PostgreSQL a GIN index covers the tokens as an array. Existing
organisations get their facets computed by a copy of the token scheme as it was at this
revision (a migration never imports application code, which moves on).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 03:50:00
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

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


_NOT_WORD = re.compile(r"[^0-9a-z]")
_ORG_COLUMNS = ("kind", "visibility", "size_class", "supply_tier", "membership_status")


def _token(prefix: str, value: str) -> str:
    return prefix + _NOT_WORD.sub("", value.lower())


def _facets(
    row: sa.RowMapping,
    teryts: list[str],
    codes: list[tuple[str | None, str]],
    terms: list[int | None],
) -> str:
    """The tokens of one organisation, exactly as `organisations.facets.build` made them at 0005."""
    words = {
        _token("kind", row["kind"]),
        _token("vis", row["visibility"]),
        _token("member", row["membership_status"] or "none"),
    }
    if row["size_class"]:
        words.add(_token("size", row["size_class"]))
    if row["supply_tier"]:
        words.add(_token("tier", row["supply_tier"]))
    words.update(_token("city", t) for t in teryts if t)
    for section, code in codes:
        compact = _NOT_WORD.sub("", code.lower())
        words.update(_token("pkd", compact[:end]) for end in range(2, len(compact) + 1))
        if section:
            words.add(_token("pkd", section))
    words.update(f"cap{t}" for t in terms if t is not None)
    return " ".join(sorted(words))


def _fill_facets(bind: sa.Connection) -> None:
    children: dict[str, dict[int, list[Any]]] = {}
    for name, sql in {
        "teryts": "SELECT organisation_id, teryt FROM site",
        "codes": "SELECT organisation_id, section, code FROM organisation_pkd",
        "terms": "SELECT organisation_id, term_id FROM organisation_capability",
    }.items():
        children[name] = defaultdict(list)
        for org_id, *value in bind.execute(sa.text(sql)):
            children[name][org_id].append(value[0] if len(value) == 1 else tuple(value))
    columns = ", ".join(_ORG_COLUMNS)
    rows = bind.execute(sa.text(f"SELECT id, {columns} FROM organisation")).mappings()
    updates = [
        {
            "b_id": row["id"],
            "facets": _facets(
                row, *(children[name][row["id"]] for name in ("teryts", "codes", "terms"))
            ),
        }
        for row in rows
    ]
    if updates:
        bind.execute(sa.text("UPDATE organisation SET facets = :facets WHERE id = :b_id"), updates)


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _run(DROP_FTS)
    op.add_column("organisation", sa.Column("facets", sa.Text(), nullable=False, server_default=""))
    _fill_facets(bind)
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
