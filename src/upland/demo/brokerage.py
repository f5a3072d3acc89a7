"""The demo's brokerage days: one each spring since the 2018 letter of intent, held
(registrations, requests answered, a schedule, check-in at the door, outcomes recorded), and
one coming up with registration open and requests waiting for answers, so the events' pages,
agendas and reports have something to show.

`plan_days` is pure (seeded, from the world's "today" AS_OF); `load_brokerage_days` moves the
days to the load day as the rest of the demo (`dating`) and writes them through the events'
services, each step at its own moment of a replayed clock. Each taking organisation sends one
delegate, a demo account of its own (`delegat.N@…`, the world's password) with the viewer role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import clock
from upland.accounts import passwords
from upland.accounts import queries as accounts
from upland.accounts.service import create_user, grant_role
from upland.actor import SYSTEM, Actor
from upland.demo import dating
from upland.demo.institutions import COORDINATOR
from upland.demo.profiles import AS_OF
from upland.demo.world import USER_DOMAIN, World
from upland.events import queries as events
from upland.events import service
from upland.events.instance import build_instance
from upland.events.scheduling import solve
from upland.events.schemas import EventIn, MeetingOutcomeIn, RegistrationIn, RequestIn
from upland.events.vocab import ParticipantType, Presence
from upland.market.vocab import PartnershipType
from upland.organisations.models import Organisation
from upland.settings import get_settings

FIRST_YEAR = 2018  # the spring of the letter of intent
PER_AREA = 5  # organisations of each partner area that may take part
OUTSIDE = 2
TYPES = {"company": "company", "research": "research"}
VENUES = (
    "Lubelskie Centrum Konferencyjne, Lublin",
    "Radomskie Centrum Innowacji i Technologii, Radom",
    "Starachowickie Centrum Kultury, Starachowice",
)
OUTCOMES = ("follow_up", "follow_up", "follow_up", "agreement", "no_interest", "no_interest", None)


@dataclass(frozen=True)
class Day:
    """One brokerage day: who takes part (organisation names), who asks whom (indices into
    `taking`), and, for a held day, who stays away and what each meeting came to."""

    day: dt.date
    held: bool
    taking: tuple[str, ...]
    requests: tuple[tuple[int, int, int], ...]  # (requester, receiver, priority)
    declined: frozenset[int]  # indices into `requests`
    absent: frozenset[int]  # indices into `taking`
    outcomes: tuple[str | None, ...]  # per request, for those met
    agreements: tuple[str, ...]  # per request: the type if an agreement was signed


def _third_thursday_of_may(year: int) -> dt.date:
    first = dt.date(year, 5, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def _requests(rng: Random, n: int) -> list[tuple[int, int, int]]:
    pairs: set[tuple[int, int]] = set()
    found = []
    for requester in range(n):
        for receiver in rng.sample([i for i in range(n) if i != requester], k=min(2, n - 1)):
            if (requester, receiver) in pairs or (receiver, requester) in pairs:
                continue
            pairs.add((requester, receiver))
            found.append((requester, receiver, rng.choice((1, 2, 2, 3))))
    return found


def plan_days(candidates: list[str], as_of: dt.date, seed: int = 2018) -> list[Day]:
    """The held days (the third Thursday of May, from FIRST_YEAR to the last before `as_of`)
    and one four weeks after `as_of`; every candidate takes part in each (so that each partner
    area has enough organisations at every day for its officer's report to show it), asking
    two others for a meeting."""
    rng = Random(seed)
    days = [
        _third_thursday_of_may(year)
        for year in range(FIRST_YEAR, as_of.year + 1)
        if _third_thursday_of_may(year) < as_of
    ]
    days.append(as_of + dt.timedelta(days=28))
    found = []
    for day in days:
        held = day < as_of
        taking = tuple(rng.sample(candidates, k=len(candidates)))
        requests = _requests(rng, len(taking))
        declined = frozenset(i for i in range(len(requests)) if rng.random() < 0.15)
        absent = frozenset(i for i in range(len(taking)) if held and rng.random() < 0.1)
        outcomes = tuple(rng.choice(OUTCOMES) for _ in requests)
        agreements = tuple(rng.choice(list(PartnershipType)).value for _ in requests)
        found.append(
            Day(day, held, taking, tuple(requests), declined, absent, outcomes, agreements)
        )
    return found


def candidates(world: World) -> list[str]:
    """Companies and research organisations of the world: PER_AREA from each partner area and
    OUTSIDE from elsewhere, in the world's order."""
    settings = get_settings()
    wanted = {p: PER_AREA for p in settings.partner_municipalities} | {None: OUTSIDE}
    found = []
    for org in world.organisations:
        if str(org.kind) not in TYPES:
            continue
        hq = next((s.teryt for s in org.sites if s.is_headquarters), None)
        area = settings.partner_of(hq)
        if wanted.get(area, 0) > 0:
            wanted[area] -= 1
            found.append(org.legal_name)
    return found


def _event_data(day: Day, year_index: int) -> EventIn:
    opens = day.day - dt.timedelta(days=42)
    return EventIn.model_validate(
        {
            "kind": "brokerage",
            "title_pl": f"Giełda kooperacyjna Wyżyny {day.day.year}",
            "title_en": f"Upland brokerage day {day.day.year}",
            "description_pl": "Spotkania B2B firm, uczelni i inwestorów klastra.",
            "description_en": "B2B meetings of the cluster's firms, universities and investors.",
            "venue": VENUES[year_index % len(VENUES)],
            "languages": ["pl", "en"],
            "registration_opens": opens,
            "registration_closes": day.day - dt.timedelta(days=3),
            "sessions": [
                {
                    "day": day.day,
                    "starts": "09:00",
                    "ends": "13:00",
                    "slot_minutes": 20,
                    "breaks": [{"starts": "11:00", "ends": "11:20"}],
                }
            ],
            "table_count": 10,
            "participant_types": ["company", "research"],
            "meeting_cap": 6,
            "request_mode": "acceptance",
        }
    )


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _delegates(
    session: Session, world: World, names: list[str], ids: dict[str, int]
) -> dict[str, Actor]:
    """One viewer account per taking organisation, named after its first contact person. The
    world's password is hashed once for all of them (argon2 costs ~50 ms a hash, by design)."""
    people = {o.legal_name: o.people for o in world.organisations}
    hashed = passwords.hash_password(world.password)
    found = {}
    for n, name in enumerate(names, start=1):
        person = people[name][0].full_name if people[name] else f"Delegat {n}"
        email = f"delegat.{n}@{USER_DOMAIN}"
        user = create_user(session, SYSTEM, email, person, world.password, password_hash=hashed)
        grant_role(session, SYSTEM, user.id, "viewer", ids[name])
        found[name] = accounts.actor_for(session, user)
    return found


@dataclass(frozen=True)
class _Context:
    ids: dict[str, int]
    kinds: dict[str, str]
    delegates: dict[str, Actor]
    organiser: int | None


def _day(session: Session, c: _Context, day: Day, index: int, counts: dict[str, int]) -> None:
    data = _event_data(day, index).model_copy(update={"organiser_id": c.organiser})
    opens = data.registration_opens or day.day
    with clock.replay(_at(opens, 8)) as replay:
        event = service.create_event(session, SYSTEM, data)
        service.publish_event(session, SYSTEM, event.id)
        replay.at(_at(opens + dt.timedelta(days=1), 9))
        taken = []
        for name in day.taking:
            kind = ParticipantType(TYPES[c.kinds[name]])
            data_in = RegistrationIn(organisation_id=c.ids[name], participant_type=kind)
            taken.append(service.register(session, c.delegates[name], event.id, data_in))
        replay.at(_at(opens + dt.timedelta(days=3), 10))
        sent = []
        for requester, receiver, priority in day.requests:
            ask = RequestIn(receiver_id=taken[receiver].id, priority=priority)
            sent.append(
                service.send_request(session, c.delegates[day.taking[requester]], event.id, ask)
            )
        counts["events"] += 1
        counts["registrations"] += len(taken)
        counts["requests"] += len(sent)
        replay.at(_at(opens + dt.timedelta(days=6), 11))
        for i, (request, (_, receiver, _)) in enumerate(zip(sent, day.requests, strict=True)):
            if day.held or i % 2 == 0:  # the coming day: half the requests still wait
                accept = i not in day.declined
                who = c.delegates[day.taking[receiver]]
                service.decide_request(session, who, request.id, accept=accept)
        if not day.held:
            return
        replay.at(_at(day.day - dt.timedelta(days=2), 12))
        found = solve(build_instance(session, event), time_limit=2, seed=index)
        service.store_schedule(session, SYSTEM, event, found)
        counts["meetings"] += found.figures.meetings
        replay.at(_at(day.day, 8))
        for i, registration in enumerate(taken):
            came = Presence.NO_SHOW if i in day.absent else Presence.PRESENT
            service.mark_attendance(session, SYSTEM, registration.id, came)
        replay.at(_at(day.day + dt.timedelta(days=3), 14))
        meetings = {m.request_id: m for m in events.list_meetings(session, SYSTEM, event)}
        for i, request in enumerate(sent):
            requester, receiver, _ = day.requests[i]
            meeting = meetings.get(request.id)
            outcome = day.outcomes[i]
            if meeting is None or outcome is None or {requester, receiver} & day.absent:
                continue
            agreement = day.agreements[i] if outcome == "agreement" else None
            said = MeetingOutcomeIn.model_validate(
                {"outcome": outcome, "agreement_type": agreement}
            )
            service.record_outcome(session, SYSTEM, meeting.id, said)


def load_brokerage_days(
    session: Session, world: World, by: dt.timedelta = dt.timedelta(0)
) -> dict[str, int]:
    """Write the brokerage days planned as of AS_OF, moved by `by` (to whole weeks) as the rest
    of the demo (`dating`), through the services (the caller owns the transaction); returns how many
    delegates, events, registrations, requests and meetings."""
    rows = session.execute(select(Organisation.legal_name, Organisation.id))
    ids = {name: id_ for name, id_ in rows}
    names = candidates(world)
    kinds = {o.legal_name: str(o.kind) for o in world.organisations}
    delegates = _delegates(session, world, names, ids)
    context = _Context(ids, kinds, delegates, ids.get(COORDINATOR))
    counts = {"delegates": len(delegates)} | dict.fromkeys(
        ("events", "registrations", "requests", "meetings"), 0
    )
    weeks = dt.timedelta(days=by.days - by.days % 7)  # the days stay Thursdays
    days = dating.shifted(plan_days(names, AS_OF, world.seed), weeks)
    for index, day in enumerate(days):
        _day(session, context, day, index, counts)
    return counts
