"""Input and output shapes of the registry, shared by web forms, the JSON API, CLI and imports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from importlib import resources
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    JsonValue,
    StrictBool,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from upland import controls
from upland.errors import InvalidValue
from upland.i18n import N_, Message, plural_message
from upland.organisations import columns, identifiers
from upland.organisations.vocab import (
    CapabilityKind,
    ContactVisibility,
    MembershipStatus,
    OrganisationKind,
    SupplyTier,
    Visibility,
)

_ORG, _SITE, _PERSON = columns.ORGANISATION, columns.SITE, columns.PERSON
WEBSITE_MAX = _ORG["website"].max_length or 0
# The form of a web address the schema states and the API checks first (`columns.WEBSITE`).
WEBSITE_PATTERN = _ORG["website"].pattern or ""
_HTTP_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def _normalised_url(value: str) -> str:
    """The address as HttpUrl writes it (lower-case scheme and host, a trailing slash); it must
    still fit organisation.website. Refused by HttpUrl beyond the pattern: punycode (xn--)
    labels that do not decode."""
    try:
        url = str(_HTTP_URL.validate_python(value))
    except ValidationError:
        raise InvalidValue(
            Message(N_("enter a web address like https://firm.example")), code="url_parsing"
        ) from None
    if len(url) > WEBSITE_MAX:
        raise InvalidValue(
            plural_message(
                "the address is longer than {n} character",
                "the address is longer than {n} characters",
                n=WEBSITE_MAX,
            ),
            code="website.too_long",
        )
    return url


Website = Annotated[
    str,
    StringConstraints(max_length=WEBSITE_MAX, pattern=WEBSITE_PATTERN),
    AfterValidator(_normalised_url),
]
PKD_VERSIONS = (2007, 2025)


def _written_day(value: Any) -> Any:
    """A date is written YYYY-MM-DD, as the schema's format says; pydantic alone would also take
    a number of seconds since 1970 or a date and time."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and not re.fullmatch(columns.DATE, value.strip())
    ):
        raise InvalidValue("enter a date written YYYY-MM-DD", code="date.invalid")
    return value


Day = Annotated[dt.date, BeforeValidator(_written_day)]
# The forms of identifiers as the API takes them (spaces and dashes allowed; empty means none).
# NIP and REGON check digits, and whether a PKD code exists, are checked too but are beyond what
# a schema can say: a wrong one answers 422 naming the field.
KRS_FORM: dict[str, JsonValue] = {"pattern": r"^ *(?:[0-9] *){0,10}$"}
NIP_FORM: dict[str, JsonValue] = {
    "pattern": r"^$|^[ -]*(?:[Pp][Ll])?[ -]*(?:[0-9][ -]*){10}$",
    "description": "10 digits with a valid check digit, optionally prefixed PL",
}
REGON_FORM: dict[str, JsonValue] = {
    "pattern": r"^$|^[ -]*(?:(?:[0-9][ -]*){9}|(?:[0-9][ -]*){14})$",
    "description": "9 or 14 digits with a valid check digit",
}
PKD_CODE_FORM: dict[str, JsonValue] = {
    "pattern": r"^[0-9]{2}\.[0-9]{2}(\.[A-Za-z])?$",
    "description": "a PKD class or subclass of that version (PKD 2007: its group must exist)",
}


def _shipped_municipalities() -> list[dict[str, str]]:
    """The municipalities one may choose: reference data shipped with the package (and seeded);
    parts of municipalities (TERYT kinds 4, 5, 8, 9) are not among them."""
    text = (resources.files("upland.data") / "municipalities.csv").read_text(encoding="utf-8")
    return [row for row in csv.DictReader(io.StringIO(text)) if row["kind"] in "123"]


# Stated in the OpenAPI schema; the service still checks the database, which is seeded from it.
KNOWN_TERYT: list[JsonValue] = [row["teryt"] for row in _shipped_municipalities()]
_NAME_COUNTS = Counter(row["name"] for row in _shipped_municipalities())
KNOWN_CITIES: list[JsonValue] = [
    *KNOWN_TERYT,
    *sorted(name for name, count in _NAME_COUNTS.items() if count == 1),
]


MULTILINE_FIELDS = frozenset({*(r.name for r in _ORG.values() if r.multiline), "notes"})


def _state_control_rules(schema: dict[str, Any]) -> None:
    """The OpenAPI schema states the rule `_no_control_characters` enforces, field by field."""
    for name, prop in schema.get("properties", {}).items():
        multiline = name in MULTILINE_FIELDS
        controls.state_in_schema(
            prop, controls.TEXT_PATTERN if multiline else controls.LINE_PATTERN
        )


def _state_term_or_label(schema: dict[str, Any]) -> None:
    """A capability names a vocabulary term or has a label (not blank): the schema says so."""
    _state_control_rules(schema)
    schema["anyOf"] = [
        {"required": [name], "properties": {name: {"type": "string", "pattern": r"\S"}}}
        for name in ("term", "label")
    ]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=_state_control_rules
    )

    # Before stripping, so a leading tab or line break is refused as the schema says.
    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            multiline = info.field_name in MULTILINE_FIELDS
            if code := controls.forbidden_character(value, multiline=multiline):
                raise InvalidValue(controls.message(code), code="control_character")
        return value

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


class PkdIn(_Strict):
    code: str = Field(
        min_length=1, max_length=10, examples=["29.32.Z"], json_schema_extra=PKD_CODE_FORM
    )
    version: Literal[2007, 2025] = Field(default=2025, examples=[2025])
    is_primary: StrictBool = False


class SiteIn(_Strict):
    name: str = _SITE["name"].field("")
    street: str = _SITE["street"].field("")
    postal_code: str = _SITE["postal_code"].field("")
    locality: str = _SITE["locality"].field("")
    teryt: str = Field(
        min_length=1,
        max_length=120,
        description="TERYT code of a municipality Upland knows (stored); its name is accepted "
        "too where only one municipality has it, or qualified: 'Lubin (gmina wiejska)'",
        json_schema_extra={"enum": KNOWN_TERYT},
    )
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    is_headquarters: StrictBool = False


class PersonIn(_Strict):
    full_name: str = _PERSON["full_name"].field()
    role_title: str = _PERSON["role_title"].field("")
    email: str | None = _PERSON["email"].field(None)
    phone: str | None = _PERSON["phone"].field(None)
    contact_visibility: ContactVisibility = ContactVisibility.PRIVATE
    language: str = Field(default="pl", pattern=r"^(pl|en)$")


class CapabilityIn(_Strict):
    kind: CapabilityKind
    term: str | None = Field(
        default=None,
        max_length=60,
        description="slug of a term of the capability vocabulary, of this kind",
    )
    label: str = Field(default="", max_length=200)
    valid_from: Day | None = None
    valid_until: Day | None = Field(default=None, description="not before valid_from")
    notes: str = Field(default="", max_length=2000)

    model_config = ConfigDict(json_schema_extra=lambda schema: _state_term_or_label(schema))

    @model_validator(mode="after")
    def _term_or_label(self) -> CapabilityIn:
        if not self.term and not self.label:
            raise InvalidValue("give a vocabulary term or a label", code="capability.term_or_label")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise InvalidValue("valid_until is before valid_from", code="capability.dates_reversed")
        return self


class OrganisationBase(_Strict):
    kind: OrganisationKind
    legal_name: str = _ORG["legal_name"].field()
    short_name: str = _ORG["short_name"].field("")
    nip: str | None = Field(default=None, examples=["5260250995"], json_schema_extra=NIP_FORM)
    regon: str | None = Field(default=None, examples=["123456785"], json_schema_extra=REGON_FORM)
    krs: str | None = Field(default=None, examples=["0000012345"], json_schema_extra=KRS_FORM)
    website: Website | None = None
    description_pl: str = _ORG["description_pl"].field("")
    description_en: str = _ORG["description_en"].field("")
    founded_year: int | None = _ORG["founded_year"].field(None)
    employees: int | None = _ORG["employees"].field(None)
    supply_tier: SupplyTier | None = None
    membership_status: MembershipStatus = MembershipStatus.NONE
    member_since: Day | None = None
    visibility: Visibility = Visibility.PUBLIC
    capacity_notes: str = _ORG["capacity_notes"].field("")
    not_suggested: bool = Field(
        default=False, description="true: never suggested as a partner (still found by search)"
    )

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
    pkd_codes: list[PkdIn] = Field(default_factory=list, max_length=columns.MAX_PKD_CODES)
    sites: list[SiteIn] = Field(default_factory=list, max_length=columns.MAX_SITES)
    people: list[PersonIn] = Field(default_factory=list, max_length=columns.MAX_PEOPLE)
    capabilities: list[CapabilityIn] = Field(
        default_factory=list, max_length=columns.MAX_CAPABILITIES
    )


class OrganisationUpdate(_Strict):
    """Partial update of profile fields; absent fields stay as they are."""

    kind: OrganisationKind | None = None
    legal_name: str | None = _ORG["legal_name"].field(None)
    short_name: str | None = _ORG["short_name"].field(None)
    nip: str | None = Field(default=None, json_schema_extra=NIP_FORM)
    regon: str | None = Field(default=None, json_schema_extra=REGON_FORM)
    krs: str | None = Field(default=None, json_schema_extra=KRS_FORM)
    website: Website | None = None
    description_pl: str | None = _ORG["description_pl"].field(None)
    description_en: str | None = _ORG["description_en"].field(None)
    founded_year: int | None = _ORG["founded_year"].field(None)
    employees: int | None = _ORG["employees"].field(None)
    supply_tier: SupplyTier | None = None
    membership_status: MembershipStatus | None = None
    member_since: Day | None = None
    visibility: Visibility | None = None
    capacity_notes: str | None = _ORG["capacity_notes"].field(None)
    not_suggested: bool | None = Field(
        default=None, description="true: never suggested as a partner (still found by search)"
    )
    pkd_codes: list[PkdIn] | None = Field(default=None, max_length=columns.MAX_PKD_CODES)

    _nip = field_validator("nip")(OrganisationBase._nip.__func__)  # type: ignore[attr-defined]
    _regon = field_validator("regon")(OrganisationBase._regon.__func__)  # type: ignore[attr-defined]
    _krs = field_validator("krs")(OrganisationBase._krs.__func__)  # type: ignore[attr-defined]


class OrganisationFilter(_Strict):
    q: str | None = Field(default=None, max_length=200, description="free text")
    kind: OrganisationKind | None = None
    city: str | None = Field(
        default=None,
        max_length=100,
        description="municipality TERYT code or name",
        json_schema_extra={"enum": [*KNOWN_CITIES, "", None]},
    )
    pkd: str | None = Field(
        default=None,
        max_length=10,
        description="PKD code at any level: C, 29, 29.3, 29.32, 29.32.Z",
        json_schema_extra={"pattern": r"^$|^([A-Va-v]|[0-9]{2}(\.[0-9]([0-9](\.[A-Za-z])?)?)?)$"},
    )
    capability: str | None = Field(default=None, max_length=60, description="vocabulary slug")
    certification: str | None = Field(default=None, max_length=60, description="vocabulary slug")
    size_class: str | None = Field(default=None, pattern=r"^(micro|small|medium|large)$")
    tier: SupplyTier | None = None
    membership: MembershipStatus | None = None
    sort: str = Field(
        default="relevance",
        pattern=r"^(relevance|-?(name|founded|employees|updated))$",
        description="relevance (by name when there is no free text), or a column",
    )


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
    """A contact person; listed at all only to those their `contact_visibility` allows."""

    id: int
    full_name: str
    role_title: str
    email: str | None = Field(description="only when the person consented to show it to you")
    phone: str | None
    language: str


class HiddenContacts(BaseModel):
    """How many contact people are not listed for you, by who may see them: no personal data."""

    members: int = Field(0, description="shown to logged-in users of member organisations")
    private: int = Field(0, description="shown only to the organisation's own users and staff")


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
    not_suggested: bool = Field(description="never suggested as a partner")
    updated_at: dt.datetime
    pkd_codes: list[PkdRead]
    sites: list[SiteRead]
    people: list[PersonRead] = Field(description="only the people whose consent covers you")
    hidden_contacts: HiddenContacts
    capabilities: list[CapabilityRead]


class RestoredRead(BaseModel):
    """What undoing a removal put back."""

    removal: str = Field(description="the removal's token, as in the `Upland-Removal` header")
    kind: str = Field(description="sites, people, capabilities or members")
    organisation_id: int
    id: int = Field(description="the restored row's id; for members, the user's id")


class OrganisationPage(BaseModel):
    items: list[OrganisationSummary]
    total: int
    next_cursor: str | None = None
    prev_cursor: str | None = None
