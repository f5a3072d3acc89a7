"""A PKD code as the lists' filters take it (registry and marketplace alike): a section letter,
a division, group, class or subclass, upper-cased; anything else is refused in one message."""

from __future__ import annotations

import re

from upland.errors import Invalid

PKD_FILTER = re.compile(r"^([A-V]|\d{2}(\.\d(\d(\.[A-Z])?)?)?)$")


def pkd_filter_value(code: str) -> str:
    value = code.strip().upper()
    if not PKD_FILTER.match(value):
        raise Invalid.one(
            "pkd",
            "{value} is not a PKD code (e.g. C, 29, 29.3, 29.32, 29.32.Z)",
            code="pkd.malformed",
            value=repr(code),
        )
    return value
