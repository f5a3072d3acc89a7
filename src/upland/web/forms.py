"""Turning HTML form posts into schemas, and validation errors into per-field messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import NoneType, UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from upland.errors import Invalid, UplandError
from upland.i18n import gettext_in
from upland.validation import field_of
from upland.web.messages import describe, translate_error


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


Schema = TypeVar("Schema", bound=BaseModel)


def _takes_none(field: FieldInfo) -> bool:
    annotation = field.annotation
    return annotation is None or (
        get_origin(annotation) in (Union, UnionType) and NoneType in get_args(annotation)
    )


def schema_input(model: type[BaseModel], fields: dict[str, Any]) -> dict[str, Any]:
    """A form's fields as `model` takes them: a blank field (None, see `form_fields`) is left
    out where the schema has no None for it, so an optional text gets its default ("") and a
    required one is "required" rather than "Input should be a valid string". The one place
    where blank means "nothing" for every profile form, instead of a rule per field."""
    known = model.model_fields
    return {
        name: value
        for name, value in fields.items()
        if value is not None or name not in known or _takes_none(known[name])
    }


def validate_form(model: type[Schema], fields: dict[str, Any]) -> Schema:
    """`model` validated from a posted form (blank fields as `schema_input` says)."""
    return model.model_validate(schema_input(model, fields))


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


def multi_form(lists: tuple[str, ...]) -> Callable[[Request], Awaitable[dict[str, Any]]]:
    """A dependency reading the posted form: text fields stripped (blank as None), the
    checkbox groups named in `lists` as lists (empty when none is ticked)."""

    async def posted(request: Request) -> dict[str, Any]:
        form = await request.form()
        data: dict[str, Any] = {name: [] for name in lists}
        for key, value in form.multi_items():
            if key == "csrf_token" or not isinstance(value, str):
                continue
            if key in lists:
                data[key].append(value)
            else:
                data[key] = value.strip() or None
        return data

    return posted


def list_entries(text: str | None) -> list[str]:
    """The entries of a list written in one text field, split at semicolons or commas."""
    return [e.strip() for e in (text or "").replace(",", ";").split(";") if e.strip()]


def form_page_errors(
    language: str, exc: Exception, unread: dict[str, str], unread_message: str
) -> dict[str, str]:
    """Messages beside a form's fields: the schema's or the service's, and `unread_message`
    (a msgid with %(entry)s, marked N_) for each entry of a list field that names nothing."""
    found: dict[str, str] = {}
    if isinstance(exc, ValidationError | Invalid):
        found = field_errors(exc, language)
    elif isinstance(exc, UplandError):
        found = {"form": describe(exc, language)}
    for name, entry in unread.items():
        found[name] = gettext_in(language, unread_message) % {"entry": entry}
    return found
