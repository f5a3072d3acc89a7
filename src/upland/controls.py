"""Characters text in Upland may not hold, one rule for the edge check of every request, the
schemas and the patterns the OpenAPI schema states.

Single-line text (names, identifiers) refuses every control (Unicode Cc) and invisible
formatting character (Cf: zero-width spaces and joiners, the soft hyphen, bidirectional marks,
overrides and isolates, tags...), which can make two names look alike or disguise text, and the
line/paragraph separators. Multi-line text may keep tab, CR and LF and invisible formatting
such as the zero-width joiner of an emoji, but not the other controls, the separators or the
bidirectional controls.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from upland.i18n import N_, Message

_SEPARATORS = (0x2028, 0x2029)
# Unicode's Bidi_Control characters: marks, embeddings, overrides, isolates.
_BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_CONTROLS = (*range(0x00, 0x20), *range(0x7F, 0xA0))
_FORMATS = tuple(c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")


def _character_class(codes: Iterable[int]) -> str:
    """The body of a regex character class of `codes`, valid in Python and ECMA-262 alike:
    escapes in the BMP, the characters themselves beyond it (neither has a common escape)."""

    def one(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    ordered = sorted(set(codes))
    parts, start = [], 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index] != ordered[index - 1] + 1:
            first, last = ordered[start], ordered[index - 1]
            parts.append(one(first) if first == last else f"{one(first)}-{one(last)}")
            start = index
    return "".join(parts)


_FORBIDDEN_IN_LINE = _character_class((*_CONTROLS, *_FORMATS, *_SEPARATORS))
_FORBIDDEN_IN_TEXT = _character_class(
    (*(c for c in _CONTROLS if chr(c) not in "\t\r\n"), *_BIDI_CONTROLS, *_SEPARATORS)
)

CONTROL_IN_LINE = re.compile(f"[{_FORBIDDEN_IN_LINE}]")
CONTROL_IN_TEXT = re.compile(f"[{_FORBIDDEN_IN_TEXT}]")
# The same rules as JSON Schema patterns, for the OpenAPI schema.
LINE_PATTERN = f"^[^{_FORBIDDEN_IN_LINE}]*$"
TEXT_PATTERN = f"^[^{_FORBIDDEN_IN_TEXT}]*$"


def forbidden_character(value: str, *, multiline: bool = False) -> str | None:
    """The first forbidden character as 'U+0000', or None when the text is clean."""
    match = (CONTROL_IN_TEXT if multiline else CONTROL_IN_LINE).search(value)
    return f"U+{ord(match.group()):04X}" if match else None


def printable_name(name: str | None, limit: int = 200) -> str:
    """An uploaded file's name as it may be shown and stored: control, format and separator
    characters (NUL included, which PostgreSQL cannot store) become '?'."""
    return CONTROL_IN_LINE.sub("?", name or "")[:limit]


def message(code: str) -> Message:
    return Message(
        N_("contains a control or direction-override character ({code})"), {"code": code}
    )


def _strings(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The string schemas directly in `schema` (itself, the branches of an anyOf/oneOf, or
    the items of a list: the validators check each item of a list of texts)."""
    if schema.get("type") == "string":
        yield schema
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        yield from _strings(schema["items"])
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            yield from _strings(branch)


def _is_file(string: dict[str, Any]) -> bool:
    """An uploaded file's bytes: no text, so the rule does not apply."""
    return string.get("format") == "binary" or "contentMediaType" in string


def state_in_schema(schema: dict[str, Any], pattern: str) -> None:
    """Give a JSON Schema's strings `pattern`: free text directly, strings of a fixed form that
    could still hold such characters (a format, a pattern with a negated class) through allOf.
    Enumerations and tight patterns such as ^\\d{7}$ need nothing."""
    for string in _strings(schema):
        if "enum" in string or "const" in string or _is_file(string):
            continue
        own = str(string.get("pattern", ""))
        if not own and "format" not in string:
            string["pattern"] = pattern
        elif "format" in string or any(loose in own for loose in ("[^", "\\S", ".")):
            string.setdefault("allOf", []).append({"pattern": pattern})
