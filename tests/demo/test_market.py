"""The marketplace's demo world is deterministic, about 300 opportunities of every kind, and
its history is consistent: owners and answerers are real demo members, every date follows the
one it depends on, answers never come from the owner or twice, bookings never overlap."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from upland.demo.opportunities import MarketWorld, build_market
from upland.demo.opportunities.firms import area_of
from upland.demo.opportunities.specs import (
    UNPUBLISHED,
    BookingDecision,
    Decision,
    Kind,
    OutcomeKind,
    Status,
)
from upland.demo.opportunities.timeline import END, LETTER
from upland.demo.profiles import AS_OF
from upland.demo.world import World, build_world
from upland.organisations.vocab import MembershipStatus, OrganisationKind
from upland.visibility import Level


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def test_same_seed_same_market(demo_world: World, market: MarketWorld) -> None:
    assert build_market(demo_world) == market
    other = build_market(build_world(7), 7)
    assert other != market
    assert {o.description_pl for o in other.opportunities} != {
        o.description_pl for o in market.opportunities
    }


def test_about_300_opportunities_of_every_kind_and_state(market: MarketWorld) -> None:
    assert 280 <= len(market.opportunities) <= 320
    kinds = Counter(o.kind for o in market.opportunities)
    assert set(kinds) == set(Kind)
    assert min(kinds.values()) >= 10
    assert set(Counter(o.status for o in market.opportunities)) == set(Status)
    assert len({o.key for o in market.opportunities}) == len(market.opportunities)


def test_owners_are_demo_members_when_they_publish(demo_world: World, market: MarketWorld) -> None:
    orgs = {o.legal_name: o for o in demo_world.organisations}
    for opp in market.opportunities:
        owner = orgs[opp.owner]
        assert owner.membership_status == MembershipStatus.MEMBER, opp.key
        assert owner.member_since is not None
        assert owner.member_since <= opp.created_at.date(), opp.key
        assert all(name in orgs and name != opp.owner for name in opp.restricted_to)
    owners = {o.owner for o in market.opportunities}
    kinds = {orgs[name].kind for name in owners}
    assert {OrganisationKind.COMPANY, OrganisationKind.RESEARCH} <= kinds


def test_lifecycle_dates_are_consistent(market: MarketWorld) -> None:
    for opp in market.opportunities:
        assert LETTER <= opp.created_at.date() <= AS_OF, opp.key
        assert opp.created_at.tzinfo == dt.UTC
        if opp.status in UNPUBLISHED:
            assert opp.published_at is None and opp.closed_at is None
            assert (opp.submitted_at is None) == (opp.status == Status.DRAFT)
            assert bool(opp.return_reason) == (opp.status == Status.RETURNED)
            continue
        assert opp.submitted_at is not None and opp.published_at is not None
        assert opp.created_at < opp.submitted_at <= opp.published_at < END, opp.key
        assert opp.expires_on > opp.published_at.date(), opp.key
        if opp.deadline is not None:
            assert opp.created_at.date() < opp.deadline <= opp.expires_on, opp.key
        if opp.status in (Status.WITHDRAWN, Status.FULFILLED):
            assert opp.closed_at is not None
            assert opp.published_at < opp.closed_at < min(_start(opp.expires_on), END), opp.key
        else:
            assert opp.closed_at is None
            assert (opp.status == Status.EXPIRED) == (opp.expires_on <= AS_OF), opp.key


def test_opportunities_grow_year_by_year(market: MarketWorld) -> None:
    years = Counter(o.created_at.year for o in market.opportunities)
    full = [years[y] for y in range(2018, 2026)]
    assert full == sorted(full) and len(set(full)) == len(full), years
    # 2026 ends on AS_OF (31 October): its monthly pace is still the highest
    assert years[2026] / AS_OF.month > years[2025] / 12
    assert min(o.created_at for o in market.opportunities).date() >= LETTER


def test_visibility_and_anonymity_are_mostly_open(market: MarketWorld) -> None:
    levels = Counter(o.visibility for o in market.opportunities)
    total = len(market.opportunities)
    assert levels[Level.PUBLIC] > 0.7 * total
    assert levels[Level.MEMBERS] > 0 and 0 < levels[Level.RESTRICTED] < 0.1 * total
    for opp in market.opportunities:
        assert (opp.visibility == Level.RESTRICTED) == bool(opp.restricted_to)
        assert len(opp.restricted_to) <= 3
        assert len(set(opp.restricted_to)) == len(opp.restricted_to)
    anonymous = sum(o.anonymous for o in market.opportunities)
    assert 0 < anonymous < 0.1 * total


def test_regions_are_partner_areas_including_the_owners(
    demo_world: World, market: MarketWorld
) -> None:
    units = {"0663", "0609", "1463", "1425", "2611"}
    for opp in market.opportunities:
        assert opp.regions and set(opp.regions) <= units, opp.key
        area = area_of(demo_world.organisation(opp.owner).sites[0].teryt)
        if area is not None:
            assert any(area.startswith(unit) for unit in opp.regions), opp.key


def test_interests_come_from_other_members_once_within_the_open_window(
    demo_world: World, market: MarketWorld
) -> None:
    orgs = {o.legal_name: o for o in demo_world.organisations}
    by_key = {o.key: o for o in market.opportunities}
    pairs = Counter((i.opportunity, i.organisation) for i in market.interests)
    assert max(pairs.values()) == 1
    for interest in market.interests:
        opp = by_key[interest.opportunity]
        org = orgs[interest.organisation]
        assert interest.organisation != opp.owner
        assert org.member_since is not None and org.member_since <= interest.at.date()
        assert opp.published_at is not None and opp.published_at < interest.at < END
        assert interest.at < _start(opp.expires_on)
        if opp.closed_at is not None:
            assert interest.at < opp.closed_at, interest.key
        if opp.visibility == Level.RESTRICTED:
            assert interest.organisation in opp.restricted_to
        if (
            opp.deadline is not None
            and opp.kind != Kind.TRAINING_OFFER
            and opp.kind
            in (
                Kind.BUSINESS_REQUEST,
                Kind.TECHNOLOGY_REQUEST,
                Kind.RND_REQUEST,
            )
        ):
            assert interest.at.date() <= opp.deadline, interest.key
        assert interest.message_pl


def test_decisions_follow_interests_and_lifecycle(demo_world: World, market: MarketWorld) -> None:
    orgs = {o.legal_name: o for o in demo_world.organisations}
    by_key = {o.key: o for o in market.opportunities}
    assert set(Counter(i.decision for i in market.interests)) == set(Decision)
    for interest in market.interests:
        opp = by_key[interest.opportunity]
        if interest.decision == Decision.PENDING:
            assert interest.decided_at is None
            assert opp.status == Status.PUBLISHED, interest.key
            continue
        assert interest.decided_at is not None and interest.at <= interest.decided_at <= END
        if interest.decision == Decision.PASSED:
            assert opp.kind == Kind.TECHNOLOGY_OFFER
            assert orgs[opp.owner].kind == OrganisationKind.RESEARCH
            assert orgs[interest.organisation].kind == OrganisationKind.COMPANY
            assert interest.pass_reason is not None
        else:
            assert interest.pass_reason is None


def test_outcomes_follow_accepted_interests(market: MarketWorld) -> None:
    interests = {i.key: i for i in market.interests}
    by_key = {o.key: o for o in market.opportunities}
    kinds = Counter(o.kind for o in market.outcomes)
    assert set(kinds) == set(OutcomeKind)
    sides: dict[tuple[str, OutcomeKind], set[str]] = defaultdict(set)
    for outcome in market.outcomes:
        interest = interests[outcome.interest]
        opp = by_key[interest.opportunity]
        assert interest.decision == Decision.ACCEPTED
        assert interest.decided_at is not None and interest.decided_at < outcome.at <= END
        assert outcome.reported_by in (opp.owner, interest.organisation)
        if outcome.kind == OutcomeKind.AGREEMENT_SIGNED:
            assert outcome.agreement_type in opp.partnership_types
        else:
            assert outcome.agreement_type is None
        assert bool(outcome.abandon_reason_pl) == (outcome.kind == OutcomeKind.ABANDONED)
        sides[outcome.interest, outcome.kind].add(outcome.reported_by)
    signed = [len(s) for (_, kind), s in sides.items() if kind == OutcomeKind.AGREEMENT_SIGNED]
    assert 1 in signed and 2 in signed  # confirmed by one side, and by both
    fulfilled = [o for o in market.opportunities if o.status == Status.FULFILLED]
    agreements = {interests[o.interest].opportunity for o in market.outcomes if o.agreement_type}
    assert fulfilled and all(o.key in agreements for o in fulfilled)


def test_introductions_across_the_three_cities_grow(demo_world: World, market: MarketWorld) -> None:
    area = {o.legal_name: area_of(o.sites[0].teryt) for o in demo_world.organisations}
    owner = {o.key: o.owner for o in market.opportunities}
    ties: dict[bool, Counter[bool]] = {False: Counter(), True: Counter()}
    for interest in market.interests:
        mine, theirs = area[owner[interest.opportunity]], area[interest.organisation]
        if mine and theirs and interest.at.year != 2022:
            ties[interest.at.year > 2022][mine != theirs] += 1
    early, late = ties[False], ties[True]
    assert late[True] / late.total() > early[True] / early.total() + 0.15


def test_bookings_are_inside_the_offer_and_accepted_ones_never_overlap(
    demo_world: World, market: MarketWorld
) -> None:
    names = {o.legal_name for o in demo_world.organisations}
    by_key = {o.key: o for o in market.opportunities}
    assert set(Counter(b.decision for b in market.bookings)) >= {
        BookingDecision.ACCEPTED,
        BookingDecision.DECLINED,
    }
    accepted: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for booking in market.bookings:
        opp = by_key[booking.opportunity]
        infra = opp.infrastructure
        assert opp.kind == Kind.INFRASTRUCTURE_OFFER and infra is not None
        assert booking.organisation in names and booking.organisation != opp.owner
        assert infra.available_from <= booking.starts_on <= booking.ends_on <= infra.available_to
        assert opp.published_at is not None
        assert opp.published_at < booking.requested_at < _start(booking.starts_on)
        assert booking.requested_at < END and booking.purpose_pl
        if booking.decided_at is not None:
            assert booking.requested_at < booking.decided_at <= END
        if booking.decision == BookingDecision.ACCEPTED:
            for start, end in accepted[opp.key]:
                assert booking.ends_on < start or end < booking.starts_on, booking
            accepted[opp.key].append((booking.starts_on, booking.ends_on))
    assert accepted
