"""The scheduling problem of a brokerage day, as plain data (docs/scheduling-format.md).

Participants meet in *parties*: a delegation (several people of one organisation) meets
together, a participant without one is a party alone. A party can hold one meeting per slot,
only in slots all its members attend, and at most as many meetings as its tightest member's
cap. Slots are ordered in time and grouped in sessions (a day, a morning); each slot has a
number of tables. Accepted requests carry a priority weight; a schedule gives some of them a
(slot, table). Locked meetings keep theirs; a previous schedule says where the others were, so
re-scheduling can keep them in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

__all__ = ["Instance", "Meeting", "Participant", "Request", "Slot"]


@dataclass(frozen=True)
class Participant:
    id: str
    available: frozenset[str]
    cap: int | None = None
    delegation: str | None = None
    type: str = ""

    @property
    def party(self) -> str:
        return self.delegation or self.id


@dataclass(frozen=True)
class Slot:
    id: str
    session: str
    tables: int


@dataclass(frozen=True)
class Request:
    id: str
    requester: str
    receiver: str
    weight: float = 1.0


@dataclass(frozen=True)
class Meeting:
    request: str
    slot: str
    table: int


@dataclass(frozen=True)
class Instance:
    """Participants, slots in time order, accepted requests; locked and previous meetings."""

    participants: tuple[Participant, ...]
    slots: tuple[Slot, ...]
    requests: tuple[Request, ...]
    locked: tuple[Meeting, ...] = ()
    previous: tuple[Meeting, ...] = ()
    reserved_tables: Mapping[str, frozenset[int]] = field(default_factory=dict)

    @cached_property
    def by_id(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def slot_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def parties(self) -> dict[str, tuple[Participant, ...]]:
        members: dict[str, list[Participant]] = {}
        for p in self.participants:
            members.setdefault(p.party, []).append(p)
        return {party: tuple(ps) for party, ps in members.items()}

    @cached_property
    def party_slots(self) -> dict[str, frozenset[int]]:
        """The slots (by index) every member of a party attends."""
        found = {}
        for party, members in self.parties.items():
            common = frozenset.intersection(*(m.available for m in members))
            found[party] = frozenset(self.slot_index[s] for s in common if s in self.slot_index)
        return found

    @cached_property
    def party_caps(self) -> dict[str, int]:
        """At most this many meetings: the tightest member's cap, never more than its slots."""
        caps = {}
        for party, members in self.parties.items():
            limits = [m.cap for m in members if m.cap is not None]
            slots = len(self.party_slots[party])
            caps[party] = min([*limits, slots])
        return caps

    @cached_property
    def request_parties(self) -> dict[str, tuple[str, str]]:
        return {
            r.id: (self.by_id[r.requester].party, self.by_id[r.receiver].party)
            for r in self.requests
        }

    @cached_property
    def requests_by_id(self) -> dict[str, Request]:
        return {r.id: r for r in self.requests}

    def tables(self, slot: int) -> int:
        """Tables free for scheduling in a slot (reserved ones are the organiser's)."""
        s = self.slots[slot]
        return s.tables - len(self.reserved_tables.get(s.id, frozenset()))
