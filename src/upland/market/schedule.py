"""The marketplace's periodic jobs (`upland schedule list|run`, the in-process scheduler or
`upland worker`): every hour, expiring opportunities past their date (the date turns at UTC
midnight, which is no fixed Warsaw hour); at 08:00 Warsaw time, the reminders of those
expiring within `UPLAND_MARKET_REMINDER_DAYS`."""

from __future__ import annotations

import datetime as dt

from upland.actor import SYSTEM
from upland.db import transaction, utcnow
from upland.scheduler.registry import Periodic, register
from upland.settings import get_settings

EXPIRE = "market.expire"
REMIND = "market.expiry-reminders"


def expire_opportunities() -> str:
    """The task of `market.expire`: the same sweep as `upland market expire`."""
    from upland.market import service

    with transaction() as session:
        expired = service.expire_due(session, SYSTEM, utcnow())
    return f"expired {len(expired)}"


def send_expiry_reminders() -> str:
    """The task of `market.expiry-reminders`."""
    from upland.market import service

    days = get_settings().market_reminder_days
    with transaction() as session:
        reminded = service.remind_expiring(session, SYSTEM, utcnow().date(), days)
    return f"reminded of {len(reminded)}"


register(
    Periodic(
        EXPIRE,
        f"{__name__}.expire_opportunities",
        every=dt.timedelta(hours=1),
        description="expire published opportunities past their expiry date",
    )
)
register(
    Periodic(
        REMIND,
        f"{__name__}.send_expiry_reminders",
        cron={"hour": 8, "minute": 0},
        description="remind owners, once per expiry date, of opportunities expiring soon",
    )
)
