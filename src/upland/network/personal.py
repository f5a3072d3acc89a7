"""What relations hold about a person, for the personal-data export and erasure
(`upland.personal_data`): who declared, confirmed or withdrew a relation, and the note of one
they declared; who invited a pair to a brokerage day. Erasure keeps the relation (the
network's statistics) and the invitation: the note is emptied and the rows no longer name the
account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from upland.network.models import BrokerageInvitation, Relation
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


def export_invitations(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(BrokerageInvitation)
        .where(BrokerageInvitation.invited_by_id == user_id)
        .order_by(BrokerageInvitation.id)
    )
    return [
        {
            "id": r.id,
            "organisation_ids": [r.a_id, r.b_id],
            "event_id": r.event_id,
            "invited_at": r.invited_at.isoformat(),
        }
        for r in rows
    ]


def erase_invitations(session: Session, user_id: int) -> None:
    session.execute(
        update(BrokerageInvitation)
        .where(BrokerageInvitation.invited_by_id == user_id)
        .values(invited_by_id=None)
    )


register(Part("network_brokerage_invitations", export_invitations, erase_invitations))
