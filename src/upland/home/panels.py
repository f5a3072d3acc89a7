"""The home area's panels: a partner area for its officer; the whole cluster, new entries and
recent changes for the coordinator; a way into the registry for everyone."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.accounts import history
from upland.accounts import queries as account_queries
from upland.accounts.schemas import AuditFilter
from upland.actor import Actor
from upland.home import figures
from upland.i18n import N_
from upland.organisations import statistics
from upland.permissions import allowed
from upland.settings import get_settings

RECENT = 8


def _area(session: Session, actor: Actor) -> dict[str, Any] | None:
    municipality = actor.officer_teryt
    if municipality is None:
        return None
    units = get_settings().partner_area(municipality)
    newest = statistics.newest_members(session, actor, units=units)
    return {
        "figures": figures.area_figures(session, municipality),
        "municipality": municipality,
        "newest": newest,
        "names": _names(session, newest),
    }


def _names(session: Session, listed: list[statistics.Listed]) -> dict[str, str]:
    return figures.place_names(session, {o.teryt for o in listed if o.teryt})


def _cluster(session: Session, actor: Actor) -> dict[str, Any]:
    newest = statistics.newest_entries(session, actor)
    return {
        "figures": figures.cluster_figures(session, hide_small=False),
        "newest": newest,
        "names": _names(session, newest),
    }


def _changes(session: Session, actor: Actor) -> dict[str, Any] | None:
    if not allowed(actor, "accounts.audit.view"):
        return None
    registry = AuditFilter(action="organisations.")
    entries = account_queries.list_audit(session, actor, registry, limit=RECENT)
    named = account_queries.organisation_names(session, history.organisation_ids(entries))
    # The audit log's own wording (one table), organisations by their current name.
    return {"entries": entries, "actions": history.ACTIONS, "names": named, "gone": history.GONE}


def _search(_session: Session, _actor: Actor) -> dict[str, Any]:
    return {}


panels.register(
    panels.Panel(
        name="home.area",
        title=N_("Your partner area"),
        applies=panels.is_officer,
        data=_area,
        template="home/panels/area.html",
        order=20,
    )
)
panels.register(
    panels.Panel(
        name="home.cluster",
        title=N_("Cluster membership"),
        applies=panels.is_staff,
        data=_cluster,
        template="home/panels/cluster.html",
        order=30,
    )
)
panels.register(
    panels.Panel(
        name="home.changes",
        title=N_("Recent changes"),
        applies=panels.is_staff,
        data=_changes,
        template="home/panels/changes.html",
        order=40,
    )
)
panels.register(
    panels.Panel(
        name="home.search",
        title=N_("Find partners"),
        applies=panels.is_logged_in,
        data=_search,
        template="home/panels/search.html",
        order=900,
    )
)
