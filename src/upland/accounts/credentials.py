"""Whose credential a request carries, cheaply: one indexed look-up of the token's SHA-256,
no password hashing and no write.

Used before a request's body is read (`web/body_limit`): only an active user may send an
upload-sized body, and an upload route refuses whoever may not use it before reading a byte.
Noting the credential's use stays with `web/deps.current_actor`, which resolves the actor again
once the route runs.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.accounts import passwords
from upland.accounts.models import ApiToken, User, UserSession
from upland.db import utcnow


def user_of_session(session: Session, plain: str) -> User | None:
    """The active user of the live browser session behind a cookie token."""
    return session.scalars(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_hash == passwords.digest(plain),
            UserSession.live(utcnow()),
            User.is_active.is_(True),
        )
    ).first()


def user_of_token(session: Session, plain: str) -> User | None:
    """The active user of a known, unrevoked API token."""
    return session.scalars(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == passwords.digest(plain),
            ApiToken.revoked_at.is_(None),
            User.is_active.is_(True),
        )
    ).first()
