"""Build the marketplace's demo world from the demo `World`: pure and seeded, no clock.

Each publication day (`timeline.publication_days`) draws a kind, then an owner that is a
cluster member on that day and has something of that kind to say, then the writer's text;
a draft whose topic or description was already used is drawn again, so no two read alike.
The lifecycle, the answers and the bookings follow from the dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from random import Random

from upland.demo.opportunities import interests as answering
from upland.demo.opportunities.capacity import NO_CAPACITY, capacity_offer
from upland.demo.opportunities.common import Draft
from upland.demo.opportunities.firms import Firm, firms
from upland.demo.opportunities.labs import (
    infrastructure_offer,
    labs_of,
    training_offer,
    trainings_of,
)
from upland.demo.opportunities.responses import RETURN_REASONS
from upland.demo.opportunities.science import (
    research_project,
    technologies_of,
    technology_offer,
    technology_request,
)
from upland.demo.opportunities.science_needs import PROJECTS, TECH_NEEDS
from upland.demo.opportunities.specs import (
    BookingSpec,
    InterestSpec,
    Kind,
    MarketWorld,
    OpportunitySpec,
    OutcomeSpec,
    Status,
)
from upland.demo.opportunities.timeline import END, between, day_start, moment, publication_days
from upland.demo.opportunities.trade import business_offer, business_request, needs_of
from upland.demo.profiles import AS_OF
from upland.demo.world import World
from upland.organisations.vocab import OrganisationKind as K
from upland.settings import DEFAULT_PARTNER_AREAS
from upland.visibility import Level

KIND_WEIGHTS = {
    Kind.BUSINESS_OFFER: 18,
    Kind.BUSINESS_REQUEST: 20,
    Kind.TECHNOLOGY_OFFER: 13,
    Kind.TECHNOLOGY_REQUEST: 10,
    Kind.RND_REQUEST: 8,
    Kind.CAPACITY_OFFER: 15,
    Kind.INFRASTRUCTURE_OFFER: 9,
    Kind.TRAINING_OFFER: 9,
}
ANONYMOUS_KINDS = frozenset({Kind.BUSINESS_REQUEST, Kind.TECHNOLOGY_REQUEST, Kind.BUSINESS_OFFER})
UNPUBLISHED_CYCLE = (Status.SUBMITTED, Status.DRAFT, Status.RETURNED)
REQUESTS = frozenset({Kind.BUSINESS_REQUEST, Kind.TECHNOLOGY_REQUEST, Kind.RND_REQUEST})


def _can(kind: Kind, firm: Firm) -> bool:
    """Whether the organisation has anything of the kind to publish at all."""
    company = firm.activity is not None
    checks: dict[Kind, Callable[[], bool]] = {
        Kind.BUSINESS_OFFER: lambda: company,
        Kind.BUSINESS_REQUEST: lambda: bool(needs_of(firm)),
        Kind.TECHNOLOGY_OFFER: lambda: bool(technologies_of(firm)),
        Kind.TECHNOLOGY_REQUEST: lambda: any(firm.key in n.buyers for n in TECH_NEEDS),
        Kind.RND_REQUEST: lambda: (
            any(firm.key in n.buyers for n in TECH_NEEDS)
            or any(firm.legal_name in p.owners for p in PROJECTS)
        ),
        Kind.CAPACITY_OFFER: lambda: company and firm.key not in NO_CAPACITY,
        Kind.INFRASTRUCTURE_OFFER: lambda: bool(labs_of(firm)),
        Kind.TRAINING_OFFER: lambda: bool(trainings_of(firm)),
    }
    return checks[kind]()


def _write(
    rng: Random,
    kind: Kind,
    firm: Firm,
    day: dt.date,
    anonymous: bool,
    deadline: dt.date,
    used: set[str],
) -> Draft | None:
    if kind == Kind.BUSINESS_OFFER:
        return business_offer(rng, firm, day, anonymous)
    if kind == Kind.BUSINESS_REQUEST:
        return business_request(rng, firm, day, anonymous, deadline)
    if kind == Kind.TECHNOLOGY_OFFER:
        return technology_offer(rng, firm, day, anonymous, used)
    if kind == Kind.TECHNOLOGY_REQUEST:
        return technology_request(rng, firm, day, anonymous, used, rnd=False)
    if kind == Kind.RND_REQUEST:
        if firm.kind == K.RESEARCH:
            return research_project(rng, firm, day, used)
        return technology_request(rng, firm, day, anonymous, used, rnd=True)
    if kind == Kind.CAPACITY_OFFER:
        return capacity_offer(rng, firm, day)
    if kind == Kind.INFRASTRUCTURE_OFFER:
        return infrastructure_offer(rng, firm, day)
    return training_offer(rng, firm, day)


def _boost(kind: Kind, firm: Firm) -> float:
    """Science and schools publish most technology offers, lab offers and courses."""
    if firm.activity is not None:
        return 1.0
    return 12.0 if kind in (Kind.TECHNOLOGY_OFFER, Kind.RND_REQUEST) else 3.0


def _regions(rng: Random, owner: Firm, year: int) -> tuple[str, ...]:
    """The partner areas the owner looks to: its own, others ever more often."""
    cities = [c for c in DEFAULT_PARTNER_AREAS if c == owner.area]
    wider = 0.15 + 0.08 * (year - 2018)
    cities += [c for c in DEFAULT_PARTNER_AREAS if c != owner.area and rng.random() < wider]
    if not cities:
        cities = [rng.choice(list(DEFAULT_PARTNER_AREAS))]
    return tuple(
        unit
        for city in DEFAULT_PARTNER_AREAS
        if city in cities
        for unit in DEFAULT_PARTNER_AREAS[city]
    )


class _Market:
    """The state of one build: who published what, which topics and texts are taken."""

    def __init__(self, rng: Random, world: World) -> None:
        self.rng = rng
        english = {
            o.legal_name: not (
                o.kind == K.COMPANY and (o.employees or 0) < 50 and rng.random() < 0.5
            )
            for o in world.organisations
        }
        self.members = [f for f in firms(world, english) if f.member_since is not None]
        self.used: set[str] = set()
        self.descriptions: set[str] = set()
        self.published: Counter[tuple[str, Kind]] = Counter()
        self.unpublished = 0  # drafts, submitted and returned so far
        self.recent = 0  # opportunities created in the last 75 days so far
        self.opportunities: list[OpportunitySpec] = []
        self.interests: list[InterestSpec] = []
        self.outcomes: list[OutcomeSpec] = []
        self.bookings: list[BookingSpec] = []

    def draft(self, day: dt.date) -> tuple[Kind, Firm, Draft, bool, dt.date] | None:
        """Kind, owner, text, anonymity and deadline of the day's opportunity."""
        rng = self.rng
        kinds, weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        for _ in range(40):
            kind = rng.choices(kinds, weights=weights)[0]
            owners = [f for f in self.members if f.member_on(day) and _can(kind, f)]
            if not owners:
                continue
            boost = [_boost(kind, f) for f in owners]
            owner = rng.choices(
                owners,
                weights=[
                    b / (1 + self.published[f.legal_name, kind])
                    for b, f in zip(boost, owners, strict=True)
                ],
            )[0]
            anonymous = owner.kind == K.COMPANY and kind in ANONYMOUS_KINDS and rng.random() < 0.07
            deadline = day + dt.timedelta(days=rng.randint(21, 120))
            draft = _write(rng, kind, owner, day, anonymous, deadline, self.used)
            if draft is None or draft.topic in self.used:
                continue
            if draft.description_pl in self.descriptions:
                continue
            return kind, owner, draft, anonymous, deadline
        return None

    def add(self, number: int, day: dt.date) -> None:
        made = self.draft(day)
        if made is None:
            return
        kind, owner, draft, anonymous, deadline = made
        rng = self.rng
        self.used.add(draft.topic)
        self.descriptions.add(draft.description_pl)
        self.published[owner.legal_name, kind] += 1
        spec = self._spec(f"opp-{number:04d}", kind, owner, draft, anonymous, deadline, day)
        if spec.status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED):
            self.opportunities.append(spec)
            return
        assert spec.published_at is not None
        window_end = min(day_start(spec.expires_on), END)
        withdrawn = between(rng, spec.published_at, window_end) if rng.random() < 0.08 else None
        if withdrawn is not None:
            window_end = withdrawn
        if spec.deadline is not None and kind in REQUESTS:
            window_end = min(window_end, day_start(spec.deadline + dt.timedelta(days=1)))
        open_at_end = withdrawn is None and spec.expires_on > AS_OF
        fulfil = (
            withdrawn is None
            and rng.random() < 0.2
            and kind not in (Kind.TRAINING_OFFER, Kind.INFRASTRUCTURE_OFFER)
        )
        result = answering.answers(
            rng, spec, owner, draft.audience, self.members, window_end, open_at_end, fulfil
        )
        if withdrawn is not None:
            status, closed = Status.WITHDRAWN, withdrawn
        elif result.fulfilled_at is not None:
            status, closed = Status.FULFILLED, result.fulfilled_at
        else:
            status, closed = (
                (Status.EXPIRED if spec.expires_on <= AS_OF else Status.PUBLISHED),
                None,
            )
        spec = replace(spec, status=status, closed_at=closed)
        self.opportunities.append(spec)
        self.interests += result.interests
        self.outcomes += result.outcomes
        if spec.infrastructure is not None and status != Status.WITHDRAWN:
            self.bookings += answering.bookings(rng, spec, owner, draft.audience, self.members)

    def _spec(
        self,
        key: str,
        kind: Kind,
        owner: Firm,
        draft: Draft,
        anonymous: bool,
        deadline: dt.date,
        day: dt.date,
    ) -> OpportunitySpec:
        rng = self.rng
        if draft.ends_on is not None:  # a course: registration closes a week before
            deadline, expires = draft.ends_on - dt.timedelta(days=7), draft.ends_on
        elif draft.capacity is not None:
            expires = draft.capacity.available_to
        elif draft.infrastructure is not None:
            expires = draft.infrastructure.available_to
        else:
            expires = deadline + dt.timedelta(days=rng.randint(14, 240))
        deadline = min(deadline, expires)  # offers with a fixed period end with it
        has_deadline = kind in REQUESTS or draft.ends_on is not None or rng.random() < 0.3
        created = moment(rng, day)
        submitted = created + dt.timedelta(minutes=rng.randint(10, 1200))
        published = submitted + dt.timedelta(days=rng.randint(0, 5), minutes=rng.randint(5, 300))
        status, reason = Status.PUBLISHED, ""
        recent = (AS_OF - day).days <= 75
        self.recent += recent
        if (recent and self.recent % 2 == 0) or published >= END:  # every other recent one
            status = UNPUBLISHED_CYCLE[self.unpublished % len(UNPUBLISHED_CYCLE)]
            self.unpublished += 1
            reason = rng.choice(RETURN_REASONS) if status == Status.RETURNED else ""
        visibility, named = self._audience(owner, draft, day)
        en = owner.english
        return OpportunitySpec(
            key=key,
            owner=owner.legal_name,
            kind=kind,
            languages=("pl", "en") if en else ("pl",),
            title_pl=draft.title_pl,
            title_en=draft.title_en if en else "",
            description_pl=draft.description_pl,
            description_en=draft.description_en if en else "",
            advantages_pl=draft.advantages_pl,
            advantages_en=draft.advantages_en if en else "",
            pkd_codes=tuple(dict.fromkeys(draft.pkd)),
            capabilities=tuple(dict.fromkeys(draft.capabilities)),
            certifications=tuple(dict.fromkeys(draft.certifications)),
            trl=draft.trl,
            ip_status=draft.ip_status,
            patent_number=draft.patent_number,
            capacity=draft.capacity,
            infrastructure=draft.infrastructure,
            partnership_types=draft.partnership,
            regions=_regions(rng, owner, day.year),
            visibility=visibility,
            restricted_to=named,
            anonymous=anonymous,
            created_at=created,
            submitted_at=None if status == Status.DRAFT else submitted,
            published_at=published if status == Status.PUBLISHED else None,
            deadline=deadline if has_deadline else None,
            expires_on=expires,
            status=status,
            closed_at=None,
            return_reason=reason,
        )

    def _audience(self, owner: Firm, draft: Draft, day: dt.date) -> tuple[Level, tuple[str, ...]]:
        """Mostly public, some for members only, a few restricted to one to three named
        organisations that the opportunity is really meant for."""
        roll = self.rng.random()
        if roll < 0.8:
            return Level.PUBLIC, ()
        if roll < 0.94:
            return Level.MEMBERS, ()
        pool = [
            f.legal_name
            for f in self.members
            if f.legal_name != owner.legal_name
            and f.member_on(day)
            and answering.fits(f, draft.audience)
        ]
        if not pool:
            return Level.MEMBERS, ()
        return Level.RESTRICTED, tuple(
            self.rng.sample(pool, min(len(pool), self.rng.randint(1, 3)))
        )


def build_market(world: World, seed: int = 2018) -> MarketWorld:
    """The marketplace of the demo `world` for `seed`: ~300 opportunities and their history."""
    rng = Random(seed)
    market = _Market(rng, world)
    for number, day in enumerate(publication_days(rng), start=1):
        market.add(number, day)
    return MarketWorld(
        seed,
        tuple(market.opportunities),
        tuple(market.interests),
        tuple(market.outcomes),
        tuple(market.bookings),
    )
