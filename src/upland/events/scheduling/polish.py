"""After the heaviest schedule is found: fewer moves, then fewer idle gaps, then fairer
left-outs, by local moves that never lose weight, never move a locked meeting and never move
more meetings away from their previous slot (the lexicographic objective of issue 11).

Moves: a meeting away from its previous slot goes back when both sides are free there, or
trades slots with the one meeting in the way when that one is itself away from its own
previous slot. Idle gaps: a meeting moves to another slot both sides have free, or two
meetings of one party swap slots (the party's own slots stay the same, only its partners'
change); a step is taken when it removes idle gaps at the parties it touches. Fairness: an
unplaced request takes the place of a placed one of the same weight at one of its sides when
that spreads the left-out requests more evenly (the sum of squares of left-out requests per
party falls) without adding idle gaps. All stop at the deadline; every step keeps the
schedule valid.
"""

from __future__ import annotations

import time
from collections import Counter

from upland.events.scheduling.model import Instance
from upland.events.scheduling.placement import Placement

__all__ = ["fairer", "fewer_idle_gaps", "fewer_moved", "party_idle"]


def party_idle(instance: Instance, party: str, slots: set[int] | frozenset[int]) -> int:
    """Idle slots of one party holding meetings in `slots`: attended slots without a meeting
    between its first and last meeting of each session."""
    if not slots:
        return 0
    sessions: dict[str, list[int]] = {}
    for s in slots:
        sessions.setdefault(instance.slots[s].session, []).append(s)
    attends = instance.party_slots[party]
    idle = 0
    for used in sessions.values():
        first, last = min(used), max(used)
        idle += sum(1 for s in range(first, last + 1) if s not in slots and s in attends)
    return idle


class _Polisher:
    def __init__(self, placement: Placement, previous: dict[str, int], deadline: float):
        self.p = placement
        self.instance = placement.instance
        self.previous = previous
        self.deadline = deadline

    def idle(self, party: str, drop: int | None = None, add: int | None = None) -> int:
        slots = set(self.p.busy[party])
        if drop is not None:
            slots.discard(drop)
        if add is not None:
            slots.add(add)
        return party_idle(self.instance, party, slots)

    def moved(self, request: str, slot: int) -> int:
        """1 when `request` in `slot` counts as moved from its previous slot."""
        before = self.previous.get(request)
        return int(before is not None and before != slot)

    def movable(self, request: str) -> bool:
        return request not in self.p.locked

    def late(self) -> bool:
        return time.perf_counter() > self.deadline

    # --- moving one meeting ---------------------------------------------------------------

    def try_move(self, request: str) -> bool:
        """Move a meeting to the slot that removes the most idle gaps at its two sides
        (or brings it back to its previous slot)."""
        p = self.p
        here = p.slot_of[request]
        a, b = p.sides(request)
        now = self.idle(a) + self.idle(b)
        best: tuple[int, int, int] | None = None
        for slot in sorted(p.free(a) & p.free(b)):
            if not p.has_table(slot):
                continue
            d_moved = self.moved(request, slot) - self.moved(request, here)
            d_idle = self.idle(a, here, slot) + self.idle(b, here, slot) - now
            if d_moved > 0 or (d_moved == 0 and d_idle >= 0):
                continue
            if best is None or (d_moved, d_idle, slot) < best:
                best = (d_moved, d_idle, slot)
        if best is None:
            return False
        p.remove(request)
        p.add(request, best[2])
        return True

    # --- back to the previous slot --------------------------------------------------------

    def back_passes(self, rounds: int = 3) -> None:
        """Move meetings back to their previous slot: directly when both sides and a table
        are free there, or by trading slots with the meeting in the way when that one is
        itself away from its previous slot (or not in the previous schedule) and fits."""
        p = self.p
        for _ in range(rounds):
            changed = False
            away = sorted(
                r
                for r, s in p.slot_of.items()
                if r in self.previous and self.previous[r] != s and self.movable(r)
            )
            for request in away:
                if self.late():
                    return
                changed |= self._back(request)
            if not changed:
                return

    def _back(self, request: str) -> bool:
        p = self.p
        here, there = p.slot_of[request], self.previous[request]
        a, b = p.sides(request)
        if there not in self.instance.party_slots[a] or there not in self.instance.party_slots[b]:
            return False
        blockers = {p.busy[x][there] for x in (a, b) if there in p.busy[x]}
        if not blockers:
            if not p.has_table(there):
                return False
            p.remove(request)
            p.add(request, there)
            return True
        if len(blockers) != 1:
            return False
        (other,) = blockers
        if not self.movable(other) or self.previous.get(other) == there:
            return False
        c, d = p.sides(other)
        p.remove(request)
        p.remove(other)
        fits = all(here in self.instance.party_slots[x] and here not in p.busy[x] for x in (c, d))
        if fits:
            p.add(request, there)
            p.add(other, here)
            return True
        p.add(request, here)
        p.add(other, there)
        return False

    # --- swapping two meetings of one party -------------------------------------------------

    def try_swap(self, party: str) -> bool:
        p = self.p
        mine = sorted((s, m) for s, m in p.busy[party].items() if self.movable(m))
        for i, (s1, m1) in enumerate(mine):
            o1 = self._other(m1, party)
            for s2, m2 in mine[i + 1 :]:
                o2 = self._other(m2, party)
                if o1 == o2:
                    continue
                if s2 not in p.free(o1) or s1 not in p.free(o2):
                    continue
                d_moved = (
                    self.moved(m1, s2)
                    + self.moved(m2, s1)
                    - self.moved(m1, s1)
                    - self.moved(m2, s2)
                )
                if d_moved > 0:
                    continue
                now = self.idle(o1) + self.idle(o2)
                after = self.idle(o1, s1, s2) + self.idle(o2, s2, s1)
                if d_moved < 0 or after < now:
                    p.remove(m1)
                    p.remove(m2)
                    p.add(m1, s2)
                    p.add(m2, s1)
                    return True
        return False

    def _other(self, request: str, party: str) -> str:
        a, b = self.p.sides(request)
        return b if a == party else a

    def idle_passes(self, rounds: int = 4) -> None:
        for _ in range(rounds):
            changed = False
            for party in sorted(self.p.busy):
                if self.late():
                    return
                if self.idle(party) == 0:
                    continue
                for request in sorted(self.p.busy[party].values()):
                    if self.movable(request) and request in self.p.slot_of:
                        changed |= self.try_move(request)
                while self.try_swap(party):
                    changed = True
                    if self.late():
                        return
            if not changed:
                return

    # --- fairness ---------------------------------------------------------------------------

    def fair_passes(self, rounds: int = 3) -> None:
        p, instance = self.p, self.instance
        left = Counter[str]()
        for r in instance.requests:
            if r.id not in p.slot_of:
                for party in p.sides(r.id):
                    left[party] += 1
        for _ in range(rounds):
            changed = False
            for r in instance.requests:
                if self.late():
                    return
                if r.id in p.slot_of:
                    continue
                if self._exchange(r.id, left):
                    changed = True
            if not changed:
                return

    def _exchange(self, request: str, left: Counter[str]) -> bool:
        p = self.p
        u, v = p.sides(request)
        weight = p.weight(request)
        for side, other_side in ((u, v), (v, u)):
            for slot, m in sorted(p.busy[side].items()):
                if not self.movable(m) or m in self.previous or p.weight(m) != weight:
                    continue
                w = self._other(m, side)
                if w == other_side or left[w] >= left[other_side] - 1:
                    continue
                if self._replace(m, request, slot):
                    left[other_side] -= 1
                    left[w] += 1
                    return True
        return False

    def _replace(self, old: str, new: str, slot: int) -> bool:
        """Drop `old` and place `new` where both its sides are free, if no idle gap is added."""
        p = self.p
        affected = {*p.sides(old), *p.sides(new)}
        before = sum(self.idle(x) for x in affected)
        p.remove(old)
        u, v = p.sides(new)
        if not (p.full(u) or p.full(v)):
            prev = self.previous.get(new)
            options = [
                s
                for s in sorted(p.free(u) & p.free(v))
                if p.has_table(s) and (prev is None or s == prev)
            ]
            for s in options:
                p.add(new, s)
                if sum(self.idle(x) for x in affected) <= before:
                    return True
                p.remove(new)
        p.add(old, slot)
        return False


def fewer_moved(placement: Placement, previous: dict[str, int], deadline: float) -> None:
    """Bring meetings back to their previous slots without changing which are placed."""
    _Polisher(placement, previous, deadline).back_passes()


def fewer_idle_gaps(placement: Placement, previous: dict[str, int], deadline: float) -> None:
    """Remove idle gaps without changing which requests are placed."""
    _Polisher(placement, previous, deadline).idle_passes()


def fairer(placement: Placement, previous: dict[str, int], deadline: float) -> None:
    """Spread the left-out requests over more parties at the same weight and idle gaps."""
    _Polisher(placement, previous, deadline).fair_passes()
