"""The OpenAPI schema states the edge check (`web/clean_input.py`): every free-text string of a
request (path and query parameters, JSON bodies) carries the pattern that refuses control and
direction-override characters.

Models of the registry state their own, stricter rule (no line breaks in single-line fields);
schemas only responses use keep their shape, so the rule is stated where clients send text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI

from upland.controls import LINE_PATTERN, TEXT_PATTERN, state_in_schema

_REF = "#/components/schemas/"


def _refs(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            yield ref.removeprefix(_REF)
        for value in schema.values():
            yield from _refs(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _refs(item)


def _request_models(document: dict[str, Any]) -> set[str]:
    """Names of the component schemas that request bodies use, directly or nested."""
    components = document.get("components", {}).get("schemas", {})
    bodies = [
        operation.get("requestBody", {})
        for path in document.get("paths", {}).values()
        for operation in path.values()
        if isinstance(operation, dict)
    ]
    pending, seen = list(_refs(bodies)), set()
    while pending:
        name = pending.pop()
        if name not in seen and name in components:
            seen.add(name)
            pending += _refs(components[name])
    return seen


def state_edge_rules(document: dict[str, Any]) -> dict[str, Any]:
    for path in document.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                state_in_schema(parameter.get("schema", {}), LINE_PATTERN)
    components = document.get("components", {}).get("schemas", {})
    for name in _request_models(document):
        model = components[name]
        for prop in model.get("properties", {}).values():
            state_in_schema(prop, TEXT_PATTERN)
        if model.get("additionalProperties") is not False:
            model["propertyNames"] = {"pattern": LINE_PATTERN}
            if not isinstance(model.get("additionalProperties"), dict):
                # Unknown fields (a form's extra parts) are checked too; `pattern` binds only
                # the string values, `items` the values of a part sent several times.
                model["additionalProperties"] = {
                    "pattern": TEXT_PATTERN,
                    "items": {"pattern": TEXT_PATTERN},
                }
    return document


def install(app: FastAPI) -> None:
    """Apply `state_edge_rules` to the schema FastAPI builds (once; it is cached)."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = state_edge_rules(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
