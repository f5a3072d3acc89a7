"""Reads of accounts: actors for requests, users, members, password-reset links, API tokens
and sessions, audit log, personal-data exports (invitations: `accounts.invitations`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from upland.accounts import passwords
from upland.accounts.directory import directory
from upland.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    PasswordReset,
    User,
    UserSession,
)
from upland.accounts.schemas import AuditFilter, MemberRead
from upland.actor import ANONYMOUS, Actor, OrgRole
from upland.audit import AuditEntry
from upland.db import utcnow
from upland.errors import Gone, NotFound
from upland.permissions import require
from upland.personal_data import exported as exported_elsewhere
from upland.reference import queries as reference


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, options=[selectinload(User.memberships)])
    if user is None:
        raise NotFound("user {id} does not exist", code="user.not_found", id=user_id)
    return user


def get_user_by_email(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound("no user with e-mail {email}", code="user.not_found", email=email)
    return user


def actor_for(session: Session, user: User | None) -> Actor:
    """The request's actor: roles per organisation and whether any of them is a cluster member.

    A city officer is not a cluster member by virtue of the office (DOMAIN.md): what the office
    opens is the officer's partner area (`upland.visibility`). Whether an organisation is a
    cluster member is the registry's fact, asked through the directory."""
    if user is None or not user.is_active:
        return ANONYMOUS
    in_cluster = directory().in_cluster(Membership.organisation_id)
    rows = session.execute(
        select(Membership.organisation_id, Membership.role, in_cluster).where(
            Membership.user_id == user.id
        )
    ).all()
    return _actor(user, [tuple(r) for r in rows])


def _actor(user: Any, held: list[tuple[Any, ...]]) -> Actor:
    """The one place an account and its memberships (organisation, role, in the cluster)
    become an actor, for one person or many."""
    return Actor(
        user_id=user.id,
        label=user.email,
        org_roles={org_id: OrgRole(role) for org_id, role, _ in held},
        is_cluster_member=any(member for *_, member in held)
        or user.is_coordinator
        or user.is_platform_admin,
        officer_teryt=user.officer_teryt,
        is_coordinator=user.is_coordinator,
        is_admin=user.is_platform_admin,
    )


def actors_for(session: Session, user_ids: Iterable[int]) -> dict[int, Actor]:
    """`actor_for` of many people at once (those who get news of a record they may see), in
    two queries per 5 000 people; inactive or unknown accounts are left out."""
    wanted = sorted(set(user_ids))
    actors: dict[int, Actor] = {}
    in_cluster = directory().in_cluster(Membership.organisation_id)
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        users = session.execute(
            select(
                User.id,
                User.email,
                User.officer_teryt,
                User.is_coordinator,
                User.is_platform_admin,
            ).where(User.id.in_(chunk), User.is_active.is_(True))
        ).all()
        roles: dict[int, list[tuple[int, str, bool]]] = {}
        for user_id, org_id, role, member in session.execute(
            select(
                Membership.user_id, Membership.organisation_id, Membership.role, in_cluster
            ).where(Membership.user_id.in_(chunk))
        ):
            roles.setdefault(user_id, []).append((org_id, role, bool(member)))
        for user in users:
            actors[user.id] = _actor(user, roles.get(user.id, []))
    return actors


def readers_outside(
    session: Session, user_ids: Iterable[int], organisation_id: int
) -> dict[int, bool]:
    """Those of these people whose account is active and who hold no role in this organisation
    (who read a record, but not as its owner's own), each with whether they are a cluster
    member (`Actor.is_cluster_member`: a role in a member organisation, or staff). One query
    per 5 000 people, no actor built."""
    wanted = sorted(set(user_ids))
    # Correlated: a few index probes per person, not every member of the cluster read anew.
    own = exists().where(
        Membership.user_id == User.id, Membership.organisation_id == organisation_id
    )
    held = exists().where(
        Membership.user_id == User.id, directory().in_cluster(Membership.organisation_id)
    )
    member = or_(User.is_coordinator, User.is_platform_admin, held)
    found: dict[int, bool] = {}
    for start in range(0, len(wanted), 5000):
        rows = session.execute(
            select(User.id, member).where(
                User.id.in_(wanted[start : start + 5000]),
                User.is_active.is_(True),
                ~own,
            )
        )
        found.update((user_id, bool(is_member)) for user_id, is_member in rows)
    return found


def list_users(
    session: Session, actor: Actor, q: str | None = None, limit: int = 200
) -> list[User]:
    require(actor, "accounts.user.manage")
    stmt = select(User).options(selectinload(User.memberships)).order_by(User.email).limit(limit)
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(User.email.like(like), User.full_name.ilike(like)))
    return list(session.scalars(stmt))


def get_organisation_name(session: Session, organisation_id: int) -> str:
    """The name of the organisation a role is given in; NotFound when there is none."""
    name = directory().name_of(session, organisation_id)
    if name is None:
        raise NotFound(
            "organisation {id} does not exist", code="organisation.not_found", id=organisation_id
        )
    return name


def organisation_names(session: Session, ids: list[int]) -> dict[int, str]:
    """Names of the organisations one's roles are in, asked of the registry (`directory`)."""
    names = {}
    for organisation_id in ids:
        name = directory().name_of(session, organisation_id)
        if name is not None:
            names[organisation_id] = name
    return names


def place_name(session: Session, teryt: str | None) -> str | None:
    """A city officer's municipality by name ("Radom"), its code when it is unknown."""
    if not teryt:
        return None
    found = reference.get_municipality(session, teryt)
    return found.name if found else teryt


def get_membership(session: Session, user_id: int, organisation_id: int) -> Membership | None:
    """The user's role in the organisation, if they have one."""
    return session.scalars(
        select(Membership).where(
            Membership.user_id == user_id, Membership.organisation_id == organisation_id
        )
    ).first()


def editor_ids(session: Session, organisation_ids: list[int]) -> dict[int, list[int]]:
    """Per organisation, the active users who may act for it (editors and admins): whom its
    news that asks for a decision goes to. One query."""
    found: dict[int, list[int]] = {o: [] for o in organisation_ids}
    if not organisation_ids:
        return found
    rows = session.execute(
        select(Membership.organisation_id, Membership.user_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id.in_(organisation_ids),
            Membership.role.in_((OrgRole.EDITOR.value, OrgRole.ADMIN.value)),
            User.is_active.is_(True),
        )
        .order_by(Membership.user_id)
    )
    for organisation_id, user_id in rows:
        found[organisation_id].append(user_id)
    return found


def coordinator_ids(session: Session) -> list[int]:
    """The active cluster coordinators: who reviews opportunities."""
    return list(
        session.scalars(
            select(User.id)
            .where(User.is_coordinator.is_(True), User.is_active.is_(True))
            .order_by(User.id)
        )
    )


def staff_ids() -> Select[Any]:
    """The SELECT of every coordinator's and platform admin's user id (`Actor.is_staff`), for
    an `IN (…)` of a larger query."""
    staff = or_(User.is_coordinator.is_(True), User.is_platform_admin.is_(True))
    return select(User.id).where(staff, User.is_active.is_(True))


def is_member_of(session: Session, user_id: int, organisation_id: int) -> bool:
    """Whether the user is active and still has a role in the organisation."""
    found = session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == user_id,
            Membership.organisation_id == organisation_id,
            User.is_active.is_(True),
        )
    )
    return found is not None


def list_members(
    session: Session, actor: Actor, organisation_id: int, user_id: int | None = None
) -> list[MemberRead]:
    """Everyone with a role in the organisation (or just `user_id`), by name."""
    require(actor, "accounts.membership.manage", organisation_id)
    get_organisation_name(session, organisation_id)
    stmt = (
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(User.full_name, User.email)
    )
    if user_id is not None:
        stmt = stmt.where(User.id == user_id)
    return [
        MemberRead(
            user_id=user.id,
            email=user.email,
            full_name=user.full_name,
            role=OrgRole(role),
            status="active" if user.is_active else "inactive",
            last_login_at=user.last_login_at,
        )
        for user, role in session.execute(stmt).all()
    ]


def get_member(session: Session, actor: Actor, organisation_id: int, user_id: int) -> MemberRead:
    found = list_members(session, actor, organisation_id, user_id)
    if not found:
        raise NotFound(
            "user {user} has no role in organisation {org}",
            code="membership.not_found",
            user=user_id,
            org=organisation_id,
        )
    return found[0]


def open_password_reset(session: Session, token: str) -> PasswordReset:
    """The reset behind a link while it can still be used; otherwise why it cannot."""
    reset = session.scalars(
        select(PasswordReset).where(PasswordReset.token_hash == passwords.digest(token))
    ).first()
    if reset is None:
        raise NotFound(
            "this link is not valid; check that you copied all of it", code="link.not_found"
        )
    if reset.used_at is not None:
        raise Gone(
            "this link has been used or replaced by a newer one; ask for a new one",
            code="link.used",
        )
    if reset.expires_at <= utcnow():
        raise Gone("this link has expired; ask for a new one", code="link.expired")
    user = session.get(User, reset.user_id)
    if user is None or not user.is_active:
        raise Gone("this link has expired; ask for a new one", code="link.expired")
    return reset


def list_tokens(session: Session, actor: Actor, user_id: int) -> list[ApiToken]:
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id))
    )


def list_sessions(session: Session, actor: Actor) -> list[UserSession]:
    """The actor's own active log-in sessions, most recently used first."""
    require(actor, "accounts.self.manage", actor.user_id)
    stmt = (
        select(UserSession)
        .where(UserSession.user_id == actor.user_id, UserSession.live(utcnow()))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(session.scalars(stmt))


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
    user = get_user(session, user_id)
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
            "mail_notices": user.mail_notices,
            "roles": {
                "coordinator": user.is_coordinator,
                "platform_admin": user.is_platform_admin,
                "officer_teryt": user.officer_teryt,
                "memberships": [
                    {"organisation_id": m.organisation_id, "role": m.role} for m in user.memberships
                ],
            },
        },
        "contact_profiles": directory().contacts_of(session, user_id),
        "invitations": [
            {
                "organisation_id": i.organisation_id,
                "role": i.role,
                "created_at": i.created_at.isoformat(),
                "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in session.scalars(
                select(Invitation).where(Invitation.email == user.email).order_by(Invitation.id)
            )
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
        "sessions": [
            {
                "device": s.device,
                "address": s.address,
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
                "ended_at": s.ended_at.isoformat() if s.ended_at else None,
            }
            for s in session.scalars(
                select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id)
            )
        ],
        **exported_elsewhere(session, user_id),
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


def list_organisation_history(
    session: Session,
    actor: Actor,
    organisation_id: int,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """The entries about one organisation, its sites, people, capabilities and roles in it,
    newest first (keyset by id)."""
    require(actor, "accounts.audit.view_organisation", organisation_id)
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.organisation_id == organisation_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if before_id:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(session.scalars(stmt))
