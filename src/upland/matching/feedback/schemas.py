"""What feedback on a suggestion takes and what its report answers."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ItemKind = Literal["organisation", "opportunity"]


class FeedbackIn(BaseModel):
    """One verdict on one suggestion, in the ask it came from: an item's partners
    (`source_kind`, `source_id`) or a free text (`q`)."""

    model_config = ConfigDict(extra="forbid")

    target_kind: ItemKind
    target_id: int = Field(ge=1, le=2**31 - 1)
    source_kind: ItemKind | None = None
    source_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    q: str = Field(default="", max_length=2000)
    text: float = Field(default=0.0, ge=0.0, le=1.0, description="the retrieval score shown")
    useful: bool
    reason: str = Field(default="", max_length=20, description="required when not useful")
    comment: str = Field(default="", max_length=1000)


class FeedbackRead(BaseModel):
    id: int
    target_kind: str
    target_id: int
    useful: bool
    reason: str
    created_at: dt.datetime


class ReasonCount(BaseModel):
    useful: bool
    reason: str
    count: int


class Comment(BaseModel):
    created_at: dt.datetime
    useful: bool
    reason: str
    comment: str
    target_kind: str
    target_id: int


class FeedbackReport(BaseModel):
    """Counts of verdicts by reason and the recent comments (for the coordinator)."""

    total: int
    useful: int
    not_relevant: int
    by_reason: list[ReasonCount]
    comments: list[Comment]
