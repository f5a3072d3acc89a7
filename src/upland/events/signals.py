"""What the events area announces after commit (later areas subscribe; none reads its tables)."""

from __future__ import annotations

from dataclasses import dataclass

from upland.signals import Signal


@dataclass(frozen=True)
class EventSignal(Signal):
    event_id: int
    organiser_id: int | None


@dataclass(frozen=True)
class EventPublished(EventSignal):
    pass


@dataclass(frozen=True)
class EventChanged(EventSignal):
    pass


@dataclass(frozen=True)
class EventCancelled(EventSignal):
    pass


@dataclass(frozen=True)
class MeetingOutcomeRecorded(Signal):
    """A side said what came of a brokerage-day meeting (`agreement_type` for an agreement),
    or its agreement became confirmed: the cooperation network and the indicators count it.
    An agreement counts once `agreement_confirmed` (both sides, or the organiser, said so);
    published again at that moment."""

    event_id: int
    meeting_id: int
    outcome: str
    agreement_type: str | None
    organisation_ids: tuple[int, ...]
    agreement_confirmed: bool = False


@dataclass(frozen=True)
class AttendanceMarked(Signal):
    """The organiser marked a participant present or a no-show (`attendance` None: unmarked):
    a meeting whose two sides were present was held, and the cooperation network counts it."""

    event_id: int
    registration_id: int
    organisation_id: int | None
    attendance: str | None
