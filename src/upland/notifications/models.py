"""A piece of news for one person, and how each person wants each kind of news delivered."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow
from upland.i18n import N_, register_labels


class Delivery(StrEnum):
    """How a kind of news reaches a person."""

    OFF = "off"  # not recorded at all
    IN_APP = "in_app"  # in the list and the unread count only
    IMMEDIATE = "immediate"  # and an e-mail at once
    DAILY = "daily"  # and in the daily digest e-mail
    WEEKLY = "weekly"  # and in the weekly digest e-mail


register_labels(
    "notification_delivery",
    {
        Delivery.OFF: N_("off"),
        Delivery.IN_APP: N_("in the platform only"),
        Delivery.IMMEDIATE: N_("e-mail at once"),
        Delivery.DAILY: N_("daily e-mail digest"),
        Delivery.WEEKLY: N_("weekly e-mail digest"),
    },
)
DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)
EMAILED = (Delivery.IMMEDIATE, *DIGESTS)
ALL_KINDS = "*"  # the preference row that switches every notification e-mail off


class Notification(Base):
    """`delivery` is the person's choice for the kind when the news came; `emailed_at` is set
    when the transport took the e-mail that carried it, `digested_at` when a digest took it."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_recipient_unread", "recipient_id", "read_at"),
        Index("ix_notification_pending_digest", "delivery", "digested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(500))
    delivery: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]
    mail_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_message.id", ondelete="SET NULL"), index=True
    )
    emailed_at: Mapped[dt.datetime | None]
    digested_at: Mapped[dt.datetime | None]


class NotificationPreference(Base):
    """A person's choice for one kind (or `ALL_KINDS`: `in_app` there means no e-mail at all);
    without a row the kind's default applies."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(80), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
