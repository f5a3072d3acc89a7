"""Input and output shapes of the marketplace, shared by the web forms, the JSON API and the CLI.

Lengths, ranges and closed vocabularies are checked here (a 422 naming the field); what depends
on several fields or on today (TRL only for technology kinds, expiry not before today, capacity
from ≤ to, a title and description in at least one language) is checked by the service on the
opportunity as it would be saved (`service.core.check_opportunity`), for creation and edits
alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, get_args

from pydantic import (
    BaseModel,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from upland.db import RowId
from upland.errors import InvalidValue
from upland.market.vocab import (
    CapabilityRole,
    IpStatus,
    OpportunityKind,
    OwnerKind,
    PartnershipType,
    Sort,
    Visibility,
)
from upland.organisations.schemas import KNOWN_CITIES, Day
from upland.strict_input import StrictInput

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000
NOTE_MAX = 5_000
SHORT_MAX = 200
MESSAGE_MAX = 2_000

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=TITLE_MAX)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=DESCRIPTION_MAX)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SHORT_MAX)]
Teryt = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{2}|\d{4}|\d{7})$")]
PkdCode = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{2}\.[0-9]{2}(\.[A-Za-z])?$")
]
PatentNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


# Texts that may hold line breaks and tabs; every other text is one line (`upland.controls`).
MULTILINE_FIELDS = frozenset(
    {
        "description_pl",
        "description_en",
        "advantages",
        "innovation",
        "equipment",
        "conditions",
        "message",
        "reason",
    }
)


class Strict(StrictInput):
    multiline_fields: ClassVar[frozenset[str]] = MULTILINE_FIELDS

    @field_validator("*", mode="before")
    @classmethod
    def _no_true_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        """true/false only where the schema says boolean (pydantic would take true as 1)."""
        annotation = cls.model_fields[str(info.field_name)].annotation
        if isinstance(value, bool) and bool not in (get_args(annotation) or (annotation,)):
            raise InvalidValue(
                "true or false is not a value of this field", code="bool.not_allowed"
            )
        return value


class OpportunityPkdIn(Strict):
    code: PkdCode
    version: int = Field(default=2025, ge=2007, le=2025)


class OpportunityCapabilityIn(Strict):
    """A term of the shared capability vocabulary (its slug), offered or required."""

    term: Slug
    role: CapabilityRole = CapabilityRole.OFFERED


class OpportunityFields(Strict):
    """What an owner writes; every field optional here, the service says what a kind needs."""

    title_pl: Title = ""
    title_en: Title = ""
    description_pl: Description = ""
    description_en: Description = ""
    advantages: Note = ""
    innovation: Note = ""
    process: Short = ""
    machine: Short = ""
    hours_per_week: int | None = Field(default=None, ge=1, le=168)
    available_from: Day | None = None
    available_to: Day | None = None
    equipment: Note = ""
    conditions: Note = ""
    trl: int | None = Field(default=None, ge=1, le=9)
    ip_status: IpStatus | None = None
    patent_number: PatentNumber = ""
    partnership_types: list[PartnershipType] = Field(default_factory=list, max_length=9)
    pkd_codes: list[OpportunityPkdIn] = Field(default_factory=list, max_length=20)
    capabilities: list[OpportunityCapabilityIn] = Field(default_factory=list, max_length=40)
    places: list[Teryt] = Field(default_factory=list, max_length=40)
    named: list[RowId] = Field(default_factory=list, max_length=100)
    deadline: Day | None = None
    expires_on: Day | None = None
    visibility: Visibility = Visibility.MEMBERS
    anonymous: bool = False


class OpportunityCreate(OpportunityFields):
    kind: OpportunityKind
    owner_id: RowId


class OpportunityUpdate(Strict):
    """A partial edit: fields left out stay; null empties an optional field."""

    kind: OpportunityKind | None = None
    title_pl: Title | None = None
    title_en: Title | None = None
    description_pl: Description | None = None
    description_en: Description | None = None
    advantages: Note | None = None
    innovation: Note | None = None
    process: Short | None = None
    machine: Short | None = None
    hours_per_week: int | None = Field(default=None, ge=1, le=168)
    available_from: Day | None = None
    available_to: Day | None = None
    equipment: Note | None = None
    conditions: Note | None = None
    trl: int | None = Field(default=None, ge=1, le=9)
    ip_status: IpStatus | None = None
    patent_number: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None
    ) = None
    partnership_types: list[PartnershipType] | None = Field(default=None, max_length=9)
    pkd_codes: list[OpportunityPkdIn] | None = Field(default=None, max_length=20)
    capabilities: list[OpportunityCapabilityIn] | None = Field(default=None, max_length=40)
    places: list[Teryt] | None = Field(default=None, max_length=40)
    named: list[RowId] | None = Field(default=None, max_length=100)
    deadline: Day | None = None
    expires_on: Day | None = None
    visibility: Visibility | None = None
    anonymous: bool | None = None


class ReturnIn(Strict):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        description="what should change (not blank)"
    )


class RenewIn(Strict):
    expires_on: Day


class AccessRequestIn(Strict):
    organisation_id: RowId
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=MESSAGE_MAX)] = ""


class AccessDecisionIn(Strict):
    grant: bool


class OpportunityFilter(Strict):
    """The browse list's filter; every field optional."""

    q: str | None = Field(default=None, max_length=200)
    kind: OpportunityKind | None = None
    pkd: str | None = Field(
        default=None,
        max_length=10,
        description="PKD code at any level: C, 29, 29.3, 29.32, 29.32.Z",
        json_schema_extra={"pattern": r"^$|^([A-Va-v]|[0-9]{2}(\.[0-9]([0-9](\.[A-Za-z])?)?)?)$"},
    )
    capability: str | None = Field(default=None, max_length=80, description="vocabulary slug")
    certification: str | None = Field(
        default=None, max_length=80, description="vocabulary slug of a certification"
    )
    city: str | None = Field(
        default=None,
        max_length=100,
        description="a city of interest: municipality TERYT code or name",
        json_schema_extra={"enum": [*KNOWN_CITIES, "", None]},
    )
    trl_min: int | None = Field(default=None, ge=1, le=9)
    trl_max: int | None = Field(default=None, ge=1, le=9)
    published_since: Day | None = None
    published_until: Day | None = None
    owner_kind: OwnerKind | None = None
    sort: Sort = Sort.NEWEST


# --- what readers are shown ----------------------------------------------------------------------


class OwnerRead(BaseModel):
    id: int
    name: str
    kind: str


class OpportunityPkdRead(BaseModel):
    code: str
    version: int
    section: str


class OpportunityCapabilityRead(BaseModel):
    term: str
    kind: str
    name: str
    role: str


class AttachmentRead(BaseModel):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class OpportunitySummary(BaseModel):
    """A list row. `teaser`: the reader sees only kind, sector, title (a restricted one they
    were not named on); `owner` is null whenever the reader may not know it."""

    id: int
    kind: str
    status: str
    title_pl: str
    title_en: str
    sections: list[str]
    teaser: bool
    owner: OwnerRead | None
    anonymous: bool
    trl: int | None = None
    deadline: dt.date | None = None
    expires_on: dt.date | None = None
    published_at: dt.datetime | None = None
    places: list[str] = []


class OpportunityRead(OpportunitySummary):
    """One opportunity as the reader may see it (a teaser leaves every detail empty)."""

    visibility: str
    description_pl: str = ""
    description_en: str = ""
    advantages: str = ""
    innovation: str = ""
    process: str = ""
    machine: str = ""
    hours_per_week: int | None = None
    available_from: dt.date | None = None
    available_to: dt.date | None = None
    equipment: str = ""
    conditions: str = ""
    ip_status: str | None = None
    patent_number: str = ""
    partnership_types: list[str] = []
    pkd_codes: list[OpportunityPkdRead] = []
    capabilities: list[OpportunityCapabilityRead] = []
    named: list[int] = []
    attachments: list[AttachmentRead] = []
    review_reason: str = ""
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    actions: list[str] = []


class OpportunityPage(BaseModel):
    items: list[OpportunitySummary]
    total: int
    next_cursor: str | None
    prev_cursor: str | None


class AccessRequestRead(BaseModel):
    id: int
    opportunity_id: int
    organisation_id: int
    organisation: str
    message: str
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


def jsonable(data: BaseModel) -> dict[str, Any]:
    return data.model_dump(mode="json")
