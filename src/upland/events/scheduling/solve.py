"""The scheduler: an instance in, a valid schedule with its figures and reasons out.

`solve` checks the instance, places locked meetings, then the others heaviest first (a
re-schedule tries each meeting's previous slot first, so late changes move few meetings), and
reports what it achieved against an upper bound no schedule can beat: the weight placed, the
bound and the gap between them, the meetings moved since the previous schedule, idle gaps in
each party's sessions, and every request left out with the reason. Pure: no clock, no
randomness (ties break by identifiers).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from upland.events.scheduling.checks import check_instance
from upland.events.scheduling.model import Instance, Meeting
from upland.events.scheduling.placement import Placement, first_fit

__all__ = ["Figures", "Result", "idle_gaps", "solve", "solve_first_fit", "upper_bound"]

# Why a request has no slot.
NO_COMMON_TIME = "no_common_availability"
BOTH_FULL = "both_sides_full"
ONE_SIDE_FULL = "one_side_full"
NO_TABLE = "table_shortage"
NO_FREE_SLOT = "no_common_free_slot"


@dataclass(frozen=True)
class Figures:
    meetings: int
    weight: float
    bound: float
    gap: float
    idle_gaps: int
    moved: int
    unplaced: int
    most_unplaced_per_party: int


@dataclass(frozen=True)
class Result:
    meetings: tuple[Meeting, ...]
    unplaced: dict[str, str]
    figures: Figures


def solve(instance: Instance) -> Result:
    """The schedule of `instance` (raises `Invalid` for a malformed one)."""
    check_instance(instance)
    placement = Placement(instance)
    for m in instance.locked:
        placement.add(m.request, instance.slot_index[m.slot])
    previous = {m.request: instance.slot_index[m.slot] for m in instance.previous}
    order = sorted(
        instance.requests,
        key=lambda r: (
            -r.weight,
            r.id not in previous,
            _room(instance, r.id),
            r.id,
        ),
    )
    placement.place(order, previous)
    return _result(instance, placement.meetings())


def solve_first_fit(instance: Instance) -> Result:
    """The greedy baseline's schedule, with the same figures."""
    check_instance(instance)
    return _result(instance, first_fit(instance))


def _room(instance: Instance, request: str) -> int:
    """How many slots both sides attend: the tightest requests go first among equals."""
    u, v = instance.request_parties[request]
    return len(instance.party_slots[u] & instance.party_slots[v])


def _result(instance: Instance, meetings: list[Meeting]) -> Result:
    placed = {m.request for m in meetings}
    state = _State.of(instance, meetings)
    unplaced = {r.id: state.reason(r.id) for r in instance.requests if r.id not in placed}
    weight = sum(instance.requests_by_id[m.request].weight for m in meetings)
    bound = upper_bound(instance)
    previous = {m.request: m.slot for m in instance.previous}
    moved = sum(1 for m in meetings if m.request in previous and previous[m.request] != m.slot)
    left_out: Counter[str] = Counter()
    for request in unplaced:
        for party in instance.request_parties[request]:
            left_out[party] += 1
    figures = Figures(
        meetings=len(meetings),
        weight=weight,
        bound=bound,
        gap=0.0 if bound <= 0 else max(0.0, (bound - weight) / bound),
        idle_gaps=sum(idle_gaps(instance, meetings).values()),
        moved=moved,
        unplaced=len(unplaced),
        most_unplaced_per_party=max(left_out.values(), default=0),
    )
    return Result(tuple(meetings), unplaced, figures)


@dataclass(frozen=True)
class _State:
    """Who is busy when, how many meetings each party has, tables used per slot."""

    instance: Instance
    busy: dict[str, set[int]]
    used: Counter[int]

    @classmethod
    def of(cls, instance: Instance, meetings: list[Meeting]) -> _State:
        busy: dict[str, set[int]] = {party: set() for party in instance.parties}
        used: Counter[int] = Counter()
        for m in meetings:
            slot = instance.slot_index[m.slot]
            used[slot] += 1
            for party in instance.request_parties[m.request]:
                busy[party].add(slot)
        return cls(instance, busy, used)

    def reason(self, request: str) -> str:
        """Why a request has no slot, the first that applies: no common time, full sides, no
        table in the slots both have free, no slot both have free."""
        instance = self.instance
        u, v = instance.request_parties[request]
        both = instance.party_slots[u] & instance.party_slots[v]
        if not both:
            return NO_COMMON_TIME
        full = [p for p in (u, v) if len(self.busy[p]) >= instance.party_caps[p]]
        if len(full) == 2:
            return BOTH_FULL
        if full:
            return ONE_SIDE_FULL
        free = both - self.busy[u] - self.busy[v]
        if free and all(self.used[s] >= instance.tables(s) for s in free):
            return NO_TABLE
        return NO_FREE_SLOT


def upper_bound(instance: Instance) -> float:
    """A weight no schedule can exceed: the least of three counts. Each party holds at most
    its cap's worth of its heaviest requests, and each meeting is counted at two parties; at
    most one meeting per table and slot; and only requests whose sides share a slot."""
    feasible = [r for r in instance.requests if _room(instance, r.id) > 0 and r.weight > 0]
    by_party: dict[str, list[float]] = {p: [] for p in instance.parties}
    for r in feasible:
        for party in instance.request_parties[r.id]:
            by_party[party].append(r.weight)
    per_party = sum(
        sum(sorted(weights, reverse=True)[: instance.party_caps[party]])
        for party, weights in by_party.items()
    )
    seats = sum(instance.tables(i) for i in range(len(instance.slots)))
    heaviest = sum(sorted((r.weight for r in feasible), reverse=True)[:seats])
    return min(per_party / 2, heaviest)


def idle_gaps(instance: Instance, meetings: list[Meeting]) -> dict[str, int]:
    """Per party, the slots it attends but has no meeting in between its first and last
    meeting of each session."""
    taken: dict[str, set[int]] = {}
    for m in meetings:
        for party in instance.request_parties[m.request]:
            taken.setdefault(party, set()).add(instance.slot_index[m.slot])
    gaps = {}
    for party, slots in taken.items():
        by_session: dict[str, list[int]] = {}
        for slot in slots:
            by_session.setdefault(instance.slots[slot].session, []).append(slot)
        idle = 0
        for used in by_session.values():
            first, last = min(used), max(used)
            idle += sum(
                1
                for s in range(first, last + 1)
                if s not in slots and s in instance.party_slots[party]
            )
        gaps[party] = idle
    return gaps
