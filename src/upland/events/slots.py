"""An event's meeting slots, cut from its sessions: pure, so pages, the scheduler and the
agenda read the same slots (id `"<session>-<n>"`, n from 1, in time order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class SessionSpec:
    id: int
    day: dt.date
    starts: dt.time
    ends: dt.time
    slot_minutes: int
    breaks: tuple[tuple[dt.time, dt.time], ...] = ()


@dataclass(frozen=True)
class TimeSlot:
    id: str
    session: int
    day: dt.date
    starts: dt.time
    ends: dt.time


def parse_clock(text: str) -> dt.time:
    """ "9:30" or "09:30" as a time; ValueError otherwise."""
    hours, _, minutes = text.strip().partition(":")
    return dt.time(int(hours), int(minutes))


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)


def slots_of(session: SessionSpec) -> list[TimeSlot]:
    """Whole slots from the start to the end; a slot overlapping a break starts after it."""
    found: list[TimeSlot] = []
    at, end = _minutes(session.starts), _minutes(session.ends)
    breaks = sorted((_minutes(a), _minutes(b)) for a, b in session.breaks)
    while session.slot_minutes > 0 and at + session.slot_minutes <= end:
        stop = at + session.slot_minutes
        clash = next((b for b in breaks if b[0] < stop and at < b[1]), None)
        if clash is not None:
            at = clash[1]
            continue
        found.append(
            TimeSlot(
                f"{session.id}-{len(found) + 1}", session.id, session.day, _clock(at), _clock(stop)
            )
        )
        at = stop
    return found


def event_slots(sessions: Iterable[SessionSpec]) -> list[TimeSlot]:
    """Every slot of every session, in time order."""
    every = [s for session in sessions for s in slots_of(session)]
    return sorted(every, key=lambda s: (s.day, s.starts, s.session))
