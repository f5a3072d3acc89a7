"""Closed vocabularies of interests, introductions, outcomes and bookings (stored as strings)."""

from __future__ import annotations

from enum import StrEnum

from upland.market.vocab import OpportunityKind, PartnershipType


class Response(StrEnum):
    """What an organisation answers to an opportunity it was shown."""

    INTEREST = "interest"
    PASS = "pass"  # noqa: S105 (a firm passes on a research organisation's offer, with a reason)


class InterestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    PASSED = "passed"  # a pass is final from the start: nothing to accept or decline


class InterestAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


class DeclineReason(StrEnum):
    """Industry's usual reasons to pass on a science offer (DOMAIN.md)."""

    TOO_EARLY = "too_early"
    BENEFIT_UNCLEAR = "benefit_unclear"
    COMMERCIAL_ROUTE_UNCLEAR = "commercial_route_unclear"
    DESCRIPTION_UNCLEAR = "description_unclear"
    NOT_STRATEGIC = "not_strategic"


class OutcomeKind(StrEnum):
    MEETING_HELD = "meeting_held"
    AGREEMENT_SIGNED = "agreement_signed"
    ABANDONED = "abandoned"


# Agreement types are the partnership agreement types of DOMAIN.md, as opportunities seek them.
AgreementType = PartnershipType


class Confirmation(StrEnum):
    """Who confirmed an agreement so that it counts."""

    PARTNER = "partner"  # the other side of the introduction
    COORDINATOR = "coordinator"


class BookingStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class BookingAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    CANCEL = "cancel"


# The offers a firm may pass on when a research organisation makes them.
OFFER_KINDS = frozenset(
    {
        OpportunityKind.BUSINESS_OFFER,
        OpportunityKind.TECHNOLOGY_OFFER,
        OpportunityKind.CAPACITY_OFFER,
        OpportunityKind.INFRASTRUCTURE_OFFER,
        OpportunityKind.TRAINING_OFFER,
    }
)
# The opportunities that can be booked.
BOOKABLE_KINDS = frozenset({OpportunityKind.INFRASTRUCTURE_OFFER})
