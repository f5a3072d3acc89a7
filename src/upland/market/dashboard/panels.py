"""The dashboard's panel on the starting page of the coordinator and of each city officer:
the key numbers and the opportunities put forward per quarter, with a way to the whole page."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.actor import Actor
from upland.i18n import N_
from upland.market.dashboard import queries
from upland.market.dashboard.figures import Grain
from upland.permissions import allowed


def _applies(actor: Actor) -> bool:
    return allowed(actor, "market.dashboard.view")


def _data(session: Session, actor: Actor) -> dict[str, Any]:
    return {"dashboard": queries.get_dashboard(session, actor, Grain.QUARTER)}


panels.register(
    panels.Panel(
        name="market.dashboard",
        title=N_("Marketplace"),
        applies=_applies,
        data=_data,
        template="market/dashboard/panel.html",
        order=35,
    )
)
