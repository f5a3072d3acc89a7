"""A small world for the interests tests: an owner with a published opportunity, an
interested member organisation, an editor of each (made through the services)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from tests import factories

from upland.actor import Actor
from upland.market.models import Opportunity
from upland.organisations.models import Organisation


@dataclass
class Pair:
    owner: Organisation
    other: Organisation
    opportunity: Opportunity
    owner_editor: Actor
    other_editor: Actor


def editor(session: Session, org: Organisation, role: str = "editor") -> Actor:
    return factories.actor_of(session, factories.user(session, role=role, org=org))


def pair(
    session: Session,
    *,
    owner_kind: str = "company",
    other_kind: str = "company",
    **opportunity: Any,
) -> Pair:
    owner = factories.organisation(session, kind=owner_kind)
    other = factories.organisation(session, kind=other_kind)
    owner_editor = editor(session, owner)
    made = factories.opportunity(session, owner, owner_editor, publish=True, **opportunity)
    return Pair(owner, other, made, owner_editor, editor(session, other))
