"""network: relations between organisations and the metrics' snapshots

Relations are derived from introductions, agreements and, later, meetings, or declared by
members and confirmed by the other side or the coordinator.

Self-contained: no application code imported.

Revision ID: 0034_network_relations
Revises: 0033_events
Create Date: 2026-12-04 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034_network_relations"
down_revision = "0033_events"
branch_labels = None
depends_on = None
downgrade_loses = (
    "the declared relations (derived ones come back with `upland network rebuild`) and the "
    "kept metric snapshots"
)

USERS = ("declared_by_id", "confirmed_by_id", "withdrawn_by_id")


def _foreign_key(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{table}.id"], name=op.f(f"fk_relation_{column}_{table}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "relation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=False),
        sa.Column("to_id", sa.Integer(), nullable=False),
        sa.Column("directed", sa.Boolean(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("origin", sa.String(length=40), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("declared_by_org_id", sa.Integer(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=True) for name in USERS),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        _foreign_key("from_id", "organisation", "CASCADE"),
        _foreign_key("to_id", "organisation", "CASCADE"),
        _foreign_key("declared_by_org_id", "organisation", "CASCADE"),
        _foreign_key("opportunity_id", "opportunity", "SET NULL"),
        *(_foreign_key(name, "user_account", "SET NULL") for name in USERS),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relation")),
        sa.UniqueConstraint("origin", name=op.f("uq_relation_origin")),
    )
    op.create_index("ix_relation_from", "relation", ["from_id", "status"])
    op.create_index("ix_relation_to", "relation", ["to_id", "status"])
    op.create_index("ix_relation_status_start", "relation", ["status", "starts_on"])
    op.create_index("ix_relation_opportunity_id", "relation", ["opportunity_id"])
    for name in USERS:
        op.create_index(f"ix_relation_{name}", "relation", [name])
    op.create_table(
        "network_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_snapshot")),
        sa.UniqueConstraint("key", name=op.f("uq_network_snapshot_key")),
    )


def downgrade() -> None:
    op.drop_table("network_snapshot")
    op.drop_table("relation")
