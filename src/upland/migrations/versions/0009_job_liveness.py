"""jobs: who runs a job (to notice a crashed one) and its error in every language

Self-contained: no application code imported.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None
downgrade_loses = "which process ran each job, and the translated texts and codes of job errors"


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("runner", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("error_code", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("error_said", sa.JSON(), nullable=True))
    op.create_index(op.f("ix_job_finished_at"), "job", ["finished_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_job_finished_at"), table_name="job")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("error_said")
        batch.drop_column("error_code")
        batch.drop_column("runner")
