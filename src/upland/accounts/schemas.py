"""Account shapes for the API and forms."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from upland.actor import OrgRole
from upland.db import RowId
from upland.errors import InvalidValue
from upland.mail import addresses

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def _email_shaped(value: str) -> str:
    """Exactly one plain address, with a message people understand (not a quoted regex)."""
    if not addresses.is_single_address(value):
        raise InvalidValue(addresses.MESSAGE, code="email.invalid")
    return value


Email = Annotated[
    str,
    Field(
        max_length=254,
        json_schema_extra={"pattern": EMAIL_PATTERN},
        description="exactly one plain address (no display name, quotes or commas), as "
        "email-validator checks it without DNS",
    ),
    AfterValidator(_email_shaped),
]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Email
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


class SessionRead(BaseModel):
    """One of your log-in sessions; `current` is the one this request came with."""

    id: int
    device: str = Field(description="Browser and system, empty when unrecognised.")
    address: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool


class MemberRead(BaseModel):
    """A user with a role in an organisation, as the organisation's admins see them."""

    user_id: int
    email: str
    full_name: str
    role: OrgRole
    status: Literal["active", "inactive"] = Field(description="inactive: account switched off")
    last_login_at: dt.datetime | None


class MemberAdd(BaseModel):
    """Invite a person by e-mail; the role is theirs once they accept."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Email
    role: OrgRole = OrgRole.VIEWER


class MemberInvited(BaseModel):
    """The same answer whether the address has an account, an invitation already, or nothing."""

    email: str
    status: Literal["invited"] = "invited"
    url: str | None = Field(
        default=None,
        description="development mode only: the e-mailed link; otherwise it goes to the address",
    )


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: OrgRole


class InvitationRead(BaseModel):
    """An invitation nobody has accepted yet (it may have expired)."""

    id: int
    email: str
    role: OrgRole
    created_at: dt.datetime
    expires_at: dt.datetime


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
    before: dict[str, Any] | None
    after: dict[str, Any] | None
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
