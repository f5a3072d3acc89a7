"""The starting page's panels: areas register what a logged-in person sees first.

The page (`upland.home`) renders whatever is registered for the actor, in `order`; an area adds
a panel from its own package (`<area>/panels.py`, imported by the area's `__init__`), so a later
area (opportunities, events, network, indicators) never edits the page. A panel's `data` reads
through its area's queries and returns the template's context, or None when it has nothing to
say to this actor (an organisation admin without an organisation, say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from upland.actor import Actor

PanelData = Callable[[Session, Actor], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """One box of the starting page. `title` is a msgid (marked with `N_` where registered)."""

    name: str
    title: str
    applies: Callable[[Actor], bool]
    data: PanelData
    template: str
    order: int = 100


@dataclass(frozen=True)
class Shown:
    """A panel with its data for one actor: what the starting page iterates over."""

    panel: Panel
    context: dict[str, Any]


_REGISTRY: dict[str, Panel] = {}


def _add(registry: dict[str, Any], panel: Any) -> None:
    """Add a panel; a second panel of the same name is a programming error."""
    if panel.name in registry and registry[panel.name] != panel:
        raise ValueError(f"a panel named {panel.name!r} is already registered")
    registry[panel.name] = panel


def register(panel: Panel) -> Panel:
    """Add a panel of the starting page."""
    _add(_REGISTRY, panel)
    return panel


def registered() -> list[Panel]:
    """Every panel, in page order."""
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.name))


def panels_for(actor: Actor) -> list[Panel]:
    """The panels that apply to `actor`, in page order."""
    return [p for p in registered() if p.applies(actor)]


def shown_to(session: Session, actor: Actor) -> list[Shown]:
    """The panels `actor` sees with their data; a panel with nothing to say is left out."""
    shown = []
    for panel in panels_for(actor):
        context = panel.data(session, actor)
        if context is not None:
            shown.append(Shown(panel, context))
    return shown


# Who a panel is for: the common predicates.
def is_staff(actor: Actor) -> bool:
    return actor.is_staff


def is_officer(actor: Actor) -> bool:
    return actor.officer_teryt is not None


def is_org_user(actor: Actor) -> bool:
    return bool(actor.org_roles)


def is_logged_in(actor: Actor) -> bool:
    return not actor.is_anonymous


# --- panels on an item's page ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPanel:
    """A box a later area adds to an item's page ("organisation", "opportunity"): the page
    renders a placeholder that loads `href(item_id)` after the page itself (the area's work
    may be slow), with `title` (a msgid) as its link when scripts are off."""

    name: str
    page: str
    title: str
    applies: Callable[[Actor], bool]
    href: Callable[[int], str]
    order: int = 100


_ITEM_PANELS: dict[str, ItemPanel] = {}


def register_item_panel(panel: ItemPanel) -> ItemPanel:
    """Add a panel to an item page."""
    _add(_ITEM_PANELS, panel)
    return panel


def item_panels_for(page: str, actor: Actor | None) -> list[ItemPanel]:
    """The panels of `page` that apply to `actor` (none for no actor), in page order."""
    if actor is None:
        return []
    found = [p for p in _ITEM_PANELS.values() if p.page == page and p.applies(actor)]
    return sorted(found, key=lambda p: (p.order, p.name))
