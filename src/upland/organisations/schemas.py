"""Input and output shapes of the registry, shared by web forms, the JSON API, CLI and imports."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    UrlConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from upland import controls
from upland.organisations import identifiers
from upland.organisations.vocab import (
    CapabilityKind,
    ContactVisibility,
    MembershipStatus,
    OrganisationKind,
    SupplyTier,
    Visibility,
)

Text200 = Annotated[str, Field(max_length=200)]
WEBSITE_MAX = 300


def _fits_column(url: HttpUrl) -> HttpUrl:
    """The normalised address (punycode, trailing slash) must fit organisation.website."""
    if len(str(url)) > WEBSITE_MAX:
        raise ValueError(f"the address is longer than {WEBSITE_MAX} characters")
    return url


Website = Annotated[HttpUrl, UrlConstraints(max_length=WEBSITE_MAX), AfterValidator(_fits_column)]
PKD_VERSIONS = (2007, 2025)


MULTILINE_FIELDS = frozenset({"description_pl", "description_en", "capacity_notes", "notes"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            multiline = info.field_name in MULTILINE_FIELDS
            if code := controls.forbidden_character(value, multiline=multiline):
                raise ValueError(controls.message(code))
        return value


class PkdIn(_Strict):
    code: str = Field(min_length=1, max_length=10, examples=["29.32.Z"])
    version: Literal[2007, 2025] = Field(default=2025, examples=[2025])
    is_primary: bool = False


class SiteIn(_Strict):
    name: str = Field(default="", max_length=120)
    street: str = Field(default="", max_length=200)
    postal_code: str = Field(default="", pattern=r"^(\d{2}-\d{3})?$")
    locality: str = Field(default="", max_length=100)
    teryt: str = Field(pattern=r"^\d{7}$", description="TERYT code of the municipality")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    is_headquarters: bool = False


class PersonIn(_Strict):
    full_name: str = Field(min_length=1, max_length=200)
    role_title: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9 +()\-]{5,40}$")
    contact_visibility: ContactVisibility = ContactVisibility.PRIVATE
    language: str = Field(default="pl", pattern=r"^(pl|en)$")


class CapabilityIn(_Strict):
    kind: CapabilityKind
    term: str | None = Field(default=None, max_length=60, description="vocabulary slug")
    label: str = Field(default="", max_length=200)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    notes: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _term_or_label(self) -> CapabilityIn:
        if not self.term and not self.label:
            raise ValueError("give a vocabulary term or a label")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class OrganisationBase(_Strict):
    kind: OrganisationKind
    legal_name: str = Field(min_length=2, max_length=300)
    short_name: str = Field(default="", max_length=120)
    nip: str | None = Field(default=None, examples=["5260250995"])
    regon: str | None = Field(default=None, examples=["123456785"])
    krs: str | None = Field(default=None, examples=["0000012345"])
    website: Website | None = None
    description_pl: str = Field(default="", max_length=5000)
    description_en: str = Field(default="", max_length=5000)
    founded_year: int | None = Field(default=None, ge=1800, le=2100)
    employees: int | None = Field(default=None, ge=0, le=1_000_000)
    supply_tier: SupplyTier | None = None
    membership_status: MembershipStatus = MembershipStatus.NONE
    member_since: dt.date | None = None
    visibility: Visibility = Visibility.PUBLIC
    capacity_notes: str = Field(default="", max_length=2000)

    @field_validator("nip")
    @classmethod
    def _nip(cls, value: str | None) -> str | None:
        return identifiers.clean_nip(value) if value else None

    @field_validator("regon")
    @classmethod
    def _regon(cls, value: str | None) -> str | None:
        return identifiers.clean_regon(value) if value else None

    @field_validator("krs")
    @classmethod
    def _krs(cls, value: str | None) -> str | None:
        return identifiers.clean_krs(value) if value else None


class OrganisationCreate(OrganisationBase):
    pkd_codes: list[PkdIn] = Field(default_factory=list, max_length=50)
    sites: list[SiteIn] = Field(default_factory=list, max_length=50)
    people: list[PersonIn] = Field(default_factory=list, max_length=100)
    capabilities: list[CapabilityIn] = Field(default_factory=list, max_length=200)


class OrganisationUpdate(_Strict):
    """Partial update of profile fields; absent fields stay as they are."""

    kind: OrganisationKind | None = None
    legal_name: str | None = Field(default=None, min_length=2, max_length=300)
    short_name: str | None = Field(default=None, max_length=120)
    nip: str | None = None
    regon: str | None = None
    krs: str | None = None
    website: Website | None = None
    description_pl: str | None = Field(default=None, max_length=5000)
    description_en: str | None = Field(default=None, max_length=5000)
    founded_year: int | None = Field(default=None, ge=1800, le=2100)
    employees: int | None = Field(default=None, ge=0, le=1_000_000)
    supply_tier: SupplyTier | None = None
    membership_status: MembershipStatus | None = None
    member_since: dt.date | None = None
    visibility: Visibility | None = None
    capacity_notes: str | None = Field(default=None, max_length=2000)
    pkd_codes: list[PkdIn] | None = Field(default=None, max_length=50)

    _nip = field_validator("nip")(OrganisationBase._nip.__func__)  # type: ignore[attr-defined]
    _regon = field_validator("regon")(OrganisationBase._regon.__func__)  # type: ignore[attr-defined]
    _krs = field_validator("krs")(OrganisationBase._krs.__func__)  # type: ignore[attr-defined]


class OrganisationFilter(_Strict):
    q: str | None = Field(default=None, max_length=200, description="free text")
    kind: OrganisationKind | None = None
    city: str | None = Field(
        default=None, max_length=100, description="municipality TERYT code or name"
    )
    pkd: str | None = Field(
        default=None,
        max_length=10,
        description="PKD code at any level: C, 29, 29.3, 29.32, 29.32.Z",
    )
    capability: str | None = Field(default=None, max_length=60, description="vocabulary slug")
    certification: str | None = Field(default=None, max_length=60, description="vocabulary slug")
    size_class: str | None = Field(default=None, pattern=r"^(micro|small|medium|large)$")
    tier: SupplyTier | None = None
    membership: MembershipStatus | None = None
    sort: str = Field(default="name", pattern=r"^-?(name|founded|employees|updated)$")


class PkdRead(BaseModel):
    code: str
    version: int
    is_primary: bool
    name: str = ""


class SiteRead(BaseModel):
    id: int
    name: str
    street: str
    postal_code: str
    locality: str
    teryt: str
    municipality: str
    voivodeship: str
    latitude: float | None
    longitude: float | None
    is_headquarters: bool


class PersonRead(BaseModel):
    id: int
    full_name: str
    role_title: str
    email: str | None = Field(description="only when the person consented to show it to you")
    phone: str | None
    language: str


class CapabilityRead(BaseModel):
    id: int
    kind: str
    term: str | None
    name: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    notes: str


class OrganisationSummary(BaseModel):
    id: int
    kind: str
    legal_name: str
    short_name: str
    nip: str | None
    city: str | None
    teryt: str | None
    size_class: str | None
    supply_tier: str | None
    membership_status: str
    visibility: str
    primary_pkd: str | None


class OrganisationRead(OrganisationSummary):
    regon: str | None
    krs: str | None
    website: str | None
    description_pl: str
    description_en: str
    founded_year: int | None
    employees: int | None
    member_since: dt.date | None
    capacity_notes: str
    updated_at: dt.datetime
    pkd_codes: list[PkdRead]
    sites: list[SiteRead]
    people: list[PersonRead]
    capabilities: list[CapabilityRead]


class OrganisationPage(BaseModel):
    items: list[OrganisationSummary]
    total: int
    next_cursor: str | None = None
    prev_cursor: str | None = None
