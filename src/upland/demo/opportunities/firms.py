"""What the generator needs to know of a demo organisation, read back from its registry
profile: a company's activity and product (its description opens with the product phrase of
`activities.py`), where it sits, what it can do and since when it may publish.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

from upland.demo.activities import ACTIVITIES, Activity
from upland.demo.profiles import AS_OF
from upland.demo.world import World
from upland.organisations.schemas import OrganisationCreate
from upland.organisations.vocab import CapabilityKind as C
from upland.organisations.vocab import MembershipStatus as M
from upland.organisations.vocab import OrganisationKind as K
from upland.organisations.vocab import SizeClass, SupplyTier, size_class_for
from upland.settings import DEFAULT_PARTNER_AREAS

AREA_NAMES = {"0663011": "Lublin", "1463011": "Radom", "2611011": "Starachowice"}


@dataclass(frozen=True)
class Firm:
    """A demo organisation as the market sees it; `activity` only for companies."""

    legal_name: str
    short_name: str
    kind: K
    activity: Activity | None
    product: int  # index into the activity's products
    teryt: str
    area: str | None  # the partner city whose area holds the headquarters, if any
    size: SizeClass | None
    tier: SupplyTier | None
    member_since: dt.date | None
    english: bool  # publishes in English too
    pkd: tuple[str, ...]
    processes: tuple[str, ...]
    materials: tuple[str, ...]
    certifications: tuple[str, ...]  # valid on AS_OF
    equipment: tuple[tuple[str, str], ...]  # (slug, label) of equipment it names
    infrastructure: tuple[tuple[str, str], ...]  # (slug, label) of labs it may open

    @property
    def key(self) -> str | None:
        return self.activity.key if self.activity else None

    def member_on(self, day: dt.date) -> bool:
        return self.member_since is not None and self.member_since <= day


@cache
def vocabulary() -> dict[str, tuple[str, str, str]]:
    """Shipped capability vocabulary: slug -> (kind, Polish name, English name)."""
    with resources.files("upland.data").joinpath("capabilities.csv").open(encoding="utf-8") as f:
        return {r["slug"]: (r["kind"], r["name_pl"], r["name_en"]) for r in csv.DictReader(f)}


def label(slug: str, language: str) -> str:
    _, pl, en = vocabulary()[slug]
    return pl if language == "pl" else en


def area_of(teryt: str) -> str | None:
    for city, units in DEFAULT_PARTNER_AREAS.items():
        if any(teryt.startswith(unit) for unit in units):
            return city
    return None


def _activity(org: OrganisationCreate) -> tuple[Activity | None, int]:
    text = org.description_pl or ""
    for activity in ACTIVITIES:
        for index, (pl, _) in enumerate(activity.products):
            if text.startswith(f"{org.short_name} {pl}."):
                return activity, index
    return None, 0


def firm(org: OrganisationCreate, english: bool) -> Firm:
    activity, product = _activity(org) if org.kind == K.COMPANY else (None, 0)
    caps = org.capabilities
    teryt = org.sites[0].teryt
    member = org.membership_status == M.MEMBER
    return Firm(
        legal_name=org.legal_name,
        short_name=org.short_name,
        kind=K(org.kind),
        activity=activity,
        product=product,
        teryt=teryt,
        area=area_of(teryt),
        size=size_class_for(org.employees) if org.kind == K.COMPANY else None,
        tier=SupplyTier(org.supply_tier) if org.supply_tier else None,
        member_since=org.member_since if member else None,
        english=english,
        pkd=tuple(p.code for p in org.pkd_codes if p.version == 2025),
        processes=tuple(c.term for c in caps if c.kind == C.PROCESS and c.term),
        materials=tuple(c.term for c in caps if c.kind == C.MATERIAL and c.term),
        certifications=tuple(
            c.term
            for c in caps
            if c.kind == C.CERTIFICATION and c.term and (c.valid_until or AS_OF) >= AS_OF
        ),
        equipment=tuple((c.term or "", c.label or "") for c in caps if c.kind == C.EQUIPMENT),
        infrastructure=tuple(
            (c.term, c.label or label(c.term, "pl"))
            for c in caps
            if c.kind == C.INFRASTRUCTURE and c.term
        ),
    )


def firms(world: World, english: dict[str, bool]) -> tuple[Firm, ...]:
    """Every organisation of the world; `english` says who also writes in English."""
    return tuple(firm(o, english.get(o.legal_name, True)) for o in world.organisations)
