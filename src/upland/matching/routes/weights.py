"""The coordinator's weights: the features' weights (number inputs), the proposal learnt from
feedback (accept or reject), example asks and the preview of a change on them; page and API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from upland.errors import Invalid
from upland.matching.preview import preview
from upland.matching.scoring import FEATURES, Weights
from upland.matching.weights import queries, service
from upland.matching.weights.models import MatchWeights
from upland.matching.weights.schemas import (
    ExampleIn,
    ExampleRead,
    PreviewRead,
    Version,
    WeightsIn,
    WeightsRead,
)
from upland.permissions import require
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.forms import FormFields, field_errors
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["matching"], dependencies=[CsrfChecked], responses=API_ERRORS)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Decision = Literal["accept", "reject"]
PAGE = "/match/weights"


def _values(weights: Weights) -> dict[str, float]:
    return {name: getattr(weights, name) for name in FEATURES}


def _version(row: MatchWeights) -> Version:
    return Version.model_validate(row, from_attributes=True)


def _page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    *,
    values: dict[str, Any] | None = None,
    previews: list[Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    current = _values(queries.current_weights(session))
    context = {
        "features": FEATURES,
        "current": current,
        "defaults": _values(Weights()),
        "values": values or current,
        "proposal": queries.pending_proposal(session),
        "versions": queries.list_versions(session),
        "examples": queries.list_examples(session),
        "previews": previews,
        "errors": errors or {},
    }
    return render(request, "matching/weights.html", context, 422 if errors else 200)


def _form_values(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: fields[name] for name in FEATURES if fields.get(name) is not None}


@router.get(PAGE, response_class=HTMLResponse)
def weights_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    require(actor, "matching.weights.manage")
    return _page(request, session, actor)


@router.post(PAGE, response_class=HTMLResponse, dependencies=[CsrfChecked])
def weights_form(
    request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    """Save the weights of the form (`action=save`) or preview them on the examples."""
    require(actor, "matching.weights.manage")
    values = _form_values(fields)
    try:
        if fields.get("action") == "save":
            with unit_of_work(session):
                service.save_weights(session, actor, values, fields.get("note") or "")
            return RedirectResponse(PAGE, status_code=303)
        checked = service.check_values(values)
        candidate = queries.current_weights(session).with_values(checked)
        shown = preview(
            session, actor, queries.list_examples(session), candidate, language_of(request)
        )
    except Invalid as exc:
        session.rollback()
        return _page(
            request, session, actor, values=values, errors=field_errors(exc, language_of(request))
        )
    return _page(request, session, actor, values=values, previews=shown)


def _write(
    request: Request, session: SessionDep, actor: ActorDep, write: Callable[[], object]
) -> Response:
    """A form's write, then back to the page (or the page with the error beside it)."""
    try:
        with unit_of_work(session):
            write()
    except Invalid as exc:
        session.rollback()
        return _page(request, session, actor, errors=field_errors(exc, language_of(request)))
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/proposals", response_class=HTMLResponse, dependencies=[CsrfChecked])
def propose_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Learn a proposal from the feedback."""
    return _write(request, session, actor, lambda: service.propose_weights(session, actor))


@router.post(
    PAGE + "/proposals/{proposal_id}/{decision}",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def decide_form(
    session: SessionDep, actor: ActorDep, proposal_id: Id, decision: Decision
) -> Response:
    with unit_of_work(session):
        service.decide_proposal(session, actor, proposal_id, decision == "accept")
    return RedirectResponse(PAGE, status_code=303)


@router.post(PAGE + "/examples", response_class=HTMLResponse, dependencies=[CsrfChecked])
def example_form(
    request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    text, kind = fields.get("text") or "", fields.get("kind") or ""
    return _write(request, session, actor, lambda: service.add_example(session, actor, text, kind))


@router.post(
    PAGE + "/examples/{example_id}/delete",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def remove_example_form(session: SessionDep, actor: ActorDep, example_id: Id) -> Response:
    with unit_of_work(session):
        service.remove_example(session, actor, example_id)
    return RedirectResponse(PAGE, status_code=303)


# --- the API -----------------------------------------------------------------------------------


def _read(session: SessionDep) -> WeightsRead:
    proposal = queries.pending_proposal(session)
    return WeightsRead(
        current=_values(queries.current_weights(session)),
        defaults=_values(Weights()),
        proposal=_version(proposal) if proposal else None,
        versions=[_version(v) for v in queries.list_versions(session)],
    )


@api.get("/match/weights", response_model=WeightsRead)
def api_weights(session: SessionDep, actor: ActorDep) -> WeightsRead:
    """For coordinators: the weights that rank, the defaults, the pending proposal, history."""
    require(actor, "matching.weights.manage")
    return _read(session)


@api.put("/match/weights", response_model=WeightsRead)
def api_save_weights(data: WeightsIn, session: SessionDep, actor: ActorDep) -> WeightsRead:
    """Save a new version (features left out keep their weight): what ranks from now on."""
    with unit_of_work(session):
        service.save_weights(session, actor, data.values, data.note)
    return _read(session)


@api.post("/match/weights/proposals", response_model=Version, status_code=201)
def api_propose(session: SessionDep, actor: ActorDep) -> Version:
    """Learn proposed weights from the feedback (shown, not used, until accepted)."""
    with unit_of_work(session):
        row = service.propose_weights(session, actor)
        answer = _version(row)
    return answer


@api.post("/match/weights/proposals/{proposal_id}/{decision}", response_model=WeightsRead)
def api_decide(
    session: SessionDep, actor: ActorDep, proposal_id: Id, decision: Decision
) -> WeightsRead:
    """Accept (it becomes the saved weights) or reject the pending proposal."""
    with unit_of_work(session):
        service.decide_proposal(session, actor, proposal_id, decision == "accept")
    return _read(session)


@api.post("/match/weights/preview", response_model=list[PreviewRead])
def api_preview(
    request: Request, data: WeightsIn, session: SessionDep, actor: ActorDep
) -> list[PreviewRead]:
    """Each saved example's top ten under the weights that rank now and under these."""
    require(actor, "matching.weights.manage")
    candidate = queries.current_weights(session).with_values(service.check_values(data.values))
    shown = preview(session, actor, queries.list_examples(session), candidate, language_of(request))
    return [PreviewRead.model_validate(asdict(p)) for p in shown]


@api.post("/match/weights/examples", response_model=ExampleRead, status_code=201)
def api_add_example(data: ExampleIn, session: SessionDep, actor: ActorDep) -> ExampleRead:
    """Keep an example ask for previews."""
    with unit_of_work(session):
        row = service.add_example(session, actor, data.text, data.kind)
        answer = ExampleRead.model_validate(row, from_attributes=True)
    return answer


@api.delete("/match/weights/examples/{example_id}", status_code=204)
def api_remove_example(session: SessionDep, actor: ActorDep, example_id: Id) -> Response:
    with unit_of_work(session):
        service.remove_example(session, actor, example_id)
    return Response(status_code=204)


router.include_router(api)
