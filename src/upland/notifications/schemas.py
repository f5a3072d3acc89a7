"""The JSON shapes of notifications and preferences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from upland.notifications.models import Delivery

KIND_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$"
KindCode = Annotated[str, StringConstraints(pattern=KIND_PATTERN, max_length=80)]


class NotificationRead(BaseModel):
    id: int
    kind: str
    text: str = Field(description="the news in English")
    params: dict[str, object]
    link: str | None = Field(description="absolute address of what the news is about")
    created_at: dt.datetime
    read_at: dt.datetime | None
    delivery: Delivery


class NotificationPageRead(BaseModel):
    items: list[NotificationRead]
    page: int
    per_page: int
    total: int
    unread: int


class ReadAllResult(BaseModel):
    marked: int


class KindPreference(BaseModel):
    kind: str
    category: str
    label: str
    delivery: Delivery
    default: Delivery
    chosen: bool


class PreferencesRead(BaseModel):
    mail: bool = Field(description="false: no notification e-mail at all, whatever the kinds say")
    kinds: list[KindPreference]


class PreferencesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mail: bool | None = Field(default=None, description="false: no notification e-mail at all")
    kinds: dict[KindCode, Delivery] = Field(
        default_factory=dict,
        max_length=200,
        description="kind code (as `GET` lists them) → delivery; a kind not listed: 404",
        json_schema_extra={
            "propertyNames": {"pattern": KIND_PATTERN, "maxLength": 80},
            "additionalProperties": False,
        },
    )
