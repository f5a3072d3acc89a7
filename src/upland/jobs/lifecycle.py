"""How a job ends when nobody ends it, and how long its report stays.

A process that dies while a job is queued in it or running leaves the row `queued`/`running`
for ever, and a report (an import's rows and errors, which may name people) kept for ever is
personal data nobody needs. So:

- `reap` marks lost jobs failed: one whose process on this host is gone (`runner` is host:pid),
  or one queued or running longer than `UPLAND_JOB_STALE_MINUTES` (above RQ's 60-minute job
  timeout, so a job on another host, or one an RQ work-horse crash left behind, ends too). It
  runs whenever a job is read (`queries.get_job`), at start-up and in `prune`.
- `prune` deletes finished jobs older than `UPLAND_JOB_RETENTION_DAYS`; it runs when a job
  starts, at start-up and as `upland jobs prune`.
- A user's jobs are part of their personal-data export and go with their erasure
  (`upland.personal_data`).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upland.db import utcnow
from upland.errors import UplandError
from upland.i18n import LANGUAGES, N_, Message
from upland.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from upland.personal_data import Part, register
from upland.settings import get_settings

LOST = Message(N_("the job stopped unexpectedly before it finished; start it again"))
TIMED_OUT = Message(N_("the job did not finish in time and was stopped; start it again"))
INTERNAL = Message(N_("internal error; the log has the details"))


def this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(runner: str) -> bool:
    """Whether the process `host:pid` still runs; a process on another host is assumed to."""
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    return True


def lost_reason(job: Job, now: dt.datetime | None = None) -> Message | None:
    """Why an unfinished job will never finish, or None while it may still."""
    if job.state not in (QUEUED, RUNNING):
        return None
    if job.runner and not _alive(job.runner):
        return LOST
    since = job.started_at if job.state == RUNNING else job.created_at
    limit = dt.timedelta(minutes=get_settings().job_stale_minutes)
    if since is not None and (now or utcnow()) - since > limit:
        return TIMED_OUT
    return None


def record_failure(job: Job, error: UplandError | Message, code: str) -> None:
    """The error in English for the API and logs, with a stable code, and rendered in every
    language for the pages (as a job's report keeps its messages)."""
    message = error.msg if isinstance(error, UplandError) else error
    job.state, job.finished_at = FAILED, utcnow()
    job.error = message.english()[:1000]
    job.error_code = code[:60]
    job.error_said = {language: message.render(language)[:1000] for language in LANGUAGES}


def settle(job: Job, now: dt.datetime | None = None) -> bool:
    """Mark this job failed if it is lost; True if it was."""
    reason = lost_reason(job, now)
    if reason is None:
        return False
    record_failure(job, reason, "job.lost" if reason is LOST else "job.timed_out")
    return True


def reap(session: Session, now: dt.datetime | None = None) -> int:
    """Mark every lost job failed; the number marked."""
    unfinished = session.scalars(select(Job).where(Job.state.in_((QUEUED, RUNNING))))
    marked = sum(settle(job, now) for job in unfinished)
    session.flush()
    return marked


def prune(session: Session, now: dt.datetime | None = None) -> tuple[int, int]:
    """Reap lost jobs, then delete finished ones past the retention: (failed, deleted)."""
    now = now or utcnow()
    failed = reap(session, now)
    cutoff = now - dt.timedelta(days=get_settings().job_retention_days)
    deleted = session.execute(
        delete(Job).where(Job.state.in_((DONE, FAILED)), Job.finished_at < cutoff)
    ).rowcount  # type: ignore[attr-defined]
    return failed, int(deleted or 0)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _export(session: Session, user_id: int) -> list[dict[str, Any]]:
    jobs = session.scalars(select(Job).where(Job.started_by_id == user_id).order_by(Job.id))
    return [
        {
            "id": job.id,
            "kind": job.kind,
            "state": job.state,
            "params": job.params,
            "result": job.result,
            "error": job.error,
            "created_at": _iso(job.created_at),
            "started_at": _iso(job.started_at),
            "finished_at": _iso(job.finished_at),
        }
        for job in jobs
    ]


def _erase(session: Session, user_id: int) -> None:
    """Finished jobs go; an unfinished one loses its owner and what it was given and gives,
    and goes with the retention once it ends."""
    mine = Job.started_by_id == user_id
    session.execute(delete(Job).where(mine, Job.state.in_((DONE, FAILED))))
    for job in session.scalars(select(Job).where(mine)):
        job.started_by_id, job.params, job.result = None, {}, None
    session.flush()


register(Part("jobs", _export, _erase))
