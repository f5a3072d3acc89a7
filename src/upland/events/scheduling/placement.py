"""Placing meetings in slots: a greedy first-fit baseline and the repairing heuristic.

A schedule is an edge colouring: parties are vertices, accepted requests edges, slots colours
each vertex may use only where it is available, with at most `tables` edges of a colour and at
most `cap` edges at a vertex. `first_fit` takes requests in the order given and the first slot
both sides have free: the baseline every figure is compared with. `Placement.place` takes the
heaviest requests first and, when the two sides have no free slot in common, makes one: it
moves a blocking meeting to another slot both of its sides have free, or swaps two slots along
an alternating chain of meetings (a Kempe chain, as in proofs of edge colouring), and when a
side is full it gives up a lighter meeting of that side for a heavier one. Every step keeps
the schedule valid, so the heuristic can stop at any time with a valid schedule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from upland.events.scheduling.model import Instance, Meeting, Request

__all__ = ["Placement", "first_fit"]

MAX_CHAIN = 60


class Placement:
    """A partial schedule (request → slot index) that is valid at every step."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.slot_of: dict[str, int] = {}
        self.busy: dict[str, dict[int, str]] = defaultdict(dict)
        self.used: Counter[int] = Counter()
        self.locked = {m.request for m in instance.locked}

    # --- the state ------------------------------------------------------------------------

    def sides(self, request: str) -> tuple[str, str]:
        return self.instance.request_parties[request]

    def weight(self, request: str) -> float:
        return self.instance.requests_by_id[request].weight

    def add(self, request: str, slot: int) -> None:
        for party in self.sides(request):
            self.busy[party][slot] = request
        self.slot_of[request] = slot
        self.used[slot] += 1

    def remove(self, request: str) -> int:
        slot = self.slot_of.pop(request)
        for party in self.sides(request):
            del self.busy[party][slot]
        self.used[slot] -= 1
        return slot

    def free(self, party: str) -> frozenset[int]:
        """Slots the party attends and has no meeting in."""
        return self.instance.party_slots[party] - self.busy[party].keys()

    def full(self, party: str) -> bool:
        return len(self.busy[party]) >= self.instance.party_caps[party]

    def has_table(self, slot: int, extra: int = 1) -> bool:
        return self.used[slot] + extra <= self.instance.tables(slot)

    # --- placing one request --------------------------------------------------------------

    def try_place(self, request: str, preferred: int | None = None) -> bool:
        """Place `request` if both sides have room, making a common free slot if needed."""
        u, v = self.sides(request)
        if self.full(u) or self.full(v):
            return False
        common = self.free(u) & self.free(v)
        open_slots = [s for s in common if self.has_table(s)]
        if open_slots:
            self.add(request, self._best_slot(u, v, open_slots, preferred))
            return True
        return self._make_room(request, u, v)

    def _best_slot(self, u: str, v: str, slots: list[int], preferred: int | None) -> int:
        """The previous slot if open, else the one next to the sides' other meetings (fewer
        idle gaps), else the earliest."""
        if preferred is not None and preferred in slots:
            return preferred

        def closeness(slot: int) -> tuple[int, int]:
            near = sum(
                1 for party in (u, v) for other in (slot - 1, slot + 1) if other in self.busy[party]
            )
            return (-near, slot)

        return min(slots, key=closeness)

    def _make_room(self, request: str, u: str, v: str) -> bool:
        both = self.instance.party_slots[u] & self.instance.party_slots[v]
        for slot in sorted(both):
            if self._relocate_blockers(request, u, v, slot):
                return True
        return any(self._kempe(request, u, v, a, b) for a, b in self._chain_starts(u, v))

    def _relocate_blockers(self, request: str, u: str, v: str, slot: int) -> bool:
        """Free `slot` for both sides by moving each side's meeting there elsewhere."""
        blockers = {self.busy[p][slot] for p in (u, v) if slot in self.busy[p]}
        if not self.has_table(slot, 1 - len(blockers)) or blockers & self.locked:
            return False
        moved: list[tuple[str, int]] = []
        for blocker in blockers:
            target = self._other_slot(blocker, avoid=slot)
            if target is None:
                for b, old in moved:
                    self.remove(b)
                    self.add(b, old)
                return False
            moved.append((blocker, self.remove(blocker)))
            self.add(blocker, target)
        self.add(request, slot)
        return True

    def _other_slot(self, request: str, avoid: int) -> int | None:
        a, b = self.sides(request)
        options = [s for s in self.free(a) & self.free(b) if s != avoid and self.has_table(s)]
        return min(options) if options else None

    def _chain_starts(self, u: str, v: str) -> Iterator[tuple[int, int]]:
        """Pairs (α, β): α free at u and attended by v (busy there), β the other way round."""
        at_u = self.free(u) & self.instance.party_slots[v]
        at_v = self.free(v) & self.instance.party_slots[u]
        for a in sorted(at_u):
            for b in sorted(at_v):
                if a != b:
                    yield a, b

    def _kempe(self, request: str, u: str, v: str, a: int, b: int) -> bool:
        """Swap slots a and b along the chain of meetings that starts at v's meeting in a;
        then a is free at both u and v. Refused when the chain reaches u, is too long, holds a
        locked meeting, or would put a side where it is not available or a slot over tables."""
        chain: list[str] = []
        party, slot = v, a
        while slot in self.busy[party]:
            meeting = self.busy[party][slot]
            if meeting in self.locked or len(chain) >= MAX_CHAIN:
                return False
            chain.append(meeting)
            x, y = self.sides(meeting)
            party = y if x == party else x
            if party == u:
                return False
            slot = b if slot == a else a
        new = {m: (b if self.slot_of[m] == a else a) for m in chain}
        for m, target in new.items():
            if any(target not in self.instance.party_slots[p] for p in self.sides(m)):
                return False
        shift = Counter(new.values())
        shift.subtract(Counter(self.slot_of[m] for m in chain))
        shift[a] += 1  # the request itself
        if any(not self.has_table(s, n) for s, n in shift.items() if n > 0):
            return False
        for m in chain:
            self.remove(m)
        for m, target in new.items():
            self.add(m, target)
        self.add(request, a)
        return True

    # --- the whole schedule ---------------------------------------------------------------

    def place(self, order: Iterable[Request], previous: dict[str, int] | None = None) -> None:
        """Place the requests in `order`, then trade lighter meetings for heavier ones."""
        previous = previous or {}
        waiting = []
        for r in order:
            if r.id not in self.slot_of and not self.try_place(r.id, previous.get(r.id)):
                waiting.append(r)
        for r in waiting:
            self._trade(r.id)

    def _trade(self, request: str) -> bool:
        """Give up lighter meetings in the way when the request outweighs them (a full side's
        lightest, or the meetings holding the cheapest common slot), then try to place those
        elsewhere; undone when the request still does not fit."""
        u, v = self.sides(request)
        in_the_way = self._in_the_way(u, v)
        if in_the_way is None or sum(map(self.weight, in_the_way)) >= self.weight(request):
            return False
        undo = [(m, self.remove(m)) for m in in_the_way]
        if self.try_place(request):
            for m, _ in undo:
                self.try_place(m)
            return True
        for m, slot in undo:
            self.add(m, slot)
        return False

    def _in_the_way(self, u: str, v: str) -> set[str] | None:
        full = [p for p in (u, v) if self.full(p)]
        if full:
            lightest = set()
            for party in full:
                mine = [m for m in self.busy[party].values() if m not in self.locked]
                if not mine:
                    return None
                lightest.add(min(mine, key=lambda m: (self.weight(m), m)))
            return lightest
        options = []
        for slot in self.instance.party_slots[u] & self.instance.party_slots[v]:
            held = {self.busy[p][slot] for p in (u, v) if slot in self.busy[p]}
            if not held & self.locked and self.has_table(slot, 1 - len(held)):
                options.append((sum(map(self.weight, held)), slot, held))
        return min(options, key=lambda o: o[:2])[2] if options else None

    def meetings(self) -> list[Meeting]:
        """The placed meetings with their tables: a meeting keeps its previous table when it
        is free, else takes the lowest free one that is not reserved."""
        previous = {m.request: m.table for m in (*self.instance.previous, *self.instance.locked)}
        by_slot: dict[int, list[str]] = defaultdict(list)
        for request, slot in self.slot_of.items():
            by_slot[slot].append(request)
        meetings = []
        for slot, requests in sorted(by_slot.items()):
            s = self.instance.slots[slot]
            reserved = self.instance.reserved_tables.get(s.id, frozenset())
            taken: set[int] = set()
            keeping = [r for r in sorted(requests) if r in previous]
            for r in keeping:
                t = previous[r]
                if 0 <= t < s.tables and t not in reserved and t not in taken:
                    taken.add(t)
                    meetings.append(Meeting(r, s.id, t))
            placed = {m.request for m in meetings if m.slot == s.id}
            free = (t for t in range(s.tables) if t not in reserved and t not in taken)
            for r in sorted(requests):
                if r not in placed:
                    meetings.append(Meeting(r, s.id, next(free)))
        return meetings


def first_fit(instance: Instance) -> list[Meeting]:
    """The baseline: requests in the given order, each in the first slot both sides have free."""
    placement = Placement(instance)
    for m in instance.locked:
        placement.add(m.request, instance.slot_index[m.slot])
    for r in instance.requests:
        if r.id in placement.slot_of:
            continue
        u, v = placement.sides(r.id)
        if placement.full(u) or placement.full(v):
            continue
        common = sorted(placement.free(u) & placement.free(v))
        slot = next((s for s in common if placement.has_table(s)), None)
        if slot is not None:
            placement.add(r.id, slot)
    return placement.meetings()
