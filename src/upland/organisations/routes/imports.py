"""Importing organisations from a file: check (a dry run), then import as a job."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from upland import uploads
from upland.accounts.actor import Actor
from upland.errors import Gone, Invalid
from upland.permissions import require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.messages import describe, translate
from upland.web.templating import language_of, render

router = APIRouter(include_in_schema=False)


def _run_import(
    session: Any, actor: Actor, path: Path, filename: str, mode: Any, dry_run: bool
) -> Any:
    from upland.organisations.imports.service import import_file

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


@router.post("/organisations/import", response_class=HTMLResponse, dependencies=[CsrfChecked])
def import_check(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Step 1: upload and dry run; the report lists every problem by row and column.

    A file refused as a whole is deleted at once; one that can be imported waits for step 2
    until it expires (`uploads`). A new upload replaces the one the session left waiting.
    """
    require(actor, "organisations.organisation.import")
    language = language_of(request)
    if file is None or not file.filename:
        return render(
            request,
            "organisations/import.html",
            {"report": None, "errors": {"file": translate("choose a CSV or XLSX file", language)}},
            422,
        )
    _drop_pending(request)
    filename = file.filename[:200]
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


@router.post(
    "/organisations/import/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def import_commit(
    token: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    mode: Annotated[str, Form()] = "all_or_nothing",
) -> Response:
    """Step 2: import everything (all-or-nothing) or only the valid rows; 410 once expired."""
    require(actor, "organisations.organisation.import")
    pending = request.session.get("import_upload") or {}
    if pending.get("token") != token:
        raise Invalid.one("file", "unknown upload; upload the file again")
    try:
        path = uploads.path_of(token)
    except Gone:
        request.session.pop("import_upload", None)
        raise
    chosen = "valid_only" if mode == "valid_only" else "all_or_nothing"
    report = _run_import(session, actor, path, pending["filename"], chosen, dry_run=False)
    if report.written:
        _drop_pending(request)
    return render(
        request,
        "organisations/import.html",
        {
            "report": report,
            "filename": pending["filename"],
            "token": token,
            "errors": {},
            "done": report.written,
        },
    )
