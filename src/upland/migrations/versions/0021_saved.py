"""market: saved searches, follows, search hits

A person's saved marketplace filters (each field in a column, so a new opportunity is checked
against all of them in one query), the opportunities they follow, and which opportunity each
person was told of through a saved search.

Self-contained: no application code imported.

Revision ID: 0021_saved
Revises: 0020_alerts
Create Date: 2026-12-03 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_saved"
down_revision = "0020_alerts"
branch_labels = None
depends_on = None
downgrade_loses = "every saved search, follow and record of a saved search's notification"


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("q", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=True),
        sa.Column("pkd", sa.String(length=10), nullable=True),
        sa.Column("capability", sa.String(length=80), nullable=True),
        sa.Column("certification", sa.String(length=80), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("city_teryt", sa.String(length=7), nullable=True),
        sa.Column("trl_min", sa.Integer(), nullable=True),
        sa.Column("trl_max", sa.Integer(), nullable=True),
        sa.Column("published_since", sa.Date(), nullable=True),
        sa.Column("published_until", sa.Date(), nullable=True),
        sa.Column("owner_kind", sa.String(length=20), nullable=True),
        sa.Column("sort", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_saved_search_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_search_user_id")),
    )
    op.create_index("ix_saved_search_kind", "saved_search", ["kind"], unique=False)
    op.create_index("ix_saved_search_city", "saved_search", ["city_teryt"], unique=False)
    op.create_table(
        "opportunity_follow",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_opportunity_follow_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_opportunity_follow_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "opportunity_id", name=op.f("pk_opportunity_follow")),
    )
    op.create_index(
        "ix_opportunity_follow_opportunity",
        "opportunity_follow",
        ["opportunity_id", "user_id"],
        unique=False,
    )
    op.create_table(
        "saved_search_hit",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("search_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_saved_search_hit_opportunity_id_opportunity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["search_id"],
            ["saved_search.id"],
            name=op.f("fk_saved_search_hit_search_id_saved_search"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_saved_search_hit_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "opportunity_id", name=op.f("pk_saved_search_hit")),
    )
    op.create_index(
        "ix_saved_search_hit_opportunity", "saved_search_hit", ["opportunity_id"], unique=False
    )
    op.create_index(
        op.f("ix_saved_search_hit_search_id"), "saved_search_hit", ["search_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("saved_search_hit")
    op.drop_table("opportunity_follow")
    op.drop_table("saved_search")
