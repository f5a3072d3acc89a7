"""The kinds of news saved searches and follows send (`upland.notifications.kinds`), worded as
every marketplace notice is (`market.notify.localised`): the params hold both titles and ISO
dates (`*_on`), and the sentence picks the reader's language when it is read, in the list, an
e-mail or a digest alike (the other title when the owner wrote only one). An owner that stays
anonymous is never named, since no sentence here has a field for the owner.

Rows stored before that carry one `title` (in the language its reader had then) and a
`deadline`; they still read as they did: `localised` keeps a plain `title`, and `_deadline`
reads the old field name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upland.i18n import N_, Message
from upland.market.notify import Worded, localised
from upland.notifications.kinds import Delivery, Kind, register

CATEGORY = N_("Saved searches and followed opportunities")

NEW_MATCH = register(
    Kind(
        "market.saved_search_match",
        category=CATEGORY,
        label=N_("A new opportunity matches one of your saved searches"),
        sentence=N_("New opportunity matching “{search}”: {title}"),
        default=Delivery.DAILY,
        describe=Worded(N_("New opportunity matching “{search}”: {title}")),
    )
)
CHANGED = register(
    Kind(
        "market.followed_changed",
        category=CATEGORY,
        label=N_("An opportunity you follow was changed"),
        sentence=N_("“{title}”, which you follow, was changed"),
        default=Delivery.IN_APP,
        describe=Worded(N_("“{title}”, which you follow, was changed")),
    )
)
RENEWED = register(
    Kind(
        "market.followed_renewed",
        category=CATEGORY,
        label=N_("An opportunity you follow was renewed"),
        sentence=N_("“{title}”, which you follow, was renewed until {expires_on}"),
        default=Delivery.IN_APP,
        describe=Worded(N_("“{title}”, which you follow, was renewed until {expires_on}")),
    )
)
DEADLINE_SENTENCE = N_("The deadline of “{title}”, which you follow, is {deadline_on}")


def _deadline(params: Mapping[str, Any]) -> Message:
    if "deadline_on" not in params and "deadline" in params:  # a row stored before
        params = {**params, "deadline_on": params["deadline"]}
    return Worded(DEADLINE_SENTENCE)(params)


DEADLINE = register(
    Kind(
        "market.followed_deadline",
        category=CATEGORY,
        label=N_("The deadline of an opportunity you follow is near"),
        sentence=DEADLINE_SENTENCE,
        default=Delivery.IMMEDIATE,
        describe=_deadline,
    )
)

_CLOSED = {
    "fulfilled": N_("“{title}”, which you follow, was fulfilled"),
    "withdrawn": N_("“{title}”, which you follow, was withdrawn"),
    "expired": N_("“{title}”, which you follow, has expired"),
}


def _closed(params: Mapping[str, Any]) -> Message:
    sentence = _CLOSED.get(str(params.get("status")), N_("“{title}”, which you follow, closed"))
    return Message(sentence, {"title": localised(params)["title"]})


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
