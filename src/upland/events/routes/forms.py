"""The event form and back: checkbox groups as lists, sessions written one a line
("2027-03-10 09:00-13:00 20 11:00-11:15 places=30": day, hours, slot minutes, breaks and,
optionally, the session's own number of places), tables as
"; "-separated lists. A line the form cannot read becomes a message beside its field."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends

from upland.events.models import Event
from upland.web.forms import list_entries, multi_form

LISTS = ("languages", "participant_types", "rules")
SPAN = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")


EventForm = Annotated[dict[str, Any], Depends(multi_form(LISTS))]


def _session(line: str) -> dict[str, Any] | None:
    words = line.split()
    if len(words) < 2 or not (hours := SPAN.match(words[1])):
        return None
    found: dict[str, Any] = {"day": words[0], "starts": hours[1], "ends": hours[2], "breaks": []}
    for word in words[2:]:
        if word.isdigit():
            found["slot_minutes"] = int(word)
        elif word.startswith("places=") and word[7:].isdigit():
            found["capacity"] = int(word[7:])
        elif pause := SPAN.match(word):
            found["breaks"].append({"starts": pause[1], "ends": pause[2]})
        else:
            return None
    return found


def schema_data(form: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as `EventIn` takes it, and the entries it could not read, by field."""
    skip = {*LISTS, "sessions", "table_names", "reserved_tables", "online"}
    data = {k: v for k, v in form.items() if k not in skip and v is not None}
    problems: dict[str, str] = {}
    data["online"] = bool(form.get("online"))
    data["languages"] = list(form.get("languages", []))
    data["participant_types"] = list(form.get("participant_types", []))
    data["request_rules"] = [
        {"requester": a, "receiver": b}
        for a, _, b in (r.partition(">") for r in form.get("rules", []))
    ]
    sessions = []
    for line in (form.get("sessions") or "").splitlines():
        if not line.strip():
            continue
        read = _session(line)
        if read is None:
            problems["sessions"] = line.strip()
        else:
            sessions.append(read)
    data["sessions"] = sessions
    data["table_names"] = list_entries(form.get("table_names"))
    reserved = []
    for entry in list_entries(form.get("reserved_tables")):
        if entry.isdigit():
            reserved.append(int(entry))
        else:
            problems["reserved_tables"] = entry
    data["reserved_tables"] = reserved
    return data, problems


def _session_line(s: Any) -> str:
    parts = [s.day.isoformat(), f"{s.starts:%H:%M}-{s.ends:%H:%M}", str(s.slot_minutes)]
    places = [f"places={s.capacity}"] if s.capacity else []
    return " ".join(parts + [f"{a}-{b}" for a, b in s.breaks] + places)


def form_values(event: Event) -> dict[str, Any]:
    """An event as the form shows it."""
    values: dict[str, Any] = {c.key: getattr(event, c.key) for c in Event.__table__.columns}
    values["sessions"] = "\n".join(_session_line(s) for s in event.sessions)
    values["table_names"] = "; ".join(event.table_names)
    values["reserved_tables"] = "; ".join(str(t) for t in event.reserved_tables)
    values["rules"] = [f"{a}>{b}" for a, b in event.request_rules]
    return values
