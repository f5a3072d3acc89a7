"""The network's panel on the coordinator's and the city officers' starting pages: the key
figures of the ties they may see, from the kept snapshot (queued when there is none yet), and
for an officer the E–I index of their partner area (how outward-looking its ties are)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.actor import Actor
from upland.i18n import N_
from upland.network import snapshots
from upland.settings import get_settings


def _percent(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


def _data(session: Session, actor: Actor) -> dict[str, Any] | None:
    figures = snapshots.figures_for(session, actor)
    if figures is None:
        return {"figures": None}
    area = get_settings().partner_of(actor.officer_teryt) if actor.officer_teryt else None
    return {
        "figures": figures,
        "cross_city": _percent(figures["cities"]["cross_city_share"]),
        "ei": figures["cities"]["ei_index"].get(area) if area else None,
    }


def _applies(actor: Actor) -> bool:
    return panels.is_staff(actor) or panels.is_officer(actor)


panels.register(
    panels.Panel(
        name="network.figures",
        title=N_("Cooperation network"),
        applies=_applies,
        data=_data,
        template="network/_panel.html",
        order=70,
    )
)
