"""Whose notifications are whose: a person's own, and nobody else's (staff included: news is
private correspondence). Default deny; every list and count goes through `visible_to`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false

from upland.actor import Actor
from upland.notifications.models import Notification
from upland.permissions import rule


@rule("notifications.notification.read", int)
def can_read_notification(actor: Actor, recipient_id: int | None) -> bool:
    """Reading, and marking read, one's own news; `recipient_id` is the notification's."""
    return actor.user_id is not None and actor.user_id == recipient_id


@rule("notifications.preference.edit", int)
def can_edit_preference(actor: Actor, user_id: int | None) -> bool:
    """Choosing how one's own news arrives."""
    return actor.user_id is not None and actor.user_id == user_id


def visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a SELECT over notifications to the actor's own."""
    if actor.user_id is None:
        return stmt.where(false())
    return stmt.where(Notification.recipient_id == actor.user_id)
