"""A model a route has built, answered as JSON from the route's own thread.

A plain-`def` route that returns a pydantic model has FastAPI validate it again against the
route's `response_model` and serialise it, in a second trip through the thread pool: for a page
of 25 organisations that trip and the second validation cost more than the serialisation
itself (`upland bench web`). A model the route made is valid already, so `model_json`
serialises it once, where it was made; the route keeps `response_model=` for its OpenAPI
schema, and the body is the same JSON.
"""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


def model_json(model: BaseModel, status_code: int = 200) -> Response:
    """`model` as an `application/json` response (pydantic's serialiser, by alias, as
    FastAPI would have written it)."""
    body = model.__pydantic_serializer__.to_json(model, by_alias=True)
    return Response(body, status_code=status_code, media_type="application/json")
