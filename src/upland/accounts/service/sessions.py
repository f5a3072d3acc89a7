"""Browser log-in sessions: one row per log-in, seen on each request, ended by log-out, by
their owner (account page, API), and all of a user's at once by a password change (but the
acting one), deactivation and erasure."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from upland import audit
from upland.accounts import devices, passwords
from upland.accounts.models import User, UserSession
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import NotFound
from upland.logs import security_event
from upland.permissions import require

SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often
# Past sessions are kept this long: the owner's known addresses (ratelimit) come from them,
# and after it they are personal data nobody needs.
KEPT_FOR = dt.timedelta(days=90)


def _self(user: User) -> Actor:
    """The user acting on their own session, for the audit log, before any request actor exists."""
    return Actor(user_id=user.id, label=user.email)


def _live(session: Session, plain: str) -> UserSession | None:
    """The live session behind a cookie token, its user loaded in the same (indexed) query."""
    return session.scalars(
        select(UserSession)
        .options(joinedload(UserSession.user))
        .where(UserSession.token_hash == passwords.digest(plain), UserSession.live(utcnow()))
    ).first()


def _end(session: Session, actor: Actor, rows: Iterable[UserSession], reason: str) -> int:
    now, ended = utcnow(), 0
    for row in rows:
        row.ended_at = now
        ended += 1
        audit.record(
            session,
            actor,
            "accounts.session.end",
            "user_session",
            row.id,
            after={"user_id": row.user_id, "reason": reason},
            summary=reason,
        )
        security_event(
            "session.ended", user_id=row.user_id, session_id=row.id, reason=reason, by=actor.label
        )
    session.flush()
    return ended


def start_session(
    session: Session, user: User, user_agent: str | None, address: str, replacing: str | None
) -> tuple[UserSession, str]:
    """Log in `user`, who has just proved who they are: a new session and the plain token for
    the cookie (only its hash is kept). The browser's previous session (`replacing`) ends, so a
    token planted in a browser before the log-in is worth nothing after it."""
    device = devices.describe(user_agent)
    old = _live(session, replacing) if replacing else None
    if old is not None:
        _end(session, _self(old.user), [old], "replaced by a new log-in")
    _forget_old_sessions(session, user.id)
    plain = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=passwords.digest(plain),
        device=device[:100],
        address=address[:64],
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        _self(user),
        "accounts.session.start",
        "user_session",
        row.id,
        after={"user_id": user.id, "device": row.device},
        summary=user.email,
    )
    security_event(
        "session.started", user_id=user.id, session_id=row.id, address=address, device=device
    )
    return row, plain


def _forget_old_sessions(session: Session, user_id: int) -> None:
    """Delete the user's sessions unused for KEPT_FOR, ended or not."""
    session.execute(
        delete(UserSession).where(
            UserSession.user_id == user_id, UserSession.last_seen_at < utcnow() - KEPT_FOR
        )
    )


def touch_session(session: Session, plain: str, *, note_seen: bool = True) -> UserSession | None:
    """The session a browser's cookie token belongs to while it and its user are active; marks
    it seen at most once a minute, so a page view is rarely a write (never with `note_seen`
    False: the database is busy, and reading must still work)."""
    row = _live(session, plain)
    if row is None or not row.user.is_active:
        return None
    now = utcnow()
    if note_seen and now - row.last_seen_at >= SEEN_EVERY:
        row.last_seen_at = now
        session.flush()
    return row


def log_out(session: Session, plain: str) -> None:
    """End the session of the browser that holds this token (the log-out button)."""
    row = _live(session, plain)
    if row is None:
        return
    security_event("logout", user_id=row.user_id, session_id=row.id)
    _end(session, _self(row.user), [row], "logged out")


def end_session(session: Session, actor: Actor, session_id: int) -> str:
    """Their owner ends one of their sessions (a lost phone, a shared computer). Another user's
    session is not found: nobody learns which ids exist. Returns the session's device."""
    require(actor, "accounts.self.manage", actor.user_id)
    row = session.scalars(
        select(UserSession).where(
            UserSession.id == session_id,
            UserSession.user_id == actor.user_id,
            UserSession.live(utcnow()),
        )
    ).first()
    if row is None:
        raise NotFound(
            "session {id} is not one of your active sessions",
            code="session.not_found",
            id=session_id,
        )
    _end(session, actor, [row], "ended by its user")
    return row.device


def end_other_sessions(session: Session, actor: Actor) -> int:
    """Every active session of the actor but the one they act through; how many ended."""
    require(actor, "accounts.self.manage", actor.user_id)
    assert actor.user_id is not None  # the rule above
    return end_user_sessions(session, actor, actor.user_id, "ended by its user", actor.session_id)


def end_user_sessions(
    session: Session, actor: Actor, user_id: int, reason: str, keep: int | None = None
) -> int:
    """End a user's active sessions but `keep`, for services that have checked their own
    permission (password change, deactivation, erasure); how many ended."""
    stmt = select(UserSession).where(UserSession.user_id == user_id, UserSession.live(utcnow()))
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep)
    return _end(session, actor, list(session.scalars(stmt)), reason)
