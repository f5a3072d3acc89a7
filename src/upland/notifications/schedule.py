"""The periodic jobs of notifications: the daily digest at 07:00 Warsaw time, the weekly one on
Monday at 07:00, and every ten minutes a retry of e-mails that did not go."""

from __future__ import annotations

import datetime as dt

from upland.scheduler.registry import Periodic, register

DELIVERY = "upland.notifications.delivery"

register(
    Periodic(
        "notifications.daily-digest",
        f"{DELIVERY}.send_daily_digests",
        cron={"hour": 7, "minute": 0},
        description="one e-mail per person with the news they take as a daily digest",
    )
)
register(
    Periodic(
        "notifications.weekly-digest",
        f"{DELIVERY}.send_weekly_digests",
        cron={"day_of_week": "mon", "hour": 7, "minute": 0},
        description="one e-mail per person with the news they take as a weekly digest",
    )
)
register(
    Periodic(
        "notifications.retry-mail",
        f"{DELIVERY}.retry_unsent_mail",
        every=dt.timedelta(minutes=10),
        description="send again the e-mails (notifications' among them) that failed",
    )
)
