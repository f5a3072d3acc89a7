"""What the marketplace announces after commit: notifications, matching and the dashboard
subscribe to these without reading the marketplace's tables."""

from __future__ import annotations

from dataclasses import dataclass

from upland.signals import Signal


@dataclass(frozen=True)
class OpportunityEvent(Signal):
    """Base of every opportunity's event: which one and whose."""

    opportunity_id: int
    owner_id: int


@dataclass(frozen=True)
class OpportunityCreated(OpportunityEvent):
    pass


@dataclass(frozen=True)
class OpportunityChanged(OpportunityEvent):
    """Edited by its owner (its texts, fields or visibility)."""


@dataclass(frozen=True)
class OpportunityDeleted(OpportunityEvent):
    pass


@dataclass(frozen=True)
class OpportunitySubmitted(OpportunityEvent):
    """Waiting in the coordinator's review queue."""


@dataclass(frozen=True)
class OpportunityApproved(OpportunityEvent):
    """The coordinator approved it (`OpportunityPublished` follows)."""


@dataclass(frozen=True)
class OpportunityReturned(OpportunityEvent):
    reason: str


@dataclass(frozen=True)
class OpportunityPublished(OpportunityEvent):
    """Visible to its readers from now on (approved, published directly or renewed)."""


@dataclass(frozen=True)
class OpportunityWithdrawn(OpportunityEvent):
    pass


@dataclass(frozen=True)
class OpportunityFulfilled(OpportunityEvent):
    pass


@dataclass(frozen=True)
class OpportunityExpired(OpportunityEvent):
    pass


@dataclass(frozen=True)
class OpportunityRenewed(OpportunityEvent):
    expires_on: str


@dataclass(frozen=True)
class AccessRequested(OpportunityEvent):
    request_id: int
    organisation_id: int


@dataclass(frozen=True)
class AccessDecided(OpportunityEvent):
    request_id: int
    organisation_id: int
    granted: bool


# --- what follows an opportunity (interests, introductions, outcomes, bookings) ---------------


@dataclass(frozen=True)
class InterestExpressed(OpportunityEvent):
    """An organisation answered the opportunity: `response` is `interest` (waiting for the
    owner) or `pass` (with `decline_reason`, for the research organisation's information)."""

    interest_id: int
    organisation_id: int
    user_id: int | None
    response: str
    decline_reason: str | None = None


@dataclass(frozen=True)
class InterestDeclined(OpportunityEvent):
    interest_id: int
    organisation_id: int
    decided_by_id: int | None


@dataclass(frozen=True)
class InterestWithdrawn(OpportunityEvent):
    interest_id: int
    organisation_id: int


@dataclass(frozen=True)
class InterestAccepted(OpportunityEvent):
    """The owner accepted: an introduction is recorded (`IntroductionRecorded` follows)."""

    interest_id: int
    organisation_id: int
    decided_by_id: int | None


@dataclass(frozen=True)
class IntroductionRecorded(OpportunityEvent):
    """Who met whom, from which opportunity: the cooperation network's raw material."""

    introduction_id: int
    interested_id: int
    owner_user_id: int | None
    interested_user_id: int | None


@dataclass(frozen=True)
class OutcomeRecorded(OpportunityEvent):
    introduction_id: int
    report_id: int
    organisation_id: int  # the side that reported
    partner_id: int  # the other side
    kind: str
    agreement_type: str | None


@dataclass(frozen=True)
class AgreementConfirmed(OpportunityEvent):
    """An agreement counts from now on: confirmed by the other side or the coordinator."""

    introduction_id: int
    report_id: int
    interested_id: int
    agreement_type: str
    confirmed_as: str


@dataclass(frozen=True)
class BookingRequested(OpportunityEvent):
    booking_id: int
    organisation_id: int
    starts_on: str
    ends_on: str


@dataclass(frozen=True)
class BookingDecided(OpportunityEvent):
    """The booking was accepted, declined or cancelled (`status`) by `acting_id`'s people
    (the owner, or the requesting organisation cancelling its own booking)."""

    booking_id: int
    organisation_id: int
    status: str
    acting_id: int | None = None
