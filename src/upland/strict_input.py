"""The base of the areas' input schemas: unknown fields are refused, and so are control
characters in every text (line breaks and tabs only in the fields a schema names in
`multiline_fields`); the OpenAPI schema states that rule field by field."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from upland import controls
from upland.errors import InvalidValue


def _state_control_rules(schema: dict[str, Any], model: type[Any]) -> None:
    multiline: frozenset[str] = getattr(model, "multiline_fields", frozenset())
    for name, prop in schema.get("properties", {}).items():
        pattern = controls.TEXT_PATTERN if name in multiline else controls.LINE_PATTERN
        controls.state_in_schema(prop, pattern)


class StrictInput(BaseModel):
    multiline_fields: ClassVar[frozenset[str]] = frozenset()

    model_config = ConfigDict(extra="forbid", json_schema_extra=_state_control_rules)

    # Before stripping, so a leading tab or line break is refused as the schema says.
    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                multiline = info.field_name in cls.multiline_fields
                if code := controls.forbidden_character(text, multiline=multiline):
                    raise InvalidValue(controls.message(code), code="control_character")
        return value
