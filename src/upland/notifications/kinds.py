"""The kinds of news areas send. An area registers each of its kinds once, at import:

    register(Kind("market.interest_received", category=N_("Marketplace"),
                  label=N_("Someone is interested in your opportunity"),
                  sentence=N_("{organisation} is interested in “{title}”"),
                  default=Delivery.IMMEDIATE))

`sentence` is a msgid whose `{name}` fields come from the notification's params, rendered in the
reader's language; a kind whose sentence needs more (a label, a plural) gives `describe`, which
turns the params into a `Message`. The core names no kind of its own.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from upland.i18n import N_, Message
from upland.notifications.models import ALL_KINDS
from upland.notifications.models import Delivery as Delivery  # an area names its kinds' default

__all__ = [
    "CODE",
    "UNKNOWN",
    "Delivery",
    "Kind",
    "get",
    "is_choosable",
    "register",
    "registered",
    "sentence",
]

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
UNKNOWN = N_("A notification of a kind this platform no longer sends")


@dataclass(frozen=True)
class Kind:
    code: str
    """`<area>.<what>`: stored with each notification and each preference."""
    category: str
    """A msgid: the heading the kind is listed under on the preferences page."""
    label: str
    """A msgid: what the kind is, on the preferences page."""
    sentence: str
    """A msgid with `{param}` fields: the news as the list and the e-mails say it."""
    default: Delivery = Delivery.IN_APP
    """How it is delivered to someone who has not chosen."""
    describe: Callable[[Mapping[str, Any]], Message] | None = None
    """Builds the sentence from the params when a plain msgid is not enough."""

    def message(self, params: Mapping[str, Any]) -> Message:
        """The sentence of these params; KeyError when one it needs is missing."""
        if self.describe is not None:
            return self.describe(params)
        needed = {name for _, name, _, _ in string.Formatter().parse(self.sentence) if name}
        missing = needed - set(params)
        if missing:
            raise KeyError(", ".join(sorted(missing)))
        return Message(self.sentence, dict(params))


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if not CODE.fullmatch(kind.code) or len(kind.code) > 80:
        raise ValueError(f"a kind's code looks like area.what, not {kind.code!r}")
    if kind.default is Delivery.OFF:
        raise ValueError("a kind is delivered somehow by default; people may switch it off")
    if kind.code in _KINDS and _KINDS[kind.code] != kind:
        raise RuntimeError(f"notification kind {kind.code!r} is registered already")
    _KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind | None:
    return _KINDS.get(code)


def registered() -> list[Kind]:
    """Every kind, grouped by category then code."""
    return sorted(_KINDS.values(), key=lambda k: (k.category, k.code))


def is_choosable(code: str) -> bool:
    return code == ALL_KINDS or code in _KINDS


def sentence(code: str, params: Mapping[str, Any], language: str) -> str:
    """The news in `language`; a kind no longer registered, or params that no longer fit its
    sentence, still read as something rather than failing the page."""
    kind = _KINDS.get(code)
    if kind is None:
        return Message(UNKNOWN).render(language)
    try:
        return kind.message(params).render(language)
    except (KeyError, IndexError, ValueError):
        return Message(kind.label).render(language)
