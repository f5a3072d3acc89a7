"""The kinds of news the cooperation network sends (`upland.notifications.kinds`)."""

from __future__ import annotations

from upland.i18n import N_
from upland.notifications.kinds import Delivery, Kind, register

INVITED = register(
    Kind(
        "network.brokerage_invitation",
        category=N_("Cooperation network"),
        label=N_("The cluster invites you to meet an organisation at a brokerage day"),
        sentence=N_("The cluster invites you to meet {partner} at “{title}” ({day}): register"),
        default=Delivery.IN_APP,
    )
)
