"""Jobs people wait for: a `job` row says what runs, for whom, how far it got and how it ended.

`start` adds the row in the caller's transaction; once that commits, the job goes to the queue
(`upland.jobs.enqueue`: RQ on Redis, or this process's background thread). `run` does the work
in one transaction of its own, so a task that fails leaves nothing behind (an import stays
all-or-nothing), and records the outcome in another.

Progress while a task runs is kept outside the database: on SQLite the task's transaction holds
the only write lock, so a progress row could not be written until the end. It goes to Redis when
configured (the web processes and the worker see it), else to this process's memory.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from upland import jobs
from upland.actor import Actor
from upland.db import transaction as transaction
from upland.db import utcnow
from upland.errors import UplandError
from upland.i18n import Message
from upland.jobs.lifecycle import INTERNAL, prune, record_failure, this_runner
from upland.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from upland.settings import get_settings

log = logging.getLogger(__name__)
_PENDING = "upland_pending_jobs"
PROGRESS_TTL = 86400  # seconds a finished job's live progress stays in Redis


def start(session: Session, actor: Actor, kind: str, task: str, **params: Any) -> Job:
    """Queue `task(session, context, **params)` as a job of `actor`; it starts after commit.
    `params` must be JSON-able. Old reports and lost jobs are cleared on the way
    (`lifecycle.prune`)."""
    prune(session)
    job = Job(kind=kind, task=task, params=params, state=QUEUED, started_by_id=actor.user_id)
    if not get_settings().redis_url:  # it waits in this process: lost if the process dies
        job.runner = this_runner()
    session.add(job)
    session.flush()
    session.info.setdefault(_PENDING, []).append(job.id)
    return job


@event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    for job_id in session.info.pop(_PENDING, []):
        try:
            jobs.enqueue("upland.jobs.tracked.run", job_id)
        except Exception:  # the row stays queued; the page says so
            log.exception("job not queued", extra={"job_id": job_id})


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass
class Context:
    """What a task knows about its job: whose it is, and where to report progress."""

    job_id: int
    user_id: int | None
    total: int | None = None

    def report(self, done: int, total: int | None = None) -> None:
        self.total = total if total is not None else self.total
        live.put(self.job_id, done, self.total)


class LiveProgress:
    """done/total of running jobs: in Redis when configured, else in this process."""

    def __init__(self) -> None:
        self._local: dict[int, tuple[int, int | None]] = {}
        self._redis: Any = None

    def _client(self) -> Any:
        url = get_settings().redis_url
        if not url:
            return None
        if self._redis is None:
            from redis import Redis

            self._redis = Redis.from_url(url, socket_timeout=1)
        return self._redis

    def put(self, job_id: int, done: int, total: int | None) -> None:
        client = self._client()
        if client is None:
            self._local[job_id] = (done, total)
            return
        client.set(f"upland:job:{job_id}:progress", f"{done}/{total or ''}", ex=PROGRESS_TTL)

    def get(self, job_id: int) -> tuple[int, int | None] | None:
        client = self._client()
        if client is None:
            return self._local.get(job_id)
        value = client.get(f"upland:job:{job_id}:progress")
        if value is None:
            return None
        done, _, total = value.decode().partition("/")
        return int(done), int(total) if total else None

    def drop(self, job_id: int) -> None:
        self._local.pop(job_id, None)


live = LiveProgress()


def run(job_id: int) -> str:
    """The queued function: mark the job running, do its task, record the outcome."""
    with transaction() as session:
        job = session.get(Job, job_id)
        if job is None or job.state != QUEUED:
            return "nothing to run"
        job.state, job.started_at, job.runner = RUNNING, utcnow(), this_runner()
        task, params, user_id = job.task, dict(job.params), job.started_by_id
    context = Context(job_id, user_id)
    try:
        work: Callable[..., dict[str, Any]] = jobs.resolve(task)  # UnknownJob: failed, logged
        with transaction() as session:
            result = work(session, context, **params)
    except UplandError as exc:
        _finish(job_id, context, error=(exc, exc.code))
        return FAILED
    except Exception:
        _finish(job_id, context, error=(INTERNAL, "internal"))
        raise
    _finish(job_id, context, result=result)
    return DONE


def _finish(
    job_id: int,
    context: Context,
    result: dict[str, Any] | None = None,
    error: tuple[UplandError | Message, str] | None = None,
) -> None:
    done, total = live.get(job_id) or (0, context.total)
    with transaction() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        if error is not None:
            record_failure(job, *error)
        else:
            job.state, job.result, job.finished_at = DONE, result, utcnow()
        job.progress_done, job.progress_total = done, total
    live.drop(job_id)
