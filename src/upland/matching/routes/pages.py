"""Matching's pages: find partners for a free text, and an item's suggested partners (the panel
its page loads after itself, or a page of its own when scripts are off)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path, Request, Response
from fastapi.responses import HTMLResponse

from upland.errors import Invalid, NotFound
from upland.matching import engine
from upland.matching.feedback.vocab import REASONS
from upland.matching.presenters import describe
from upland.matching.reading import read_question
from upland.matching.texts import ITEM_KINDS, OPPORTUNITY, ORGANISATION
from upland.permissions import require
from upland.web.deps import ActorDep, SessionDep
from upland.web.forms import field_errors
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
KINDS = {"": ITEM_KINDS, "organisations": (ORGANISATION,), "opportunities": (OPPORTUNITY,)}
PANEL_LIMIT = 5
FIND_LIMIT = 20
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


@router.get("/match", response_class=HTMLResponse)
def find_page(
    request: Request, session: SessionDep, actor: ActorDep, q: str = "", kind: str = ""
) -> Response:
    """Find partners: a free text in Polish or English, ranked organisations and opportunities
    the reader may open, each with why."""
    require(actor, "matching.match")
    language = language_of(request)
    errors: dict[str, str] = {}
    results: list[dict[str, Any]] | None = None
    reading: list[str] = []
    left_out: list[dict[str, Any]] = []
    if "q" in request.query_params:
        ask = engine.Ask(
            text=q[: engine.MAX_QUERY_CHARS + 1], kinds=KINDS.get(kind, (kind,)), limit=FIND_LIMIT
        )
        try:
            missed: list[engine.Hit] = []
            results = describe(
                session, engine.match(session, actor, ask, left_out=missed), language
            )
            left_out = describe(session, missed, language)
            said = read_question(session, actor, ask.text).sentences
            reading = [sentence.render(language) for sentence in said]
        except Invalid as exc:
            errors = field_errors(exc, language)
    template = "matching/_results.html" if _htmx(request) else "matching/find.html"
    context: dict[str, Any] = {"q": q, "kind": kind, "results": results, "errors": errors}
    context |= {"source": None, "reasons": REASONS, "reading": reading, "left_out": left_out}
    return render(request, template, context, 422 if errors else 200)


@router.get("/match/{item}/{item_id}/partners", response_class=HTMLResponse)
def partners_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    item: Literal["organisation", "opportunity"],
    item_id: Id,
) -> Response:
    """An item's suggested partners: the top organisations and the top opportunities."""
    require(actor, "matching.match")
    language = language_of(request)
    groups: dict[str, list[dict[str, Any]]] | None = {}
    for kind in ITEM_KINDS:
        ask = engine.Ask(source=(item, item_id), kinds=(kind,), limit=PANEL_LIMIT)
        try:
            hits = engine.match(session, actor, ask)
        except NotFound as exc:
            if exc.code != "matching.not_indexed":
                raise
            groups = None  # not embedded yet: the page says so
            break
        assert groups is not None
        groups[kind] = describe(session, hits, language)
    template = "matching/_partners.html" if _htmx(request) else "matching/partners.html"
    context: dict[str, Any] = {"groups": groups, "item": item, "item_id": item_id}
    context |= {"source": (item, item_id), "reasons": REASONS}
    return render(request, template, context)
