"""A short description of the browser behind a session ("Firefox · Windows"), so people can
tell their sessions apart on the account page."""

from __future__ import annotations

import re

from ua_parser import parse

_UNKNOWN = "Other"
_LONGEST_PARSED = 512  # real User-Agent strings are shorter; longer ones only cost regex time
_PRODUCT = re.compile(r"[A-Za-z][\w.+-]{0,39}")  # the first "product/version" token's name


def describe(user_agent: str | None) -> str:
    """Browser and system, language-neutral. A client ua-parser does not know (a script, a new
    browser) is named by its own first product name ("python-httpx"), since an anonymous
    "unknown device" does not help anyone recognise a session; empty only without a header."""
    text = (user_agent or "")[:_LONGEST_PARSED].strip()
    try:
        result = parse(text).with_defaults()
    except ValueError:  # ua-parser gives up on some odd strings; a log-in must not fail for it
        parts = []
    else:
        parts = [p for p in (result.user_agent.family, result.os.family) if p != _UNKNOWN]
    if not parts and (found := _PRODUCT.match(text)):
        parts = [found.group()]
    return " · ".join(parts)[:100]
