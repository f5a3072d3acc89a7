"""Closed vocabularies of the marketplace (stored as strings, validated by schemas)."""

from __future__ import annotations

from enum import StrEnum

from upland.visibility import Level


class OpportunityKind(StrEnum):
    """Enterprise Europe Network types plus the cluster's own (DOMAIN.md, "Opportunities")."""

    BUSINESS_OFFER = "business_offer"
    BUSINESS_REQUEST = "business_request"
    TECHNOLOGY_OFFER = "technology_offer"
    TECHNOLOGY_REQUEST = "technology_request"
    RND_REQUEST = "rnd_request"
    CAPACITY_OFFER = "capacity_offer"
    INFRASTRUCTURE_OFFER = "infrastructure_offer"
    TRAINING_OFFER = "training_offer"


# The kinds that carry a technology readiness level and an IP status.
TECHNOLOGY_KINDS = frozenset(
    {
        OpportunityKind.TECHNOLOGY_OFFER,
        OpportunityKind.TECHNOLOGY_REQUEST,
        OpportunityKind.RND_REQUEST,
    }
)
# The kinds that carry free machine hours, and the kinds that describe equipment.
CAPACITY_KINDS = frozenset({OpportunityKind.CAPACITY_OFFER})
INFRASTRUCTURE_KINDS = frozenset({OpportunityKind.INFRASTRUCTURE_OFFER})


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    PUBLISHED = "published"
    EXPIRED = "expired"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    """What can happen to an opportunity; `lifecycle.TRANSITIONS` says from which states."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    FULFIL = "fulfil"
    EXPIRE = "expire"
    RENEW = "renew"


class IpStatus(StrEnum):
    PATENT_GRANTED = "patent_granted"
    PATENT_PENDING = "patent_pending"
    KNOW_HOW = "know_how"
    LICENCE_AVAILABLE = "licence_available"


# IP statuses that name a patent (granted or applied for) by its number.
PATENT_STATUSES = frozenset({IpStatus.PATENT_GRANTED, IpStatus.PATENT_PENDING})


class PartnershipType(StrEnum):
    """Partnership agreement types (DOMAIN.md), sought by an opportunity's owner."""

    COMMERCIAL_SUPPLY = "commercial_supply"
    SUBCONTRACTING = "subcontracting"
    RECIPROCAL_PRODUCTION = "reciprocal_production"
    DISTRIBUTION = "distribution"
    TECHNICAL_COOPERATION = "technical_cooperation"
    LICENCE = "licence"
    JOINT_VENTURE = "joint_venture"
    RESEARCH_COOPERATION = "research_cooperation"
    JOINT_FUNDING = "joint_funding"


class CapabilityRole(StrEnum):
    """Whether an opportunity offers a capability or asks for it."""

    OFFERED = "offered"
    REQUIRED = "required"


class AccessStatus(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


class OwnerKind(StrEnum):
    """The owner kinds the list filters by (DOMAIN.md: companies and research organisations)."""

    COMPANY = "company"
    RESEARCH = "research"


class Sort(StrEnum):
    NEWEST = "newest"
    DEADLINE = "deadline"
    RELEVANCE = "relevance"


Visibility = Level
