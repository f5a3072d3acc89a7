"""The kinds of news saved searches and follows send (`upland.notifications.kinds`). Titles
come in the reader's language (the other when the owner wrote only one); an owner that stays
anonymous is never named, since no sentence here has a field for the owner."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upland.i18n import N_, Message
from upland.notifications.kinds import Delivery, Kind, register

CATEGORY = N_("Saved searches and followed opportunities")

NEW_MATCH = register(
    Kind(
        "market.saved_search_match",
        category=CATEGORY,
        label=N_("A new opportunity matches one of your saved searches"),
        sentence=N_("New opportunity matching “{search}”: {title}"),
        default=Delivery.DAILY,
    )
)
CHANGED = register(
    Kind(
        "market.followed_changed",
        category=CATEGORY,
        label=N_("An opportunity you follow was changed"),
        sentence=N_("“{title}”, which you follow, was changed"),
        default=Delivery.IN_APP,
    )
)
RENEWED = register(
    Kind(
        "market.followed_renewed",
        category=CATEGORY,
        label=N_("An opportunity you follow was renewed"),
        sentence=N_("“{title}”, which you follow, was renewed until {expires_on}"),
        default=Delivery.IN_APP,
    )
)
DEADLINE = register(
    Kind(
        "market.followed_deadline",
        category=CATEGORY,
        label=N_("The deadline of an opportunity you follow is near"),
        sentence=N_("The deadline of “{title}”, which you follow, is {deadline}"),
        default=Delivery.IMMEDIATE,
    )
)

_CLOSED = {
    "fulfilled": N_("“{title}”, which you follow, was fulfilled"),
    "withdrawn": N_("“{title}”, which you follow, was withdrawn"),
    "expired": N_("“{title}”, which you follow, has expired"),
}


def _closed(params: Mapping[str, Any]) -> Message:
    sentence = _CLOSED.get(str(params.get("status")), N_("“{title}”, which you follow, closed"))
    return Message(sentence, {"title": params["title"]})


CLOSED = register(
    Kind(
        "market.followed_closed",
        category=CATEGORY,
        label=N_("An opportunity you follow was fulfilled, withdrawn or expired"),
        sentence=N_("“{title}”, which you follow, closed"),
        default=Delivery.IN_APP,
        describe=_closed,
    )
)
