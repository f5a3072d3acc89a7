"""Every write of relations: declared by members (confirmed by the other side or the
coordinator, withdrawable by either side) and derived from other areas' records (an
introduction, a confirmed agreement, a brokerage-day meeting held and an agreement that came
of one).

Deriving is idempotent: a derived relation is keyed by its `origin` (`introduction:12`), so a
repeated signal or `upland network rebuild` never doubles a tie, and a meeting's ties follow
its current outcome and attendance (withdrawn by the system when they no longer hold).
Attending the same event is not a tie: only a meeting held between two organisations is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit, clock
from upland.actor import SYSTEM, Actor
from upland.errors import Conflict, FieldError, Invalid, NotFound
from upland.events import queries as events
from upland.events.vocab import MeetingOutcome
from upland.market.interests import queries as followups
from upland.network.models import Relation
from upland.network.permissions import OnBehalf, visible_to
from upland.network.schemas import RelationDeclare
from upland.network.signals import RelationChanged
from upland.network.vocab import (
    DIRECTED,
    WEIGHTS,
    Declared,
    RelationSource,
    RelationStatus,
    RelationType,
)
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.signals import publish

DECLARED_TYPES = {
    Declared.SUPPLIER_OF: RelationType.SUPPLY,
    Declared.CUSTOMER_OF: RelationType.SUPPLY,
    Declared.RD_PARTNER: RelationType.RD_PARTNERSHIP,
    Declared.JOINT_PROJECT: RelationType.JOINT_PROJECT,
}


def visible_relation(session: Session, actor: Actor, relation_id: int) -> Relation:
    """The relation, if `actor` may see it (else NotFound, as if there were none)."""
    stmt = visible_to(actor, select(Relation).where(Relation.id == relation_id))
    found: Relation | None = session.scalar(stmt)
    if found is None:
        raise NotFound("relation {id} does not exist", code="relation.not_found", id=relation_id)
    return found


def _changed(session: Session, relation: Relation) -> None:
    session.flush()
    publish(
        session,
        RelationChanged(relation.id, relation.from_id, relation.to_id, relation.status),
    )


def _audit(
    session: Session, actor: Actor, action: str, relation: Relation, **after: object
) -> None:
    audit.record(
        session,
        actor,
        action,
        "relation",
        relation.id,
        after={
            "type": relation.type,
            "from_id": relation.from_id,
            "to_id": relation.to_id,
            "status": relation.status,
            "organisation_id": relation.declared_by_org_id or relation.from_id,
            **after,
        },
    )


def declare_relation(session: Session, actor: Actor, data: RelationDeclare) -> Relation:
    """A member says it is the partner's supplier, customer, R&D partner or joint-project
    partner: proposed until the other side or the coordinator confirms it."""
    require(actor, "network.relation.declare", OnBehalf(data.organisation_id))
    errors = []
    if data.partner_id == data.organisation_id:
        errors.append(
            FieldError("partner_id", "a relation needs another organisation", code="relation.self")
        )
    elif data.partner_id not in organisations.owner_facts(session, [data.partner_id]):
        errors.append(
            FieldError("partner_id", "no such organisation", code="relation.unknown_partner")
        )
    if data.ends_on is not None and data.ends_on < data.starts_on:
        errors.append(
            FieldError("ends_on", "the end is before the start", code="relation.ends_before")
        )
    if errors:
        raise Invalid(errors)
    type_ = DECLARED_TYPES[data.kind]
    supplier_is_partner = data.kind == Declared.CUSTOMER_OF
    relation = Relation(
        type=type_.value,
        source=RelationSource.DECLARED.value,
        status=RelationStatus.PROPOSED.value,
        from_id=data.partner_id if supplier_is_partner else data.organisation_id,
        to_id=data.organisation_id if supplier_is_partner else data.partner_id,
        directed=type_ in DIRECTED,
        weight=WEIGHTS[type_],
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        detail=data.kind.value,
        note=data.note,
        declared_by_org_id=data.organisation_id,
        declared_by_id=actor.user_id,
    )
    session.add(relation)
    session.flush()
    _audit(session, actor, "network.relation.declare", relation, declared=data.kind.value)
    _changed(session, relation)
    return relation


def confirm_relation(session: Session, actor: Actor, relation_id: int) -> Relation:
    """The other side (or the coordinator) confirms a declared relation: it counts."""
    relation = visible_relation(session, actor, relation_id)
    require(actor, "network.relation.confirm", relation)
    if relation.status != RelationStatus.PROPOSED:
        raise Conflict("only a proposed relation is confirmed", code="relation.not_proposed")
    relation.status = RelationStatus.CONFIRMED.value
    relation.confirmed_by_id = actor.user_id
    relation.confirmed_at = clock.now()
    _audit(session, actor, "network.relation.confirm", relation)
    _changed(session, relation)
    return relation


def withdraw_relation(session: Session, actor: Actor, relation_id: int) -> Relation:
    """Either side (or the coordinator) withdraws a relation: it no longer counts."""
    relation = visible_relation(session, actor, relation_id)
    require(actor, "network.relation.withdraw", relation)
    if relation.status == RelationStatus.WITHDRAWN:
        raise Conflict("this relation is withdrawn already", code="relation.withdrawn")
    relation.status = RelationStatus.WITHDRAWN.value
    relation.withdrawn_by_id = actor.user_id
    relation.withdrawn_at = clock.now()
    _audit(session, actor, "network.relation.withdraw", relation)
    _changed(session, relation)
    return relation


# --- derived relations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A record of another area that makes a tie: what `derive_relation` needs of it."""

    source: RelationSource
    type: RelationType
    key: str  # unique among relations, e.g. "introduction:12"
    a: int
    b: int
    on: dt.date
    opportunity_id: int | None = None
    detail: str = ""
    event_id: int | None = None


def derive_relation(session: Session, origin: Origin) -> tuple[Relation, bool]:
    """The confirmed relation of `origin`, made if there is none yet (True when made). A
    withdrawn derived relation stays withdrawn."""
    found = session.scalar(select(Relation).where(Relation.origin == origin.key))
    if found is not None:
        return found, False
    relation = Relation(
        type=origin.type.value,
        source=origin.source.value,
        status=RelationStatus.CONFIRMED.value,
        from_id=origin.a,
        to_id=origin.b,
        directed=origin.type in DIRECTED,
        weight=WEIGHTS[origin.type],
        starts_on=origin.on,
        origin=origin.key,
        opportunity_id=origin.opportunity_id,
        event_id=origin.event_id,
        detail=origin.detail,
        confirmed_at=clock.now(),
    )
    session.add(relation)
    _changed(session, relation)
    return relation, True


def introduction_origin(record: followups.FollowedUp) -> Origin:
    return Origin(
        RelationSource.INTRODUCTION,
        RelationType.INTRODUCTION,
        f"introduction:{record.id}",
        record.owner_id,
        record.interested_id,
        record.on,
        record.opportunity_id,
    )


def agreement_origin(record: followups.FollowedUp) -> Origin:
    return Origin(
        RelationSource.AGREEMENT,
        RelationType.AGREEMENT,
        f"agreement:{record.id}",
        record.owner_id,
        record.interested_id,
        record.on,
        record.opportunity_id,
        record.agreement_type or "",
    )


def derive_from_introductions(session: Session, ids: Iterable[int] | None = None) -> int:
    """Relations of these introductions (all when None): how many were made."""
    records = followups.list_introduction_records(session, ids)
    return sum(derive_relation(session, introduction_origin(r))[1] for r in records)


def derive_from_agreements(session: Session, ids: Iterable[int] | None = None) -> int:
    """Relations of these confirmed agreement reports (all when None): how many were made."""
    records = followups.list_confirmed_agreements(session, ids)
    return sum(derive_relation(session, agreement_origin(r))[1] for r in records)


def meeting_origin(record: events.HeldMeeting) -> Origin:
    return Origin(
        RelationSource.MEETING,
        RelationType.MEETING,
        f"meeting:{record.id}",
        record.a,
        record.b,
        record.on,
        event_id=record.event_id,
    )


def meeting_agreement_origin(record: events.HeldMeeting) -> Origin:
    return Origin(
        RelationSource.AGREEMENT,
        RelationType.AGREEMENT,
        f"meeting-agreement:{record.id}",
        record.a,
        record.b,
        record.outcome_on or record.on,
        detail=record.agreement_type or "",
        event_id=record.event_id,
    )


MEETING_KEYS = ("meeting:", "meeting-agreement:")


def derive_from_meetings(
    session: Session, *, ids: Iterable[int] | None = None, event_id: int | None = None
) -> tuple[int, int]:
    """Make the ties of the meetings (all, these, or one event's) match what they are now: a
    meeting held is a tie, and an agreement that came of it a second one; a tie whose meeting
    is no longer held (attendance unmarked) or whose agreement is gone (outcome changed) is
    withdrawn by the system, and restored if it holds again. A tie a person withdrew stays
    withdrawn. Returns how many of each were made."""
    held = events.list_held_meetings(session, ids=ids, event_id=event_id)
    wanted = [meeting_origin(r) for r in held]
    wanted += [meeting_agreement_origin(r) for r in held if r.outcome == MeetingOutcome.AGREEMENT]
    scope = list(ids) if ids is not None else None
    if event_id is not None:
        scope = events.list_meeting_ids(session, event_id)
    stmt = select(Relation).where(Relation.source.in_(MEETING_SOURCES))
    if scope is not None:
        stmt = stmt.where(Relation.origin.in_([k + str(i) for i in scope for k in MEETING_KEYS]))
    else:
        stmt = stmt.where(
            Relation.origin.startswith(MEETING_KEYS[0])
            | Relation.origin.startswith(MEETING_KEYS[1])
        )
    keys = {o.key for o in wanted}
    for relation in session.scalars(stmt.order_by(Relation.id)):
        if relation.origin not in keys and relation.status != RelationStatus.WITHDRAWN:
            _lapse(session, relation)
    meetings = agreements = 0
    for origin in wanted:
        relation, made = derive_relation(session, origin)
        if made:
            meetings += origin.type == RelationType.MEETING
            agreements += origin.type == RelationType.AGREEMENT
        elif relation.status == RelationStatus.WITHDRAWN and relation.withdrawn_by_id is None:
            _restore(session, relation, origin)
    return meetings, agreements


MEETING_SOURCES = (RelationSource.MEETING.value, RelationSource.AGREEMENT.value)


def _lapse(session: Session, relation: Relation) -> None:
    """The system withdraws a derived tie whose record no longer makes it (no person: a
    `withdrawn_by_id` of None tells it apart from a withdrawal somebody chose)."""
    relation.status = RelationStatus.WITHDRAWN.value
    relation.withdrawn_by_id = None
    relation.withdrawn_at = clock.now()
    _audit(session, SYSTEM, "network.relation.lapse", relation, origin=relation.origin)
    _changed(session, relation)


def _restore(session: Session, relation: Relation, origin: Origin) -> None:
    """A tie the system withdrew holds again (e.g. the outcome is an agreement once more)."""
    relation.status = RelationStatus.CONFIRMED.value
    relation.withdrawn_at = None
    relation.starts_on = origin.on
    relation.detail = origin.detail
    relation.confirmed_at = clock.now()
    _audit(session, SYSTEM, "network.relation.restore", relation, origin=relation.origin)
    _changed(session, relation)


@dataclass(frozen=True)
class Rebuilt:
    introductions: int
    agreements: int
    meetings: int = 0


def rebuild_relations(session: Session, actor: Actor = SYSTEM) -> Rebuilt:
    """Derive the relations of every existing introduction, confirmed agreement and meeting
    held (those already derived are kept as they are)."""
    require(actor, "network.relation.rebuild")
    introductions = derive_from_introductions(session)
    agreements = derive_from_agreements(session)
    meetings, meeting_agreements = derive_from_meetings(session)
    return Rebuilt(introductions, agreements + meeting_agreements, meetings)
