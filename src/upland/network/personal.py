"""What relations hold about a person, for the personal-data export and erasure
(`upland.personal_data`): who declared, confirmed or withdrew a relation, and the note of one
they declared. Erasure keeps the relation (the network's statistics): the note is emptied and
the rows no longer name the account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from upland.network.models import Relation
from upland.personal_data import Part, register

ACTS = (
    ("declared", Relation.declared_by_id),
    ("confirmed", Relation.confirmed_by_id),
    ("withdrew", Relation.withdrawn_by_id),
)


def export(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Relation)
        .where(or_(*(column == user_id for _, column in ACTS)))
        .order_by(Relation.id)
    )
    return [
        {
            "id": r.id,
            "type": r.type,
            "from_id": r.from_id,
            "to_id": r.to_id,
            "starts_on": r.starts_on.isoformat(),
            "you": [act for act, column in ACTS if getattr(r, column.key) == user_id],
            "note": r.note if r.declared_by_id == user_id else None,
        }
        for r in rows
    ]


def erase(session: Session, user_id: int) -> None:
    session.execute(
        update(Relation)
        .where(Relation.declared_by_id == user_id)
        .values(note="", declared_by_id=None)
    )
    for _, column in ACTS[1:]:
        session.execute(update(Relation).where(column == user_id).values({column.key: None}))


register(Part("network_relations", export, erase))
