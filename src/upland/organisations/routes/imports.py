"""Importing organisations from a file: check (a dry run), then import as a job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from upland import uploads
from upland.actor import Actor
from upland.controls import printable_name
from upland.errors import Gone, Invalid
from upland.i18n import gettext_in
from upland.jobs.schemas import JobRead
from upland.organisations import import_job
from upland.organisations.imports.service import Mode, import_file
from upland.permissions import require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render
from upland.web.upload_gate import RequireFirst

# Checked before the body is read (web/upload_gate), then again as a dependency.
MayImport = Depends(RequireFirst("organisations.organisation.import"))
router = Router(include_in_schema=False)
api = Router(
    prefix="/api/v1", tags=["organisations"], dependencies=[CsrfChecked], responses=API_ERRORS
)


def _run_import(
    session: Any, actor: Actor, path: Path, filename: str, mode: Mode, dry_run: bool
) -> Any:
    with unit_of_work(session):
        return import_file(session, actor, path, filename=filename, mode=mode, dry_run=dry_run)


def _drop_pending(request: Request) -> None:
    """Delete the upload this browser session left waiting, if any."""
    pending = request.session.pop("import_upload", None) or {}
    uploads.discard(str(pending.get("token", "")))


@router.get("/organisations/import", response_class=HTMLResponse)
def import_page(request: Request, actor: ActorDep) -> Response:
    require(actor, "organisations.organisation.import")
    return render(request, "organisations/import.html", {"report": None, "errors": {}})


@router.post(
    "/organisations/import",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked, MayImport],
)
def import_check(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Step 1: upload and dry run; the report lists every problem by row and column.

    A file refused as a whole is deleted at once; one that can be imported waits for step 2
    until it expires (`uploads`). A new upload replaces the one the session left waiting.
    Whoever may not import is refused before the file is read (`MayImport`).
    """
    language = language_of(request)
    if file is None or not file.filename:
        return render(
            request,
            "organisations/import.html",
            {"report": None, "errors": {"file": gettext_in(language, "choose a CSV or XLSX file")}},
            422,
        )
    _drop_pending(request)
    filename = printable_name(file.filename)
    token = ""
    try:
        token = uploads.save(file.file)
        report = _run_import(
            session, actor, uploads.path_of(token), filename, "valid_only", dry_run=True
        )
    except Invalid as exc:
        uploads.discard(token)
        return render(
            request,
            "organisations/import.html",
            {"report": None, "errors": {"file": describe(exc, language)}},
            422,
        )
    request.session["import_upload"] = {"token": token, "filename": filename}
    return render(
        request,
        "organisations/import.html",
        {"report": report, "filename": filename, "token": token, "errors": {}},
    )


@router.post("/organisations/import/cancel", dependencies=[CsrfChecked])
def import_cancel(request: Request, actor: ActorDep) -> Response:
    """Give up the checked upload: its file is deleted at once."""
    require(actor, "organisations.organisation.import")
    _drop_pending(request)
    return RedirectResponse("/organisations/import", status_code=303)


@router.post("/organisations/import/{token}", dependencies=[CsrfChecked])
def import_commit(
    token: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    mode: Annotated[str, Form()] = "all_or_nothing",
) -> Response:
    """Step 2: queue the import of everything (all-or-nothing) or only the valid rows, and
    follow it on the job's page; 410 once the upload has expired."""
    require(actor, "organisations.organisation.import")
    pending = request.session.get("import_upload") or {}
    if pending.get("token") != token:
        raise Invalid.one("file", "unknown upload; upload the file again", code="upload.unknown")
    try:
        uploads.path_of(token)
    except Gone:
        request.session.pop("import_upload", None)
        raise
    chosen: Mode = "valid_only" if mode == "valid_only" else "all_or_nothing"
    with unit_of_work(session):
        job = import_job.queue_import(session, actor, token, pending["filename"], chosen)
    request.session.pop("import_upload", None)  # the job has it now
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@api.post(
    "/organisations/import", response_model=JobRead, status_code=202, dependencies=[MayImport]
)
def api_import_organisations(
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[
        UploadFile, File(description="a CSV or XLSX file, or the JSON export (docs: import format)")
    ],
    mode: Annotated[Mode, Form()] = "all_or_nothing",
) -> JobRead:
    """Queue an import of organisations; follow it at `GET /api/v1/jobs/{id}`. Whoever may not
    import is refused (403) before the file is read."""
    token = uploads.save(file.file)
    try:
        with unit_of_work(session):
            job = import_job.queue_import(
                session, actor, token, printable_name(file.filename), mode
            )
    except Exception:
        uploads.discard(token)
        raise
    session.refresh(job)  # without Redis the job may have run already
    return JobRead.of(job)
