"""Rows to read schemas for one actor: the owner of an anonymous opportunity only where
`market.permissions.may_see_owner` says so, contacts only where the person consented, who
booked an offer only for its owner's users and staff."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from upland.actor import Actor, OrgRole
from upland.market.interests import lifecycle
from upland.market.interests.models import Booking, Interest, Introduction, OutcomeReport
from upland.market.interests.schemas import (
    BookedDays,
    BookingRead,
    ContactsRead,
    InterestRead,
    IntroductionRead,
    OutcomeRead,
    PartyRead,
)
from upland.market.interests.service.core import names_of as core_names
from upland.market.interests.service.core import now_utc, title_of
from upland.market.interests.vocab import BookingStatus, InterestAction, OutcomeKind
from upland.market.permissions import may_see_owner, owners_shown
from upland.organisations import presenters as organisations
from upland.permissions import allowed


def names_of(session: Session, ids: list[int]) -> dict[int, str]:
    return core_names(session, ids)


def party(names: dict[int, str], organisation_id: int) -> PartyRead:
    return PartyRead(id=organisation_id, name=names.get(organisation_id, ""))


def interest_names(session: Session, interests: Iterable[Interest]) -> dict[int, str]:
    return core_names(session, [i.organisation_id for i in interests])


def interest_actions(actor: Actor, interest: Interest) -> list[str]:
    """What the actor may do with it now: decide (owner's editors), withdraw (its side)."""
    out: list[str] = []
    for action in lifecycle.interest_actions(interest.status):
        if action == InterestAction.WITHDRAW:
            may = allowed(actor, "market.interest.withdraw", interest)
        else:
            may = allowed(actor, "market.interest.decide", interest)
        if may:
            out.append(action.value)
    return out


def interest(
    actor: Actor, row: Interest, names: dict[int, str], introduction_id: int | None = None
) -> InterestRead:
    return InterestRead(
        id=row.id,
        opportunity_id=row.opportunity_id,
        opportunity_title=title_of(row.opportunity),
        opportunity_title_en=row.opportunity.title_en,
        organisation=party(names, row.organisation_id),
        response=row.response,
        status=row.status,
        message=row.message,
        decline_reason=row.decline_reason,
        answer=row.answer,
        created_at=row.created_at,
        decided_at=row.decided_at,
        introduction_id=introduction_id,
        actions=interest_actions(actor, row),
    )


def counts(report: OutcomeReport) -> bool:
    return report.kind == OutcomeKind.AGREEMENT_SIGNED and report.confirmed_at is not None


def outcome(actor: Actor, report: OutcomeReport) -> OutcomeRead:
    can_confirm = (
        report.kind == OutcomeKind.AGREEMENT_SIGNED
        and report.confirmed_at is None
        and report.confirms_id is None
        and allowed(actor, "market.outcome.confirm", report)
    )
    return OutcomeRead(
        id=report.id,
        organisation_id=report.organisation_id,
        kind=report.kind,
        occurred_on=report.occurred_on,
        agreement_type=report.agreement_type,
        reason=report.reason,
        note=report.note,
        confirms_id=report.confirms_id,
        confirmed_as=report.confirmed_as,
        confirmed_at=report.confirmed_at,
        created_at=report.created_at,
        counts=counts(report),
        can_confirm=can_confirm,
    )


def introduction_names(session: Session, rows: Iterable[Introduction]) -> dict[int, str]:
    return core_names(session, [o for r in rows for o in (r.owner_id, r.interested_id)])


def introductions(
    session: Session, actor: Actor, rows: list[Introduction], *, with_contacts: bool = False
) -> list[IntroductionRead]:
    """A list of introductions (`introduction`), whose owners the actor may see asked once
    for the list (`owners_shown`), not once per row."""
    names = introduction_names(session, rows)
    known = owners_shown(actor, [r.opportunity for r in rows])
    return [
        introduction(session, actor, r, names, with_contacts=with_contacts, owners=known)
        for r in rows
    ]


def introduction(
    session: Session,
    actor: Actor,
    row: Introduction,
    names: dict[int, str],
    *,
    with_contacts: bool = False,
    owners: set[int] | None = None,
) -> IntroductionRead:
    """An introduction; the owner named as `may_see_owner` says (staff and both sides do;
    `owners`: the opportunity ids whose owner the actor may see, asked for a whole list);
    with its contacts: each side the actor is not on, its consented contact people."""
    owner = party(names, row.owner_id)
    shown = row.opportunity_id in owners if owners is not None else None
    if not (may_see_owner(actor, row.opportunity) if shown is None else shown):
        owner = PartyRead(id=0, name="")
    contacts = []
    if with_contacts:
        for side in (row.owner_id, row.interested_id):
            if actor.has_role(side, OrgRole.VIEWER):
                continue
            if side == row.owner_id and owner.id == 0:
                continue
            people = organisations.contacts_of(session, actor, side)
            contacts.append(ContactsRead(organisation=party(names, side), people=people))
    return IntroductionRead(
        id=row.id,
        opportunity_id=row.opportunity_id,
        opportunity_title=title_of(row.opportunity),
        opportunity_title_en=row.opportunity.title_en,
        owner=owner,
        interested=party(names, row.interested_id),
        created_at=row.created_at,
        outcomes=[outcome(actor, r) for r in row.outcomes],
        agreements_counted=sum(1 for r in row.outcomes if counts(r)),
        contacts=contacts,
    )


def booking_actions(actor: Actor, row: Booking) -> list[str]:
    out: list[str] = []
    requester = actor.has_role(row.organisation_id, OrgRole.EDITOR)
    for action in lifecycle.booking_actions(row.status):
        if action.value == "cancel":
            if lifecycle.booking_over(row.ends_on, now_utc().date()):
                continue
            owner_may = row.status == BookingStatus.ACCEPTED
            if allowed(actor, "market.booking.cancel", row) and (requester or owner_may):
                out.append(action.value)
        elif allowed(actor, "market.booking.decide", row):
            out.append(action.value)
    return out


def booking(actor: Actor, row: Booking, names: dict[int, str]) -> BookingRead:
    return BookingRead(
        id=row.id,
        opportunity_id=row.opportunity_id,
        organisation=party(names, row.organisation_id),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        purpose=row.purpose,
        status=row.status,
        answer=row.answer,
        created_at=row.created_at,
        decided_at=row.decided_at,
        actions=booking_actions(actor, row),
    )


def booked(actor: Actor, row: Booking, names: dict[int, str]) -> BookedDays:
    """A day range on the calendar; who booked only for the owner's users and staff."""
    shows_who = actor.is_staff or actor.has_role(row.opportunity.owner_id, OrgRole.VIEWER)
    return BookedDays(
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        organisation=party(names, row.organisation_id) if shows_who else None,
    )
