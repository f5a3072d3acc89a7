"""The scheduler of one process: APScheduler fires each registered job's ticks on a background
thread; a tick that this process claims (`claims.claim`) is handed to the job queue
(`upland.jobs`: RQ when Redis is configured, else this process's job thread).

Who runs it: without `UPLAND_REDIS_URL`, every `upland serve`/`upland run` process; with it,
`upland worker` (the serving processes leave it alone). Either way, however many processes run
a scheduler, each tick runs once.
"""

from __future__ import annotations

import atexit
import logging
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler

from upland import jobs
from upland.db import utcnow
from upland.scheduler import claims, registry

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 3600  # a tick missed by less (a busy or restarting process) still runs


def tick(name: str) -> bool:
    """One tick of `name`: queue its task if this process claimed the tick; whether it did."""
    periodic = registry.get(name)
    if periodic is None:
        raise KeyError(name)
    now = utcnow()
    if not claims.claim(name, periodic.lease(now), now):
        return False
    jobs.enqueue(periodic.task)
    log.info("scheduled job queued", extra={"job": name})
    return True


def _safe_tick(name: str) -> None:
    try:
        tick(name)
    except Exception:  # the next tick tries again; the scheduler thread must live on
        log.exception("scheduled job not queued", extra={"job": name})


def run_now(name: str) -> Any:
    """`upland schedule run NAME`: the task at once, in this process, without a claim."""
    periodic = registry.get(name)
    if periodic is None:
        raise KeyError(name)
    return jobs.resolve(periodic.task)()


def build() -> BackgroundScheduler:
    """A scheduler (not started) with every registered job."""
    scheduler = BackgroundScheduler(
        job_defaults={"coalesce": True, "max_instances": 1},
        daemon=True,
    )
    for periodic in registry.registered():
        scheduler.add_job(
            _safe_tick,
            periodic.trigger(),
            args=[periodic.name],
            id=periodic.name,
            name=periodic.name,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler


def start() -> BackgroundScheduler:
    """Start this process's scheduler; it stops when the process exits."""
    scheduler = build()
    scheduler.start()
    atexit.register(lambda: scheduler.shutdown(wait=False) if scheduler.running else None)
    log.info("scheduler started", extra={"jobs": [p.name for p in registry.registered()]})
    return scheduler
