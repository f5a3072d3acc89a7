"""The instance and schedule files of `upland events solve` (docs/scheduling-format.md).

An instance file is JSON validated by pydantic: a malformed file is refused with every
problem, each naming its place (`requests.3.weight`) and why, before anything is solved. The
schedule file holds the meetings, the requests left out with their reasons and the figures.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from upland.errors import FieldError, Invalid
from upland.events.scheduling.model import Instance, Meeting, Participant, Request, Slot
from upland.events.scheduling.solve import Result
from upland.validation import error_code, field_of, pydantic_message

__all__ = ["read_instance", "result_json"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Slot(_Strict):
    id: str = Field(min_length=1)
    session: str = "day"
    tables: int = Field(ge=0)
    reserved_tables: list[int] = []


class _Participant(_Strict):
    id: str = Field(min_length=1)
    available: list[str]
    cap: int | None = Field(default=None, ge=0)
    delegation: str | None = None
    type: str = ""


class _Request(_Strict):
    id: str = Field(min_length=1)
    requester: str
    receiver: str
    weight: float = Field(default=1.0, gt=0)


class _Meeting(_Strict):
    request: str
    slot: str
    table: int = Field(default=0, ge=0)


class _Instance(_Strict):
    slots: list[_Slot] = Field(min_length=1)
    participants: list[_Participant]
    requests: list[_Request]
    locked: list[_Meeting] = []
    previous: list[_Meeting] = []


def read_instance(text: str | bytes) -> Instance:
    """The instance a file holds; `Invalid` naming every problem of a malformed one."""
    try:
        data = _Instance.model_validate_json(text)
    except ValidationError as error:
        raise Invalid(
            [
                FieldError(
                    field_of(e) if e["loc"] else "file", pydantic_message(e), code=error_code(e)
                )
                for e in error.errors()
            ]
        ) from None
    return Instance(
        participants=tuple(
            Participant(p.id, frozenset(p.available), p.cap, p.delegation, p.type)
            for p in data.participants
        ),
        slots=tuple(Slot(s.id, s.session, s.tables) for s in data.slots),
        requests=tuple(Request(r.id, r.requester, r.receiver, r.weight) for r in data.requests),
        locked=tuple(Meeting(m.request, m.slot, m.table) for m in data.locked),
        previous=tuple(Meeting(m.request, m.slot, m.table) for m in data.previous),
        reserved_tables={s.id: frozenset(s.reserved_tables) for s in data.slots},
    )


def result_json(result: Result) -> str:
    """The schedule file: meetings by slot and table, left-out requests, the figures."""
    figures = result.figures
    document: dict[str, Any] = {
        "meetings": [
            {"request": m.request, "slot": m.slot, "table": m.table} for m in result.meetings
        ],
        "unplaced": [
            {"request": request, "reason": reason}
            for request, reason in sorted(result.unplaced.items())
        ],
        "figures": {
            "meetings": figures.meetings,
            "weight": figures.weight,
            "upper_bound": round(figures.bound, 6),
            "bound_source": figures.bound_source,
            "optimal": figures.optimal,
            "gap": round(figures.gap, 6),
            "idle_gaps": figures.idle_gaps,
            "idle_gaps_per_party": round(figures.idle_gaps_per_party, 4),
            "moved": figures.moved,
            "unplaced": figures.unplaced,
            "most_unplaced_per_party": figures.most_unplaced_per_party,
            "unplaced_std_per_party": round(figures.unplaced_std, 4),
            "seconds": round(figures.seconds, 3),
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
