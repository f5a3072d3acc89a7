"""Getting notifications out by e-mail after they are recorded.

- Immediate ones ride on the shared outbox: `service.notify` queues the message in the caller's
  transaction, the mail job sends it after commit, and the transaction that records it sent
  stamps the notification `emailed_at` (`_note_sent`). Until then it stays "not yet e-mailed";
  RQ retries a failed send with backoff, and the scheduled `retry_unsent_mail` sends whatever
  is still waiting (the only retry without Redis).
- Digests (`send_digests`): per batch of people, one query fetches every not-yet-digested
  notification of the period with its recipient, one e-mail per person is queued, and the
  notifications are stamped `digested_at` in the same transaction; run twice, the second run
  finds nothing. Notifications of inactive accounts are stamped without an e-mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from upland.db import transaction, utcnow
from upland.mail import service as mail_service
from upland.notifications import mailing
from upland.notifications.models import Delivery, Notification
from upland.notifications.recipients import Recipient, directory

BATCH = 500  # people per digest transaction


def _note_sent(session: Session, message_id: int) -> None:
    session.execute(
        update(Notification)
        .where(Notification.mail_message_id == message_id, Notification.emailed_at.is_(None))
        .values(emailed_at=utcnow())
        .execution_options(synchronize_session=False)
    )


mail_service.on_sent(_note_sent)


@dataclass(frozen=True)
class Digest:
    recipient: Recipient
    notifications: list[Row[Any]]  # id, kind, params, link, created_at


def pending_people(
    session: Session, frequency: Delivery, now: dt.datetime, after: int, limit: int
) -> list[int]:
    """The next `limit` people (by id, above `after`) with news waiting for this digest."""
    stmt = (
        select(Notification.recipient_id)
        .where(
            Notification.delivery == frequency.value,
            Notification.digested_at.is_(None),
            Notification.created_at <= now,
            Notification.recipient_id > after,
        )
        .group_by(Notification.recipient_id)
        .order_by(Notification.recipient_id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def collect_digests(
    session: Session, frequency: Delivery, user_ids: Sequence[int], now: dt.datetime
) -> list[Digest]:
    """Every waiting notification of these people, with the people, in one query (rows
    another run is taking at this moment are skipped on PostgreSQL)."""
    people = directory().subquery()
    stmt = (
        select(
            Notification.id,
            Notification.recipient_id,
            Notification.kind,
            Notification.params,
            Notification.link,
            Notification.created_at,
            people.c.email,
            people.c.language,
            people.c.active,
        )
        .join(people, people.c.id == Notification.recipient_id)
        .where(
            Notification.recipient_id.in_(user_ids),
            Notification.delivery == frequency.value,
            Notification.digested_at.is_(None),
            Notification.created_at <= now,
        )
        .order_by(Notification.recipient_id, Notification.created_at, Notification.id)
        .with_for_update(of=Notification, skip_locked=True)
    )
    digests = []
    for user_id, rows in groupby(session.execute(stmt), key=lambda r: r.recipient_id):
        listed = list(rows)
        first = listed[0]
        recipient = Recipient(user_id, first.email, first.language, first.active)
        digests.append(Digest(recipient, listed))
    return digests


def digest_batch(
    session: Session, frequency: Delivery, user_ids: Sequence[int], now: dt.datetime
) -> int:
    """Queue one digest e-mail per person and stamp what it carries; e-mails queued."""
    stamps: list[dict[str, Any]] = []
    queued = 0
    for digest in collect_digests(session, frequency, user_ids, now):
        message_id = None
        person = digest.recipient
        if person.active:
            items = [
                mailing.item(n.kind, n.params, n.link, n.created_at, person.language)
                for n in digest.notifications
            ]
            message_id = mailing.queue_digest(session, person, frequency.value, items).id
            queued += 1
        stamps.extend(
            {"id": n.id, "digested_at": now, "mail_message_id": message_id}
            for n in digest.notifications
        )
    if stamps:
        session.execute(update(Notification), stamps)
    session.flush()
    return queued


def send_digests(frequency: str, now: dt.datetime | None = None) -> dict[str, int]:
    """The job: every person's digest of this period, a batch of people per transaction."""
    period = Delivery(frequency)
    if period not in (Delivery.DAILY, Delivery.WEEKLY):
        raise ValueError(f"no digest is sent {frequency!r}")
    now = now or utcnow()
    after, people, queued = 0, 0, 0
    while True:
        with transaction() as session:
            batch = pending_people(session, period, now, after, BATCH)
            if not batch:
                break
            queued += digest_batch(session, period, batch, now)
        people += len(batch)
        after = batch[-1]
    return {"people": people, "emails": queued}


def send_daily_digests() -> dict[str, int]:
    return send_digests(Delivery.DAILY.value)


def send_weekly_digests() -> dict[str, int]:
    return send_digests(Delivery.WEEKLY.value)


def retry_unsent_mail() -> dict[str, int]:
    """Send again every e-mail that failed or waits too long (notifications' among them):
    what keeps a notification from being lost when there is no Redis to retry it."""
    with transaction() as session:
        waiting = mail_service.list_unsent(session)
    return mail_service.retry_unsent(waiting)
