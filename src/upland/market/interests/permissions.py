"""Who may answer an opportunity, decide on answers, see introductions, report and confirm
outcomes, and book infrastructure. Default deny; every list goes through a `*_visible_to`.

- An answer (interest or pass) is made by an editor of another organisation, on its behalf,
  to an opportunity the actor sees whole (`market.opportunity.view`).
- Only the owner's editors accept or decline an interest, never staff; only the interested
  side's editors withdraw it.
- An introduction, its outcomes and a booking are seen by the users of both organisations and
  by staff; either side's editors report outcomes; the other side or the coordinator confirms
  an agreement so that it counts.
- Once the owner accepts an interest, the interested organisation's users know who the owner
  of an anonymous opportunity is: a disclosure registered with `market.permissions`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import object_session

from upland import visibility
from upland.actor import Actor, OrgRole
from upland.market.interests.models import Booking, Interest, Introduction, OutcomeReport
from upland.market.models import Opportunity
from upland.market.permissions import (
    can_view_opportunity,
    disclose_owner_in_sql,
    disclose_owner_to,
    is_own,
    record_of,
)
from upland.permissions import rule


@dataclass(frozen=True)
class OnBehalf:
    """An organisation answering (or booking) an opportunity, through the actor."""

    opportunity: Opportunity
    organisation_id: int


def _edits(actor: Actor, organisation_id: int | None) -> bool:
    return actor.has_role(organisation_id, OrgRole.EDITOR)


def _reads(actor: Actor, organisation_id: int | None) -> bool:
    return actor.has_role(organisation_id, OrgRole.VIEWER)


def _as_organisation(actor: Actor, organisation_id: int) -> Actor:
    """The actor as the one organisation it acts for: what another organisation the person
    also works for was shown (a restricted opportunity naming it), or what their office shows
    them, is not this organisation's to answer."""
    return replace(
        actor,
        org_roles={organisation_id: actor.org_roles[organisation_id]},
        officer_teryt=None,
        is_coordinator=False,
        is_admin=False,
    )


def _answers(actor: Actor, target: OnBehalf) -> bool:
    """On behalf of an organisation it edits, to an opportunity the visibility rule shows that
    organisation whole. Whether it is still open, and not one's own, are Conflicts the service
    explains."""
    opportunity = target.opportunity
    if not _edits(actor, target.organisation_id):
        return False
    acting = _as_organisation(actor, target.organisation_id)
    return is_own(actor, opportunity) or visibility.can_see(acting, record_of(opportunity))


@rule("market.interest.express", OnBehalf)
def can_express_interest(actor: Actor, target: OnBehalf) -> bool:
    """An editor of another organisation that sees the opportunity whole."""
    return _answers(actor, target)


@rule("market.interest.view", Interest)
def can_view_interest(actor: Actor, interest: Interest) -> bool:
    return (
        actor.is_staff
        or _reads(actor, interest.organisation_id)
        or _reads(actor, interest.opportunity.owner_id)
    )


@rule("market.interest.decide", Interest)
def can_decide_interest(actor: Actor, interest: Interest) -> bool:
    """Only the owner's editors accept or decline: nobody else, staff included."""
    return _edits(actor, interest.opportunity.owner_id)


@rule("market.interest.withdraw", Interest)
def can_withdraw_interest(actor: Actor, interest: Interest) -> bool:
    return _edits(actor, interest.organisation_id)


@rule("market.introduction.view", Introduction)
def can_view_introduction(actor: Actor, introduction: Introduction) -> bool:
    return (
        actor.is_staff
        or _reads(actor, introduction.owner_id)
        or _reads(actor, introduction.interested_id)
    )


@rule("market.outcome.record", Introduction)
def can_record_outcome(actor: Actor, introduction: Introduction) -> bool:
    return _edits(actor, introduction.owner_id) or _edits(actor, introduction.interested_id)


@rule("market.outcome.confirm", OutcomeReport)
def can_confirm_outcome(actor: Actor, report: OutcomeReport) -> bool:
    """The other side's editors, or the coordinator (staff)."""
    introduction = report.introduction
    other = (
        introduction.interested_id
        if report.organisation_id == introduction.owner_id
        else introduction.owner_id
    )
    return actor.is_staff or _edits(actor, other)


@rule("market.booking.request", OnBehalf)
def can_request_booking(actor: Actor, target: OnBehalf) -> bool:
    return _answers(actor, target)


@rule("market.booking.view", Booking)
def can_view_booking(actor: Actor, booking: Booking) -> bool:
    return (
        actor.is_staff
        or _reads(actor, booking.organisation_id)
        or _reads(actor, booking.opportunity.owner_id)
    )


@rule("market.booking.decide", Booking)
def can_decide_booking(actor: Actor, booking: Booking) -> bool:
    return _edits(actor, booking.opportunity.owner_id)


@rule("market.booking.cancel", Booking)
def can_cancel_booking(actor: Actor, booking: Booking) -> bool:
    """The requester's editors; the owner's editors too (an accepted one, `service`)."""
    return _edits(actor, booking.organisation_id) or _edits(actor, booking.opportunity.owner_id)


@rule("market.booking.calendar", Opportunity)
def can_view_calendar(actor: Actor, opportunity: Opportunity) -> bool:
    """Whoever sees the offer whole sees its booked days (who booked: the owner's users)."""
    return can_view_opportunity(actor, opportunity)


# --- the owner's identity once introduced ----------------------------------------------------


@disclose_owner_to
def introduced(actor: Actor, opportunities: Sequence[Opportunity]) -> set[int]:
    """The users of an organisation whose interest the owner accepted know the owner: those
    of `opportunities` the actor's organisations were introduced to, in one query."""
    mine = [org for org, role in actor.org_roles.items() if role]
    ids = sorted(o.id for o in opportunities if o.id is not None)
    session = object_session(opportunities[0]) if opportunities else None
    if not mine or not ids or session is None:
        return set()
    return set(
        session.scalars(
            select(Introduction.opportunity_id)
            .where(Introduction.opportunity_id.in_(ids), Introduction.interested_id.in_(mine))
            .distinct()
        )
    )


@disclose_owner_in_sql
def introduced_in_sql(actor: Actor) -> ColumnElement[bool]:
    """`introduced` as SQL over Opportunity: those the actor's organisations were introduced to."""
    mine = _own(actor)
    if not mine:
        return false()
    return Opportunity.id.in_(
        select(Introduction.opportunity_id).where(Introduction.interested_id.in_(mine))
    )


# --- as SQL ------------------------------------------------------------------------------------


def _own(actor: Actor) -> list[int]:
    return sorted(o for o, r in actor.org_roles.items() if r)


def _either(actor: Actor, *columns: Any) -> ColumnElement[bool] | None:
    """None for staff (every row); else a row of one of the actor's organisations."""
    if actor.is_staff:
        return None
    own = _own(actor)
    if not own:
        return false()
    return or_(*(column.in_(own) for column in columns))


def interests_visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Interest (joined to its Opportunity) as `can_view_interest`."""
    where = _either(actor, Interest.organisation_id, Opportunity.owner_id)
    return stmt if where is None else stmt.where(where)


def introductions_visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    where = _either(actor, Introduction.owner_id, Introduction.interested_id)
    return stmt if where is None else stmt.where(where)


def bookings_visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Booking (joined to its Opportunity) as `can_view_booking`."""
    where = _either(actor, Booking.organisation_id, Opportunity.owner_id)
    return stmt if where is None else stmt.where(where)
