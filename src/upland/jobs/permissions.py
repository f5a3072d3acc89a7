"""Who may watch a job: whoever started it, coordinators and platform admins."""

from __future__ import annotations

from upland.actor import Actor
from upland.jobs.models import Job
from upland.permissions import rule


@rule("jobs.job.view", Job)
def can_view_job(actor: Actor, job: Job) -> bool:
    if actor.is_staff:
        return True
    return actor.user_id is not None and actor.user_id == job.started_by_id
