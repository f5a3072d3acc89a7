"""Turning HTML form posts into schemas, and validation errors into per-field messages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError

from upland.errors import Invalid
from upland.validation import field_of
from upland.web.messages import translate_error


async def _fields(request: Request, *, blank_is_none: bool) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "csrf_token" or not isinstance(value, str):
            continue
        value = value.strip()
        data[key] = None if blank_is_none and value == "" else value
    return data


async def form_fields(request: Request) -> dict[str, Any]:
    """The posted form's text fields, stripped, blanks as None. A dependency, so the handler
    that needs them can be a plain `def` run in the thread pool (the parsing is the only part
    that awaits)."""
    return await _fields(request, blank_is_none=True)


async def raw_form_fields(request: Request) -> dict[str, Any]:
    """As `form_fields`, but blank fields stay empty strings."""
    return await _fields(request, blank_is_none=False)


FormFields = Annotated[dict[str, Any], Depends(form_fields)]
RawFormFields = Annotated[dict[str, Any], Depends(raw_form_fields)]


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
