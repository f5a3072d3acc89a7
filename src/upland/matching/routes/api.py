"""The matching API: suggestions for a text, an opportunity or an organisation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path, Query, Request

from upland.matching import engine
from upland.matching.presenters import describe, describe_reading
from upland.matching.reading import read_question
from upland.matching.schemas import ReadingRead, SuggestionRead
from upland.matching.texts import ITEM_KINDS, OPPORTUNITY, ORGANISATION
from upland.web.deps import ActorDep, CsrfChecked, SessionDep
from upland.web.errors import API_ERRORS
from upland.web.routing import Router
from upland.web.templating import language_of

router = Router(
    prefix="/api/v1", tags=["matching"], dependencies=[CsrfChecked], responses=API_ERRORS
)
KINDS = {"organisations": (ORGANISATION,), "opportunities": (OPPORTUNITY,)}


Kind = Literal["organisations", "opportunities"]
Limit = Annotated[int, Query(ge=1, le=engine.MAX_LIMIT)]
Text = Annotated[str, Query(min_length=1, max_length=engine.MAX_QUERY_CHARS, pattern=r"\S")]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _answer(
    request: Request, session: SessionDep, actor: ActorDep, ask: engine.Ask
) -> list[SuggestionRead]:
    hits = engine.match(session, actor, ask)
    return [SuggestionRead.of(row) for row in describe(session, hits, language_of(request))]


@router.get("/match", response_model=list[SuggestionRead])
def api_match(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    q: Text,
    kind: Kind | None = None,
    limit: Limit = 10,
) -> list[SuggestionRead]:
    """Suggested organisations and opportunities the caller may open, best first, for a text
    in Polish or English."""
    ask = engine.Ask(text=q, kinds=KINDS[kind] if kind else ITEM_KINDS, limit=limit)
    return _answer(request, session, actor, ask)


@router.get("/match/left-out", response_model=list[SuggestionRead])
def api_match_left_out(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    q: Text,
    kind: Kind | None = None,
) -> list[SuggestionRead]:
    """The best-worded candidates for a text that what it requires left out (a missing or
    expired certificate, too far), those the caller may open, each with why in
    `why.against`: the firm the asker expected, and why `/match` does not suggest it."""
    ask = engine.Ask(text=q, kinds=KINDS[kind] if kind else ITEM_KINDS)
    missed: list[engine.Hit] = []
    engine.match(session, actor, ask, left_out=missed)
    return [SuggestionRead.of(row) for row in describe(session, missed, language_of(request))]


@router.get("/match/reading", response_model=ReadingRead)
def api_match_reading(
    request: Request, session: SessionDep, actor: ActorDep, q: Text
) -> ReadingRead:
    """What a question states beyond its topic, as `/match` reads it: required certificates,
    towns and distance, TRL, capabilities, the asker's side; with sentences to show."""
    reading = read_question(session, actor, q)
    return ReadingRead.model_validate(describe_reading(reading, language_of(request)))


@router.get("/match/{item}/{item_id}", response_model=list[SuggestionRead])
def api_match_item(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    item: Literal["organisation", "opportunity"],
    item_id: Id,
    kind: Kind | None = None,
    limit: Limit = 10,
) -> list[SuggestionRead]:
    """Suggested partners for an organisation or an opportunity the caller may open: neither
    the item itself nor its owner's."""
    ask = engine.Ask(source=(item, item_id), kinds=KINDS[kind] if kind else ITEM_KINDS, limit=limit)
    return _answer(request, session, actor, ask)
