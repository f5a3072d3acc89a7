"""Closed vocabularies of the registry (stored as strings, validated by schemas)."""

from __future__ import annotations

from enum import StrEnum

from upland.visibility import Level


class OrganisationKind(StrEnum):
    COMPANY = "company"
    RESEARCH = "research"
    LOCAL_GOVERNMENT = "local_government"
    BUSINESS_SUPPORT = "business_support"
    SCHOOL = "school"
    COORDINATOR = "coordinator"


class SizeClass(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class SupplyTier(StrEnum):
    OEM = "oem"
    TIER1 = "tier1"
    TIER2 = "tier2"
    TIER3 = "tier3"
    AFTERMARKET = "aftermarket"
    OTHER = "other"


class MembershipStatus(StrEnum):
    MEMBER = "member"
    APPLICANT = "applicant"
    SUSPENDED = "suspended"
    FORMER = "former"
    NONE = "none"


# The visibility levels are the core's one rule (`upland.visibility`), reused by every area.
Visibility = Level


class ContactVisibility(StrEnum):
    """To whom a person consented to show their e-mail and phone."""

    PRIVATE = "private"
    MEMBERS = "members"
    PUBLIC = "public"


class CapabilityKind(StrEnum):
    PROCESS = "process"
    MATERIAL = "material"
    CERTIFICATION = "certification"
    EQUIPMENT = "equipment"
    INFRASTRUCTURE = "infrastructure"


def size_class_for(employees: int | None) -> SizeClass | None:
    """EU SME definition by headcount: micro < 10, small < 50, medium < 250, else large."""
    if employees is None:
        return None
    if employees < 10:
        return SizeClass.MICRO
    if employees < 50:
        return SizeClass.SMALL
    if employees < 250:
        return SizeClass.MEDIUM
    return SizeClass.LARGE
