"""Turning HTML form posts into schemas, and validation errors into per-field messages."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from upland.errors import Invalid

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


def field_errors(exc: ValidationError | Invalid) -> dict[str, str]:
    """{'nip': 'NIP 5260250996 has a wrong check digit', ...} for inline messages."""
    if isinstance(exc, Invalid):
        return {
            e.field.split(".")[-1] if "." not in e.field else e.field: e.message for e in exc.errors
        }
    out: dict[str, str] = {}
    for error in exc.errors():
        name = ".".join(str(p) for p in error["loc"]) or "form"
        message = str(error["msg"]).removeprefix("Value error, ")
        out.setdefault(name, message)
    return out


def parse(model: type[M], data: dict[str, Any]) -> M:
    return model.model_validate(data)
