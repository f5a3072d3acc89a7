"""Who answers an opportunity, what the owner decides and what came of it; bookings of labs.

Answers come from member organisations in the trade or field the opportunity addresses
(`Draft.audience`), never from the owner and never twice from one organisation; ties across
the three partner cities grow more likely year by year. Every date falls after the one it
follows and before the end of `AS_OF`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from random import Random

from upland.demo.opportunities.common import intro, plural_pl
from upland.demo.opportunities.firms import Firm
from upland.demo.opportunities.labs import purposes
from upland.demo.opportunities.responses import (
    ABANDON_REASONS,
    MESSAGES,
    OTHER_INTRO,
    PASSES,
    RESEARCH_INTRO,
)
from upland.demo.opportunities.science_tables import RESEARCH
from upland.demo.opportunities.specs import (
    BookingDecision,
    BookingSpec,
    Decision,
    InterestSpec,
    Kind,
    OpportunitySpec,
    OutcomeKind,
    OutcomeSpec,
    PassReason,
)
from upland.demo.opportunities.timeline import END, after, between, day_start
from upland.organisations.vocab import OrganisationKind as K
from upland.visibility import Level

ANSWERS = {  # how many organisations answer an opportunity of the kind: weights of 0, 1, 2…
    Kind.BUSINESS_REQUEST: (2, 4, 4, 3, 2, 1),
    Kind.BUSINESS_OFFER: (4, 4, 3, 2),
    Kind.TECHNOLOGY_OFFER: (2, 3, 3, 2, 1),
    Kind.TECHNOLOGY_REQUEST: (3, 4, 3, 1),
    Kind.RND_REQUEST: (3, 4, 3, 1),
    Kind.CAPACITY_OFFER: (4, 4, 2, 1),
    Kind.INFRASTRUCTURE_OFFER: (5, 3, 1),
    Kind.TRAINING_OFFER: (3, 4, 3, 1),
}


def fits(firm: Firm, audience: frozenset[str]) -> bool:
    return (firm.key in audience) or (RESEARCH in audience and firm.kind == K.RESEARCH)


def tie(owner: Firm, other: Firm, year: int) -> float:
    """How likely a tie is (above 1: as likely as at home): same area first, other partner
    cities ever more as years pass."""
    if other.area is None or owner.area is None:
        return 0.4
    if other.area == owner.area:
        return 1.0
    return 0.05 + 0.2 * (year - 2018)


def soon(
    rng: Random, start: dt.datetime, end: dt.datetime, mean_days: float = 14.0
) -> dt.datetime | None:
    """A moment after `start` and before `end`, most likely in the first days: members answer
    while an opportunity is new (waits drawn exponentially, `mean_days` on average, folded back
    into a short window). None if there is no room; one draw either way, like `between`."""
    minutes = int((end - start).total_seconds() // 60)
    if minutes < 2:
        return None
    wait = int(-math.log(1.0 - rng.random()) * mean_days * 1440)
    return start + dt.timedelta(minutes=1 + wait % (minutes - 1))


@dataclass
class Answers:
    interests: list[InterestSpec]
    outcomes: list[OutcomeSpec]
    fulfilled_at: dt.datetime | None = None


def _opening(firm: Firm) -> tuple[str, str]:
    if firm.activity is not None:
        return intro(firm, anonymous=False)
    pair = RESEARCH_INTRO if firm.kind == K.RESEARCH else OTHER_INTRO
    return pair[0].format(short=firm.short_name), pair[1].format(short=firm.short_name)


def _message(rng: Random, opp: OpportunitySpec, firm: Firm) -> tuple[str, str]:
    template = rng.choice(MESSAGES[opp.kind])
    first = _opening(firm)
    purpose = ("", "")
    if opp.infrastructure is not None:
        purpose = rng.choice(purposes(opp.infrastructure.term))
    vals = {
        "weeks": rng.randint(2, 6),
        "volume": rng.choice((500, 1000, 3000, 8000)),
        "hours": rng.choice((8, 12, 16, 24)),
        "people": rng.randint(2, 8),
        "purpose": purpose[0],
        "purpose_en": purpose[1],
    }
    extra = {
        "weeks_pl": plural_pl(int(vals["weeks"]), "tygodnie", "tygodni"),
        "places_pl": plural_pl(int(vals["people"]), "miejsca", "miejsc"),
    }
    pl = template[0].format(intro=first[0], **vals, **extra)
    en = template[1].format(intro=first[1], **vals) if firm.english else ""
    return pl, en


def answers(
    rng: Random,
    opp: OpportunitySpec,
    owner: Firm,
    audience: frozenset[str],
    members: list[Firm],
    window_end: dt.datetime,
    open_at_end: bool,
    fulfil: bool,
) -> Answers:
    """The interests in one published opportunity received before `window_end`, their
    decisions and outcomes; with `fulfil`, the first accepted one is meant to end in an
    agreement that fulfils the opportunity."""
    assert opp.published_at is not None
    count = rng.choices(range(len(ANSWERS[opp.kind])), weights=ANSWERS[opp.kind])[0]
    taken: set[str] = {owner.legal_name}
    picks: list[tuple[Firm, dt.datetime]] = []
    for _ in range(count):
        at = soon(rng, opp.published_at + dt.timedelta(hours=2), window_end)
        if at is None:
            break
        pool = [
            f
            for f in members
            if f.legal_name not in taken
            and f.member_on(at.date())
            and fits(f, audience)
            and (opp.visibility != Level.RESTRICTED or f.legal_name in opp.restricted_to)
        ]
        if not pool:
            continue
        chosen = rng.choices(pool, weights=[tie(owner, f, at.year) for f in pool])[0]
        if rng.random() > tie(owner, chosen, at.year):  # a far partner rarely answered early on
            continue
        taken.add(chosen.legal_name)
        picks.append((chosen, at))
    picks.sort(key=lambda p: p[1])
    result = Answers([], [])
    for index, (firm, at) in enumerate(picks):
        key = f"{opp.key}-i{index + 1}"
        message = _message(rng, opp, firm)
        science_offer = opp.kind == Kind.TECHNOLOGY_OFFER and owner.kind == K.RESEARCH
        if science_offer and firm.kind == K.COMPANY and rng.random() < 0.4:
            reason = rng.choice(list(PassReason))
            text = PASSES[reason]
            result.interests.append(
                InterestSpec(
                    key,
                    opp.key,
                    firm.legal_name,
                    text[0],
                    text[1] if firm.english else "",
                    at,
                    Decision.PASSED,
                    at,
                    reason,
                )
            )
            continue
        decided = after(rng, at, 1, 10)
        if decided is None:
            decided = between(rng, at, END) if not open_at_end else None
        recent = at > END - dt.timedelta(days=75)
        if decided is None or (open_at_end and recent and rng.random() < 0.7):
            decision, decided = Decision.PENDING, None
        elif (fulfil and not result.outcomes) or rng.random() < 0.6:
            decision = Decision.ACCEPTED
        else:
            decision = Decision.DECLINED
        if decision == Decision.DECLINED and decided is not None:
            decision, decided = _withdrawn(key, at, decided)
        # Nobody accepts once it closed: the owner declines such a late answer instead (its
        # draws still made, so the rest of the demo stays the same).
        late = decision == Decision.ACCEPTED and decided is not None and decided >= window_end
        result.interests.append(
            InterestSpec(
                key,
                opp.key,
                firm.legal_name,
                message[0],
                message[1],
                at,
                Decision.DECLINED if late else decision,
                decided,
            )
        )
        if decision == Decision.ACCEPTED and decided is not None:
            outcomes = _outcomes(rng, key, opp, owner.legal_name, firm.legal_name, decided, fulfil)
            result.outcomes += [] if late else outcomes
    if fulfil:
        _fulfil(rng, opp, result)
    return result


def _outcomes(
    rng: Random,
    key: str,
    opp: OpportunitySpec,
    owner: str,
    other: str,
    decided: dt.datetime,
    fulfil: bool,
) -> list[OutcomeSpec]:
    """Both sides' reports on one introduction: a meeting, then an agreement or an end."""
    reports: list[OutcomeSpec] = []
    sides = (owner, other)
    meeting = after(rng, decided, 3, 30) if fulfil or rng.random() < 0.75 else None
    if meeting is None:
        gave_up = after(rng, decided, 10, 60) if rng.random() < 0.3 else None
        if gave_up:
            reason = rng.choice(ABANDON_REASONS)
            reports.append(
                OutcomeSpec(
                    key,
                    rng.choice(sides),
                    OutcomeKind.ABANDONED,
                    gave_up,
                    None,
                    reason[0],
                    reason[1],
                )
            )
        return reports
    reporters = sides if rng.random() < 0.4 else (rng.choice(sides),)
    for offset, side in enumerate(reporters):
        reports.append(
            OutcomeSpec(
                key,
                side,
                OutcomeKind.MEETING_HELD,
                min(meeting + dt.timedelta(hours=20 * offset), END),
            )
        )
    chance = 0.1 if opp.kind == Kind.TRAINING_OFFER else 0.25
    roll = rng.random()
    if fulfil or roll < chance:
        signed = after(rng, meeting, 14, 120)
        if signed is not None:
            kind = rng.choice(opp.partnership_types)
            both = sides if rng.random() < 0.7 else (rng.choice(sides),)
            for offset, side in enumerate(both):
                when = min(signed + dt.timedelta(days=offset * rng.randint(1, 9)), END)
                confirmed = _coordinator_confirms(key, when) if len(both) == 1 else None
                reports.append(
                    OutcomeSpec(
                        key, side, OutcomeKind.AGREEMENT_SIGNED, when, kind, confirmed_at=confirmed
                    )
                )
    elif roll < chance + 0.3:
        ended = after(rng, meeting, 10, 90)
        if ended is not None:
            reason = rng.choice(ABANDON_REASONS)
            reports.append(
                OutcomeSpec(
                    key, rng.choice(sides), OutcomeKind.ABANDONED, ended, None, reason[0], reason[1]
                )
            )
    return reports


def _withdrawn(
    key: str, at: dt.datetime, decided: dt.datetime
) -> tuple[Decision, dt.datetime | None]:
    """About one interest the owner would decline in five is taken back first by the interested
    side. Drawn from the interest's own key, so the rest of the market stays as it was."""
    own = Random(f"withdraw {key}")
    if own.random() >= 0.2:
        return Decision.DECLINED, decided
    taken_back = between(own, at, decided)
    return (Decision.WITHDRAWN, taken_back) if taken_back else (Decision.DECLINED, decided)


def _coordinator_confirms(key: str, reported: dt.datetime) -> dt.datetime | None:
    """Half of the agreements only one side reported are confirmed by the coordinator, who
    asked the other side by phone, some days later (if still before the end of the demo)."""
    own = Random(f"confirm {key}")
    return after(own, reported, 2, 30) if own.random() < 0.5 else None


def _fulfil(rng: Random, opp: OpportunitySpec, result: Answers) -> None:
    """Close the opportunity as fulfilled a few days after its first agreement, if that falls
    before expiry; later interests never happened and open ones are declined on closing."""
    signed = sorted(o.at for o in result.outcomes if o.kind == OutcomeKind.AGREEMENT_SIGNED)
    if not signed:
        return
    closed = after(rng, signed[0], 1, 5)
    if closed is None or closed >= day_start(opp.expires_on):
        return
    result.fulfilled_at = closed
    kept = [i for i in result.interests if i.at < closed]
    keys = {i.key for i in kept}
    result.outcomes = [o for o in result.outcomes if o.interest in keys]
    result.interests = [
        i
        if i.decision != Decision.PENDING
        else InterestSpec(
            i.key,
            i.opportunity,
            i.organisation,
            i.message_pl,
            i.message_en,
            i.at,
            Decision.DECLINED,
            closed,
        )
        for i in kept
    ]


def bookings(
    rng: Random, opp: OpportunitySpec, owner: Firm, audience: frozenset[str], members: list[Firm]
) -> list[BookingSpec]:
    """Requests to book a lab within its open period; accepted ones never overlap."""
    infra = opp.infrastructure
    assert infra is not None and opp.published_at is not None
    accepted: list[tuple[dt.date, dt.date]] = []
    result: list[BookingSpec] = []
    for _ in range(rng.choices(range(6), weights=(2, 3, 3, 2, 2, 1))[0]):
        length = rng.randint(1, 5)
        span = (infra.available_to - infra.available_from).days - length
        start = infra.available_from + dt.timedelta(days=rng.randint(0, max(span, 0)))
        end = start + dt.timedelta(days=length - 1)
        latest = min(day_start(start) - dt.timedelta(days=2), END)
        requested = between(rng, opp.published_at, latest)
        if requested is None:
            continue
        pool = [
            f
            for f in members
            if f.legal_name != owner.legal_name
            and f.member_on(requested.date())
            and fits(f, audience)
            and (opp.visibility != Level.RESTRICTED or f.legal_name in opp.restricted_to)
        ]
        if not pool:
            continue
        firm = rng.choice(pool)
        clash = any(start <= b and a <= end for a, b in accepted)
        decided = after(rng, requested, 1, 5)
        if decided is not None and decided >= day_start(start):
            decided = between(rng, requested, day_start(start))
        if decided is None:
            decision = BookingDecision.PENDING if not clash else BookingDecision.DECLINED
            decided = None if not clash else min(requested + dt.timedelta(minutes=30), END)
        elif clash or rng.random() < 0.2:
            decision = BookingDecision.DECLINED
        else:
            decision = BookingDecision.ACCEPTED
            accepted.append((start, end))
        if decision == BookingDecision.PENDING:
            accepted.append((start, end))  # held for it: a later request would clash
        purpose = rng.choice(purposes(infra.term))
        result.append(
            BookingSpec(
                opp.key,
                firm.legal_name,
                start,
                end,
                purpose[0],
                purpose[1] if firm.english else "",
                requested,
                decision,
                decided,
            )
        )
    return result
