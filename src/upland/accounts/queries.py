"""Reads of accounts: actors for requests, users, audit log, personal-data exports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from upland.accounts.actor import ANONYMOUS, Actor, OrgRole
from upland.accounts.models import ApiToken, AuditEntry, Membership, User
from upland.accounts.schemas import AuditFilter
from upland.errors import NotFound
from upland.permissions import require

_MEMBER = "member"


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, options=[selectinload(User.memberships)])
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound(f"no user with e-mail {email}")
    return user


def actor_for(session: Session, user: User | None) -> Actor:
    """The request's actor: roles per organisation and whether any of them is a cluster member."""
    if user is None or not user.is_active:
        return ANONYMOUS
    from upland.organisations.models import Organisation  # registry is upstream of accounts

    rows = session.execute(
        select(Membership.organisation_id, Membership.role, Organisation.membership_status)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.user_id == user.id)
    ).all()
    return Actor(
        user_id=user.id,
        label=user.email,
        org_roles={org_id: OrgRole(role) for org_id, role, _ in rows},
        is_cluster_member=any(status == _MEMBER for *_, status in rows)
        or user.is_coordinator
        or user.is_platform_admin
        or user.officer_teryt is not None,
        officer_teryt=user.officer_teryt,
        is_coordinator=user.is_coordinator,
        is_admin=user.is_platform_admin,
    )


def list_users(
    session: Session, actor: Actor, q: str | None = None, limit: int = 200
) -> list[User]:
    require(actor, "accounts.user.manage")
    stmt = select(User).options(selectinload(User.memberships)).order_by(User.email).limit(limit)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(User.email.like(like), User.full_name.ilike(like)))
    return list(session.scalars(stmt))


def list_tokens(session: Session, actor: Actor, user_id: int) -> list[ApiToken]:
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id))
    )


def list_audit(
    session: Session, actor: Actor, flt: AuditFilter, before_id: int | None = None, limit: int = 50
) -> list[AuditEntry]:
    """Newest first, keyset by id."""
    require(actor, "accounts.audit.view")
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if flt.action:
        stmt = stmt.where(AuditEntry.action.startswith(flt.action, autoescape=True))
    if flt.object_type:
        stmt = stmt.where(AuditEntry.object_type == flt.object_type)
    if flt.object_id:
        stmt = stmt.where(AuditEntry.object_id == flt.object_id)
    if flt.actor:
        stmt = stmt.where(AuditEntry.actor_label.contains(flt.actor, autoescape=True))
    if before_id:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(session.scalars(stmt))


def personal_data(session: Session, actor: Actor, user_id: int) -> dict[str, Any]:
    """Everything Upland holds about a user, as JSON-ready data (GDPR art. 15 and 20)."""
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    from upland.organisations.models import Person

    user = get_user(session, user_id)
    people = session.scalars(select(Person).where(Person.user_id == user_id)).all()
    actions = session.scalars(
        select(AuditEntry).where(AuditEntry.actor_user_id == user_id).order_by(AuditEntry.id)
    ).all()
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "created_at": user.created_at.isoformat(),
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
            "roles": {
                "coordinator": user.is_coordinator,
                "platform_admin": user.is_platform_admin,
                "officer_teryt": user.officer_teryt,
                "memberships": [
                    {"organisation_id": m.organisation_id, "role": m.role} for m in user.memberships
                ],
            },
        },
        "contact_profiles": [
            {
                "organisation_id": p.organisation_id,
                "full_name": p.full_name,
                "role_title": p.role_title,
                "email": p.email,
                "phone": p.phone,
                "contact_visibility": p.contact_visibility,
                "language": p.language,
            }
            for p in people
        ],
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in list_tokens(session, actor, user_id)
        ],
        "actions": [
            {
                "at": a.at.isoformat(),
                "action": a.action,
                "object_type": a.object_type,
                "object_id": a.object_id,
            }
            for a in actions
        ],
    }
