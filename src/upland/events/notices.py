"""The kinds of news the events area sends its members (`upland.notifications.kinds`); guests
without an account get the same news by e-mail (`events.mailing`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upland.i18n import N_, Message, label_message
from upland.notifications.kinds import Delivery, Kind, register

CATEGORY = N_("Events")

WAITING = register(
    Kind(
        "events.registration_waiting",
        category=CATEGORY,
        label=N_("You are on an event's waiting list"),
        sentence=N_("“{title}” is full: you are on its waiting list"),
        default=Delivery.IMMEDIATE,
    )
)
CONFIRMED = register(
    Kind(
        "events.registration_confirmed",
        category=CATEGORY,
        label=N_("Your place at an event is confirmed"),
        sentence=N_("Your place at “{title}” is confirmed"),
        default=Delivery.IMMEDIATE,
    )
)
REQUESTED = register(
    Kind(
        "events.request_received",
        category=CATEGORY,
        label=N_("Someone asks you for a meeting at an event"),
        sentence=N_("{who} asks you for a meeting at “{title}”"),
        default=Delivery.IMMEDIATE,
    )
)
ACCEPTED = register(
    Kind(
        "events.request_accepted",
        category=CATEGORY,
        label=N_("Your meeting request was accepted"),
        sentence=N_("{who} accepted your meeting request at “{title}”"),
        default=Delivery.IMMEDIATE,
    )
)
SCHEDULED = register(
    Kind(
        "events.schedule_ready",
        category=CATEGORY,
        label=N_("The meeting schedule of an event is ready"),
        sentence=N_("Your meetings at “{title}” are scheduled: see your agenda"),
        default=Delivery.IMMEDIATE,
    )
)
MOVED = register(
    Kind(
        "events.meeting_moved",
        category=CATEGORY,
        label=N_("A meeting of yours at an event moved"),
        sentence=N_("Your meeting with {who} at “{title}” moved to {when}, table {table}"),
        default=Delivery.IMMEDIATE,
    )
)
PROMOTED = register(
    Kind(
        "events.registration_promoted",
        category=CATEGORY,
        label=N_("You moved up from an event's waiting list"),
        sentence=N_(
            "A place freed at “{title}”: you moved up from the waiting list and are confirmed"
        ),
        default=Delivery.IMMEDIATE,
    )
)
PROMOTED_ORGANISER = register(
    Kind(
        "events.waiting_promoted",
        category=CATEGORY,
        label=N_("Someone moved up from the waiting list of your event"),
        sentence=N_("{who} moved up from the waiting list of “{title}” and is confirmed"),
        default=Delivery.IMMEDIATE,
    )
)
GUEST_ERASED = register(
    Kind(
        "events.guest_erased",
        category=CATEGORY,
        label=N_("A guest of your event erased their personal data"),
        sentence=N_(
            "A guest of “{title}” erased their personal data: their place stays in the "
            "figures, without their name"
        ),
        default=Delivery.IMMEDIATE,
    )
)
CANCELLED = register(
    Kind(
        "events.registration_cancelled",
        category=CATEGORY,
        label=N_("Your registration for an event was cancelled"),
        sentence=N_("Your registration for “{title}” is cancelled"),
        default=Delivery.IMMEDIATE,
    )
)


AGREEMENT_SENTENCE = N_(
    "{who} reports an agreement signed ({agreement}) at your meeting at “{title}”: confirm it "
    "in your agenda if you signed it too"
)


def _agreement_sentence(params: Mapping[str, Any]) -> Message:
    """The agreement's type in the reader's language."""
    shown = dict(params)
    shown["agreement"] = label_message("partnership_type", params["agreement"])
    return Message(AGREEMENT_SENTENCE, shown)


AGREEMENT_REPORTED = register(
    Kind(
        "events.agreement_reported",
        category=CATEGORY,
        label=N_("The other side of a meeting reports an agreement signed"),
        sentence=AGREEMENT_SENTENCE,
        default=Delivery.IMMEDIATE,
        describe=_agreement_sentence,
    )
)


VIDEO_LINK = register(
    Kind(
        "events.video_link_changed",
        category=CATEGORY,
        label=N_("An online event you take part in has a new video-room link"),
        sentence=N_(
            "The video room of “{title}” has a new link and the old one works no more: open the "
            "event for the new one"
        ),
        default=Delivery.IMMEDIATE,
    )
)
