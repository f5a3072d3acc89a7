"""An import of organisations as a job: the upload page and the API queue it, a worker (or this
process's background thread) runs it, and the job page shows its progress and report."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import uploads
from upland.accounts import queries as account_queries
from upland.actor import Actor
from upland.i18n import LANGUAGES, Message
from upland.jobs import tracked
from upland.jobs.models import Job
from upland.organisations.imports.report import ImportReport
from upland.organisations.imports.service import Mode, import_file

KIND = "Import organisations"


def queue_import(session: Session, actor: Actor, upload: str, filename: str, mode: Mode) -> Job:
    """In the caller's transaction; the upload (see `uploads`) belongs to the job from now on
    and is deleted when it ends, whatever the outcome."""
    return tracked.start(
        session,
        actor,
        KIND,
        "upland.organisations.import_job.run_import",
        upload=upload,
        filename=filename,
        mode=mode,
    )


def run_import(
    session: Session, job: tracked.Context, *, upload: str, filename: str, mode: Mode
) -> dict[str, Any]:
    """The task, inside the job's one transaction: all-or-nothing stays all-or-nothing."""
    try:
        user = account_queries.get_user(session, job.user_id) if job.user_id else None
        actor = account_queries.actor_for(session, user)
        report = import_file(
            session,
            actor,
            uploads.path_of(upload),
            filename=filename,
            mode=mode,
            progress=job.report,
        )
    finally:
        uploads.discard(upload)
    return summary(report)


def _said(message: Message) -> dict[str, str]:
    """A message as JSON keeps it: rendered in every language (the page picks its own)."""
    return {language: message.render(language) for language in LANGUAGES}


def summary(report: ImportReport) -> dict[str, Any]:
    """The report as the job keeps it (JSON): counts, notes and the first errors."""
    return {
        "summary": _said(report.summary_message),
        "written": report.written,
        "rows_total": report.rows_total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "error_count": report.error_count,
        "errors": [
            {"row": e.row, "column": e.column, "value": e.value, "message": _said(e.said)}
            for e in report.errors
        ],
        "notes": [_said(note) for note in report.notes],
    }
