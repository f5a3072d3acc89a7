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
