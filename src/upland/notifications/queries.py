"""Every read of notifications: one's own news, newest first; the unread count; one's choices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.notifications import kinds
from upland.notifications.models import ALL_KINDS, Delivery, Notification, NotificationPreference
from upland.notifications.permissions import visible_to
from upland.permissions import require

PER_PAGE = 20


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    page: int
    per_page: int
    total: int
    unread: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_notifications(
    session: Session,
    actor: Actor,
    page: int = 1,
    per_page: int = PER_PAGE,
    unread_only: bool = False,
) -> NotificationPage:
    """The actor's news, newest first, one page of it."""
    require(actor, "notifications.notification.read", actor.user_id or 0)
    stmt = visible_to(actor, select(Notification))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return NotificationPage(list(items), page, per_page, total, count_unread(session, actor))


def count_unread(session: Session, actor: Actor) -> int:
    """How many of the actor's notifications are unread (0 for the anonymous): one indexed
    count, asked once per page for the navigation."""
    if actor.user_id is None:
        return 0
    stmt = visible_to(actor, select(func.count(Notification.id))).where(
        Notification.read_at.is_(None)
    )
    return int(session.scalar(stmt) or 0)


@dataclass(frozen=True)
class Choice:
    kind: kinds.Kind
    delivery: Delivery
    chosen: bool  # False: the kind's default


@dataclass(frozen=True)
class Preferences:
    choices: list[Choice]
    mail: bool  # False: every notification e-mail is switched off


def get_preferences(session: Session, actor: Actor, user_id: int) -> Preferences:
    """How each registered kind reaches the person, and whether e-mail is on at all."""
    require(actor, "notifications.preference.edit", user_id)
    rows = dict(
        session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    choices = [
        Choice(kind, Delivery(rows.get(kind.code, kind.default)), kind.code in rows)
        for kind in kinds.registered()
    ]
    return Preferences(choices, rows.get(ALL_KINDS) != Delivery.IN_APP)
