"""Account shapes for the API and forms."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from upland.accounts.actor import OrgRole
from upland.db import RowId


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    full_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=200)
    language: str = Field(default="pl", pattern=r"^(pl|en)$")


class MembershipRead(BaseModel):
    organisation_id: int
    role: OrgRole


class UserRead(BaseModel):
    id: int
    email: str
    full_name: str
    is_active: bool
    is_coordinator: bool
    is_platform_admin: bool
    officer_teryt: str | None
    language: str
    memberships: list[MembershipRead]


class TokenCreated(BaseModel):
    id: int
    name: str
    token: str = Field(description="shown once; only its hash is stored")


class AuditRead(BaseModel):
    id: int
    at: dt.datetime
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    summary: str
    before: dict | None
    after: dict | None
    request_id: str | None


class AuditFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str | None = Field(default=None, max_length=100)
    object_type: str | None = Field(default=None, max_length=50)
    object_id: str | None = Field(default=None, max_length=50)
    actor: str | None = Field(default=None, max_length=254)


class AuditQuery(AuditFilter):
    """The audit filter plus keyset paging: one query model, since the filter forbids extras."""

    before: RowId | None = Field(default=None, description="the last id you saw")
    limit: int = Field(default=50, ge=1, le=200)
