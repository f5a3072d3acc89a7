"""Turning HTML form posts into schemas, and validation errors into per-field messages."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from upland.errors import Invalid
from upland.validation import field_of
from upland.web.messages import translate_error

M = TypeVar("M", bound=BaseModel)


async def form_dict(request: Request, *, blank_is_none: bool = True) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "csrf_token" or not isinstance(value, str):
            continue
        value = value.strip()
        data[key] = None if blank_is_none and value == "" else value
    return data


def field_errors(exc: ValidationError | Invalid, language: str) -> dict[str, str]:
    """{'nip': 'NIP 5260250996 ma nieprawidłową cyfrę kontrolną', ...} for inline messages, in
    the page's language (pydantic errors by type, so they need the raw errors, not the text)."""
    if isinstance(exc, Invalid):
        return {e.field: e.msg.render(language) for e in exc.errors}
    out: dict[str, str] = {}
    for error in exc.errors():
        name = field_of(error) if error["loc"] else "form"
        out.setdefault(name, translate_error(error, language))
    return out


def parse(model: type[M], data: dict[str, Any]) -> M:
    return model.model_validate(data)
