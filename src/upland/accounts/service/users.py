"""Every write to accounts but members and invitations (`members`): users, organisation and
global roles, tokens, log-in bookkeeping, deactivation and erasure."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from upland import audit, controls, personal_data, signals
from upland.accounts import mailing, passwords, queries, ratelimit
from upland.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    PasswordReset,
    User,
    UserSession,
)
from upland.accounts.service.sessions import end_user_sessions
from upland.accounts.signals import MembershipEnded
from upland.actor import Actor, OrgRole
from upland.db import utcnow
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.logs import security_event
from upland.mail import addresses
from upland.permissions import allowed, require
from upland.reference import queries as reference
from upland.settings import get_settings

GLOBAL_ROLES = ("coordinator", "officer", "platform-admin")
TOKEN_PREFIX = "upl_"  # noqa: S105 - a public prefix, not a secret


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user {id} does not exist", code="user.not_found", id=user_id)
    return user


def _keep_an_admin(
    session: Session, actor: Actor, membership: Membership, new_role: str | None
) -> None:
    """An organisation's own admins cannot leave it without an admin, so it never locks itself
    out; staff may (someone left the firm and nobody has taken over yet)."""
    user = membership.user
    if actor.is_staff or membership.role != OrgRole.ADMIN or new_role == OrgRole.ADMIN:
        return
    if not user.is_active:  # a deactivated account is no admin to keep
        return
    others = session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id == membership.organisation_id,
            Membership.role == OrgRole.ADMIN.value,
            Membership.user_id != membership.user_id,
            User.is_active.is_(True),
        )
    )
    if not others:
        raise Conflict(
            "{email} is the last admin of this organisation; make someone else admin first",
            code="membership.last_admin",
            email=user.email,
        )


def role_event(
    event: str,
    actor: Actor,
    user: User,
    role: str,
    organisation_id: int | None = None,
    teryt: str | None = None,
) -> None:
    security_event(
        event,
        user_id=user.id,
        role=role,
        organisation_id=organisation_id,
        teryt=teryt,
        by=actor.label,
    )


def create_user(
    session: Session,
    actor: Actor,
    email: str,
    full_name: str,
    password: str,
    language: str = "pl",
    *,
    password_hash: str | None = None,
) -> User:
    """`password_hash`: `password` already hashed by `passwords.hash_password`, for the demo's
    hundreds of accounts that share one password (an argon2 hash carries its own salt and
    parameters, so it verifies like any other; hashing once saves ~50 ms an account). Real
    accounts never share one."""
    require(actor, "accounts.user.manage")
    email = addresses.single_address(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("a user with e-mail {email} exists already", code="user.exists", email=email)
    weakness = passwords.check_strength(password)
    if weakness:
        raise Invalid.one("password", weakness, code="password.weak")
    user = User(
        email=email,
        full_name=full_name.strip(),
        language=language,
        password_hash=password_hash or passwords.hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.user.create",
        "user",
        user.id,
        after=audit.snapshot(user),
        summary=email,
    )
    return user


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    """A new password ends every session of the user but the one the user acts through (so
    whoever knew the old one is out, and a reset by link or by staff ends them all)."""
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    user = _user(session, user_id)
    weakness = passwords.check_strength(password)
    if weakness:
        raise Invalid.one("password", weakness, code="password.weak")
    user.password_hash = passwords.hash_password(password)
    session.flush()
    audit.record(session, actor, "accounts.user.set_password", "user", user.id, summary=user.email)
    keep = actor.session_id if actor.user_id == user_id else None
    end_user_sessions(session, actor, user_id, "password changed", keep)
    mailing.send_password_changed(session, user)


def grant_role(
    session: Session,
    actor: Actor,
    user_id: int,
    role: str,
    organisation_id: int | None = None,
    teryt: str | None = None,
) -> None:
    """Give an organisation role (viewer/editor/admin) or a global one (coordinator, officer…)."""
    user = _user(session, user_id)
    before = audit.snapshot(user)
    if role in {r.value for r in OrgRole}:
        if organisation_id is None:
            raise Invalid.one(
                "organisation",
                "role {role} needs an organisation",
                code="role.needs_organisation",
                role=role,
            )
        require(actor, "accounts.membership.manage", organisation_id)
        queries.get_organisation_name(session, organisation_id)
        membership = queries.get_membership(session, user_id, organisation_id)
        old_role = membership.role if membership else None
        if membership is None:
            membership = Membership(user_id=user_id, organisation_id=organisation_id, role=role)
            session.add(membership)
        else:
            _keep_an_admin(session, actor, membership, role)
        membership.role = OrgRole(role).value
        session.flush()
        audit.record(
            session,
            actor,
            "accounts.membership.grant",
            "user",
            user.id,
            before={"organisation_id": organisation_id, "role": old_role},
            after={"organisation_id": organisation_id, "role": role},
            summary=user.email,
        )
        role_event("role.granted", actor, user, role, organisation_id)
        return
    if role == "coordinator":
        require(actor, "accounts.user.manage")
        user.is_coordinator = True
    elif role == "platform-admin":
        require(actor, "accounts.platform_admin.grant")
        user.is_platform_admin = True
    elif role == "officer":
        require(actor, "accounts.user.manage")
        partners = get_settings().partner_municipalities
        if not teryt or teryt not in partners or reference.get_municipality(session, teryt) is None:
            raise Invalid.one(
                "city",
                "a city officer works for a partner city ({partners}); got {teryt}",
                code="municipality.not_partner",
                teryt=teryt or "—",
                partners=", ".join(partners),
            )
        user.officer_teryt = teryt
    else:
        raise Invalid.one("role", "unknown role {role}", code="role.unknown", role=repr(role))
    session.flush()
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.role.grant",
        "user",
        user.id,
        before=old,
        after=new,
        summary=f"{user.email}: {role}",
    )
    role_event("role.granted", actor, user, role, teryt=teryt)


def revoke_role(
    session: Session, actor: Actor, user_id: int, role: str, organisation_id: int | None = None
) -> None:
    """Take a role away. Whoever manages an organisation learns only whether an id has a role
    there: an unknown id and a stranger get the same answer, naming nobody."""
    if role in {r.value for r in OrgRole}:
        if organisation_id is None:
            raise Invalid.one(
                "organisation",
                "role {role} needs an organisation",
                code="role.needs_organisation",
                role=role,
            )
        require(actor, "accounts.membership.manage", organisation_id)
        membership = queries.get_membership(session, user_id, organisation_id)
        if membership is None:
            raise NotFound(
                "user {user} has no role in organisation {org}",
                code="membership.not_found",
                user=user_id,
                org=organisation_id,
            )
        user = membership.user
        _keep_an_admin(session, actor, membership, None)
        session.delete(membership)
        session.flush()
        audit.record(
            session,
            actor,
            "accounts.membership.revoke",
            "user",
            user.id,
            before={"organisation_id": organisation_id, "role": membership.role},
            after=None,
            summary=user.email,
        )
        role_event("role.revoked", actor, user, membership.role, organisation_id)
        signals.publish(session, MembershipEnded(user.id, organisation_id))
        return
    user = _user(session, user_id)
    before = audit.snapshot(user)
    if role == "coordinator":
        require(actor, "accounts.user.manage")
        user.is_coordinator = False
    elif role == "platform-admin":
        require(actor, "accounts.platform_admin.grant")
        user.is_platform_admin = False
    elif role == "officer":
        require(actor, "accounts.user.manage")
        user.officer_teryt = None
    else:
        raise Invalid.one("role", "unknown role {role}", code="role.unknown", role=repr(role))
    session.flush()
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.role.revoke",
        "user",
        user.id,
        before=old,
        after=new,
        summary=f"{user.email}: {role}",
    )
    role_event("role.revoked", actor, user, role)


def _logged_in_from(session: Session, user: User | None, address: str) -> bool:
    """Whether the account has had a session from this client (`ratelimit.client_key`: an
    IPv6 client by its /64, as the limits count it): where its owner logs in."""
    if user is None:
        return False
    client = ratelimit.client_key(address)
    stmt = select(UserSession.address).where(UserSession.user_id == user.id).distinct()
    return any(ratelimit.client_key(known or "") == client for known in session.scalars(stmt))


def authenticate(session: Session, email: str, password: str, address: str) -> User:
    """The user if the password is right. Attempts are limited per account and address and
    per address, counted before the password is checked; past the limit for the account as a
    whole only addresses it has logged in from may still try (docs/permissions.md), so nobody
    elsewhere can lock its owner out."""
    email = email.strip().lower()
    user = session.scalars(select(User).where(User.email == email)).first()
    refused = ratelimit.admit(email, address, lambda: _logged_in_from(session, user, address))
    if refused is not None:
        security_event("login.blocked", email=email, address=address, limit=refused.value)
        raise PermissionDenied(ratelimit.MESSAGES[refused], code="login.rate_limited")
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        ratelimit.note_failure(email, address)
        security_event(
            "login.failed", email=email, address=address, user_id=user.id if user else None
        )
        raise Invalid.one("password", "wrong e-mail or password", code="login.failed")
    ratelimit.note_success(email, address)
    user.last_login_at = utcnow()
    session.flush()
    security_event("login.succeeded", user_id=user.id, address=address)
    return user


def issue_token(session: Session, actor: Actor, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A new API token; the plain value is returned once and only its hash is kept."""
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    user = _user(session, user_id)
    if code := controls.forbidden_character(name):
        raise Invalid.one("name", controls.message(code), code="control_character")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:100] or "token",
        token_hash=passwords.digest(plain),
        prefix=plain[:12],
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.token.issue",
        "api_token",
        token.id,
        after=audit.snapshot(token),
        summary=f"{user.email}: {token.name}",
    )
    security_event(
        "token.issued", user_id=user.id, token_id=token.id, prefix=token.prefix, by=actor.label
    )
    return token, plain


def revoke_token(session: Session, actor: Actor, token_id: int) -> None:
    """Someone else's token is not found, as an unknown id is, so ids reveal nothing."""
    if actor.user_id is None:
        require(actor, "accounts.user.manage")  # the anonymous are told to log in
    token = session.get(ApiToken, token_id)
    mine = token is not None and token.user_id == actor.user_id
    if token is None or not (mine or allowed(actor, "accounts.user.manage")):
        raise NotFound("token {id} does not exist", code="token.not_found", id=token_id)
    before = audit.snapshot(token)
    token.revoked_at = utcnow()
    session.flush()
    old, new = audit.changed(before, audit.snapshot(token))
    audit.record(
        session, actor, "accounts.token.revoke", "api_token", token.id, before=old, after=new
    )
    security_event(
        "token.revoked",
        user_id=token.user_id,
        token_id=token.id,
        prefix=token.prefix,
        by=actor.label,
    )


TOKEN_USE_NOTED_EVERY = dt.timedelta(minutes=1)


def touch_token(session: Session, plain: str, *, note_use: bool = True) -> ApiToken | None:
    """The live token, its use noted at most once a minute (never with `note_use` False: the
    database is busy, and reading must still work)."""
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == passwords.digest(plain))
    ).first()
    if token is None or token.revoked_at is not None:
        security_event("token.refused", known=token is not None, token_id=token and token.id)
        return None
    now = utcnow()
    if note_use and (
        token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_NOTED_EVERY
    ):
        token.last_used_at = now  # at most once a minute: an API read is rarely a write
    security_event("token.used", user_id=token.user_id, token_id=token.id, prefix=token.prefix)
    return token


def _drop_open_links(session: Session, user: User) -> None:
    """A deactivated or erased account must not come back through an old e-mailed link."""
    session.execute(
        delete(Invitation).where(Invitation.email == user.email, Invitation.accepted_at.is_(None))
    )
    session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )


def erase_user(session: Session, actor: Actor, user_id: int) -> None:
    """Remove personal fields of an account; audit entries keep their ids, not the person."""
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    user = _user(session, user_id)
    email, full_name = user.email, user.full_name
    _drop_open_links(session, user)
    user.email = f"erased-{user.id}@invalid"
    user.full_name = "(erased)"
    user.password_hash = None
    user.is_active = False
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)):
        token.revoked_at = token.revoked_at or utcnow()
    end_user_sessions(session, actor, user_id, "account erased")
    # Devices and addresses of the sessions are personal data too.
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))
    personal_data.erase(session, user_id)  # what the rest of the platform holds of them
    session.flush()
    audit.record(session, actor, "accounts.user.erase", "user", user.id, summary="account erased")
    security_event("user.erased", user_id=user.id, by=actor.label)
    audit.forget(session, user.id, email, full_name, user.email)
    session.flush()


def deactivate_user(session: Session, actor: Actor, user_id: int) -> None:
    require(actor, "accounts.user.manage")
    user = _user(session, user_id)
    before = audit.snapshot(user)
    user.is_active = False
    _drop_open_links(session, user)
    end_user_sessions(session, actor, user_id, "account deactivated")
    session.flush()
    security_event("user.deactivated", user_id=user.id, by=actor.label)
    mailing.send_account_deactivated(session, user)
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.user.deactivate",
        "user",
        user.id,
        before=old,
        after=new,
        summary=user.email,
    )
