"""A job as the API shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel

from upland.jobs.models import Job
from upland.jobs.queries import progress_of


class JobRead(BaseModel):
    id: int
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    done: int
    total: int | None
    result: dict[str, Any] | None
    error: str | None
    """In English; `error_code` is stable, `error_said` the same text in every language."""
    error_code: str | None
    error_said: dict[str, str] | None
    started_by: int | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @classmethod
    def of(cls, job: Job) -> JobRead:
        done, total = progress_of(job)
        return cls(
            id=job.id,
            kind=job.kind,
            state=job.state,  # type: ignore[arg-type]
            done=done,
            total=total,
            result=job.result,
            error=job.error,
            error_code=job.error_code,
            error_said=job.error_said,
            started_by=job.started_by_id,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )
