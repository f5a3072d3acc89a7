"""Queue an e-mail inside the caller's transaction; send it after commit as a job.

A message is a row first (rendered, status `queued`), so nothing is lost when the SMTP server
is down: a failed send stays `failed` with its error, RQ tries again with backoff, and
`upland mail retry` sends whatever is still waiting. Retries need the body, so an unsent
security e-mail keeps its link in the row until it is sent (then the body is dropped) or its
last try fails (then it is `abandoned`, body dropped too).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from upland import jobs
from upland.db import transaction, utcnow
from upland.mail import render, transport
from upland.mail.models import ABANDONED, FAILED, NOTICE, QUEUED, SECURITY, SENT, MailMessage

log = logging.getLogger(__name__)
_PENDING = "upland_pending_mail"
RETRY_AFTER = (30, 300, 1800, 7200)  # seconds between RQ's tries of one message
MAX_ATTEMPTS = len(RETRY_AFTER) + 1  # then a security e-mail is given up and its link dropped
STALE_QUEUED = dt.timedelta(minutes=10)


SentListener = Callable[[Session, int], None]
_sent_listeners: list[SentListener] = []


def on_sent(listener: SentListener) -> SentListener:
    """Call `listener(session, message_id)` in the transaction that records a message as sent
    (notifications note there that their e-mail went)."""
    if listener not in _sent_listeners:
        _sent_listeners.append(listener)
    return listener


class MailNotSent(Exception):
    """Raised by the send job after recording the failure, so the job queue retries it."""


def queue_message(
    session: Session,
    *,
    to: str,
    language: str,
    kind: str,
    template: str,
    context: dict[str, Any],
    unsubscribe_url: str | None = None,
) -> MailMessage:
    """Render `template` and store the message; it is sent only if the transaction commits.
    A notice must carry its unsubscribe link (the caller has checked the preference), a
    security message never does."""
    if kind not in {SECURITY, NOTICE}:
        raise ValueError(f"unknown kind of e-mail {kind!r}")
    if (kind == NOTICE) != bool(unsubscribe_url):
        raise ValueError("notices need an unsubscribe link and security messages have none")
    rendered = render.render(template, language, {**context, "unsubscribe_url": unsubscribe_url})
    message = MailMessage(
        recipient=to,
        language=language,
        kind=kind,
        template=template,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        unsubscribe_url=unsubscribe_url,
        status=QUEUED,
    )
    session.add(message)
    session.flush()
    session.info.setdefault(_PENDING, []).append(message.id)
    return message


def dispatch(message_id: int) -> None:
    """Hand one message to the job queue (or send it now, without Redis)."""
    try:
        jobs.enqueue("upland.mail.service.send_message", message_id, retry_after=RETRY_AFTER)
    except Exception:  # the row stays queued or failed; `upland mail retry` picks it up
        log.exception("e-mail not sent", extra={"mail_message_id": message_id})


@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    for message_id in session.info.pop(_PENDING, []):
        dispatch(message_id)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)


def send_message(message_id: int) -> str:
    """The job: deliver one message and record the outcome; raise on failure for a retry.
    No transaction is open while the SMTP server talks: on SQLite it would hold the one
    write lock of the whole database for as long."""
    with transaction() as session:
        message = session.get(MailMessage, message_id)
        if message is None or message.status in {SENT, ABANDONED}:
            return "nothing to send"
        message.attempts += 1
        session.flush()
        session.expunge(message)  # read below, after the commit, as it was sent
    try:
        transport.deliver(message)
    except (OSError, smtplib.SMTPException, transport.NoMailServer) as exc:
        _record(message_id, exc)
        raise MailNotSent(f"e-mail {message_id} not sent: {exc}") from exc
    _record(message_id, None)
    return "sent"


def _record(message_id: int, error: Exception | None) -> None:
    with transaction() as session:
        message = session.get(MailMessage, message_id)
        if message is None:
            return
        if error is None:
            message.status, message.last_error, message.sent_at = SENT, None, utcnow()
            if message.kind == SECURITY:  # its one-time link must not outlive the sending
                _drop_body(message)
            session.flush()
            for listener in _sent_listeners:
                listener(session, message_id)
            return
        message.status, message.last_error = FAILED, str(error)[:500]
        if message.kind == SECURITY and message.attempts >= MAX_ATTEMPTS:
            message.status = ABANDONED  # the last try: its link goes with it
            _drop_body(message)


def _drop_body(message: MailMessage) -> None:
    message.body_text = message.body_html = ""


def list_unsent(session: Session) -> list[int]:
    """Failed messages, and queued ones that should have gone long ago."""
    stmt = select(MailMessage.id).where(
        or_(
            MailMessage.status == FAILED,
            (MailMessage.status == QUEUED) & (MailMessage.created_at < utcnow() - STALE_QUEUED),
        )
    )
    return list(session.scalars(stmt.order_by(MailMessage.id)))


def retry_unsent(message_ids: list[int]) -> dict[str, int]:
    """Try each message once more, now, in this process; count what happened."""
    counts = {"sent": 0, "failed": 0}
    for message_id in message_ids:
        try:
            send_message(message_id)
        except MailNotSent:
            counts["failed"] += 1
        else:
            counts["sent"] += 1
    return counts
