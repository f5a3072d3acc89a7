"""The news of answers, bookings and outcomes, and to whom: the owner's editors hear of
interests, passes, booking requests and bookings the requester cancelled; the interested side
(the person who answered while they belong to it, else its editors) of the owner's decision,
a booking's cancellation included; each side of an introduction of what the other reports,
asked to confirm an agreement, and both sides of the coordinator's confirmation.

An anonymous owner is named only in the acceptance, which discloses it
(`market.interests.permissions`); a decline or a booking decision never names it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from upland.i18n import N_, Message
from upland.market.interests.models import Booking, Interest, OutcomeReport
from upland.market.interests.vocab import BookingStatus, Confirmation, OutcomeKind, Response
from upland.market.models import Opportunity
from upland.market.notify import (
    editors,
    kind,
    localised,
    name_of,
    on,
    person_or_editors,
    titled,
)
from upland.market.signals import (
    AgreementConfirmed,
    BookingDecided,
    BookingRequested,
    InterestAccepted,
    InterestDeclined,
    InterestExpressed,
    InterestWithdrawn,
    OutcomeRecorded,
)
from upland.notifications.kinds import Delivery
from upland.notifications.service import notify

RECEIVED = kind(
    "market.interest_received",
    N_("Someone is interested in your opportunity"),
    N_("{organisation} is interested in “{title}”"),
)
PASSED = kind(
    "market.interest_passed",
    N_("A company passed on your offer and said why"),
    N_("{organisation} passed on “{title}”: {reason_label}"),
    Delivery.DAILY,
)
WITHDRAWN = kind(
    "market.interest_withdrawn",
    N_("An organisation withdrew its interest"),
    N_("{organisation} withdrew its interest in “{title}”"),
    Delivery.IN_APP,
)
ACCEPTED = kind(
    "market.interest_accepted",
    N_("Your interest was accepted"),
    N_(
        "{owner} accepted your organisation's interest in “{title}”: you can now see each other's contacts"  # noqa: E501
    ),
)
DECLINED = kind(
    "market.interest_declined",
    N_("Your interest was declined"),
    N_("Your organisation's interest in “{title}” was declined"),
)
BOOKING_REQUESTED = kind(
    "market.booking_requested",
    N_("Someone asks to book your infrastructure"),
    N_("{organisation} asks to book “{title}” from {starts_on} to {ends_on}"),
)
BOOKING_ACCEPTED = kind(
    "market.booking_accepted",
    N_("Your booking was accepted"),
    N_("Your booking of “{title}” from {starts_on} to {ends_on} was accepted"),
)
BOOKING_DECLINED = kind(
    "market.booking_declined",
    N_("Your booking was declined"),
    N_("Your booking of “{title}” from {starts_on} to {ends_on} was declined"),
)
BOOKING_CANCELLED = kind(
    "market.booking_cancelled",
    N_("The owner cancelled your booking"),
    N_("Your booking of “{title}” from {starts_on} to {ends_on} was cancelled by its owner"),
)
BOOKING_WITHDRAWN = kind(
    "market.booking_withdrawn",
    N_("An organisation cancelled its booking of your infrastructure"),
    N_("{organisation} cancelled its booking of “{title}” from {starts_on} to {ends_on}"),
)
AGREEMENT_CONFIRMED = kind(
    "market.agreement_confirmed",
    N_("The coordinator confirmed an agreement of your organisation"),
    N_(
        "The coordinator confirmed the agreement ({agreement}) from the introduction through "
        "“{title}”: it now counts"
    ),
)

AGREEMENT_REPORTED = N_(
    "{organisation} reports an agreement signed ({agreement}) after your introduction through "
    "“{title}”: confirm it if you signed it too"
)
OUTCOME_SENTENCES = {
    "agreement": AGREEMENT_REPORTED,
    "agreement_confirmed": N_(
        "{organisation} also reports the agreement ({agreement}) from your introduction through "
        "“{title}”: it now counts"
    ),
    OutcomeKind.MEETING_HELD.value: N_(
        "{organisation} reports a meeting held after your introduction through “{title}”"
    ),
    OutcomeKind.ABANDONED.value: N_(
        "{organisation} reports the cooperation begun through “{title}” abandoned"
    ),
}


def _outcome_sentence(params: Mapping[str, Any]) -> Message:
    sentence = OUTCOME_SENTENCES[params["outcome"]]
    return Message(sentence, localised(params))


OUTCOME = kind(
    "market.outcome_reported",
    N_("The other side of an introduction reported what came of it"),
    AGREEMENT_REPORTED,
    describe=_outcome_sentence,
)


def _owner_editors(session: Session, opportunity: Opportunity) -> list[int]:
    return editors(session, opportunity.owner_id)


@on(InterestExpressed)
def _expressed(session: Session, event: InterestExpressed) -> None:
    interest = session.get(Interest, event.interest_id)
    if interest is None:
        return
    opportunity = interest.opportunity
    params = titled(opportunity, organisation=name_of(session, interest.organisation_id))
    link = f"/market/{opportunity.id}/interests"
    if interest.response == Response.PASS:
        params["reason_label"] = interest.decline_reason
        notify(session, _owner_editors(session, opportunity), PASSED, params, link)
    else:
        notify(session, _owner_editors(session, opportunity), RECEIVED, params, link)


@on(InterestWithdrawn)
def _withdrawn(session: Session, event: InterestWithdrawn) -> None:
    interest = session.get(Interest, event.interest_id)
    if interest is not None:
        opportunity = interest.opportunity
        params = titled(opportunity, organisation=name_of(session, interest.organisation_id))
        link = f"/market/{opportunity.id}/interests"
        notify(session, _owner_editors(session, opportunity), WITHDRAWN, params, link)


def _interested(session: Session, interest: Interest) -> list[int]:
    return person_or_editors(session, interest.created_by_id, interest.organisation_id)


@on(InterestAccepted)
def _accepted(session: Session, event: InterestAccepted) -> None:
    interest = session.get(Interest, event.interest_id)
    if interest is not None:
        opportunity = interest.opportunity
        # Accepting discloses an anonymous owner to the interested organisation.
        params = titled(opportunity, owner=name_of(session, opportunity.owner_id))
        notify(session, _interested(session, interest), ACCEPTED, params, "/market/introductions")


@on(InterestDeclined)
def _declined(session: Session, event: InterestDeclined) -> None:
    interest = session.get(Interest, event.interest_id)
    if interest is not None:
        params = titled(interest.opportunity)
        notify(session, _interested(session, interest), DECLINED, params, "/market/interests")


def _dates(booking: Booking) -> dict[str, str]:
    return {"starts_on": booking.starts_on.isoformat(), "ends_on": booking.ends_on.isoformat()}


def _tell_owner(session: Session, booking: Booking, kind: str) -> None:
    """The owner's side hears which organisation asked for (or freed) which days."""
    opportunity = booking.opportunity
    params = titled(
        opportunity, organisation=name_of(session, booking.organisation_id), **_dates(booking)
    )
    link = f"/market/{opportunity.id}/bookings"
    notify(session, _owner_editors(session, opportunity), kind, params, link)


@on(BookingRequested)
def _booking_requested(session: Session, event: BookingRequested) -> None:
    booking = session.get(Booking, event.booking_id)
    if booking is not None:
        _tell_owner(session, booking, BOOKING_REQUESTED)


@on(BookingDecided)
def _booking_decided(session: Session, event: BookingDecided) -> None:
    booking = session.get(Booking, event.booking_id)
    if booking is None:
        return
    if event.status == BookingStatus.CANCELLED and event.acting_id == booking.organisation_id:
        _tell_owner(session, booking, BOOKING_WITHDRAWN)  # the requester cancelled
        return
    decided = {
        BookingStatus.ACCEPTED.value: BOOKING_ACCEPTED,
        BookingStatus.DECLINED.value: BOOKING_DECLINED,
        BookingStatus.CANCELLED.value: BOOKING_CANCELLED,
    }.get(event.status)
    if decided is None:
        return
    people = person_or_editors(session, booking.requested_by_id, booking.organisation_id)
    params = titled(booking.opportunity, **_dates(booking))
    notify(session, people, decided, params, f"/market/{booking.opportunity_id}")


@on(AgreementConfirmed)
def _agreement_confirmed(session: Session, event: AgreementConfirmed) -> None:
    """The coordinator's confirmation is news to both sides (a partner's is told as its
    report, `_outcome`)."""
    if event.confirmed_as != Confirmation.COORDINATOR:
        return
    opportunity = session.get(Opportunity, event.opportunity_id)
    if opportunity is None:
        return
    people = editors(session, event.owner_id) + editors(session, event.interested_id)
    params = titled(opportunity, agreement=event.agreement_type)
    notify(session, people, AGREEMENT_CONFIRMED, params, "/market/introductions")


@on(OutcomeRecorded)
def _outcome(session: Session, event: OutcomeRecorded) -> None:
    report = session.get(OutcomeReport, event.report_id)
    if report is None:
        return
    if report.kind == OutcomeKind.AGREEMENT_SIGNED:
        outcome = "agreement_confirmed" if report.confirms_id is not None else "agreement"
    else:
        outcome = report.kind
    params = titled(
        report.introduction.opportunity,
        organisation=name_of(session, event.organisation_id),
        outcome=outcome,
        agreement=report.agreement_type,
    )
    notify(session, editors(session, event.partner_id), OUTCOME, params, "/market/introductions")
