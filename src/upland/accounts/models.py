"""Users, their organisation memberships, invitations, password resets, log-in sessions and API
tokens."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, ForeignKey, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from upland.db import Base, utcnow


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    officer_teryt: Mapped[str | None] = mapped_column(
        ForeignKey("municipality.teryt", ondelete="SET NULL")
    )
    language: Mapped[str] = mapped_column(String(2), default="pl")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    mail_notices: Mapped[bool] = mapped_column(default=True)  # security e-mails go regardless

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class Membership(Base):
    """A user's role (viewer/editor/admin) in one organisation."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))

    user: Mapped[User] = relationship(back_populates="memberships")


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class Invitation(Base):
    """An offer of a role in an organisation to an e-mail address; the role exists only once the
    holder of that address accepts. A new address sets up its account through the e-mailed
    one-time link (only its SHA-256 is stored); an existing account accepts while logged in."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    accepted_at: Mapped[dt.datetime | None]
    cancelled_at: Mapped[dt.datetime | None]
    """Withdrawn by the organisation or replaced by a newer invitation: the link answers 410."""

    @classmethod
    def open(cls) -> ColumnElement[bool]:
        """Neither accepted nor withdrawn (it may have expired)."""
        return and_(cls.accepted_at.is_(None), cls.cancelled_at.is_(None))


SESSION_DAYS = 14  # a session unused this long is over, as its cookie is (app.py, max_age)


class UserSession(Base):
    """One log-in of a browser; the cookie carries a random token of which only the SHA-256 is
    stored, so the server can end the session (log-out, password change, deactivation)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    device: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()

    @classmethod
    def live(cls, now: dt.datetime) -> ColumnElement[bool]:
        """Not ended and used within SESSION_DAYS."""
        return and_(
            cls.ended_at.is_(None), cls.last_seen_at > now - dt.timedelta(days=SESSION_DAYS)
        )


class PasswordReset(Base):
    """A one-time link to set a new password, e-mailed to the account's address; only its
    SHA-256 is stored, and a newer request replaces it."""

    __tablename__ = "password_reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
