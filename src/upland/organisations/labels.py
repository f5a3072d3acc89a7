"""How the registry's enum values read on pages and in messages (gettext msgids)."""

from __future__ import annotations

from upland.i18n import N_, register_labels
from upland.organisations.vocab import (
    CapabilityKind,
    ContactVisibility,
    MembershipStatus,
    OrganisationKind,
    SizeClass,
    SupplyTier,
    Visibility,
)

LABELS: dict[str, dict[str, str]] = {
    "organisation_kind": {
        OrganisationKind.COMPANY: N_("company"),
        OrganisationKind.RESEARCH: N_("research institution"),
        OrganisationKind.LOCAL_GOVERNMENT: N_("local government"),
        OrganisationKind.BUSINESS_SUPPORT: N_("business support institution"),
        OrganisationKind.SCHOOL: N_("school"),
        OrganisationKind.COORDINATOR: N_("cluster coordinator"),
    },
    "size_class": {
        SizeClass.MICRO: N_("micro"),
        SizeClass.SMALL: N_("small"),
        SizeClass.MEDIUM: N_("medium-sized"),
        SizeClass.LARGE: N_("large"),
    },
    "supply_tier": {
        SupplyTier.OEM: N_("OEM (vehicle or machine maker)"),
        SupplyTier.TIER1: N_("Tier 1 supplier"),
        SupplyTier.TIER2: N_("Tier 2 supplier"),
        SupplyTier.TIER3: N_("Tier 3 supplier"),
        SupplyTier.AFTERMARKET: N_("aftermarket"),
        SupplyTier.OTHER: N_("other"),
    },
    "membership_status": {
        MembershipStatus.MEMBER: N_("member"),
        MembershipStatus.APPLICANT: N_("applicant"),
        MembershipStatus.SUSPENDED: N_("suspended"),
        MembershipStatus.FORMER: N_("former member"),
        MembershipStatus.NONE: N_("not a member"),
    },
    "visibility": {
        Visibility.PUBLIC: N_("public"),
        Visibility.MEMBERS: N_("cluster members only"),
        Visibility.RESTRICTED: N_("restricted"),
    },
    "contact_visibility": {
        ContactVisibility.PRIVATE: N_("nobody outside the organisation"),
        ContactVisibility.MEMBERS: N_("cluster members"),
        ContactVisibility.PUBLIC: N_("everyone"),
    },
    "capability_kind": {
        CapabilityKind.PROCESS: N_("process"),
        CapabilityKind.MATERIAL: N_("material"),
        CapabilityKind.CERTIFICATION: N_("certification"),
        CapabilityKind.EQUIPMENT: N_("equipment"),
        CapabilityKind.INFRASTRUCTURE: N_("research infrastructure"),
    },
    "record": {
        "organisation": N_("organisation"),
        "site": N_("site"),
        "person": N_("person"),
        "organisation_capability": N_("capability"),
    },
    "organisation_sort": {
        "relevance": N_("Relevance"),
        "name": N_("Name A–Z"),
        "-name": N_("Name Z–A"),
        "-updated": N_("Recently updated"),
        "-employees": N_("Largest first"),
        "founded": N_("Oldest first"),
    },
}

for _vocabulary, _labels in LABELS.items():
    register_labels(_vocabulary, {str(k): v for k, v in _labels.items()})
