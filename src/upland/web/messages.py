"""Validation and domain errors in the language of the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upland.errors import UplandError
from upland.validation import pydantic_message


def describe(exc: UplandError, language: str) -> str:
    """The sentence an error page shows (field names stay as forms and files name them)."""
    return exc.render(language)


def translate_error(error: Mapping[str, Any], language: str) -> str:
    return pydantic_message(error).render(language)
