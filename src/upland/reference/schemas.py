"""Shapes of reference data in the API."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field


class PkdSuggestionRead(BaseModel):
    code: str
    name_pl: str
    name_en: str
    score: float = Field(ge=0, le=1)
    matched_text: str


class PkdSuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=3,
        max_length=5000,
        examples=["we machine steel shafts and weld frames for trailers"],
        # At least one word of two letters or more, as the suggester requires.
        json_schema_extra={"pattern": r"[^\W\d_]{2}"},
    )
    limit: int = Field(default=10, ge=1, le=50)


class PkdRead(BaseModel):
    version: int
    code: str
    level: int
    section: str
    parent: str | None
    name_pl: str
    name_en: str


class MunicipalityRead(BaseModel):
    teryt: str
    name: str
    kind: str
    county_teryt: str
    county_name: str
    voivodeship: str
    voivodeship_teryt: str
    nuts2: str
    population: int | None
    is_partner: bool


class CapabilityTermRead(BaseModel):
    kind: str
    slug: str
    name_pl: str
    name_en: str


class MunicipalitySuggestion(BaseModel):
    """A municipality offered as the user types; `label` tells apart the ones sharing a name."""

    teryt: str
    name: str
    kind: str
    kind_label: str
    county_teryt: str
    county_name: str
    voivodeship: str
    in_partner_area: bool
    shared_name: bool
    label: str


TermKind = Literal["process", "material", "certification", "equipment", "infrastructure"]
TERM_KINDS: tuple[str, ...] = get_args(TermKind)


class CapabilityTermIn(BaseModel):
    """A term the coordinator adds to the vocabulary: its code (slug) and both names."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: TermKind
    slug: str = Field(
        min_length=2,
        max_length=60,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="lower-case letters, digits and hyphens, e.g. iso-13485",
    )
    name_pl: str = Field(min_length=2, max_length=120)
    name_en: str = Field(min_length=2, max_length=120)
