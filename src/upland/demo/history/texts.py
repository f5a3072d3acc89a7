"""An opportunity spec as its owner's editor fills in the form (`OpportunityCreate`).

Fields the marketplace keeps in one language only (advantages, equipment, conditions, the
machine) carry the Polish text, followed by the English one when the owner writes in both,
as a bilingual owner types them into one box. Offers offer their capabilities and
certifications; requests require them.
"""

from __future__ import annotations

from upland.demo.opportunities.firms import label
from upland.demo.opportunities.specs import Kind, OpportunitySpec
from upland.market.schemas import OpportunityCapabilityIn, OpportunityCreate, OpportunityPkdIn
from upland.market.vocab import (
    PATENT_STATUSES,
    CapabilityRole,
    IpStatus,
    OpportunityKind,
    PartnershipType,
)

REQUESTS = frozenset({Kind.BUSINESS_REQUEST, Kind.TECHNOLOGY_REQUEST, Kind.RND_REQUEST})
PARTNERSHIPS = {"supply": "commercial_supply", "joint_funding_application": "joint_funding"}


def both(pl: str, en: str, english: bool) -> str:
    """One box's text: Polish, then English when the owner writes in both."""
    return f"{pl}\n\n{en}" if english and en and pl else pl or en


def opportunity_input(opp: OpportunitySpec, organisations: dict[str, int]) -> OpportunityCreate:
    """The creation input of `opp`; `organisations` maps legal names to ids."""
    english = "en" in opp.languages
    # A licence offered under a patent names it in the description; the field is the patent's.
    patented = opp.ip_status is not None and IpStatus(opp.ip_status.value) in PATENT_STATUSES
    role = CapabilityRole.REQUIRED if opp.kind in REQUESTS else CapabilityRole.OFFERED
    terms = dict.fromkeys((*opp.capabilities, *opp.certifications))
    fields: dict[str, object] = {}
    if opp.capacity is not None:
        cap = opp.capacity
        fields.update(
            process=label(cap.process, "pl")[:200],
            machine=cap.machine_pl[:200],
            hours_per_week=cap.hours_per_week,
            available_from=cap.available_from,
            available_to=cap.available_to,
        )
    if opp.infrastructure is not None:
        infra = opp.infrastructure
        fields.update(
            equipment=both(infra.equipment_pl, infra.equipment_en, english),
            conditions=both(infra.conditions_pl, infra.conditions_en, english),
        )
    return OpportunityCreate(
        kind=OpportunityKind(opp.kind.value),
        owner_id=organisations[opp.owner],
        title_pl=opp.title_pl,
        title_en=opp.title_en if english else "",
        description_pl=opp.description_pl,
        description_en=opp.description_en if english else "",
        advantages=both(opp.advantages_pl, opp.advantages_en, english),
        trl=opp.trl,
        ip_status=IpStatus(opp.ip_status.value) if opp.ip_status else None,
        patent_number=(opp.patent_number or "") if patented else "",
        partnership_types=[
            PartnershipType(PARTNERSHIPS.get(p.value, p.value)) for p in opp.partnership_types
        ],
        pkd_codes=[OpportunityPkdIn(code=code, version=2025) for code in opp.pkd_codes],
        capabilities=[OpportunityCapabilityIn(term=t, role=role) for t in terms],
        places=list(opp.regions),
        named=[organisations[name] for name in opp.restricted_to],
        deadline=opp.deadline,
        expires_on=opp.expires_on,
        visibility=opp.visibility,
        anonymous=opp.anonymous,
        **fields,  # type: ignore[arg-type]
    )
