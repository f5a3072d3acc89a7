"""One e-mail: rendered when queued, so a retry sends exactly what was meant."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow

SECURITY = "security"  # invitations, resets, password changes: always sent, no unsubscribe
NOTICE = "notice"  # everything else: carries an unsubscribe link and honours it
QUEUED, SENT, FAILED = "queued", "sent", "failed"
ABANDONED = "abandoned"  # a security e-mail whose last try failed: its body (link) is dropped


class MailMessage(Base):
    __tablename__ = "mail_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(10))
    template: Mapped[str] = mapped_column(String(50))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]
