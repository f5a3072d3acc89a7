"""Forgotten passwords: a one-time link e-mailed to the account's address, valid for an hour;
a newer request replaces older links. The request always answers the same and does the same
database work (a lookup and an audit entry), and the e-mail leaves on a background job after
commit, so neither its answer nor its timing tells whether an address has an account."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import mailing, passwords, queries, ratelimit
from upland.accounts.models import PasswordReset, User
from upland.accounts.service.users import set_password
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Gone, Invalid, PermissionDenied
from upland.mail import addresses

RESET_MINUTES = 60


def request_password_reset(session: Session, email: str, address: str) -> None:
    """E-mail a reset link if `email` belongs to an active account; silently nothing if not.
    A client address sending too many is refused; an e-mail asked for too often silently
    gets nothing more, so nobody can refuse the owner a reset from elsewhere."""
    email = addresses.single_address(email)
    if not ratelimit.allow_reset_address(address):
        raise PermissionDenied(
            "too many requests for a new password; wait an hour and try again",
            code="password_reset.rate_limited",
        )
    fresh = ratelimit.allow_reset_email(email)  # counted for every address alike
    user = session.scalars(select(User).where(User.email == email)).first()
    send = fresh and user is not None and user.is_active
    audit.record(
        session,
        Actor(user_id=None, label=f"password reset from {address}"),
        "accounts.password_reset.request",
        "user",
        user.id if user else None,
        summary=email if send else f"{email} (nothing sent)",
    )
    if send and user is not None:
        _send_new_link(session, user)


def _send_new_link(session: Session, user: User) -> None:
    """A new link replaces the open ones, which stop working."""
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
            expires_at=now + dt.timedelta(minutes=RESET_MINUTES),
        )
    )
    session.flush()
    mailing.send_password_reset(session, user, plain, RESET_MINUTES)


def reset_password(session: Session, token: str, password: str) -> User:
    """Set the password through the link (holding it is the permission) and use the link up."""
    reset = queries.open_password_reset(session, token)
    weakness = passwords.check_strength(password)
    if weakness:  # a weak password leaves the link usable
        raise Invalid.one("password", weakness, code="password.weak")
    # Used up first and only if still open: of uses arriving together exactly one gets here
    # (PostgreSQL makes the others wait for the row, then finds it used).
    claimed = session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Gone(
            "this link has been used or replaced by a newer one; ask for a new one",
            code="link.used",
        )
    user = queries.get_user(session, reset.user_id)
    set_password(session, queries.actor_for(session, user), user.id, password)
    return user
