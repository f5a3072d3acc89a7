"""The scheduler: an instance in, a valid schedule with its figures and reasons out.

`solve` checks the instance and then, within its time limit:

1. places locked meetings, then the others heaviest first by the repairing greedy heuristic
   (`placement.py`; a re-schedule tries each meeting's previous slot first) — a valid schedule
   in well under a second whatever happens next;
2. on large events, a Lagrangian bound and a placement guided by it (`lp.lagrangian`); then
   solves the LP relaxation of the assignment model with HiGHS (`lp.py`): its dual gives the
   upper bound every result states (the loose combinatorial bound `upper_bound` stands in when
   the LP does not finish in its share of the time), and its values guide a second placement
   (requests in order of LP value × weight, each first tried in its LP slot);
3. on instances small enough (`EXACT_COLUMNS`), solves the MIP seeded with the best schedule so
   far: the optimum proven, or a better schedule and a tighter bound when time runs out;
4. polishes the heaviest schedule lexicographically (`polish.py`): fewest moved meetings (the
   MIP's objective and the heuristic's preference for previous slots), then fewest idle gaps,
   then left-out requests spread over the parties.

Deterministic for a given instance, seed and time limit, except that what is reached before a
time limit depends on the machine. Every schedule returned passes `checks.violations`: a step
whose result would not is dropped in favour of the previous one.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from upland.events.scheduling import lp
from upland.events.scheduling.checks import check_instance, violations
from upland.events.scheduling.model import Instance, Meeting, Request
from upland.events.scheduling.placement import Placement, first_fit
from upland.events.scheduling.polish import fairer, fewer_idle_gaps, fewer_moved

__all__ = ["Figures", "Result", "idle_gaps", "solve", "solve_first_fit", "upper_bound"]

# Why a request has no slot.
NO_COMMON_TIME = "no_common_availability"
BOTH_FULL = "both_sides_full"
ONE_SIDE_FULL = "one_side_full"
NO_TABLE = "table_shortage"
NO_FREE_SLOT = "no_common_free_slot"

# The MIP is tried up to this many (request, slot) variables (the small bench event has about
# 4 000 and is proven optimal in about a second; on the medium one, 31 000, HiGHS found
# nothing better than the greedy placement in 25 s, while the LP-guided one is within 0.15 %).
EXACT_COLUMNS = 12_000
# Above this many variables the LP may not finish in its time: a Lagrangian bound (numpy
# subgradient steps, a few seconds) comes first, so a bound and a guided placement exist
# whatever the LP does (the large bench event has 233 000).
LAGRANGIAN_COLUMNS = 100_000
DEFAULT_TIME_LIMIT = 30.0


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
    # Added by the optimising solver; the defaults are what a plain heuristic reports.
    bound_source: str = "combinatorial"
    optimal: bool = False
    idle_gaps_per_party: float = 0.0
    unplaced_std: float = 0.0
    seconds: float = 0.0


@dataclass(frozen=True)
class Result:
    meetings: tuple[Meeting, ...]
    unplaced: dict[str, str]
    figures: Figures


def solve(instance: Instance, time_limit: float | None = None, seed: int = 0) -> Result:
    """The schedule of `instance` (raises `Invalid` for a malformed one), found within about
    `time_limit` seconds (default 30); `seed` steers HiGHS's random choices."""
    started = time.perf_counter()
    limit = DEFAULT_TIME_LIMIT if time_limit is None else max(float(time_limit), 0.0)
    deadline = started + limit
    check_instance(instance)
    previous = {m.request: instance.slot_index[m.slot] for m in instance.previous}
    candidates = [_greedy(instance, previous)]
    bound, source, optimal = upper_bound(instance), "combinatorial", False
    proven = math.inf

    model = lp.build(instance, lp.keep_bonus(instance))
    reserve = max(2.0, 0.1 * limit)  # for the placements and the polishing after the LP
    if model.columns > LAGRANGIAN_COLUMNS:
        target = _weight(candidates[0])
        dual = lp.lagrangian(model, min(0.1 * _left(deadline), 12.0), target)
        if dual.bound is not None and dual.values is not None:
            if dual.bound < bound:
                bound, source = dual.bound, "lagrangian"
            candidates.append(_guided(instance, model, dual.values, previous))
    relaxation = lp.relax(model, max(_left(deadline) - reserve, 0.05), seed)
    if relaxation.bound is not None and relaxation.values is not None:
        if relaxation.bound < bound:
            bound, source = relaxation.bound, "lp"
        candidates.append(_guided(instance, model, relaxation.values, previous))
    if model.columns <= EXACT_COLUMNS and _left(deadline) > 0.05:
        best = max(candidates, key=lambda p: _score(instance, p, previous))
        found = lp.exact(model, _left(deadline), dict(best.slot_of), seed)
        if found.slot_of is not None:
            exact = _placement(instance, found.slot_of)
            if not violations(instance, exact.meetings()):
                candidates.append(exact)
            if found.optimal:
                proven = _weight(exact)
        if found.bound is not None and found.bound < bound:
            bound, source = found.bound, "mip"
    best = max(candidates, key=lambda p: _score(instance, p, previous))
    # Proven by the MIP, or by reaching a bound (which every bound here is, by weak duality).
    optimal = _weight(best) >= min(proven, bound) - 1e-6
    polish_until = time.perf_counter() + max(_left(deadline), min(5.0, 0.1 * limit + 1.0))
    if previous:
        fewer_moved(best, previous, polish_until)
    fewer_idle_gaps(best, previous, polish_until)
    fairer(best, previous, polish_until)
    fewer_idle_gaps(best, previous, polish_until)
    meetings = best.meetings()
    if violations(instance, meetings):  # never expected: each step keeps the schedule valid
        meetings = candidates[0].meetings()
    return _result(instance, meetings, bound, source, optimal, started)


def _left(deadline: float) -> float:
    return max(0.0, deadline - time.perf_counter())


def _weight(placement: Placement) -> float:
    return sum(placement.weight(r) for r in placement.slot_of)


def _score(instance: Instance, placement: Placement, previous: dict[str, int]) -> tuple[float, int]:
    kept = sum(1 for r, s in placement.slot_of.items() if previous.get(r) == s)
    return (round(_weight(placement), 9), kept)


def _greedy(instance: Instance, previous: dict[str, int]) -> Placement:
    placement = _placement(instance, {})
    order = sorted(
        instance.requests,
        key=lambda r: (-r.weight, r.id not in previous, _room(instance, r.id), r.id),
    )
    placement.place(order, previous)
    return placement


def _guided(
    instance: Instance, model: lp.Model, values: np.ndarray, previous: dict[str, int]
) -> Placement:
    """Place requests in order of LP value × weight, each first in its previous slot, else
    in the slot the LP gives most of it."""
    n = len(instance.requests)
    value = np.bincount(model.col_request, weights=values, minlength=n)
    preferred = dict(previous)
    for c in np.argsort(-values, kind="stable"):
        r = instance.requests[int(model.col_request[c])].id
        preferred.setdefault(r, int(model.col_slot[c]))
    rank = {
        r.id: (-round(float(value[i]), 3) * r.weight, -r.weight, r.id not in previous, r.id)
        for i, r in enumerate(instance.requests)
    }
    order: list[Request] = sorted(instance.requests, key=lambda r: rank[r.id])
    placement = _placement(instance, {})
    placement.place(order, preferred)
    return placement


def _placement(instance: Instance, slot_of: dict[str, int]) -> Placement:
    """A placement holding the locked meetings and then `slot_of`'s."""
    placement = Placement(instance)
    for m in instance.locked:
        placement.add(m.request, instance.slot_index[m.slot])
    for request, slot in sorted(slot_of.items()):
        if request not in placement.slot_of:
            placement.add(request, slot)
    return placement


def solve_first_fit(instance: Instance) -> Result:
    """The greedy baseline's schedule, with the same figures."""
    started = time.perf_counter()
    check_instance(instance)
    return _result(
        instance, first_fit(instance), upper_bound(instance), "combinatorial", False, started
    )


def _room(instance: Instance, request: str) -> int:
    """How many slots both sides attend: the tightest requests go first among equals."""
    u, v = instance.request_parties[request]
    return len(instance.party_slots[u] & instance.party_slots[v])


def _result(
    instance: Instance,
    meetings: list[Meeting],
    bound: float,
    source: str,
    optimal: bool,
    started: float,
) -> Result:
    placed = {m.request for m in meetings}
    state = _State.of(instance, meetings)
    unplaced = {r.id: state.reason(r.id) for r in instance.requests if r.id not in placed}
    weight = sum(instance.requests_by_id[m.request].weight for m in meetings)
    previous = {m.request: m.slot for m in instance.previous}
    moved = sum(1 for m in meetings if m.request in previous and previous[m.request] != m.slot)
    left_out: Counter[str] = Counter()
    for request in unplaced:
        for party in instance.request_parties[request]:
            left_out[party] += 1
    counts = [left_out[party] for party in instance.parties]
    mean = sum(counts) / len(counts) if counts else 0.0
    gaps = sum(idle_gaps(instance, meetings).values())
    figures = Figures(
        meetings=len(meetings),
        weight=weight,
        bound=bound,
        gap=0.0 if bound <= 0 else max(0.0, (bound - weight) / bound),
        idle_gaps=gaps,
        moved=moved,
        unplaced=len(unplaced),
        most_unplaced_per_party=max(left_out.values(), default=0),
        bound_source=source,
        optimal=optimal,
        idle_gaps_per_party=gaps / len(instance.parties) if instance.parties else 0.0,
        unplaced_std=math.sqrt(sum((c - mean) ** 2 for c in counts) / len(counts))
        if counts
        else 0.0,
        seconds=time.perf_counter() - started,
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
