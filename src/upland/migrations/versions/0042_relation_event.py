"""network: the event a meeting's tie comes from

`relation.event_id`: for a tie derived from a brokerage-day meeting (origin `meeting:N` or
`meeting-agreement:N`), the meeting's event. Such a tie is seen by its two sides, the event's
organiser and staff, as the meeting itself is; filled here from the meetings' rows.

Self-contained: no application code imported.

Revision ID: 0042_relation_event
Revises: 0041_event_video_generation
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0042_relation_event"
down_revision = "0041_event_video_generation"
branch_labels = None
depends_on = None
downgrade_loses = "which event a meeting's tie came from (such ties are seen by every member again)"

_KEYS = ("meeting:", "meeting-agreement:")


def upgrade() -> None:
    with op.batch_alter_table("relation") as batch:
        batch.add_column(sa.Column("event_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_relation_event_id_event"), "event", ["event_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_relation_event_id", ["event_id"])
    connection = op.get_bind()
    relation = sa.table(
        "relation", sa.column("id", sa.Integer), sa.column("origin"), sa.column("event_id")
    )
    meeting = sa.table("event_meeting", sa.column("id", sa.Integer), sa.column("event_id"))
    events = dict(connection.execute(sa.select(meeting.c.id, meeting.c.event_id)).all())
    rows = connection.execute(
        sa.select(relation.c.id, relation.c.origin).where(
            sa.or_(*(relation.c.origin.startswith(key) for key in _KEYS))
        )
    ).all()
    for relation_id, origin in rows:
        event_id = events.get(int(origin.rsplit(":", 1)[1]))
        if event_id is not None:
            connection.execute(
                relation.update().where(relation.c.id == relation_id).values(event_id=event_id)
            )


def downgrade() -> None:
    with op.batch_alter_table("relation") as batch:
        batch.drop_index("ix_relation_event_id")
        batch.drop_constraint(op.f("fk_relation_event_id_event"), type_="foreignkey")
        batch.drop_column("event_id")
