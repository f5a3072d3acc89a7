"""Relations: derived from introductions and confirmed agreements (by the market's signals and
by a rebuild), declared by members and confirmed by the other side or the coordinator,
withdrawable by either side; who sees which."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.interest_world import editor

from upland.actor import SYSTEM, Actor
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.market.interests import service as market
from upland.market.interests.schemas import InterestIn, OutcomeIn
from upland.network import queries, service
from upland.network.models import Relation
from upland.network.schemas import RelationDeclare
from upland.organisations.models import Organisation

ANONYMOUS = Actor(user_id=None, label="anonymous")


def coordinator(session: Session) -> Actor:
    return factories.actor_of(session, factories.user(session, role="coordinator"))


def introduce(
    session: Session, owner: Organisation, other: Organisation, **opportunity: object
) -> tuple[int, Actor, Actor]:
    """An accepted interest of `other` in an opportunity of `owner`: the introduction's id."""
    owner_editor, other_editor = editor(session, owner), editor(session, other)
    made = factories.opportunity(session, owner, owner_editor, publish=True, **opportunity)
    interest = market.express_interest(session, other_editor, made.id, InterestIn())
    introduction = market.accept_interest(session, owner_editor, interest.id)
    return introduction.id, owner_editor, other_editor


def relations(session: Session) -> list[Relation]:
    return list(session.scalars(select(Relation).order_by(Relation.id)))


def test_an_introduction_and_a_confirmed_agreement_are_ties(session: Session) -> None:
    owner, other = factories.organisation(session), factories.organisation(session)
    introduction_id, owner_editor, other_editor = introduce(session, owner, other)
    [tie] = relations(session)
    assert (tie.type, tie.source, tie.status) == ("introduction", "introduction", "confirmed")
    assert {tie.from_id, tie.to_id} == {owner.id, other.id}
    assert tie.origin == f"introduction:{introduction_id}" and not tie.directed
    signed = OutcomeIn(
        kind="agreement_signed",
        agreement_type="commercial_supply",
        occurred_on=dt.date(2026, 5, 4),
    )
    report = market.record_outcome(session, owner_editor, introduction_id, signed)
    assert len(relations(session)) == 1  # reported by one side only: not yet
    market.confirm_outcome(session, other_editor, report.id)
    agreement = relations(session)[1]
    assert (agreement.type, agreement.detail) == ("agreement", "commercial_supply")
    assert agreement.starts_on == dt.date(2026, 5, 4) and agreement.weight == 3.0


def test_rebuild_derives_once(session: Session) -> None:
    owner, other = factories.organisation(session), factories.organisation(session)
    introduce(session, owner, other)
    session.execute(Relation.__table__.delete())
    assert service.rebuild_relations(session) == service.Rebuilt(introductions=1, agreements=0)
    assert service.rebuild_relations(session) == service.Rebuilt(introductions=0, agreements=0)
    assert len(relations(session)) == 1
    with pytest.raises(PermissionDenied):
        service.rebuild_relations(session, editor(session, owner))


def declare(session: Session, org: Organisation, partner: Organisation, kind: str) -> Relation:
    data = RelationDeclare(
        organisation_id=org.id, partner_id=partner.id, kind=kind, starts_on=dt.date(2024, 1, 1)
    )
    return service.declare_relation(session, editor(session, org), data)


def test_declared_relation_counts_once_the_other_side_confirms(session: Session) -> None:
    buyer, supplier = factories.organisation(session), factories.organisation(session)
    proposed = declare(session, buyer, supplier, "customer_of")
    assert (proposed.status, proposed.type, proposed.directed) == ("proposed", "supply", True)
    assert (proposed.from_id, proposed.to_id) == (supplier.id, buyer.id)  # supplier → customer
    with pytest.raises(PermissionDenied):  # not by the side that declared it
        service.confirm_relation(session, editor(session, buyer), proposed.id)
    confirmed = service.confirm_relation(session, editor(session, supplier), proposed.id)
    assert confirmed.status == "confirmed"
    with pytest.raises(Conflict):
        service.confirm_relation(session, coordinator(session), proposed.id)
    withdrawn = service.withdraw_relation(session, editor(session, supplier), proposed.id)
    assert withdrawn.status == "withdrawn"


def test_the_coordinator_confirms_and_anyone_else_may_not(session: Session) -> None:
    a, b, c = (factories.organisation(session) for _ in range(3))
    proposed = declare(session, a, b, "rd_partner")
    with pytest.raises(NotFound):  # a third organisation does not see a proposal
        service.confirm_relation(session, editor(session, c), proposed.id)
    assert (
        service.confirm_relation(session, coordinator(session), proposed.id).status == "confirmed"
    )
    with pytest.raises(PermissionDenied):
        service.withdraw_relation(session, editor(session, c), proposed.id)


def test_declaring_checks_its_input(session: Session) -> None:
    org = factories.organisation(session)
    with pytest.raises(Invalid) as refused:
        declare(session, org, org, "joint_project")
    assert refused.value.errors[0].code == "relation.self"
    other = factories.organisation(session)
    data = RelationDeclare(
        organisation_id=org.id,
        partner_id=other.id,
        kind="joint_project",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2023, 1, 1),
    )
    with pytest.raises(Invalid):
        service.declare_relation(session, editor(session, org), data)
    with pytest.raises(PermissionDenied):  # on behalf of an organisation one does not edit
        service.declare_relation(session, editor(session, other, "viewer"), data)


def test_a_tie_of_a_restricted_opportunity_is_seen_by_who_sees_the_opportunity(
    session: Session,
) -> None:
    owner, named, outsider = (factories.organisation(session) for _ in range(3))
    introduce(session, owner, named, visibility="restricted", named=[named.id])
    [tie] = relations(session)
    assert [r.id for r in queries.list_relations(session, editor(session, named))] == [tie.id]
    assert queries.list_relations(session, editor(session, outsider)) == []
    assert queries.list_relations(session, ANONYMOUS) == []
    assert [r.id for r in queries.list_relations(session, SYSTEM)] == [tie.id]
    with pytest.raises(NotFound):
        queries.get_relation(session, editor(session, outsider), tie.id)


def test_a_members_tie_is_seen_by_signed_in_users_only(session: Session) -> None:
    owner, other, third = (factories.organisation(session) for _ in range(3))
    introduce(session, owner, other)
    reader = editor(session, third, "viewer")
    assert len(queries.list_relations(session, reader)) == 1
    assert len(queries.list_relations(session, reader, organisation_id=third.id)) == 0
    assert session.scalar(select(func.count()).select_from(Relation)) == 1


def test_personal_data_export_and_erasure_keep_the_relation(session: Session) -> None:
    from upland.network import personal

    a, b = factories.organisation(session), factories.organisation(session)
    declarer = editor(session, a)
    data = RelationDeclare(
        organisation_id=a.id,
        partner_id=b.id,
        kind="rd_partner",
        starts_on=dt.date(2024, 1, 1),
        note="Wspólny projekt",
    )
    made = service.declare_relation(session, declarer, data)
    assert declarer.user_id is not None
    [held] = personal.export(session, declarer.user_id)
    assert held["you"] == ["declared"] and held["note"] == "Wspólny projekt"
    personal.erase(session, declarer.user_id)
    session.refresh(made)
    assert made.declared_by_id is None and made.note == "" and made.status == "proposed"
    assert personal.export(session, declarer.user_id) == []
