"""Meetings as iCalendar (RFC 5545, with the `icalendar` library): one VEVENT per meeting, its
UID stable for the request whatever the schedule does, its SEQUENCE the meeting's count of
moves, so calendar apps update the entry rather than adding another. Pure: the caller passes
the meetings as plain rows and the time of the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent

LOCAL = ZoneInfo("Europe/Warsaw")


@dataclass(frozen=True)
class CalendarMeeting:
    event_id: int
    request_id: int
    sequence: int
    day: dt.date
    starts: dt.time
    ends: dt.time
    title: str
    partner: str
    table: str
    location: str
    url: str


def uid_of(event_id: int, request_id: int) -> str:
    return f"upland-event-{event_id}-request-{request_id}@upland"


def calendar_of(meetings: Iterable[CalendarMeeting], now: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Upland//events//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    for m in meetings:
        entry = VEvent()
        entry.add("uid", uid_of(m.event_id, m.request_id))
        entry.add("sequence", m.sequence)
        entry.add("dtstamp", now.astimezone(dt.UTC))
        starts = dt.datetime.combine(m.day, m.starts, LOCAL).astimezone(dt.UTC)
        ends = dt.datetime.combine(m.day, m.ends, LOCAL).astimezone(dt.UTC)
        entry.add("dtstart", starts)
        entry.add("dtend", ends)
        entry.add("summary", f"{m.partner} · {m.title}")
        entry.add("location", f"{m.location} · {m.table}" if m.location else m.table)
        entry.add("url", m.url)
        cal.add_component(entry)
    return bytes(cal.to_ical())
