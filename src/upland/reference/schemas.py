"""Shapes of reference data in the API."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from upland.reference.pkd_suggest import PkdAnalysis, PkdSuggestion


class MatchedTermRead(BaseModel):
    word: str = Field(description="a word of the description, as written")
    source: Literal["name", "hint", "parent"] = Field(
        description="where the code has it: its own name, the keyword hints, or the name of "
        "its class or division"
    )


class PkdSuggestionRead(BaseModel):
    code: str
    name_pl: str
    name_en: str
    score: float = Field(ge=0, le=1)
    matched_text: str = Field(description="the part of the description this code matched")
    confident: bool = Field(description="false: a guess, the score is too low to rely on")
    matched_terms: list[MatchedTermRead]
    closest_phrase: str = Field(
        "",
        description="the code's name or keyword hint nearest the matched text in meaning "
        "(the E5 model); empty when the suggester runs without it",
    )

    @classmethod
    def of(cls, suggestion: PkdSuggestion) -> PkdSuggestionRead:
        return cls(
            **{k: v for k, v in vars(suggestion).items() if k != "matched_terms"},
            matched_terms=[
                MatchedTermRead(word=t.word, source=t.source) for t in suggestion.matched_terms
            ],
        )


class PkdActivityRead(BaseModel):
    text: str = Field(description="one activity (clause) of the description")
    confident: bool
    suggestions: list[PkdSuggestionRead]


class PkdNoticeRead(BaseModel):
    code: str
    message: str


class PkdAnalysisRead(BaseModel):
    """Suggestions with what to know before trusting them."""

    description: str
    confident: bool = Field(description="whether the best suggestion is a confident one")
    too_short: bool
    notices: list[PkdNoticeRead]
    suggestions: list[PkdSuggestionRead]
    activities: list[PkdActivityRead] = Field(
        description="each activity of a multi-activity description with its own best codes"
    )

    @classmethod
    def of(cls, analysis: PkdAnalysis) -> PkdAnalysisRead:
        return cls(
            description=analysis.description,
            confident=analysis.confident,
            too_short=analysis.too_short,
            notices=[PkdNoticeRead(code=c, message=m.english()) for c, m in analysis.notices()],
            suggestions=[PkdSuggestionRead.of(s) for s in analysis.suggestions],
            activities=[
                PkdActivityRead(
                    text=a.text,
                    confident=a.confident,
                    suggestions=[PkdSuggestionRead.of(s) for s in a.suggestions],
                )
                for a in analysis.activities
            ],
        )


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


class PkdEntryRead(BaseModel):
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
