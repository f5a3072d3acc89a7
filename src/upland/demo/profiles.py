"""Registry profiles of the demo world: companies generated from the activity tables, and
the fixed institutions. Pure functions of a `random.Random`; the world's "today" is `AS_OF`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TypeVar

from upland.demo.activities import ACTIVITIES, EQUIPMENT_LABELS, Activity
from upland.demo.institutions import Institution
from upland.demo.markets import PRODUCT_MARKETS, customers_for, extras_for
from upland.demo.names import (
    ACADEMIC_TITLES,
    COMPANY_ROLES,
    ENGLISH_ROLES,
    FEMALE_FIRST,
    FIRST_ROLE,
    FOREIGN,
    MALE_FIRST,
    STREETS,
    SURNAMES,
    feminine,
)
from upland.demo.places import BY_TERYT, LUBLIN, PLACES, RADOM, STARACHOWICE, Place
from upland.organisations import identifiers
from upland.organisations.schemas import (
    CapabilityIn,
    OrganisationCreate,
    PersonIn,
    PkdIn,
    SiteIn,
)
from upland.organisations.vocab import CapabilityKind as C
from upland.organisations.vocab import ContactVisibility as V
from upland.organisations.vocab import MembershipStatus as M
from upland.organisations.vocab import OrganisationKind as K
from upland.organisations.vocab import SizeClass as S
from upland.organisations.vocab import SupplyTier as T
from upland.organisations.vocab import Visibility
from upland.textkit.folding import fold

AS_OF = dt.date(2026, 10, 31)
CLUSTER_FOUNDED = dt.date(2018, 2, 15)

SIZE_RANGES = {S.MICRO: (2, 9), S.SMALL: (10, 49), S.MEDIUM: (50, 249), S.LARGE: (250, 1400)}
SIZE_WEIGHTS = {  # micro, small, medium, large
    T.OEM: (0, 1, 3, 4),
    T.TIER1: (0, 2, 4, 3),
    T.TIER2: (2, 5, 4, 1),
    T.TIER3: (4, 5, 2, 0),
    T.AFTERMARKET: (4, 4, 2, 0),
    T.OTHER: (5, 4, 1, 0),
}
LEGAL_FORMS = {  # "" is a sole trader (CEIDG, no KRS)
    S.MICRO: (("", 5), ("sp. z o.o.", 3), ("sp. j.", 2)),
    S.SMALL: (("sp. z o.o.", 6), ("sp. j.", 2), ("sp. k.", 1), ("", 1)),
    S.MEDIUM: (("sp. z o.o.", 7), ("S.A.", 2), ("sp. k.", 1)),
    S.LARGE: (("S.A.", 1), ("sp. z o.o.", 1)),
}
FOUNDED_FROM = {S.MICRO: 1995, S.SMALL: 1989, S.MEDIUM: 1975, S.LARGE: 1950}
ISO_9001_SHARE = {S.MICRO: 0.3, S.SMALL: 0.6, S.MEDIUM: 0.9, S.LARGE: 1.0}
STATUS_WEIGHTS = ((M.MEMBER, 72), (M.APPLICANT, 8), (M.SUSPENDED, 2), (M.FORMER, 4), (M.NONE, 14))
VISIBILITY_WEIGHTS = ((Visibility.PUBLIC, 80), (Visibility.MEMBERS, 15), (Visibility.RESTRICTED, 5))
CONTACT_WEIGHTS = ((V.PRIVATE, 2), (V.MEMBERS, 4), (V.PUBLIC, 4))
CAPACITY_EXTRAS = ("", " Możliwa praca na trzy zmiany.", " Przyjmujemy zlecenia prototypowe.")


@dataclass(frozen=True)
class Slot:
    """A planned company; anchors pin what the world must contain."""

    tier: T | None = None
    size: S | None = None
    teryt: str | None = None
    showcase: bool = False  # a public member firm with three contacts, for the demo log-ins


ANCHORS = (
    Slot(T.TIER1, S.MEDIUM, LUBLIN, showcase=True),
    Slot(T.TIER2, S.SMALL, RADOM, showcase=True),
    Slot(T.OEM, S.LARGE, STARACHOWICE),
    Slot(T.TIER3, S.MICRO),
    Slot(T.AFTERMARKET),
    Slot(T.OTHER),
)

X = TypeVar("X")


def _weighted(rng: Random, pairs: tuple[tuple[X, int], ...]) -> X:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _date_between(rng: Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class Registry:
    """Unique names, web slugs and valid NIP/REGON/KRS numbers, drawn from the world's rng."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _unique(self, make: Callable[[], str | None]) -> str:
        while True:
            value = make()
            if value and value not in self.used:
                self.used.add(value)
                return value

    def nip(self, place: Place) -> str:
        def make() -> str | None:
            body = self.rng.choice(place.tax_offices) + f"{self.rng.randrange(10**6):06d}"
            return identifiers.complete_nip(body)

        return self._unique(make)

    def regon(self, place: Place, parent: str | None = None) -> str:
        """A 9-digit REGON, or a 14-digit one for a local unit of `parent`."""

        def make() -> str:
            rng = self.rng
            if parent:
                body = f"{parent}{rng.randrange(1, 10**4):04d}"
            else:
                body = f"{place.voivodeship}{rng.randrange(10**6):06d}"
            return identifiers.complete_regon(body)

        return self._unique(make)

    def krs(self) -> str:
        return self._unique(lambda: f"{self.rng.randint(10_000, 1_150_000):010d}")

    def names(self, make: Callable[[], tuple[str, str]]) -> tuple[str, str]:
        """A legal and a short name, neither used before."""
        while True:
            legal, short = make()
            keys = {f"legal:{legal}", f"short:{short}"}
            if not keys & self.used:
                self.used |= keys
                return legal, short

    def slug(self, name: str) -> str:
        words = fold(name).split()
        while len(words) > 1 and len("-".join(words)) > 40:
            words.pop()
        base = "-".join(words)
        candidate, number = base, 1
        while f"slug:{candidate}" in self.used:
            number += 1
            candidate = f"{base}-{number}"
        self.used.add(f"slug:{candidate}")
        return candidate


def _site(
    rng: Random, place: Place, name: str, hq: bool, street: str = "", postal_code: str = ""
) -> SiteIn:
    prefix, low, high = place.postal
    number = f"{rng.randint(1, 120)}{rng.choice(('', '', '', 'A', 'B'))}"
    coordinates = rng.random() < 0.85
    return SiteIn(
        name=name,
        street=street or f"ul. {rng.choice(STREETS)} {number}",
        postal_code=postal_code or f"{prefix}-{rng.randint(low, high):03d}",
        locality=place.name,
        teryt=place.teryt,
        latitude=round(place.lat + rng.uniform(-0.03, 0.03), 5) if coordinates else None,
        longitude=round(place.lon + rng.uniform(-0.04, 0.04), 5) if coordinates else None,
        is_headquarters=hq,
    )


def person_name(rng: Random) -> tuple[str, str, bool]:
    """First name, masculine surname and whether the person is a woman."""
    female = rng.random() < 0.45
    return rng.choice(FEMALE_FIRST if female else MALE_FIRST), rng.choice(SURNAMES), female


def _people(
    rng: Random,
    roles: list[str],
    domain: str,
    place: Place,
    *,
    owner: tuple[str, str, bool] | None = None,
    titles: bool = False,
    english: bool = True,
) -> list[PersonIn]:
    people: list[PersonIn] = []
    emails: set[str] = set()
    for index, role_title in enumerate(roles):
        email = ""
        while not email or email in emails:
            role, language = role_title, "pl"
            if index == 0 and owner:
                first, surname, female = owner
                last = feminine(surname) if female else surname
            elif english and index > 0 and rng.random() < 0.1:
                (first, last), role = rng.choice(FOREIGN), rng.choice(ENGLISH_ROLES)
                language = "en"
            else:
                first, surname, female = person_name(rng)
                last = feminine(surname) if female else surname
            email = ".".join(fold(f"{first} {last}").split()) + "@" + domain
        emails.add(email)
        title = ACADEMIC_TITLES[min(index, len(ACADEMIC_TITLES) - 1)] + " " if titles else ""
        people.append(
            PersonIn(
                full_name=f"{title}{first} {last}",
                role_title=role,
                email=email,
                phone=f"+48 {place.area_code} 555 {rng.randrange(100):02d} "
                f"{rng.randrange(100):02d}",
                contact_visibility=_weighted(rng, CONTACT_WEIGHTS),
                language=language,
            )
        )
    return people


def _certificate(rng: Random, slug: str, notes: str = "") -> CapabilityIn:
    """A certificate on its three-year cycle; about one in ten has lapsed by AS_OF."""
    if rng.random() < 0.1:
        start = dt.date(rng.randint(2020, 2022), rng.randint(1, 12), 1)
        notes = notes or "Certyfikat wygasł; audyt recertyfikacyjny zaplanowany."
    else:
        start = _date_between(rng, dt.date(2024, 1, 1), AS_OF)
    until = start.replace(year=start.year + 3, day=1) - dt.timedelta(days=1)
    return CapabilityIn(
        kind=C.CERTIFICATION, term=slug, valid_from=start, valid_until=until, notes=notes
    )


def _membership(rng: Random, status: M, founded: int) -> dt.date | None:
    if status in (M.APPLICANT, M.NONE):
        return None
    start = max(CLUSTER_FOUNDED, dt.date(founded, 12, 31))
    if rng.random() < 0.25:  # founding members joined in the cluster's first year
        return _date_between(rng, start, max(start, dt.date(2018, 12, 31)))
    return _date_between(rng, start, AS_OF)


def institution(
    rng: Random, reg: Registry, inst: Institution, regons: dict[str, str]
) -> OrganisationCreate:
    """The profile of a fixed institution; `regons` lets a branch extend its parent's REGON."""
    place = BY_TERYT[inst.teryt]
    slug = reg.slug(inst.short_name)
    regon = None
    if "regon" in inst.ids:
        regon = reg.regon(place, regons.get(inst.branch_of or ""))
        regons[inst.legal_name] = regon
    capabilities = [
        _certificate(rng, slug_, notes)
        if kind == C.CERTIFICATION
        else CapabilityIn(kind=C(kind), term=slug_, label=label, notes=notes)
        for kind, slug_, label, notes in inst.capabilities
    ]
    founder = inst.kind in (K.RESEARCH, K.COORDINATOR) and inst.founded <= CLUSTER_FOUNDED.year
    return OrganisationCreate(
        kind=inst.kind,
        legal_name=inst.legal_name,
        short_name=inst.short_name,
        nip=reg.nip(place) if "nip" in inst.ids else None,
        regon=regon,
        krs=reg.krs() if "krs" in inst.ids else None,
        website=f"https://{slug}.example" if inst.website else None,
        description_pl=inst.description_pl,
        description_en=inst.description_en,
        founded_year=inst.founded,
        employees=inst.employees,
        membership_status=inst.membership,
        member_since=CLUSTER_FOUNDED
        if founder
        else _membership(rng, inst.membership, inst.founded),
        pkd_codes=[PkdIn(code=c, is_primary=i == 0) for i, c in enumerate(inst.pkd)],
        sites=[_site(rng, place, "Siedziba", True, inst.street, inst.postal_code or "")],
        people=_people(
            rng,
            list(inst.roles),
            f"{slug}.example",
            place,
            titles=inst.kind == K.RESEARCH,
            english=False,
        ),
        capabilities=capabilities,
    )


def plan(count: int) -> list[Slot]:
    """The companies to generate: the anchors first, then free slots."""
    return [*ANCHORS, *(Slot() for _ in range(count - len(ANCHORS)))]


def _company_name(
    rng: Random,
    reg: Registry,
    activity: Activity,
    place: Place,
    form: str,
    owner: tuple[str, str, bool],
) -> tuple[str, str]:
    """Legal and short name: sole traders carry the owner's name, partnerships a partner's."""
    first, surname, female = owner

    def make() -> tuple[str, str]:
        stem, brand = rng.choice(activity.stems), rng.choice(activity.brands)
        if not form:
            last = feminine(surname) if female else surname
            return f"{stem} {first} {last}", f"{stem} {last}"
        pattern = rng.random()
        if form == "sp. j.":
            core = f"{brand} {surname} i {rng.choice(SURNAMES)}"
        elif form == "sp. k." or pattern < 0.4:
            core = f"{stem} {surname}"
        else:
            core = f"{brand} {place.name}" if pattern < 0.8 else f"{brand} {surname}"
        return f"{core} {form}", core

    return reg.names(make)


def company(rng: Random, reg: Registry, slot: Slot) -> OrganisationCreate:
    """A fictional firm: an activity, then tier, size, name, description, codes and contacts."""
    candidates = [a for a in ACTIVITIES if slot.tier is None or slot.tier in a.tiers]
    activity = rng.choices(candidates, weights=[a.weight for a in candidates])[0]
    tier = slot.tier or rng.choice(activity.tiers)
    size = slot.size or rng.choices(list(S), weights=SIZE_WEIGHTS[tier])[0]
    place = (
        BY_TERYT[slot.teryt]
        if slot.teryt
        else rng.choices(PLACES, weights=[p.weight for p in PLACES])[0]
    )
    employees = rng.randint(*SIZE_RANGES[size])
    founded = rng.randint(FOUNDED_FROM[size], 2024)
    form = _weighted(rng, LEGAL_FORMS[size])
    owner = person_name(rng)
    legal_name, short_name = _company_name(rng, reg, activity, place, form, owner)
    slug = reg.slug(short_name)

    index = rng.randrange(len(activity.products))  # products and machines pair up by index
    product = activity.products[index]
    machines = activity.machines[index % len(activity.machines)]
    # One record drives the whole description: what is made, who buys it, how it closes.
    markets = PRODUCT_MARKETS[activity.key][index]
    customers = rng.choice(customers_for(tier, markets))
    extra = rng.choice(extras_for(markets, size))
    values = {
        "founded": founded,
        "year": rng.randint(max(founded, 1995), 2025),
        "pct": rng.choice((15, 20, 30, 40, 60)),
        "employees": employees,
        "loc": place.locative,
        "city": place.name,
    }
    description_pl = (
        f"{short_name} {product[0]}. Pracuje dla {customers.pl}. Wyposażenie obejmuje "
        f"{machines[0]}. {extra.pl.format(**values)}"
    )
    description_en = (
        f"{short_name} {product[1]}. It works for {customers.en}. Its equipment includes "
        f"{machines[1]}. {extra.en.format(**values)}"
    )

    pkd = [PkdIn(code=activity.pkd[0], is_primary=True)]
    extra_codes = rng.sample(activity.pkd[1:], rng.randint(0, min(2, len(activity.pkd) - 1)))
    pkd += [PkdIn(code=code) for code in extra_codes]
    if rng.random() < 0.2:
        pkd.append(PkdIn(code=activity.pkd2007, version=2007))

    sites = [_site(rng, place, rng.choice(("Siedziba", "Siedziba i zakład produkcyjny")), True)]
    if rng.random() < 0.12:
        other = rng.choice([p for p in PLACES[:4] if p is not place])
        sites.append(_site(rng, other, f"Zakład produkcyjny – {other.name}", False))

    micro = size == S.MICRO
    headcount = 3 if slot.showcase else (1 if micro else rng.choice((1, 2, 2, 3)))
    roles = [FIRST_ROLE[form], *rng.sample(COMPANY_ROLES, headcount - 1)]
    people = _people(rng, roles, f"{slug}.example", place, owner=owner, english=not slot.showcase)

    status = M.MEMBER if slot.showcase else _weighted(rng, STATUS_WEIGHTS)
    return OrganisationCreate(
        kind=K.COMPANY,
        legal_name=legal_name,
        short_name=short_name,
        nip=reg.nip(place),
        regon=reg.regon(place),
        krs=reg.krs() if form else None,
        website=f"https://{slug}.example" if rng.random() < 0.9 else None,
        description_pl=description_pl,
        description_en=description_en,
        founded_year=founded,
        employees=employees,
        supply_tier=tier,
        membership_status=status,
        member_since=_membership(rng, status, founded),
        visibility=Visibility.PUBLIC if slot.showcase else _weighted(rng, VISIBILITY_WEIGHTS),
        capacity_notes=_capacity(rng, activity),
        pkd_codes=pkd,
        sites=sites,
        people=people,
        capabilities=_capabilities(rng, activity, tier, size),
    )


def _capacity(rng: Random, activity: Activity) -> str:
    if rng.random() >= 0.3:
        return ""
    hours = rng.choice((80, 120, 160, 200, 300, 400))
    return f"Wolne moce {activity.capacity}: ok. {hours} h/mies.{rng.choice(CAPACITY_EXTRAS)}"


def _capabilities(rng: Random, activity: Activity, tier: T, size: S) -> list[CapabilityIn]:
    processes = rng.sample(activity.processes, min(len(activity.processes), rng.randint(2, 4)))
    materials = rng.sample(activity.materials, min(len(activity.materials), rng.randint(1, 3)))
    result = [CapabilityIn(kind=C.PROCESS, term=s) for s in processes]
    result += [CapabilityIn(kind=C.MATERIAL, term=s) for s in materials]
    for slug in activity.equipment:
        if rng.random() < 0.6:
            result.append(
                CapabilityIn(
                    kind=C.EQUIPMENT,
                    term=slug,
                    label=rng.choice(EQUIPMENT_LABELS[slug]),
                    notes=f"{rng.randint(1, 4)} szt.",
                )
            )
    result += [
        CapabilityIn(kind=C.EQUIPMENT, label=label)
        for label in activity.labelled_equipment
        if rng.random() < 0.5
    ]
    automotive = tier in (T.OEM, T.TIER1, T.TIER2)
    certificates = ["iso-9001"] if rng.random() < ISO_9001_SHARE[size] else []
    for slug in activity.certifications:
        if rng.random() < (0.5 if automotive and slug == "iatf-16949" else 0.25):
            certificates.append(slug)
    if size == S.LARGE:
        certificates += [s for s in ("iso-45001", "iso-50001") if rng.random() < 0.5]
    return result + [_certificate(rng, slug) for slug in dict.fromkeys(certificates)]
