"""A short description of the browser behind a session ("Firefox · Windows"), so people can
tell their sessions apart on the account page."""

from __future__ import annotations

from ua_parser import parse

_UNKNOWN = "Other"
_LONGEST_PARSED = 512  # real User-Agent strings are shorter; longer ones only cost regex time


def describe(user_agent: str | None) -> str:
    """Browser and system, language-neutral; empty when neither is recognised."""
    result = parse((user_agent or "")[:_LONGEST_PARSED]).with_defaults()
    parts = [result.user_agent.family, result.os.family]
    return " · ".join(p for p in parts if p != _UNKNOWN)[:100]
