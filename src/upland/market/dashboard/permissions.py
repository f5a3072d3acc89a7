"""Who sees the marketplace dashboard: the coordinator (and platform admins) for the whole
cluster, each city officer for their partner area. Nobody else: its figures are for the people
who steer the cluster and report to the mayors' offices."""

from __future__ import annotations

from typing import Any

from upland.actor import Actor
from upland.permissions import rule


@rule("market.dashboard.view")
def can_view_dashboard(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff or actor.officer_teryt is not None
