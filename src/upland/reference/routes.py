"""PKD suggestions page and reference-data API (classifications, municipalities, vocabulary)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.i18n import N_, label
from upland.permissions import allowed
from upland.reference import queries, service
from upland.reference.municipalities import SUGGESTION_LIMIT, Suggestion
from upland.reference.pkd_explain import highlight
from upland.reference.pkd_suggest import MAX_TEXT_CHARS
from upland.reference.schemas import (
    TERM_KINDS,
    CapabilityTermIn,
    CapabilityTermRead,
    MunicipalityRead,
    MunicipalitySuggestion,
    PkdAnalysisRead,
    PkdEntryRead,
    PkdSuggestionRead,
    PkdSuggestRequest,
)
from upland.reference.vocabulary import search_terms
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import FormFields, field_errors, validate_form
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router()
pages = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["reference"], dependencies=[CsrfChecked], responses=API_ERRORS)


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


@api.get("/pkd/{version}/{code}", response_model=PkdEntryRead)
def api_get_pkd(
    version: Annotated[int, Path(ge=1900, le=2100)], code: str, session: SessionDep
) -> PkdEntryRead:
    entry = queries.get_pkd(session, version, code.upper())
    if entry is None:
        raise NotFound(
            "PKD {version} has no code {pkd}", code="pkd.not_found", version=version, pkd=code
        )
    return PkdEntryRead.model_validate(entry, from_attributes=True)


@api.get("/municipalities", response_model=list[MunicipalityRead])
def api_municipalities(
    session: SessionDep, partners: bool = False, q: Annotated[str, Query(max_length=100)] = ""
) -> list[MunicipalityRead]:
    """Every municipality one may choose (partners first), or those starting with `q`."""
    if q:
        return [
            MunicipalityRead.model_validate(s.municipality, from_attributes=True)
            for s in queries.suggest_municipalities(session, q, 50)
            if s.municipality.is_partner or not partners
        ]
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


# --------------------------------------------------- municipalities as the user types
# `GET /reference/municipalities?q=lodz` answers Łódź; a name several municipalities share is
# shown with its kind, county and voivodeship, partner-area ones first. The `/options` fragment
# fills the <datalist> of a municipality field through htmx (the field sends its own name,
# so `teryt=` is read as the text too); picking an option puts its TERYT code in the field.

Text = Annotated[str, Query(max_length=100, description="the beginning of a name or a code")]
Limit = Annotated[int, Query(ge=1, le=50)]


def suggestion_read(suggestion: Suggestion, language: str) -> MunicipalitySuggestion:
    m = suggestion.municipality
    kind = label("municipality_kind", m.kind, language)
    return MunicipalitySuggestion(
        teryt=m.teryt,
        name=m.name,
        kind=m.kind,
        kind_label=kind,
        county_teryt=m.county_teryt,
        county_name=m.county_name,
        voivodeship=m.voivodeship,
        in_partner_area=suggestion.in_partner_area,
        shared_name=suggestion.shared,
        label=f"{m.name} ({kind}, {m.county_name}, {m.voivodeship})"
        if suggestion.shared
        else f"{m.name} ({m.voivodeship})",
    )


@pages.get("/reference/municipalities", response_model=list[MunicipalitySuggestion])
def municipalities_json(
    request: Request, session: SessionDep, q: Text = "", limit: Limit = SUGGESTION_LIMIT
) -> list[MunicipalitySuggestion]:
    """Municipalities whose name or TERYT code starts with `q` (diacritics do not matter)."""
    language = language_of(request)
    return [suggestion_read(s, language) for s in queries.suggest_municipalities(session, q, limit)]


@pages.get(
    "/reference/municipalities/options", response_class=HTMLResponse, include_in_schema=False
)
def municipality_options(
    request: Request, session: SessionDep, q: Text = "", teryt: Text = ""
) -> Response:
    language = language_of(request)
    found = queries.suggest_municipalities(session, q or teryt)
    options = [suggestion_read(s, language) for s in found]
    return render(request, "reference/_municipality_options.html", {"options": options})


@pages.get("/capability-terms/options", response_class=HTMLResponse)
def capability_term_options(
    request: Request,
    session: SessionDep,
    term: Annotated[str, Query(max_length=120)] = "",
    kind: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The <option>s of the capability field's datalist for what has been typed so far: terms
    found by either name, folded (htmx swaps them in as the user types)."""
    found = search_terms(session, term, language_of(request), kind if kind in TERM_KINDS else None)
    return render(request, "reference/_term_options.html", {"terms": found})


def _vocabulary_page(
    request: Request,
    session: SessionDep,
    values: dict[str, str | None],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    terms = queries.list_capability_terms(session)
    by_kind = {kind: [t for t in terms if t.kind == kind] for kind in TERM_KINDS}
    context = {"by_kind": by_kind, "kinds": TERM_KINDS, "values": values, "errors": errors}
    return render(request, "reference/vocabulary.html", context, status)


def _manager(actor: ActorDep) -> None:
    if not allowed(actor, "reference.manage"):
        raise PermissionDenied(
            "only the cluster coordinator changes the vocabulary", code="vocabulary.denied"
        )


@pages.get("/vocabulary", response_class=HTMLResponse)
def vocabulary_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The capability vocabulary by kind, and a form to add a term (the coordinator's).
    `?kind=` marks that kind's section and picks it in the form; a kind that does not exist is
    a 422 naming the field and the kinds there are, never a page that silently marks nothing."""
    _manager(actor)
    if kind is not None and kind not in TERM_KINDS:
        values: dict[str, str | None] = {"kind": "certification", "unknown_kind": kind}
        return _vocabulary_page(request, session, values, {}, 422)
    return _vocabulary_page(request, session, {"kind": kind or "certification", "marked": kind}, {})


@pages.post("/vocabulary", response_class=HTMLResponse, dependencies=[CsrfChecked])
def add_term_form(
    request: Request, session: SessionDep, actor: ActorDep, form: FormFields
) -> Response:
    _manager(actor)
    try:
        data = validate_form(CapabilityTermIn, form)
        with unit_of_work(session):
            service.add_capability_term(
                session, actor, data.kind, data.slug, data.name_pl, data.name_en
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        language = language_of(request)
        errors = (
            {"form": describe(exc, language)}
            if isinstance(exc, Conflict)
            else field_errors(exc, language)
        )
        return _vocabulary_page(request, session, form, errors, 422)
    return RedirectResponse(f"/vocabulary?added={data.slug}#{data.kind}", status_code=303)


router.include_router(api)
router.include_router(pages)
