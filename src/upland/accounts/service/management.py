"""What the coordinator and platform admins do to other accounts on the users page, and what
people change on their own account page (password, language of e-mails).

Refused whatever the form sends: deactivating oneself, leaving the platform without an active
platform admin, and a coordinator switching off or on a platform admin's account (only a
platform admin acts on another, as only one may grant the role)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import mailing, passwords, queries
from upland.accounts.models import PasswordReset, User
from upland.accounts.service.resets import RESET_MINUTES
from upland.accounts.service.users import (
    create_user,
    deactivate_user,
    grant_role,
    revoke_role,
    set_password,
)
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.i18n import LANGUAGES
from upland.logs import security_event
from upland.permissions import allowed, require

SETUP_DAYS = 7  # a new account's set-password link: longer than a reset's hour


def change_own_password(
    session: Session, actor: Actor, current: str, new: str, repeated: str
) -> None:
    """The current password proves it is the owner at the keyboard; the other sessions end and
    the "password changed" e-mail goes out (`set_password`)."""
    if actor.user_id is None:
        raise PermissionDenied("log in first", code="login_required")
    user = queries.get_user(session, actor.user_id)
    if not passwords.verify_password(user.password_hash, current):
        raise Invalid.one(
            "current_password", "this is not your current password", code="password.wrong"
        )
    if new != repeated:
        raise Invalid.one("password_repeat", "the two passwords differ", code="password.differ")
    set_password(session, actor, user.id, new)


def set_language(session: Session, actor: Actor, user_id: int, language: str) -> None:
    """The language of the account's e-mails (set from the page's language on sign-up)."""
    require(actor, "accounts.self.manage", user_id)
    if language not in LANGUAGES:
        raise Invalid.one(
            "language", "unknown language {language}", code="language.unknown", language=language
        )
    user = queries.get_user(session, user_id)
    if user.language == language:
        return
    audit.record(
        session,
        actor,
        "accounts.user.language",
        "user",
        user.id,
        before={"language": user.language},
        after={"language": language},
        summary=user.email,
    )
    user.language = language
    session.flush()


def _active_admins(session: Session) -> int:
    stmt = select(func.count()).where(User.is_platform_admin.is_(True), User.is_active.is_(True))
    return session.scalar(stmt) or 0


def _check_may_change(actor: Actor, user: User) -> None:
    """Only a platform admin acts on a platform admin's account (roles, resets, switching)."""
    require(actor, "accounts.user.manage")
    if user.is_platform_admin and not allowed(actor, "accounts.platform_admin.grant"):
        raise PermissionDenied(
            "only a platform admin changes a platform admin's account",
            code="user.platform_admin_only",
        )


def grant_role_on_page(
    session: Session,
    actor: Actor,
    user_id: int,
    role: str,
    organisation_id: int | None = None,
    teryt: str | None = None,
) -> None:
    """`grant_role` with the users page's refusals."""
    _check_may_change(actor, queries.get_user(session, user_id))
    grant_role(session, actor, user_id, role, organisation_id, teryt)


def revoke_role_on_page(
    session: Session, actor: Actor, user_id: int, role: str, organisation_id: int
) -> None:
    """`revoke_role` of an organisation role with the users page's refusals."""
    _check_may_change(actor, queries.get_user(session, user_id))
    revoke_role(session, actor, user_id, role, organisation_id)


def _check_may_switch(session: Session, actor: Actor, user: User) -> None:
    require(actor, "accounts.user.manage")
    if user.id == actor.user_id:
        raise Conflict(
            "you cannot switch your own account off or on; ask another administrator",
            code="user.self",
        )
    if user.is_platform_admin:
        require(actor, "accounts.platform_admin.grant")


def deactivate(session: Session, actor: Actor, user_id: int) -> User:
    """`deactivate_user` with the refusals of the users page."""
    user = queries.get_user(session, user_id)
    _check_may_switch(session, actor, user)
    if user.is_platform_admin and user.is_active and _active_admins(session) <= 1:
        raise Conflict(
            "{email} is the last active platform admin; make someone else one first",
            code="user.last_platform_admin",
            email=user.email,
        )
    deactivate_user(session, actor, user_id)
    return user


def reactivate(session: Session, actor: Actor, user_id: int) -> User:
    user = queries.get_user(session, user_id)
    _check_may_switch(session, actor, user)
    if user.is_active:
        return user
    if user.email.endswith("@invalid"):  # erased: nothing personal left to come back to
        raise Conflict("an erased account cannot come back", code="user.erased")
    user.is_active = True
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.user.reactivate",
        "user",
        user.id,
        before={"is_active": False},
        after={"is_active": True},
        summary=user.email,
    )
    security_event("user.reactivated", user_id=user.id, by=actor.label)
    return user


def revoke_global_role(session: Session, actor: Actor, user_id: int, role: str) -> User:
    """`revoke_role` for a global role, never taking the last active platform admin away."""
    user = queries.get_user(session, user_id)
    _check_may_change(actor, user)
    if user.id == actor.user_id and role in ("coordinator", "platform-admin"):
        raise Conflict(
            "you cannot take your own staff role away; ask another administrator",
            code="user.self",
        )
    if role == "platform-admin":
        require(actor, "accounts.platform_admin.grant")
        if user.is_platform_admin and user.is_active and _active_admins(session) <= 1:
            raise Conflict(
                "{email} is the last active platform admin; make someone else one first",
                code="user.last_platform_admin",
                email=user.email,
            )
    revoke_role(session, actor, user_id, role)
    return user


def _setup_link(session: Session, user: User, minutes: int) -> str:
    """A one-time set-password link (a password reset); a newer one replaces open ones."""
    now = utcnow()
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    plain = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=passwords.digest(plain),
            expires_at=now + dt.timedelta(minutes=minutes),
        )
    )
    session.flush()
    return plain


def send_reset(session: Session, actor: Actor, user_id: int) -> User:
    """Staff send someone the ordinary reset e-mail; the link goes to the account's address
    only, so whoever sends it learns nothing and can do nothing with it."""
    user = queries.get_user(session, user_id)
    _check_may_change(actor, user)
    if not user.is_active:
        raise Conflict(
            "{email} is deactivated; reactivate the account first",
            code="user.inactive",
            email=user.email,
        )
    plain = _setup_link(session, user, RESET_MINUTES)
    mailing.send_password_reset(session, user, plain, RESET_MINUTES)
    audit.record(
        session, actor, "accounts.password_reset.send", "user", user.id, summary=user.email
    )
    return user


def create_account(
    session: Session,
    actor: Actor,
    email: str,
    full_name: str,
    language: str,
    role: str | None = None,
    teryt: str | None = None,
    place: str | None = None,
) -> User:
    """A new account without a password (nobody can log in to it yet) and, when asked, a
    global role; its owner gets a link to choose the password, valid SETUP_DAYS days."""
    require(actor, "accounts.user.manage")
    if not full_name.strip():
        raise Invalid.one("full_name", "enter the person's name", code="full_name.invalid")
    if language not in LANGUAGES:
        raise Invalid.one("language", "choose a language", code="language.invalid")
    placeholder = secrets.token_urlsafe(24) + "-1Aa"  # never told anyone, replaced at once
    user: User = create_user(session, actor, email, full_name, placeholder, language)
    user.password_hash = None
    if role:
        grant_role(session, actor, user.id, role, teryt=teryt)
    plain = _setup_link(session, user, SETUP_DAYS * 24 * 60)
    inviter = queries.get_user(session, actor.user_id).full_name if actor.user_id else "Upland"
    mailing.send_account_created(session, user, plain, SETUP_DAYS, inviter, role, place)
    return user
