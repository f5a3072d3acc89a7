"""PKD suggestions page and reference-data API (classifications, municipalities, vocabulary)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse

from upland.errors import Invalid, NotFound
from upland.i18n import N_
from upland.reference import queries
from upland.reference.pkd_explain import highlight
from upland.reference.pkd_suggest import MAX_TEXT_CHARS
from upland.reference.schemas import (
    CapabilityTermRead,
    MunicipalityRead,
    PkdAnalysisRead,
    PkdRead,
    PkdSuggestionRead,
    PkdSuggestRequest,
)
from upland.web.deps import CsrfChecked, SessionDep
from upland.web.errors import API_ERRORS
from upland.web.forms import FormFields, field_errors
from upland.web.templating import language_of, render

router = APIRouter()
pages = APIRouter(include_in_schema=False)
api = APIRouter(
    prefix="/api/v1", tags=["reference"], dependencies=[CsrfChecked], responses=API_ERRORS
)


@api.post("/pkd/suggest", response_model=list[PkdSuggestionRead])
def api_suggest_pkd(body: PkdSuggestRequest, session: SessionDep) -> list[PkdSuggestionRead]:
    """PKD 2025 subclasses for a description of what a firm does (Polish or English), each
    with its confidence and the words it matched."""
    return [PkdSuggestionRead.of(s) for s in queries.suggest_pkd(session, body.text, body.limit)]


@api.post("/pkd/suggestions", response_model=PkdAnalysisRead)
def api_pkd_suggestions(body: PkdSuggestRequest, session: SessionDep) -> PkdAnalysisRead:
    """As /pkd/suggest, with each activity of a multi-activity description, whether the match
    is confident, and advice (too short a text, no confident match)."""
    return PkdAnalysisRead.of(queries.analyse_pkd(session, body.text, body.limit))


@api.get("/pkd/{version}/{code}", response_model=PkdRead)
def api_get_pkd(
    version: Annotated[int, Path(ge=1900, le=2100)], code: str, session: SessionDep
) -> PkdRead:
    entry = queries.get_pkd(session, version, code.upper())
    if entry is None:
        raise NotFound(
            "PKD {version} has no code {pkd}", code="pkd.not_found", version=version, pkd=code
        )
    return PkdRead.model_validate(entry, from_attributes=True)


@api.get("/municipalities", response_model=list[MunicipalityRead])
def api_municipalities(session: SessionDep, partners: bool = False) -> list[MunicipalityRead]:
    return [
        MunicipalityRead.model_validate(m, from_attributes=True)
        for m in queries.list_municipalities(session, partners_only=partners)
    ]


@api.get("/capability-terms", response_model=list[CapabilityTermRead])
def api_capability_terms(session: SessionDep) -> list[CapabilityTermRead]:
    return [
        CapabilityTermRead.model_validate(t, from_attributes=True)
        for t in queries.list_capability_terms(session)
    ]


SOURCE_LABELS = {
    "name": N_("in the code's name"),
    "hint": N_("in the keyword hints"),
    "parent": N_("in the name of its class or division"),
}


def _suggest_page(request: Request, session: SessionDep, text: str, *, run: bool) -> Response:
    errors: dict[str, str] = {}
    analysis = None
    if run:
        try:
            analysis = queries.analyse_pkd(session, text, 10)
        except Invalid as exc:
            errors = field_errors(exc, language_of(request))
    template = (
        "reference/_suggestions.html"
        if request.headers.get("hx-request")
        else "reference/suggest.html"
    )
    context = {
        "text": text,
        "analysis": analysis,
        "errors": errors,
        "highlight": highlight,
        "source_labels": SOURCE_LABELS,
    }
    return render(request, template, context, 422 if errors else 200)


@pages.get("/pkd/suggest", response_class=HTMLResponse)
def suggest_page(request: Request, session: SessionDep, text: str = "") -> Response:
    """The form; with `?text=` also its suggestions, so a result can be linked and reloaded."""
    return _suggest_page(request, session, text[:MAX_TEXT_CHARS], run=bool(text.strip()))


@pages.post("/pkd/suggest", response_class=HTMLResponse, dependencies=[CsrfChecked])
def suggest_form(request: Request, session: SessionDep, form: FormFields) -> Response:
    return _suggest_page(request, session, form.get("text") or "", run=True)


router.include_router(api)
router.include_router(pages)
