"""A job's page (polled by HTMX until it ends) and its state in the JSON API."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from upland.db import RowId
from upland.jobs import queries
from upland.jobs.schemas import JobRead
from upland.web.deps import ActorDep, CsrfChecked, SessionDep
from upland.web.errors import API_ERRORS
from upland.web.routing import Router
from upland.web.templating import render

router = Router()
pages = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["jobs"], dependencies=[CsrfChecked], responses=API_ERRORS)


@api.get("/jobs/{job_id}", response_model=JobRead)
def api_get_job(job_id: RowId, session: SessionDep, actor: ActorDep) -> JobRead:
    """State, progress and outcome of a job you started (staff: of any job)."""
    return JobRead.of(queries.get_job(session, actor, job_id))


@pages.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(job_id: RowId, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    job = JobRead.of(queries.get_job(session, actor, job_id))
    template = "jobs/_status.html" if request.headers.get("hx-request") else "jobs/detail.html"
    return render(request, template, {"job": job})


router.include_router(api)
router.include_router(pages)
