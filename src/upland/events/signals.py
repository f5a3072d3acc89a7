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
