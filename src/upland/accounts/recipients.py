"""Accounts as the people notifications go to: the one query the core's notifications read
addresses and languages through (`upland.notifications.recipients`)."""

from __future__ import annotations

from sqlalchemy import Select, select

from upland.accounts.models import User
from upland.notifications import recipients


def recipient_directory() -> Select[int, str, str, bool]:
    return select(
        User.id.label("id"),
        User.email.label("email"),
        User.language.label("language"),
        User.is_active.label("active"),
    )


recipients.register(recipient_directory)
