"""Every read of relations, through `permissions.visible_to`."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.network.models import Relation
from upland.network.permissions import visible_to
from upland.network.service import visible_relation as get_relation
from upland.network.vocab import RelationStatus

__all__ = ["get_relation", "list_relations"]

LIMIT = 500


def list_relations(
    session: Session,
    actor: Actor,
    *,
    organisation_id: int | None = None,
    status: RelationStatus | None = None,
    limit: int = LIMIT,
) -> list[Relation]:
    """Relations `actor` sees (of one organisation, either side), newest start first."""
    stmt = visible_to(actor, select(Relation))
    if organisation_id is not None:
        stmt = stmt.where(
            or_(Relation.from_id == organisation_id, Relation.to_id == organisation_id)
        )
    if status is not None:
        stmt = stmt.where(Relation.status == status.value)
    stmt = stmt.order_by(Relation.starts_on.desc(), Relation.id.desc()).limit(limit)
    return list(session.scalars(stmt))
