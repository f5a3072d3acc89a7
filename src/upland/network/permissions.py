"""Who may declare, confirm, withdraw and see relations. Default deny; every list goes through
`visible_to`.

- An editor of an organisation declares a relation of it with another organisation.
- A declared relation is confirmed by an editor of the other side, or by the coordinator
  (staff); either side's editors, or staff, withdraw a relation.
- Staff see every relation. A signed-in user sees the relations of its own organisations
  (proposed and withdrawn ones too) and every confirmed relation, except that a tie that came
  of an opportunity is seen only by whoever may see that opportunity's record (a restricted
  one: its named organisations, the officers of its area, staff) and, when its owner is
  anonymous, may also know the owner (`market.permissions.may_see_owner`: the owner's and the
  introduced organisations' users, staff), for the tie names the owner; a tie that came of a
  brokerage-day meeting (or of the agreement recorded after it) is seen, as the meeting is, by
  its two sides, the users of the event's organiser and staff: who met whom at a brokerage day
  is not every member's to know, and the city officers' event reports hide small counts of it.
  Anonymous visitors see no relation: only aggregate figures.
- Rebuilding the derived relations is the platform's and the coordinator's.
- Missing-tie recommendations are for the coordinator (staff) and city officers (pairs
  involving their partner area).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_

from upland.actor import Actor, OrgRole
from upland.events import queries as events
from upland.market import queries as market
from upland.network.models import Relation
from upland.network.vocab import RelationStatus
from upland.permissions import rule


@dataclass(frozen=True)
class OnBehalf:
    """An organisation declaring a relation, through the actor."""

    organisation_id: int


def _edits(actor: Actor, organisation_id: int | None) -> bool:
    return actor.has_role(organisation_id, OrgRole.EDITOR)


@rule("network.relation.declare", OnBehalf)
def can_declare_relation(actor: Actor, target: OnBehalf) -> bool:
    return _edits(actor, target.organisation_id)


@rule("network.relation.confirm", Relation)
def can_confirm_relation(actor: Actor, relation: Relation) -> bool:
    """The other side's editors (not the declaring one's), or the coordinator."""
    if relation.declared_by_org_id is None:
        return False
    return actor.is_staff or _edits(actor, relation.other_side(relation.declared_by_org_id))


@rule("network.relation.withdraw", Relation)
def can_withdraw_relation(actor: Actor, relation: Relation) -> bool:
    return actor.is_staff or _edits(actor, relation.from_id) or _edits(actor, relation.to_id)


@rule("network.relation.rebuild")
def can_rebuild_relations(actor: Actor, _: object = None) -> bool:
    return actor.is_staff


@rule("network.relation.list")
def can_list_relations(actor: Actor, _: object = None) -> bool:
    """Signed-in users see relations; anonymous visitors only aggregate figures."""
    return not actor.is_anonymous


def _own(actor: Actor) -> ColumnElement[bool]:
    """The relations of `actor`'s own organisations (either side)."""
    own = sorted(o for o, r in actor.org_roles.items() if r)
    return or_(Relation.from_id.in_(own), Relation.to_id.in_(own)) if own else false()


def _record_seen(actor: Actor) -> ColumnElement[bool]:
    """The relations whose record, if they come of one, `actor` may see: an opportunity's
    (and its owner, `market.queries.owners_seen_by`) or a brokerage-day meeting's (its event's
    organiser, beside the two sides: `events.queries.organised_by`); a declared relation comes
    of no record."""
    return or_(
        Relation.opportunity_id.is_(None),
        Relation.opportunity_id.in_(market.owners_seen_by(actor)),
    ) & or_(Relation.event_id.is_(None), Relation.event_id.in_(events.organised_by(actor)))


def condition(actor: Actor) -> ColumnElement[bool]:
    """Which relations `actor` sees (see the module's rules)."""
    if actor.is_staff:
        return Relation.id.is_not(None)
    if actor.is_anonymous:
        return false()
    confirmed = Relation.status == RelationStatus.CONFIRMED.value
    return or_(_own(actor), confirmed & _record_seen(actor))


def record_unseen(actor: Actor) -> ColumnElement[bool]:
    """The relations (none of them `actor`'s own) that come of a record `actor` may not see:
    an opportunity it may not see or whose anonymous owner it may not know, a brokerage-day
    meeting of others. The complement of the record part of `condition`, not a copy of it:
    whatever counts relations beyond `visible_to` (the pairs recommendations leave out, in any
    status) must leave these out, or its figures would tell the tie."""
    if actor.is_staff:
        return false()
    return ~_own(actor) & ~_record_seen(actor)


def visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Relation to those `actor` sees."""
    return stmt.where(condition(actor))


@rule("network.recommendation.list")
def can_list_recommendations(actor: Actor, _: object = None) -> bool:
    """Missing-tie recommendations are the coordinator's to act on, and a city officer's for
    pairs involving their partner area."""
    return actor.is_staff or actor.officer_teryt is not None
