"""Feedback on suggestions: the verdict (a form beside each suggestion, and the API) and the
coordinator's report (a page and the API)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland import clock
from upland.errors import Invalid
from upland.matching.feedback import queries, service
from upland.matching.feedback.schemas import FeedbackIn, FeedbackRead, FeedbackReport
from upland.matching.feedback.vocab import REASONS
from upland.permissions import require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import FormFields, field_errors, validate_form
from upland.web.return_to import same_site
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["matching"], dependencies=[CsrfChecked], responses=API_ERRORS)


def _form_data(fields: dict[str, Any]) -> dict[str, Any]:
    """The form's verdict button ("useful" / "not_relevant") as the schema's `useful`."""
    data = {k: v for k, v in fields.items() if v is not None and k not in ("verdict", "next")}
    data["useful"] = fields.get("verdict") == "useful"
    return data


@router.post("/match/feedback", response_class=HTMLResponse, dependencies=[CsrfChecked])
def feedback_form(
    request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    """A verdict from the form beside a suggestion: a thank-you in its place (or, without
    scripts, back to the page it came from)."""
    errors: dict[str, str] = {}
    try:
        data = validate_form(FeedbackIn, _form_data(fields))
        with unit_of_work(session):
            service.give_feedback(session, actor, data, clock.today())
    except (ValidationError, Invalid) as exc:
        session.rollback()
        errors = field_errors(exc, language_of(request))
    back = same_site(fields.get("next")) or "/match"
    htmx = request.headers.get("hx-request") == "true"
    if not htmx and not errors:
        return RedirectResponse(back, status_code=303)
    return render(
        request,
        "matching/_feedback_done.html" if htmx else "matching/feedback_done.html",
        {"errors": errors, "useful": fields.get("verdict") == "useful", "back": back},
        422 if errors else 200,
    )


@router.get("/match/feedback", response_class=HTMLResponse)
def feedback_report_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """For the coordinator: what users said of suggestions, by reason, and recent comments."""
    require(actor, "matching.feedback.report")
    context = {"report": queries.report(session), "reasons": REASONS}
    return render(request, "matching/feedback_report.html", context)


@api.post("/match/feedback", response_model=FeedbackRead, status_code=201)
def api_give_feedback(data: FeedbackIn, session: SessionDep, actor: ActorDep) -> FeedbackRead:
    """Say whether a suggestion was useful, or not relevant with a reason (`reason`: one of
    wrong_field, wrong_kind, too_far, known, inactive, other), in the ask it came from (an
    item's partners: `source_kind` and `source_id`; a free text: `q`)."""
    with unit_of_work(session):
        row = service.give_feedback(session, actor, data, clock.today())
        answer = FeedbackRead.model_validate(row, from_attributes=True)
    return answer


@api.get("/match/feedback/report", response_model=FeedbackReport)
def api_feedback_report(session: SessionDep, actor: ActorDep) -> FeedbackReport:
    """For coordinators: verdicts counted by reason, and the newest comments."""
    require(actor, "matching.feedback.report")
    return queries.report(session)


router.include_router(api)
