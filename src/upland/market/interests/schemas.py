"""Input and output shapes of interests, introductions, outcomes and bookings, shared by the
web forms, the JSON API and the CLI. Lengths and closed vocabularies are checked here (a 422
naming the field); what depends on stored data or on today is the service's."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from upland.db import RowId
from upland.market.interests.vocab import AgreementType, DeclineReason, OutcomeKind
from upland.organisations.schemas import Day, PersonRead

MESSAGE_MAX = 2_000
Message = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MESSAGE_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InterestIn(Strict):
    """An expression of interest; `organisation_id`: on whose behalf (the actor's only
    organisation it edits when left out)."""

    organisation_id: RowId | None = None
    message: Message = ""


class PassIn(Strict):
    """A firm passing on a research organisation's offer, with the reason it gives."""

    organisation_id: RowId | None = None
    reason: DeclineReason
    message: Message = ""


class DecisionIn(Strict):
    """The owner's optional message with an acceptance or a refusal."""

    message: Message = ""


class OutcomeIn(Strict):
    """What came of an introduction, as one side reports it: a meeting held (its date), an
    agreement signed (its type), or abandoned (the reason)."""

    kind: OutcomeKind
    organisation_id: RowId | None = None
    occurred_on: Day | None = None
    agreement_type: AgreementType | None = None
    reason: Message = ""
    note: Message = ""


class BookingIn(Strict):
    organisation_id: RowId | None = None
    starts_on: Day
    ends_on: Day
    purpose: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MESSAGE_MAX)
    ]


# --- what readers are shown ----------------------------------------------------------------------


class PartyRead(BaseModel):
    id: int
    name: str


class InterestRead(BaseModel):
    id: int
    opportunity_id: int
    opportunity_title: str
    opportunity_title_en: str = ""  # the English title, where the owner gave one
    organisation: PartyRead
    response: str
    status: str
    message: str
    decline_reason: str | None
    answer: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    introduction_id: int | None = None
    actions: list[str] = []


class OutcomeRead(BaseModel):
    id: int
    organisation_id: int
    kind: str
    occurred_on: dt.date | None
    agreement_type: str | None
    reason: str
    note: str
    confirms_id: int | None
    confirmed_as: str | None
    confirmed_at: dt.datetime | None
    created_at: dt.datetime
    counts: bool = Field(description="an agreement confirmed by the other side or coordinator")
    can_confirm: bool = False


class ContactsRead(BaseModel):
    """The other organisation's contact people, only those whose consent covers the reader."""

    organisation: PartyRead
    people: list[PersonRead]


class IntroductionRead(BaseModel):
    id: int
    opportunity_id: int
    opportunity_title: str
    opportunity_title_en: str = ""  # the English title, where the owner gave one
    owner: PartyRead
    interested: PartyRead
    created_at: dt.datetime
    outcomes: list[OutcomeRead]
    agreements_counted: int
    contacts: list[ContactsRead] = []


class IntroductionPage(BaseModel):
    items: list[IntroductionRead]
    total: int


class InterestPage(BaseModel):
    items: list[InterestRead]
    total: int


class BookingRead(BaseModel):
    id: int
    opportunity_id: int
    organisation: PartyRead
    starts_on: dt.date
    ends_on: dt.date
    purpose: str
    status: str
    answer: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    actions: list[str] = []


class BookedDays(BaseModel):
    """An accepted booking on the offer's calendar; who booked only for the owner's users."""

    starts_on: dt.date
    ends_on: dt.date
    organisation: PartyRead | None = None


class CalendarRead(BaseModel):
    opportunity_id: int
    month: str
    booked: list[BookedDays]
