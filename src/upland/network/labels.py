"""How the network's enum values read on pages (gettext msgids)."""

from __future__ import annotations

from upland.i18n import N_, register_labels
from upland.network.vocab import Declared, RelationSource, RelationStatus, RelationType

LABELS: dict[str, dict[str, str]] = {
    "relation_type": {
        RelationType.INTRODUCTION: N_("introduction"),
        RelationType.AGREEMENT: N_("agreement"),
        RelationType.MEETING: N_("meeting held"),
        RelationType.SUPPLY: N_("supply (supplier → customer)"),
        RelationType.RD_PARTNERSHIP: N_("R&D partnership"),
        RelationType.JOINT_PROJECT: N_("joint project"),
    },
    "relation_source": {
        RelationSource.INTRODUCTION: N_("from an introduction"),
        RelationSource.AGREEMENT: N_("from a confirmed agreement"),
        RelationSource.MEETING: N_("from a meeting held"),
        RelationSource.DECLARED: N_("declared by a member"),
    },
    "relation_status": {
        RelationStatus.PROPOSED: N_("waiting for confirmation"),
        RelationStatus.CONFIRMED: N_("confirmed"),
        RelationStatus.WITHDRAWN: N_("withdrawn"),
    },
    "declared_relation": {
        Declared.SUPPLIER_OF: N_("we supply them"),
        Declared.CUSTOMER_OF: N_("they supply us"),
        Declared.RD_PARTNER: N_("R&D partner"),
        Declared.JOINT_PROJECT: N_("joint project"),
    },
    "brokerage_role": {
        "coordinator": N_("coordinator (inside one area)"),
        "itinerant": N_("itinerant (between two organisations of another area)"),
        "representative": N_("representative (from its own area outwards)"),
        "gatekeeper": N_("gatekeeper (from outside into its own area)"),
        "liaison": N_("liaison (between two other areas)"),
    },
}

for _vocabulary, _labels in LABELS.items():
    register_labels(_vocabulary, _labels)
