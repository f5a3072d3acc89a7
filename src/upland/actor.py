"""Who is acting: a plain value built once per request, so permission checks never hit the DB."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class OrgRole(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"


ROLE_RANK = {OrgRole.VIEWER: 1, OrgRole.EDITOR: 2, OrgRole.ADMIN: 3}


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str
    org_roles: Mapping[int, OrgRole] = field(default_factory=dict)
    is_cluster_member: bool = False
    officer_teryt: str | None = None
    is_coordinator: bool = False
    is_admin: bool = False
    session_id: int | None = None  # the browser session acting, if any (kept by a password change)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_admin

    @property
    def is_staff(self) -> bool:
        """Coordinator or platform admin: may manage every member."""
        return self.is_coordinator or self.is_admin

    def has_role(self, organisation_id: int | None, at_least: OrgRole) -> bool:
        if organisation_id is None:
            return False
        role = self.org_roles.get(organisation_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[at_least]


ANONYMOUS = Actor(user_id=None, label="anonymous")
SYSTEM = Actor(user_id=None, label="system", is_admin=True)
