"""One check at the edge, before any route runs: no text input of a request may hold a control or
direction-override character (`upland.controls`).

Covers the path parameters, every query parameter (name and value), the fields of HTML forms
and every string (and key) of a JSON body. Only form fields and JSON strings, which may be
multi-line text, keep tab, CR and LF; the schemas then refuse those in single-line fields.
Uploaded files are checked by the import, cell by cell. A refusal is an `Invalid` naming the
field, so it answers 422 like any other invalid input: JSON under /api, a page elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import Request

from upland import controls
from upland.errors import FieldError, Invalid

JSON_TYPES = ("application/json", "application/merge-patch+json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _printable(name: str) -> str:
    """A field name fit to show, even when the name itself holds the bad character."""
    return "".join(f"U+{ord(c):04X}" if controls.CONTROL_IN_LINE.match(c) else c for c in name)


def _json_strings(value: Any, where: str) -> Iterator[tuple[str, str, bool]]:
    """(field, text, multiline) for every key and string value of a parsed JSON document."""
    if isinstance(value, str):
        yield where or "body", value, True
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{where}.{index}" if where else str(index))
    elif isinstance(value, dict):
        for key, item in value.items():
            field = f"{where}.{key}" if where else str(key)
            yield field, str(key), False
            yield from _json_strings(item, field)


async def _texts(request: Request) -> Iterator[tuple[str, str, bool]]:
    # A path's fixed segments cannot match a route with such a character; its parameters can.
    texts = [(name, str(value), False) for name, value in request.path_params.items()]
    for name, value in request.query_params.multi_items():
        texts += [(name, name, False), (name, value, False)]
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(FORM_TYPES):
        form = await request.form()
        for name, item in form.multi_items():
            texts.append((name, name, False))
            if isinstance(item, str):
                texts.append((name, item, True))
    elif content_type.startswith(JSON_TYPES):
        try:
            document = json.loads(await request.body())
        except ValueError:
            document = None  # unparsable: FastAPI answers that itself
        texts += _json_strings(document, "")
    return iter(texts)


async def refuse_control_characters(request: Request) -> None:
    """Raise `Invalid` naming every field whose text holds a forbidden character."""
    errors: dict[str, FieldError] = {}
    for field, text, multiline in await _texts(request):
        code = controls.forbidden_character(text, multiline=multiline)
        if code and field not in errors:
            errors[field] = FieldError(
                _printable(field), controls.message(code), code="control_character"
            )
    if errors:
        raise Invalid(list(errors.values()))
