"""How the marketplace's enum values read on pages and in messages (gettext msgids)."""

from __future__ import annotations

from upland.i18n import N_, register_labels
from upland.market.vocab import (
    AccessStatus,
    Action,
    CapabilityRole,
    IpStatus,
    OpportunityKind,
    PartnershipType,
    Sort,
    Status,
)

LABELS: dict[str, dict[str, str]] = {
    "opportunity_kind": {
        OpportunityKind.BUSINESS_OFFER: N_("business offer"),
        OpportunityKind.BUSINESS_REQUEST: N_("business request (supplier search)"),
        OpportunityKind.TECHNOLOGY_OFFER: N_("technology offer"),
        OpportunityKind.TECHNOLOGY_REQUEST: N_("technology request"),
        OpportunityKind.RND_REQUEST: N_("R&D cooperation request"),
        OpportunityKind.CAPACITY_OFFER: N_("capacity offer (free machine hours)"),
        OpportunityKind.INFRASTRUCTURE_OFFER: N_("research infrastructure offer"),
        OpportunityKind.TRAINING_OFFER: N_("training offer"),
    },
    "opportunity_status": {
        Status.DRAFT: N_("draft"),
        Status.SUBMITTED: N_("waiting for review"),
        Status.RETURNED: N_("returned for changes"),
        Status.PUBLISHED: N_("published"),
        Status.EXPIRED: N_("expired"),
        Status.FULFILLED: N_("fulfilled"),
        Status.WITHDRAWN: N_("withdrawn"),
    },
    "opportunity_action": {
        Action.EDIT: N_("Edit"),
        Action.SUBMIT: N_("Submit for review"),
        Action.APPROVE: N_("Approve"),
        Action.RETURN: N_("Return for changes"),
        Action.PUBLISH: N_("Publish"),
        Action.WITHDRAW: N_("Withdraw"),
        Action.FULFIL: N_("Mark fulfilled"),
        Action.EXPIRE: N_("Expire"),
        Action.RENEW: N_("Renew"),
    },
    "ip_status": {
        IpStatus.PATENT_GRANTED: N_("patent granted"),
        IpStatus.PATENT_PENDING: N_("patent pending"),
        IpStatus.KNOW_HOW: N_("know-how"),
        IpStatus.LICENCE_AVAILABLE: N_("licence available"),
    },
    "partnership_type": {
        PartnershipType.COMMERCIAL_SUPPLY: N_("commercial agreement: supply"),
        PartnershipType.SUBCONTRACTING: N_("commercial agreement: subcontracting or outsourcing"),
        PartnershipType.RECIPROCAL_PRODUCTION: N_("commercial agreement: reciprocal production"),
        PartnershipType.DISTRIBUTION: N_("commercial agreement: distribution"),
        PartnershipType.TECHNICAL_COOPERATION: N_("technical cooperation"),
        PartnershipType.LICENCE: N_("licence agreement"),
        PartnershipType.JOINT_VENTURE: N_("joint venture"),
        PartnershipType.RESEARCH_COOPERATION: N_("research cooperation"),
        PartnershipType.JOINT_FUNDING: N_("joint funding application"),
    },
    "capability_role": {
        CapabilityRole.OFFERED: N_("offered"),
        CapabilityRole.REQUIRED: N_("required"),
    },
    "access_status": {
        AccessStatus.PENDING: N_("waiting for the owner"),
        AccessStatus.GRANTED: N_("granted"),
        AccessStatus.REFUSED: N_("refused"),
    },
    "opportunity_sort": {
        Sort.NEWEST: N_("Newest first"),
        Sort.DEADLINE: N_("Nearest deadline"),
        Sort.RELEVANCE: N_("Relevance"),
    },
    "market_record": {
        "opportunity": N_("opportunity"),
        "access_request": N_("access request"),
        "attachment": N_("attachment"),
    },
}

for _vocabulary, _labels in LABELS.items():
    register_labels(_vocabulary, {str(k): v for k, v in _labels.items()})
