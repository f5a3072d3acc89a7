"""What came of an introduction: either side reports a meeting held, an agreement signed or
the cooperation abandoned; both sides' reports are kept. An agreement counts once it is
confirmed: by the other side (explicitly, or by reporting an agreement of the same type) or
by the coordinator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor, OrgRole
from upland.errors import Conflict, FieldError, Invalid, NotFound
from upland.market.interests.models import Introduction, OutcomeReport
from upland.market.interests.schemas import OutcomeIn
from upland.market.interests.service.core import now_utc, record, title_of
from upland.market.interests.vocab import Confirmation, OutcomeKind
from upland.market.signals import AgreementConfirmed, OutcomeRecorded
from upland.permissions import allowed, require
from upland.signals import publish


def visible_introduction(session: Session, actor: Actor, introduction_id: int) -> Introduction:
    introduction = session.get(Introduction, introduction_id)
    if introduction is None or not allowed(actor, "market.introduction.view", introduction):
        raise NotFound(
            "introduction {id} does not exist", code="introduction.not_found", id=introduction_id
        )
    return introduction


def other_side(introduction: Introduction, organisation_id: int) -> int:
    if organisation_id == introduction.owner_id:
        return introduction.interested_id
    return introduction.owner_id


def _side(actor: Actor, introduction: Introduction, organisation_id: int | None) -> int:
    """The side the actor reports for: the one named, or the only side it edits."""
    sides = [
        o
        for o in (introduction.owner_id, introduction.interested_id)
        if actor.has_role(o, OrgRole.EDITOR)
    ]
    if organisation_id is not None:
        if organisation_id not in sides:
            raise Invalid.one(
                "organisation_id",
                "report for a side of the introduction that you edit",
                code="outcome.not_a_side",
            )
        return organisation_id
    if len(sides) != 1:
        raise Invalid.one(
            "organisation_id", "choose the organisation you act for", code="organisation_id.missing"
        )
    return sides[0]


def _checked(data: OutcomeIn) -> list[FieldError]:
    today = now_utc().date()
    errors = []
    if data.kind == OutcomeKind.MEETING_HELD and data.occurred_on is None:
        errors.append(FieldError("occurred_on", "give the day of the meeting", code="date.missing"))
    if data.occurred_on is not None and data.occurred_on > today:
        errors.append(
            FieldError("occurred_on", "the day is in the future", code="occurred_on.future")
        )
    if data.kind == OutcomeKind.AGREEMENT_SIGNED and data.agreement_type is None:
        errors.append(
            FieldError(
                "agreement_type", "say what kind of agreement", code="agreement_type.missing"
            )
        )
    if data.kind == OutcomeKind.ABANDONED and not data.reason:
        errors.append(FieldError("reason", "say why it was abandoned", code="reason.missing"))
    return errors


def record_outcome(
    session: Session, actor: Actor, introduction_id: int, data: OutcomeIn
) -> OutcomeReport:
    introduction = visible_introduction(session, actor, introduction_id)
    require(actor, "market.outcome.record", introduction)
    side = _side(actor, introduction, data.organisation_id)
    errors = _checked(data)
    if errors:
        raise Invalid(errors)
    agreement = data.kind == OutcomeKind.AGREEMENT_SIGNED
    report = OutcomeReport(
        organisation_id=side,
        reported_by_id=actor.user_id,
        kind=data.kind.value,
        occurred_on=data.occurred_on,
        agreement_type=data.agreement_type.value if agreement and data.agreement_type else None,
        reason=data.reason if data.kind == OutcomeKind.ABANDONED else "",
        note=data.note,
    )
    partner = other_side(introduction, side)
    matching = (
        session.scalar(
            select(OutcomeReport)
            .where(
                OutcomeReport.introduction_id == introduction.id,
                OutcomeReport.organisation_id == partner,
                OutcomeReport.kind == OutcomeKind.AGREEMENT_SIGNED.value,
                OutcomeReport.agreement_type == report.agreement_type,
                OutcomeReport.confirmed_at.is_(None),
                OutcomeReport.confirms_id.is_(None),
            )
            .order_by(OutcomeReport.id)
            .limit(1)
        )
        if agreement
        else None
    )
    introduction.outcomes.append(report)
    session.flush()
    opportunity = introduction.opportunity
    record(
        session,
        actor,
        "market.outcome.record",
        "introduction",
        introduction.id,
        side,
        title_of(opportunity),
        after={"kind": report.kind, "agreement_type": report.agreement_type},
    )
    publish(
        session,
        OutcomeRecorded(
            introduction.opportunity_id,
            introduction.owner_id,
            introduction.id,
            report.id,
            side,
            partner,
            report.kind,
            report.agreement_type,
        ),
    )
    if matching is not None:  # both sides say so: the earlier report counts, this one confirms
        report.confirms_id = matching.id
        _confirm(session, actor, introduction, matching, Confirmation.PARTNER)
    return report


def _confirm(
    session: Session,
    actor: Actor,
    introduction: Introduction,
    report: OutcomeReport,
    how: Confirmation,
) -> None:
    report.confirmed_at = now_utc()
    report.confirmed_by_id = actor.user_id
    report.confirmed_as = how.value
    session.flush()
    record(
        session,
        actor,
        "market.outcome.confirm",
        "introduction",
        introduction.id,
        report.organisation_id
        if how == Confirmation.COORDINATOR
        else other_side(introduction, report.organisation_id),
        title_of(introduction.opportunity),
        after={"agreement_type": report.agreement_type, "confirmed_as": how.value},
    )
    publish(
        session,
        AgreementConfirmed(
            introduction.opportunity_id,
            introduction.owner_id,
            introduction.id,
            report.id,
            introduction.interested_id,
            report.agreement_type or "",
            how.value,
        ),
    )


def confirm_outcome(session: Session, actor: Actor, report_id: int) -> OutcomeReport:
    """The other side (or the coordinator) confirms a reported agreement: it counts."""
    report = session.get(OutcomeReport, report_id)
    if report is None or not allowed(actor, "market.introduction.view", report.introduction):
        raise NotFound("outcome report {id} does not exist", code="outcome.not_found", id=report_id)
    require(actor, "market.outcome.confirm", report)
    if report.kind != OutcomeKind.AGREEMENT_SIGNED or report.confirms_id is not None:
        raise Conflict("only a reported agreement is confirmed", code="outcome.not_agreement")
    if report.confirmed_at is not None:
        raise Conflict("this agreement is confirmed already", code="outcome.confirmed")
    introduction = report.introduction
    partner = other_side(introduction, report.organisation_id)
    how = (
        Confirmation.PARTNER
        if actor.has_role(partner, OrgRole.EDITOR)
        else Confirmation.COORDINATOR
    )
    _confirm(session, actor, introduction, report, how)
    return report
