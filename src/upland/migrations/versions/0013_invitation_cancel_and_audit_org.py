"""accounts: withdrawn invitations kept (their links answer 410), audit entries by organisation

Self-contained: no application code imported.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 04:00:00
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None
downgrade_loses = "which invitations were withdrawn and the organisation of each audit entry"

_CHILDREN = ("site", "person", "organisation_capability")


def _organisation_of(row: Any, earlier: dict[tuple[str, str], int]) -> int | None:
    if row.object_type == "organisation" and row.object_id and row.object_id.isdigit():
        return int(row.object_id)
    for data in (row.after, row.before):
        if isinstance(data, str):
            data = json.loads(data)
        if isinstance(data, dict) and isinstance(data.get("organisation_id"), int):
            return int(data["organisation_id"])
    return earlier.get((row.object_type, row.object_id or ""))


def _owners(bind: Any) -> dict[tuple[str, str], int]:
    """The organisation of every site, person and capability that still exists."""
    owners = {}
    for table in _CHILDREN:
        query = sa.text(f"SELECT id, organisation_id FROM {table}")
        for row_id, organisation_id in bind.execute(query):
            owners[(table, str(row_id))] = organisation_id
    return owners


def upgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_audit_entry_organisation_id"), "audit_entry", ["organisation_id"])
    bind = op.get_bind()
    entries = sa.table(
        "audit_entry",
        sa.column("id", sa.Integer()),
        sa.column("object_type", sa.String()),
        sa.column("object_id", sa.String()),
        sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()),
        sa.column("organisation_id", sa.Integer()),
    )
    earlier: dict[tuple[str, str], int] = _owners(bind)
    rows = bind.execute(
        sa.select(
            entries.c.id,
            entries.c.object_type,
            entries.c.object_id,
            entries.c.before,
            entries.c.after,
        ).order_by(entries.c.id)
    ).all()
    for row in rows:
        org = _organisation_of(row, earlier)
        if org is None:
            continue
        if row.object_type in _CHILDREN:
            earlier[(row.object_type, row.object_id or "")] = org
        bind.execute(sa.update(entries).where(entries.c.id == row.id).values(organisation_id=org))


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_entry_organisation_id"), table_name="audit_entry")
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_column("organisation_id")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("cancelled_at")
