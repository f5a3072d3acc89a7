"""teryt: every municipality of GUS's TERC register; kind, county name, folded name, current

The new columns describe each unit (kind = TERC's RODZ digit, derivable from the code itself,
so existing rows get it here); the names of counties and the folded names are filled when the
shipped register is loaded (`upland db upgrade` seeds it; `upland import classification teryt`
reloads it). Self-contained: no application code imported.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 04:00:00
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None
downgrade_loses = "municipality kind, county name, folded name and current flag (reloadable)"


def upgrade() -> None:
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_name", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("kind", sa.String(length=1), nullable=False, server_default="1")
        )
        batch_op.add_column(
            sa.Column("county_name", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("is_current", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.create_index(
            batch_op.f("ix_municipality_search_name"), ["search_name"], unique=False
        )
    op.execute("UPDATE municipality SET kind = substr(teryt, 7, 1)")
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT teryt, name FROM municipality")).all()
    for teryt, name in rows:
        connection.execute(
            sa.text("UPDATE municipality SET search_name = :folded WHERE teryt = :teryt"),
            {"folded": _fold(name), "teryt": teryt},
        )


def _fold(text: str) -> str:
    """A copy of `textkit.folding.fold` as it is at this revision: 'Łódź' -> 'lodz'."""
    extra: dict[str, str | int | None] = {"ł": "l", "Ł": "l", "đ": "d", "ø": "o", "ß": "ss"}
    text = text.translate(str.maketrans(extra))
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", stripped.lower()).split())


def downgrade() -> None:
    with op.batch_alter_table("municipality", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_municipality_search_name"))
        batch_op.drop_column("is_current")
        batch_op.drop_column("county_name")
        batch_op.drop_column("kind")
        batch_op.drop_column("search_name")
