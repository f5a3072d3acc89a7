"""One piece of long work (an import, embedding a catalogue) and how far it has got."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from upland.db import Base, utcnow

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)


class Job(Base):
    """`task` is the importable function that does the work, `kind` what people call it."""

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    task: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(1000))
    """The error in English (API, logs); `error_said` the same in every language (pages)."""
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_said: Mapped[dict[str, str] | None] = mapped_column(JSON)
    runner: Mapped[str | None] = mapped_column(String(120))
    """host:pid of the process running the job (or holding it in-process), to notice a crash."""
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None] = mapped_column(index=True)

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)
