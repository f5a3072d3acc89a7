"""Closed vocabularies of the cooperation network (stored as strings)."""

from __future__ import annotations

from enum import StrEnum


class RelationType(StrEnum):
    """What ties two organisations. `supply` is directed: supplier → customer."""

    INTRODUCTION = "introduction"
    AGREEMENT = "agreement"
    MEETING = "meeting"  # a meeting held (events), when that area feeds it
    SUPPLY = "supply"
    RD_PARTNERSHIP = "rd_partnership"
    JOINT_PROJECT = "joint_project"


DIRECTED = frozenset({RelationType.SUPPLY})


class RelationSource(StrEnum):
    """Where a relation comes from: derived from a record of another area, or declared."""

    INTRODUCTION = "introduction"  # market: an accepted interest
    AGREEMENT = "agreement"  # market: a confirmed agreement
    MEETING = "meeting"  # events: a meeting held
    DECLARED = "declared"  # a member said so; counts once confirmed


class RelationStatus(StrEnum):
    PROPOSED = "proposed"  # declared, waiting for the other side or the coordinator
    CONFIRMED = "confirmed"
    WITHDRAWN = "withdrawn"


class Declared(StrEnum):
    """What a member declares about another organisation."""

    SUPPLIER_OF = "supplier_of"  # we supply them
    CUSTOMER_OF = "customer_of"  # they supply us
    RD_PARTNER = "rd_partner"
    JOINT_PROJECT = "joint_project"


# Derived relations' default weight: an introduction is a first contact, an agreement more.
WEIGHTS = {
    RelationType.INTRODUCTION: 1.0,
    RelationType.MEETING: 1.0,
    RelationType.AGREEMENT: 3.0,
    RelationType.SUPPLY: 2.0,
    RelationType.RD_PARTNERSHIP: 2.0,
    RelationType.JOINT_PROJECT: 2.0,
}
