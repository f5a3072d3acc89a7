"""What the weights' API takes and answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Version(BaseModel):
    id: int
    status: str = Field(description="saved, proposed, accepted or rejected")
    values: dict[str, float]
    examples: int = Field(description="for a proposal: how many verdicts it was learnt from")
    note: str
    created_at: dt.datetime


class WeightsRead(BaseModel):
    """The weights that rank now, the defaults, the pending proposal and recent versions."""

    current: dict[str, float]
    defaults: dict[str, float]
    proposal: Version | None
    versions: list[Version]


class WeightsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    values: dict[str, float] = Field(description="feature: weight (0 to 5); others unchanged")
    note: str = Field(default="", max_length=500)


class ExampleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=2000)
    kind: str = Field(default="", description="'', organisations or opportunities")


class ExampleRead(BaseModel):
    id: int
    text: str
    kind: str


class MovedRead(BaseModel):
    kind: str
    id: int
    name: str
    before: int | None = Field(description="rank under the weights that rank now (1-10)")
    after: int | None = Field(description="rank under the candidate weights")


class PreviewRead(BaseModel):
    example_id: int
    text: str
    rows: list[MovedRead]
    left: list[MovedRead] = Field(description="in the current top ten, not in the candidate's")
