"""What runs when: each part registers its periodic jobs at import.

    register(Periodic("notifications.daily-digest",
                      "upland.notifications.delivery.send_daily_digests",
                      cron={"hour": 7, "minute": 0}))

`task` is an importable function without arguments, run as a job (`upland.jobs`); `every` is an
interval, `cron` the fields of a cron-like time in `timezone` (APScheduler's CronTrigger).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

NAME = re.compile(r"[a-z][a-z0-9_.-]{1,79}")
TIMEZONE = "Europe/Warsaw"


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    every: dt.timedelta | None = None
    cron: dict[str, Any] = field(default_factory=dict)
    timezone: str = TIMEZONE
    description: str = ""

    def trigger(self) -> BaseTrigger:
        zone = ZoneInfo(self.timezone)
        if self.every is not None:
            return IntervalTrigger(seconds=self.every.total_seconds(), timezone=zone)
        return CronTrigger(timezone=zone, **self.cron)

    def when(self) -> str:
        """How people read the schedule: `every 0:10:00` or `cron hour=7 minute=0`."""
        if self.every is not None:
            return f"every {self.every}"
        fields = " ".join(f"{k}={v}" for k, v in self.cron.items())
        return f"cron {fields} ({self.timezone})"

    def next_after(self, moment: dt.datetime) -> dt.datetime | None:
        """The first tick at or after `moment`."""
        return _as_utc(self.trigger().get_next_fire_time(None, moment))

    def lease(self, now: dt.datetime) -> dt.timedelta:
        """Half the time between two ticks: a claim younger than this is the same tick taken
        by another process, an older one a past tick."""
        if self.every is not None:
            return self.every / 2
        trigger = self.trigger()
        first = trigger.get_next_fire_time(None, now)
        second = trigger.get_next_fire_time(first, first + dt.timedelta(seconds=1))
        if first is None or second is None:
            return dt.timedelta(hours=12)
        gap: dt.timedelta = second - first
        return gap / 2


def _as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(dt.UTC) if moment else None


_JOBS: dict[str, Periodic] = {}


def register(periodic: Periodic) -> Periodic:
    if not NAME.fullmatch(periodic.name):
        raise ValueError(f"not a periodic job's name: {periodic.name!r}")
    if (periodic.every is None) == (not periodic.cron):
        raise ValueError("a periodic job runs either every so often or at a cron-like time")
    periodic.trigger()  # a mistake in the fields fails at import, not at the first tick
    if periodic.name in _JOBS and _JOBS[periodic.name] != periodic:
        raise RuntimeError(f"periodic job {periodic.name!r} is registered already")
    _JOBS[periodic.name] = periodic
    return periodic


def unregister(name: str) -> None:
    """For tests that register a job of their own."""
    _JOBS.pop(name, None)


def get(name: str) -> Periodic | None:
    return _JOBS.get(name)


def registered() -> list[Periodic]:
    return [_JOBS[name] for name in sorted(_JOBS)]
