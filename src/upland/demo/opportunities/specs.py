"""What the marketplace demo generator produces: plain frozen records, organisations by legal
name, vocabulary values as the strings DOMAIN.md names (the market area maps them to its own
enums). Timestamps are aware UTC; deadlines, expiry and booking ranges are calendar dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from upland.visibility import Level


class Kind(StrEnum):
    """Opportunity types: the Enterprise Europe Network's five plus three of the cluster's."""

    BUSINESS_OFFER = "business_offer"
    BUSINESS_REQUEST = "business_request"
    TECHNOLOGY_OFFER = "technology_offer"
    TECHNOLOGY_REQUEST = "technology_request"
    RND_REQUEST = "rnd_request"
    CAPACITY_OFFER = "capacity_offer"
    INFRASTRUCTURE_OFFER = "infrastructure_offer"
    TRAINING_OFFER = "training_offer"


TECHNOLOGY_KINDS = frozenset({Kind.TECHNOLOGY_OFFER, Kind.TECHNOLOGY_REQUEST, Kind.RND_REQUEST})


class Status(StrEnum):
    """Where an opportunity's lifecycle stood on `AS_OF`."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    EXPIRED = "expired"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"


UNPUBLISHED = frozenset({Status.DRAFT, Status.SUBMITTED, Status.RETURNED})


class IpStatus(StrEnum):
    PATENT_GRANTED = "patent_granted"
    PATENT_PENDING = "patent_pending"
    KNOW_HOW = "know_how"
    LICENCE_AVAILABLE = "licence_available"


class Agreement(StrEnum):
    """Partnership agreement types (DOMAIN.md), sought by an opportunity or signed."""

    SUPPLY = "supply"
    SUBCONTRACTING = "subcontracting"
    RECIPROCAL_PRODUCTION = "reciprocal_production"
    DISTRIBUTION = "distribution"
    TECHNICAL_COOPERATION = "technical_cooperation"
    LICENCE = "licence"
    JOINT_VENTURE = "joint_venture"
    RESEARCH_COOPERATION = "research_cooperation"
    JOINT_FUNDING_APPLICATION = "joint_funding_application"


class Decision(StrEnum):
    """The answer to an interest. `passed`: a firm shown a research organisation's offer says
    no itself and gives the university a structured `PassReason`; `withdrawn`: the interested
    side took its interest back before the owner answered (`decided_at` is when)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PASSED = "passed"
    WITHDRAWN = "withdrawn"


class PassReason(StrEnum):
    """Industry's usual reasons to decline a science offer (DOMAIN.md)."""

    TOO_EARLY_STAGE = "too_early_stage"
    BENEFIT_UNCLEAR = "benefit_unclear"
    COMMERCIAL_ROUTE_UNCLEAR = "commercial_route_unclear"
    DESCRIPTION_UNCLEAR = "description_unclear"
    NOT_STRATEGIC_FIT = "not_strategic_fit"


class OutcomeKind(StrEnum):
    MEETING_HELD = "meeting_held"
    AGREEMENT_SIGNED = "agreement_signed"
    ABANDONED = "abandoned"


class BookingDecision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class CapacitySpec:
    """Free machine hours: which process on which machine, how many hours a week, when."""

    process: str  # capability slug
    machine_pl: str
    machine_en: str
    hours_per_week: int
    available_from: dt.date
    available_to: dt.date


@dataclass(frozen=True)
class InfrastructureSpec:
    """A lab or piece of equipment members may book, and on what terms."""

    term: str  # infrastructure or equipment slug
    equipment_pl: str
    equipment_en: str
    conditions_pl: str
    conditions_en: str
    available_from: dt.date
    available_to: dt.date


@dataclass(frozen=True)
class OpportunitySpec:
    """One offer or request as its owner's editor would publish it. English fields are empty
    when `languages` is only Polish."""

    key: str
    owner: str  # legal name of a demo organisation
    kind: Kind
    languages: tuple[str, ...]
    title_pl: str
    title_en: str
    description_pl: str
    description_en: str
    advantages_pl: str
    advantages_en: str
    pkd_codes: tuple[str, ...]  # PKD 2025
    capabilities: tuple[str, ...]  # process, material, equipment or infrastructure slugs
    certifications: tuple[str, ...]  # certification slugs
    trl: int | None
    ip_status: IpStatus | None
    patent_number: str | None
    capacity: CapacitySpec | None
    infrastructure: InfrastructureSpec | None
    partnership_types: tuple[Agreement, ...]
    regions: tuple[str, ...]  # TERYT units of the partner areas of interest
    visibility: Level
    restricted_to: tuple[str, ...]  # legal names, only when restricted
    anonymous: bool
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    deadline: dt.date | None
    expires_on: dt.date
    status: Status
    closed_at: dt.datetime | None  # withdrawn or fulfilled
    return_reason: str  # coordinator's reason, only when returned


@dataclass(frozen=True)
class InterestSpec:
    key: str
    opportunity: str  # OpportunitySpec.key
    organisation: str  # legal name of the interested organisation
    message_pl: str
    message_en: str
    at: dt.datetime
    decision: Decision
    decided_at: dt.datetime | None
    pass_reason: PassReason | None = None


@dataclass(frozen=True)
class OutcomeSpec:
    """One side's report on an introduction (an accepted interest); both sides' are kept."""

    interest: str  # InterestSpec.key
    reported_by: str  # legal name: the owner or the interested organisation
    kind: OutcomeKind
    at: dt.datetime
    agreement_type: Agreement | None = None
    abandon_reason_pl: str = ""
    abandon_reason_en: str = ""
    confirmed_at: dt.datetime | None = None  # the coordinator confirmed a one-sided agreement


@dataclass(frozen=True)
class BookingSpec:
    opportunity: str  # key of an infrastructure offer
    organisation: str
    starts_on: dt.date
    ends_on: dt.date
    purpose_pl: str
    purpose_en: str
    requested_at: dt.datetime
    decision: BookingDecision
    decided_at: dt.datetime | None


@dataclass(frozen=True)
class MarketWorld:
    seed: int
    opportunities: tuple[OpportunitySpec, ...]
    interests: tuple[InterestSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    bookings: tuple[BookingSpec, ...]

    def opportunity(self, key: str) -> OpportunitySpec:
        return next(o for o in self.opportunities if o.key == key)
