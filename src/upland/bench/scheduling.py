"""`upland bench scheduling [--size small|medium|large]`: B2B schedules of generated events.

Three brokerage days (issue 11), generated with a fixed seed so that people's time, not
tables, is what binds: a few very popular participants (requests drawn by a Zipf-like law),
partial availability (each attends a contiguous part of the day), delegations of two or three
people for a tenth of the organisations, caps of 6–12 meetings, weights 1–3. For each, the
project's scheduler and the first-fit baseline run in the same process on the same instance;
each line gives meetings placed, weight, the upper bound (and what gave it: the LP, the MIP,
a Lagrangian dual or the combinatorial count) and the gap to it, idle gaps (total and per
party), fairness (the most requests left out at one party, and the standard deviation of
left-out requests per party), wall and CPU time (the machine may be shared: CPU time says how
much of it the run got) and the process's peak resident memory. The project's scheduler runs
with the issue's time budgets: 30 s small and medium, 120 s large.
"""

from __future__ import annotations

import functools
import random
import resource
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from upland.events.scheduling import Instance, Participant, Request, Result, Slot
from upland.events.scheduling import solve as project_solve
from upland.events.scheduling.solve import solve_first_fit

SEED = 20181011


@dataclass(frozen=True)
class Size:
    participants: int
    requests: int
    slots: int
    tables: int


SIZES = {
    "small": Size(150, 600, 12, 60),
    "medium": Size(500, 4_000, 16, 300),
    "large": Size(2_000, 20_000, 24, 1_000),
}


def generate(size: Size, seed: int = SEED) -> Instance:
    """An event of `size`: two sessions (morning, afternoon), skewed demand, delegations."""
    rng = random.Random(seed)
    half = size.slots // 2
    slots = tuple(
        Slot(f"s{i:02d}", "morning" if i < half else "afternoon", size.tables)
        for i in range(size.slots)
    )
    participants: list[Participant] = []
    org = 0
    while len(participants) < size.participants:
        members = rng.choice([2, 3]) if rng.random() < 0.1 else 1
        delegation = f"org{org}" if members > 1 else None
        length = rng.randint(max(2, size.slots // 3), size.slots)
        start = rng.randint(0, size.slots - length)
        available = frozenset(s.id for s in slots[start : start + length])
        cap = rng.randint(6, 12)
        kind = rng.choice(["buyer", "supplier", "supplier", "researcher", "investor"])
        for _ in range(min(members, size.participants - len(participants))):
            participants.append(
                Participant(f"p{len(participants)}", available, cap, delegation, kind)
            )
        org += 1
    popularity = [1 / (rank + 1) ** 0.9 for rank in range(len(participants))]
    rng.shuffle(popularity)
    party = {p.id: p.party for p in participants}
    pairs: set[frozenset[str]] = set()
    requests: list[Request] = []
    while len(requests) < size.requests:
        asker = participants[rng.randrange(len(participants))]
        asked = rng.choices(participants, popularity)[0]
        key = frozenset({party[asker.id], party[asked.id]})
        if len(key) < 2 or key in pairs:
            continue
        pairs.add(key)
        weight = rng.choices([1.0, 2.0, 3.0], [0.6, 0.3, 0.1])[0]
        requests.append(Request(f"r{len(requests)}", asker.id, asked.id, weight))
    return Instance(tuple(participants), slots, tuple(requests))


# The time budgets: small and medium within 30 s, large within 120 s.
TIME_LIMITS = {"small": 30.0, "medium": 30.0, "large": 120.0}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run(run: Callable[[Instance], Result], instance: Instance) -> tuple[Result, float, float]:
    started, cpu = time.perf_counter(), _cpu()
    result = run(instance)
    return result, time.perf_counter() - started, _cpu() - cpu


def _line(name: str, label: str, run: tuple[Result, float, float], best_bound: float) -> str:
    """One run's figures; the weight is also given against the best bound of the same
    instance (the solver's), so the baseline's line compares with the same yardstick."""
    result, wall, cpu = run
    f = result.figures
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    proven = " proven optimal" if f.optimal else ""
    return (
        f"[{name}] {label:<9} meetings {f.meetings:>6}  weight {f.weight:>8g}  "
        f"bound {f.bound:>9.1f} ({f.bound_source}{proven})  gap {f.gap:6.2%}  "
        f"{f.weight / best_bound if best_bound else 1:6.1%} of the best bound  "
        f"idle gaps {f.idle_gaps:>5} ({f.idle_gaps_per_party:4.2f}/party)  "
        f"left out: most at one party {f.most_unplaced_per_party:>3}, "
        f"std per party {f.unplaced_std:5.2f}  "
        f"{wall:7.2f} s wall {cpu:7.2f} s cpu  process peak {peak_mb:,.0f} MB"
    )


def late_changes(instance: Instance, schedule: Result, seed: int = SEED) -> tuple[Instance, int]:
    """The day after the schedule went out: 2 % of its meetings cancelled, 1 % more accepted
    requests, and the busiest participant leaves at midday; the instance to re-schedule (the
    schedule as `previous`) and how many previous meetings the departure made impossible."""
    rng = random.Random(seed + 1)
    meetings = list(schedule.meetings)
    cancelled = {m.request for m in rng.sample(meetings, len(meetings) // 50)}
    requests = [r for r in instance.requests if r.id not in cancelled]
    party = {p.id: p.party for p in instance.participants}
    asked = {frozenset({party[r.requester], party[r.receiver]}) for r in instance.requests}
    people = instance.participants
    while len(requests) < len(instance.requests) - len(cancelled) + len(instance.requests) // 100:
        a, b = rng.choice(people), rng.choice(people)
        key = frozenset({party[a.id], party[b.id]})
        if len(key) == 2 and key not in asked:
            asked.add(key)
            requests.append(Request(f"late{len(requests)}", a.id, b.id, rng.choice([1.0, 2.0])))
    busiest = Counter(p for m in meetings for p in instance.request_parties[m.request])
    leaving = next(p for p, _ in busiest.most_common() if len(instance.parties[p]) == 1)
    afternoon = frozenset(s.id for s in instance.slots[len(instance.slots) // 2 :])
    participants = tuple(
        replace(p, available=p.available - afternoon) if p.id == leaving else p for p in people
    )
    previous = tuple(m for m in meetings if m.request not in cancelled)
    sides = instance.request_parties
    impossible = sum(1 for m in previous if m.slot in afternoon and leaving in sides[m.request])
    changed = Instance(participants, instance.slots, tuple(requests), (), previous)
    return changed, impossible


def _reschedule(name: str, instance: Instance, schedule: Result, limit: float) -> None:
    changed, impossible = late_changes(instance, schedule)
    again, wall, cpu = _run(functools.partial(project_solve, time_limit=limit), changed)
    previous = {m.request: m.slot for m in changed.previous}
    fresh = solve_first_fit(changed)
    fresh_moved = sum(
        1 for m in fresh.meetings if m.request in previous and previous[m.request] != m.slot
    )
    f = again.figures
    print(
        f"[{name}] re-schedule after late changes ({len(schedule.meetings) // 50} cancelled, "
        f"{len(instance.requests) // 100} new requests, one participant leaves at midday, "
        f"{impossible} meetings made impossible): weight {f.weight:g} of {f.bound:.1f} "
        f"(gap {f.gap:.2%}), moved {f.moved} of {len(previous)} kept meetings "
        f"(first fit from scratch moves {fresh_moved}), idle gaps {f.idle_gaps}, "
        f"{wall:.2f} s wall {cpu:.2f} s cpu"
    )


def main(
    rows: int | None = None,
    database_url: str | None = None,
    quiet: bool = False,
    size: str | None = None,
    time_limit: float | None = None,
) -> None:
    """Run the named size, or all three, the solver with `time_limit` seconds (default: the
    issue's budget for the size)."""
    del rows, database_url, quiet  # generated in memory: no database, no row count
    names = [size] if size else list(SIZES)
    for name in names:
        if name not in SIZES:
            raise SystemExit(f"unknown size {name!r}; choose from {', '.join(SIZES)}")
        s = SIZES[name]
        instance = generate(s)
        print(
            f"scheduling {name}: {s.participants} participants ({len(instance.parties)} "
            f"parties), {s.requests} accepted requests, {s.slots} slots x {s.tables} tables, "
            f"seed {SEED}"
        )
        limit = TIME_LIMITS[name] if time_limit is None else time_limit
        baseline = _run(solve_first_fit, instance)
        print(f"[{name}] first fit done; the solver runs with a {limit:g} s limit", flush=True)
        project = _run(functools.partial(project_solve, time_limit=limit), instance)
        best = min(baseline[0].figures.bound, project[0].figures.bound)
        print(_line(name, "first fit", baseline, best))
        print(_line(name, "project", project, best), flush=True)
        _reschedule(name, instance, project[0], limit)
