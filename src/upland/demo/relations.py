"""The demo's declared ties: supply-chain links, R&D partnerships and joint projects the
members declared and the coordinator confirmed, beside the ties the market history derives
from its introductions and agreements.

About 130 ties from the letter of intent (March 2018) to the demo's day, more each year: early
on mostly within one partner city, later more and more across the three; research
organisations partner with firms, and support institutions run joint projects. Planned as
plain data (`build_relations`, pure for a seed) and written through the network's services
(`load_relations`): each declared on behalf of one side and confirmed by the coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from random import Random

from sqlalchemy.orm import Session

from upland.actor import SYSTEM, Actor, OrgRole
from upland.demo.opportunities.timeline import LETTER
from upland.demo.profiles import AS_OF
from upland.demo.world import World
from upland.network import service
from upland.network.schemas import RelationDeclare
from upland.network.vocab import Declared
from upland.organisations import queries as organisations
from upland.organisations.schemas import OrganisationCreate
from upland.settings import DEFAULT_PARTNER_AREAS

# Ties declared each year since the letter (the last, partial year scaled to its months).
PER_YEAR = {2018: 5, 2019: 8, 2020: 10, 2021: 13, 2022: 16, 2023: 19, 2024: 22, 2025: 25, 2026: 22}
RESEARCH_SHARE = 0.15  # a research organisation with a firm
JOINT_SHARE = 0.1  # a joint project of a support institution, school or city with a firm
# Between firms, the supplier declares two times in three, the customer once.
SUPPLY = (Declared.SUPPLIER_OF, Declared.SUPPLIER_OF, Declared.CUSTOMER_OF)


@dataclass(frozen=True)
class PlannedTie:
    """`organisation` declares `kind` with `partner` (identified by NIP or REGON) since `on`."""

    organisation: str
    partner: str
    kind: Declared
    on: dt.date


def _key(org: OrganisationCreate) -> str:
    return org.nip or org.regon or ""


def _city(org: OrganisationCreate) -> str | None:
    """The partner area of the organisation's headquarters (the default areas), or None."""
    site = next((s for s in org.sites if s.is_headquarters), org.sites[0] if org.sites else None)
    if site is None:
        return None
    for city, units in DEFAULT_PARTNER_AREAS.items():
        if any(site.teryt.startswith(unit) for unit in units):
            return city
    return None


def _cross_share(year: int) -> float:
    """How many of a year's ties cross city lines: a tenth in 2018, over half by 2026."""
    return min(0.6, 0.1 + 0.06 * (year - LETTER.year))


def _day(rng: Random, year: int) -> dt.date:
    first = max(LETTER, dt.date(year, 1, 1))
    last = min(AS_OF, dt.date(year, 12, 31))
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _partner(
    rng: Random, pool: Sequence[OrganisationCreate], city: str | None, cross: bool
) -> OrganisationCreate | None:
    """A partner from the pool: from another partner city when `cross`, else the same one."""
    fitting = [o for o in pool if (_city(o) != city) == cross and _city(o) is not None]
    return rng.choice(fitting) if fitting else None


def _pool(
    roll: float,
    firms: list[OrganisationCreate],
    science: list[OrganisationCreate],
    others: list[OrganisationCreate],
) -> list[OrganisationCreate]:
    """Who declares: a research organisation, a support institution, or (most often) a firm."""
    if roll < RESEARCH_SHARE and science:
        return science
    if roll < RESEARCH_SHARE + JOINT_SHARE and others:
        return others
    return firms


def build_relations(world: World, seed: int | None = None) -> tuple[PlannedTie, ...]:
    """The declared ties of the demo, oldest first (deterministic for the world's seed)."""
    rng = Random((seed if seed is not None else world.seed) * 7919 + 12)
    orgs = [o for o in world.organisations if _key(o)]
    firms = [o for o in orgs if o.kind == "company"]
    science = [o for o in orgs if o.kind == "research"]
    others = [o for o in orgs if o.kind in {"business_support", "school", "local_government"}]
    seen: set[frozenset[str]] = set()
    planned: list[PlannedTie] = []
    for year, count in PER_YEAR.items():
        made = 0
        for _ in range(count * 20):
            if made == count:
                break
            first = rng.choice(_pool(rng.random(), firms, science, others))
            cross = rng.random() < _cross_share(year)
            partner = _partner(rng, firms, _city(first), cross)
            if partner is None or partner is first:
                continue
            pair = frozenset({_key(first), _key(partner)})
            if pair in seen:
                continue
            seen.add(pair)
            if first.kind == "research":
                kind = Declared.RD_PARTNER
            elif first.kind != "company":
                kind = Declared.JOINT_PROJECT
            else:
                kind = rng.choice(
                    (Declared.SUPPLIER_OF, Declared.SUPPLIER_OF, Declared.CUSTOMER_OF)
                )
            planned.append(PlannedTie(_key(first), _key(partner), kind, _day(rng, year)))
            made += 1
    planned.sort(key=lambda t: (t.on, t.organisation, t.partner))
    return tuple(planned)


def load_relations(
    session: Session, planned: Sequence[PlannedTie], coordinator: Actor = SYSTEM
) -> dict[str, int]:
    """Declare each tie on behalf of its organisation, and confirm it as the coordinator."""
    made = 0
    for tie in planned:
        org = organisations.find_organisation_id(session, tie.organisation)
        partner = organisations.find_organisation_id(session, tie.partner)
        if org is None or partner is None:
            continue
        editor = Actor(user_id=None, label="demo", org_roles={org: OrgRole.EDITOR})
        data = RelationDeclare(
            organisation_id=org, partner_id=partner, kind=tie.kind, starts_on=tie.on
        )
        declared = service.declare_relation(session, editor, data)
        service.confirm_relation(session, coordinator, declared.id)
        made += 1
    return {"declared relations": made}
