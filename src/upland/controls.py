"""Characters no text in Upland may hold: C0/C1 controls, line/paragraph separators and
bidirectional overrides/isolates (which can disguise text, e.g. a token name shown reversed).

Multi-line text may keep tab, CR and LF. One definition for the edge check of every request,
the schemas, and the patterns the OpenAPI schema states.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_FORBIDDEN_IN_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_FORBIDDEN_IN_LINE = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"

CONTROL_IN_LINE = re.compile(f"[{_FORBIDDEN_IN_LINE}]")
CONTROL_IN_TEXT = re.compile(f"[{_FORBIDDEN_IN_TEXT}]")
# The same rules as JSON Schema patterns (ECMA-262 syntax), for the OpenAPI schema.
LINE_PATTERN = f"^[^{_FORBIDDEN_IN_LINE}]*$"
TEXT_PATTERN = f"^[^{_FORBIDDEN_IN_TEXT}]*$"


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first forbidden character as 'U+0000', or None when the text is clean."""
    match = (CONTROL_IN_TEXT if multiline else CONTROL_IN_LINE).search(value)
    return f"U+{ord(match.group()):04X}" if match else None


def message(code: str) -> str:
    return f"contains a control or direction-override character ({code})"


def _strings(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The string schemas directly in `schema` (itself, or the branches of an anyOf/oneOf)."""
    if schema.get("type") == "string":
        yield schema
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            yield from _strings(branch)


def state_in_schema(schema: dict[str, Any], pattern: str) -> None:
    """Give a JSON Schema's strings `pattern`: free text directly, strings of a fixed form that
    could still hold such characters (a format, a pattern with a negated class) through allOf.
    Enumerations and tight patterns such as ^\\d{7}$ need nothing."""
    for string in _strings(schema):
        if "enum" in string or "const" in string:
            continue
        own = str(string.get("pattern", ""))
        if not own and "format" not in string:
            string["pattern"] = pattern
        elif "format" in string or any(loose in own for loose in ("[^", "\\S", ".")):
            string.setdefault("allOf", []).append({"pattern": pattern})
