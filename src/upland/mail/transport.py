"""Hands a finished e-mail to the SMTP server of the settings, or, with no `smtp_host`, writes
it as an .eml file into `mail_outbox_dir` in development mode only: the files hold live
invitation and password links, which must not lie on a production disk."""

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
NO_MAIL_SERVER = (
    "no SMTP server is configured (UPLAND_SMTP_HOST) and this is not development mode: "
    "the e-mail is kept unsent rather than written to the outbox folder"
)


class NoMailServer(RuntimeError):
    """Outside development mode there is nowhere to deliver an e-mail without SMTP."""


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


def _smtp(settings: Settings, email: EmailMessage, recipient: str) -> None:
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
        # The envelope names the one stored recipient; never addresses parsed from headers.
        server.send_message(email, to_addrs=[recipient])


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
        _smtp(settings, email, message.recipient)
    elif settings.dev_mode:
        _outbox(settings, message, email)
    else:
        raise NoMailServer(NO_MAIL_SERVER)
