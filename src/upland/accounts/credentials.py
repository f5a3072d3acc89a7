"""Whether a credential belongs to an active user, cheaply: one indexed look-up, no write.

Used before a request's body is read (`web/body_limit`) to decide whether the client may send
an upload-sized body. It only answers yes or no: who is acting is still resolved by the route
(`web/deps.current_actor`), which also notes the credential's use.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from upland.accounts import passwords
from upland.accounts.models import ApiToken, User, UserSession
from upland.db import utcnow


def session_is_live(session: Session, plain: str) -> bool:
    """The browser session behind a cookie token is live and its user active."""
    found = select(UserSession.id).join(User, User.id == UserSession.user_id)
    found = found.where(
        UserSession.token_hash == passwords.digest(plain),
        UserSession.live(utcnow()),
        User.is_active.is_(True),
    )
    return bool(session.scalar(select(exists(found))))


def token_is_live(session: Session, plain: str) -> bool:
    """The API token is known, not revoked, and its user active."""
    found = select(ApiToken.id).join(User, User.id == ApiToken.user_id)
    found = found.where(
        ApiToken.token_hash == passwords.digest(plain),
        ApiToken.revoked_at.is_(None),
        User.is_active.is_(True),
    )
    return bool(session.scalar(select(exists(found))))
