"""Reading a job's state, with the progress of a running one."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.errors import NotFound, PermissionDenied
from upland.jobs import permissions as permissions  # registers jobs.job.view
from upland.jobs import tracked
from upland.jobs.lifecycle import settle
from upland.jobs.models import QUEUED, RUNNING, Job
from upland.jobs.tracked import live
from upland.permissions import allowed


def get_job(session: Session, actor: Actor, job_id: int) -> Job:
    """The job, if the actor may watch it; another user's job is not found (its id reveals
    nothing), an anonymous visitor is asked to log in."""
    job = session.get(Job, job_id)
    if actor.is_anonymous:
        raise PermissionDenied("log in to see this job", code="job.log_in")
    if job is None or not allowed(actor, "jobs.job.view", job):
        raise NotFound("job {id} not found", code="job.not_found", id=job_id)
    if job.state in (QUEUED, RUNNING):
        _settle_if_lost(session, job)
    return job


def _settle_if_lost(session: Session, job: Job) -> None:
    """A job a crashed process left behind is marked failed when someone looks at it, in a
    transaction of its own (the reader's may be read-only, or rolled back)."""
    with tracked.transaction() as own:
        stored = own.get(Job, job.id)
        if stored is None or not settle(stored):
            return
    session.refresh(job)


def progress_of(job: Job) -> tuple[int, int | None]:
    """(done, total): live while the job runs, as recorded once it has finished."""
    if job.state == RUNNING:
        return live.get(job.id) or (job.progress_done, job.progress_total)
    return job.progress_done, job.progress_total
