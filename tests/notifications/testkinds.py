"""Two kinds of news that only the tests send."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upland.i18n import Message, label_message
from upland.notifications.kinds import Kind, register
from upland.notifications.models import Delivery

TESTING = "Testing"


def _asked(params: Mapping[str, Any]) -> Message:
    """A parameter that is itself a label reads in the sentence's language."""
    return Message(
        "{who} asks about: {how}",
        {"who": params["who"], "how": label_message("notification_delivery", params["how"])},
    )


ASKED = register(
    Kind(
        "testing.asked",
        category=TESTING,
        label="Someone asks",
        sentence="{who} asks about: {how}",
        default=Delivery.IMMEDIATE,
        describe=_asked,
    )
)
PINGED = register(
    Kind(
        "testing.pinged",
        category=TESTING,
        label="Ping",
        sentence="{name} pinged you",
        default=Delivery.DAILY,
    )
)
