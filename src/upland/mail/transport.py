"""Hands a finished e-mail to the SMTP server of the settings, or, with no `smtp_host`, writes
it as an .eml file into `mail_outbox_dir` (development, `make run`)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from upland.db import utcnow
from upland.mail.models import MailMessage
from upland.settings import Settings, get_settings

TIMEOUT_SECONDS = 30


def build(message: MailMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(idstring=f"upland-{message.id}")
    email["Content-Language"] = message.language
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    else:
        email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    return email


def _smtp(settings: Settings, email: EmailMessage) -> None:
    host = settings.smtp_host or ""
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.smtp_tls == "ssl":
        server = smtplib.SMTP_SSL(
            host, settings.smtp_port, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        server = smtplib.SMTP(host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    with server:
        if settings.smtp_tls == "starttls":
            server.starttls(context=context)
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password or "")
        server.send_message(email)


def _outbox(settings: Settings, message: MailMessage, email: EmailMessage) -> None:
    folder = Path(settings.mail_outbox_dir)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{message.created_at:%Y%m%dT%H%M%S}-{message.id:08d}.eml"
    (folder / name).write_bytes(bytes(email))


def deliver(message: MailMessage) -> None:
    """Send or file one message; raises what the server or file system raised."""
    settings = get_settings()
    email = build(message, settings.mail_sender)
    if settings.smtp_host:
        _smtp(settings, email)
    else:
        _outbox(settings, message, email)
