"""One confirmation to show on the page a form redirects to ("Anna Nowak is now a city officer
of Radom"). It travels in the signed session cookie as a msgid and its parameters, so nobody
can make the page say something else through a link, and it is rendered in the page's
language when shown."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from upland.i18n import Message

_KEY = "flash"


def flash(cookie: MutableMapping[str, Any], message: Message) -> None:
    """Parameters that are labels (messages themselves) keep their msgid, to render later."""
    params = {
        k: {"label": v.msgid} if isinstance(v, Message) else v for k, v in message.params.items()
    }
    cookie[_KEY] = {
        "msgid": message.msgid,
        "params": params,
        "plural": message.plural,
        "count": message.count,
    }


def take(cookie: MutableMapping[str, Any], language: str) -> str | None:
    """The confirmation waiting for this page, once."""
    stored: Any = cookie.pop(_KEY, None)
    if not isinstance(stored, dict) or not isinstance(stored.get("msgid"), str):
        return None
    raw = stored.get("params")
    if not isinstance(raw, dict):
        raw = {}
    params = {
        k: Message(v["label"]) if isinstance(v, dict) and isinstance(v.get("label"), str) else v
        for k, v in raw.items()
    }
    plural = stored.get("plural") if isinstance(stored.get("plural"), str) else None
    count = str(stored.get("count") or "n")
    said = str(stored["msgid"])
    return Message(said, params, plural, count).render(language)
