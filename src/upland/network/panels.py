"""The network's panels on the starting page: for the coordinator and the city officers, the key
figures of the ties they may see, from the kept snapshot (queued when there is none yet), and
for an officer the E–I index of their partner area (how outward-looking its ties are); for a
member, its own organisations' ties and those waiting for its confirmation."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.actor import Actor
from upland.i18n import N_
from upland.network import queries, snapshots
from upland.network.vocab import RelationStatus
from upland.permissions import allowed
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


def _own(session: Session, actor: Actor) -> dict[str, Any]:
    """How many ties the reader's organisations have, and how many wait for its confirmation."""
    own = sorted(o for o, role in actor.org_roles.items() if role)
    rows = {r.id: r for o in own for r in queries.list_relations(session, actor, organisation_id=o)}
    confirmed = [r for r in rows.values() if r.status == RelationStatus.CONFIRMED.value]
    waiting = [
        r
        for r in rows.values()
        if r.status == RelationStatus.PROPOSED.value
        and allowed(actor, "network.relation.confirm", r)
    ]
    return {"ties": len(confirmed), "waiting": len(waiting)}


panels.register(
    panels.Panel(
        name="network.mine",
        title=N_("Your network"),
        applies=panels.is_org_user,
        data=_own,
        template="network/_mine_panel.html",
        order=75,
    )
)
