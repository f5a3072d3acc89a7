"""Forgotten passwords: a one-time link e-mailed to the account's address, valid for an hour;
a newer request replaces older links. The request always answers the same, so it tells
nobody whether an address has an account."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upland.accounts import audit, mailing, passwords, queries, ratelimit
from upland.accounts.actor import Actor
from upland.accounts.models import PasswordReset, User
from upland.accounts.service.users import set_password
from upland.db import utcnow
from upland.errors import PermissionDenied

RESET_MINUTES = 60


def request_password_reset(session: Session, email: str, address: str) -> None:
    """E-mail a reset link if `email` belongs to an active account; silently nothing if not.
    Rate-limited per address and per client address, counted whether the account exists."""
    email = email.strip().lower()
    if not ratelimit.allow_reset_request(email, address):
        raise PermissionDenied("too many requests for a new password; wait an hour and try again")
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None or not user.is_active:
        return
    now = utcnow()
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    plain = secrets.token_urlsafe(32)
    reset = PasswordReset(
        user_id=user.id,
        token_hash=passwords.digest(plain),
        expires_at=now + dt.timedelta(minutes=RESET_MINUTES),
    )
    session.add(reset)
    session.flush()
    audit.record(
        session,
        Actor(user_id=None, label=f"password reset from {address}"),
        "accounts.password_reset.request",
        "user",
        user.id,
        summary=user.email,
    )
    mailing.send_password_reset(session, user, plain, RESET_MINUTES)


def reset_password(session: Session, token: str, password: str) -> User:
    """Set the password through the link (holding it is the permission) and use the link up."""
    reset = queries.open_password_reset(session, token)
    user = queries.get_user(session, reset.user_id)
    set_password(session, queries.actor_for(session, user), user.id, password)
    reset.used_at = utcnow()
    session.flush()
    return user
