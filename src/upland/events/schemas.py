"""Shapes of events for the API and the forms: `EventIn` (create, and edit as a whole),
`EventRead`, `SessionIn`/`EventSessionRead`, `SlotRead`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    field_validator,
)

from upland.db import RowId
from upland.events.vocab import (
    EventKind,
    EventStatus,
    Language,
    MeetingOutcome,
    ParticipantType,
    RequestMode,
)
from upland.market.vocab import PartnershipType
from upland.strict_input import StrictInput

MULTILINE = frozenset({"description_pl", "description_en", "message", "offer", "seek"})
Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Clock = Annotated[str, StringConstraints(pattern=r"^([01]?\d|2[0-3]):[0-5]\d$")]
TableName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class Strict(StrictInput):
    """No unknown fields, no control characters in texts (line breaks only where multiline)."""

    multiline_fields: ClassVar[frozenset[str]] = MULTILINE


class BreakIn(Strict):
    starts: Clock
    ends: Clock


class SessionIn(Strict):
    """One day's stretch of meetings, local time (Europe/Warsaw)."""

    day: dt.date
    starts: Clock
    ends: Clock
    slot_minutes: int = Field(default=30, ge=5, le=240)
    breaks: list[BreakIn] = Field(default_factory=list, max_length=10)
    capacity: int | None = Field(default=None, ge=1, le=100_000)  # None: the event's places


class RuleIn(Strict):
    """Participants of type `requester` may ask participants of type `receiver` to meet."""

    requester: ParticipantType
    receiver: ParticipantType


class EventIn(Strict):
    """An event as its organiser writes it; `organiser_id` only when it is created (None: the
    cluster organises it, staff only)."""

    kind: EventKind
    organiser_id: RowId | None = None
    title_pl: Title = ""
    title_en: Title = ""
    description_pl: Description = ""
    description_en: Description = ""
    online: bool = False
    venue: Title = ""
    languages: list[Language] = Field(default_factory=lambda: [Language.PL], max_length=6)
    registration_opens: dt.date | None = None
    registration_closes: dt.date | None = None
    capacity: int | None = Field(default=None, ge=1, le=10000)
    sessions: list[SessionIn] = Field(default_factory=list, max_length=20)
    table_count: int = Field(default=0, ge=0, le=500)
    table_names: list[TableName] = Field(default_factory=list, max_length=500)
    reserved_tables: list[int] = Field(default_factory=list, max_length=500)
    participant_types: list[ParticipantType] = Field(
        default_factory=lambda: [ParticipantType.COMPANY], max_length=5
    )
    request_rules: list[RuleIn] = Field(default_factory=list, max_length=25)
    meeting_cap: int | None = Field(default=None, ge=1, le=100)
    request_mode: RequestMode = RequestMode.ACCEPTANCE


class SlotRead(BaseModel):
    id: str
    day: dt.date
    starts: str
    ends: str


class EventSessionRead(BaseModel):
    id: int
    day: dt.date
    starts: str
    ends: str
    slot_minutes: int
    breaks: list[BreakIn]
    capacity: int | None = None


class EventRead(BaseModel):
    id: int
    kind: EventKind
    status: EventStatus
    organiser_id: int | None
    organiser: str | None
    title: str
    title_pl: str
    title_en: str
    description_pl: str
    description_en: str
    online: bool
    venue: str
    video_link: str | None
    languages: list[str]
    starts_on: dt.date | None
    registration_opens: dt.date | None
    registration_closes: dt.date | None
    capacity: int | None
    sessions: list[EventSessionRead]
    slots: list[SlotRead]
    table_count: int
    table_names: list[str]
    reserved_tables: list[int]
    participant_types: list[str]
    request_rules: list[RuleIn]
    meeting_cap: int | None
    request_mode: RequestMode
    url: str


class EventList(BaseModel):
    items: list[EventRead]


Topic = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
Pitch = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
PersonName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]


class Attendance(Strict):
    """What a participant says of themself: the sessions attended (none: all), topics, and a
    short "what I offer / what I seek" (left empty: taken from the organisation's profile)."""

    participant_type: ParticipantType = ParticipantType.COMPANY
    sessions: list[RowId] = Field(default_factory=list, max_length=20)
    topics: list[Topic] = Field(default_factory=list, max_length=10)
    offer: Pitch = ""
    seek: Pitch = ""

    @field_validator("topics")
    @classmethod
    def _no_blank_topics(cls, topics: list[str]) -> list[str]:
        return [topic for topic in topics if topic]


class RegistrationIn(Attendance):
    """A member user registers for one of their organisations (left out: their only one)."""

    organisation_id: RowId | None = None


class GuestIn(Attendance):
    """A guest (an investor, a visitor) without an account; the organiser validates them."""

    name: PersonName
    email: Email
    organisation: Title = ""


class RegistrationRead(BaseModel):
    id: int
    event_id: int
    status: str
    attendance: str | None = None
    participant_type: str
    organisation_id: int | None
    organisation: str
    name: str
    guest: bool
    sessions: list[int]
    waiting_sessions: list[int] = []
    topics: list[str]
    offer: str
    seek: str
    created_at: dt.datetime


class RegistrationList(BaseModel):
    items: list[RegistrationRead]


class RequestIn(Strict):
    """Ask a participant (their registration's id) for a meeting."""

    receiver_id: RowId
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""
    priority: int = Field(default=2, ge=1, le=3, description="1 high, 2 normal, 3 low")


class ParticipantRead(BaseModel):
    registration_id: int
    name: str
    organisation: str
    organisation_id: int | None
    participant_type: str
    city: str | None
    topics: list[str]
    offer: str
    seek: str


class ParticipantList(BaseModel):
    items: list[ParticipantRead]


class ParticipantSuggestionRead(ParticipantRead):
    """A participant suggested by the matching engine: its score and the reasons for and
    against it, in the reader's language."""

    score: float
    reasons_for: list[str]
    reasons_against: list[str]


class SuggestionList(BaseModel):
    items: list[ParticipantSuggestionRead]


class RequestRead(BaseModel):
    id: int
    event_id: int
    requester_id: int
    requester: str
    receiver_id: int
    receiver: str
    message: str
    priority: int
    weight: float
    status: str
    created_at: dt.datetime


class RequestList(BaseModel):
    items: list[RequestRead]


class LockIn(Strict):
    locked: bool = True


class MoveIn(Strict):
    slot: Annotated[str, StringConstraints(max_length=40)]
    table: int = Field(ge=1, le=500)


class MeetingRead(BaseModel):
    id: int
    request_id: int
    slot: str
    day: dt.date | None
    starts: str | None
    ends: str | None
    table: int
    table_name: str
    locked: bool
    sequence: int
    sides: list[str]
    outcome: str | None = None
    agreement_type: str | None = None
    agreement_confirmed: bool = False  # an agreement counts once confirmed


class MeetingList(BaseModel):
    items: list[MeetingRead]
    unplaced: dict[str, str]


class MeetingOutcomeIn(Strict):
    outcome: MeetingOutcome
    agreement_type: PartnershipType | None = None
