"""Who may manage accounts, tokens and read the audit log."""

from __future__ import annotations

from typing import Any

from upland.actor import Actor, OrgRole
from upland.permissions import rule


@rule("accounts.user.manage")
def can_manage_users(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("accounts.platform_admin.grant")
def can_grant_platform_admin(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_admin


@rule("accounts.membership.manage", int)
def can_manage_membership(actor: Actor, organisation_id: int | None) -> bool:
    """Org admins manage their own organisation's members; staff manage everyone's."""
    return actor.is_staff or actor.has_role(organisation_id, OrgRole.ADMIN)


@rule("accounts.audit.view")
def can_view_audit(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("accounts.self.manage", int)
def can_manage_self(actor: Actor, user_id: int | None) -> bool:
    """Own tokens, own personal data export."""
    return actor.user_id is not None and actor.user_id == user_id


@rule("accounts.audit.view_organisation", int)
def can_view_organisation_history(actor: Actor, organisation_id: int | None) -> bool:
    """An organisation's change history: staff, and its admins (who manage its accounts and
    edit its profile, so they see nothing there they could not see anyway)."""
    return actor.is_staff or actor.has_role(organisation_id, OrgRole.ADMIN)
