"""Characters no text in Upland may hold: C0/C1 controls, line/paragraph separators and
bidirectional overrides/isolates (which can disguise text, e.g. a token name shown reversed).

Multi-line text may keep tab, CR and LF. One definition for the edge check of every request,
the schemas, and the patterns the OpenAPI schema states.
"""

from __future__ import annotations

import re

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
