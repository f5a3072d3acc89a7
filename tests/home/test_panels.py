"""The starting page's panel registry: areas add panels without editing the page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

import upland.events
import upland.home
import upland.network  # noqa: F401 - registers the panels, as the app does
from upland import panels
from upland.actor import ANONYMOUS, Actor, OrgRole


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, panels.Panel]:
    """A copy of the registry, so a test's panels do not outlive it."""
    copy = dict(panels._REGISTRY)
    monkeypatch.setattr(panels, "_REGISTRY", copy)
    return copy


def _nothing(_session: Session, _actor: Actor) -> dict[str, str]:
    return {}


def _panel(name: str, order: int = 50, applies=panels.is_logged_in, data=None) -> panels.Panel:
    return panels.Panel(
        name=name,
        title="Opportunities for you",
        applies=applies,
        data=data or _nothing,
        template="home/panels/search.html",
        order=order,
    )


COORDINATOR = Actor(user_id=1, label="c", is_coordinator=True)
OFFICER = Actor(user_id=2, label="o", officer_teryt="1463011")
ORG_ADMIN = Actor(user_id=3, label="a", org_roles={7: OrgRole.ADMIN})
ORG_VIEWER = Actor(user_id=4, label="v", org_roles={7: OrgRole.VIEWER})


def _names(actor: Actor) -> list[str]:
    return [p.name for p in panels.panels_for(actor)]


def test_each_role_gets_its_panels_in_order(registry):
    market = "market.opportunities"  # everyone logged in: the marketplace's panel
    dashboard = "market.dashboard"  # staff and officers: the marketplace's figures
    cooperation = "market.cooperation"  # an organisation's interests and introductions
    events = "events.upcoming"  # everyone logged in: the next events
    network = "network.figures"  # staff and officers: the cooperation network's figures
    mine = "network.mine"  # an organisation's own ties
    assert _names(COORDINATOR) == [
        "home.cluster",
        dashboard,
        "home.changes",
        market,
        events,
        network,
        "home.search",
    ]
    assert _names(OFFICER) == ["home.area", dashboard, market, events, network, "home.search"]
    assert _names(ORG_ADMIN) == [
        "organisations.profile",
        cooperation,
        market,
        events,
        mine,
        "home.search",
    ]
    # A viewer edits no profile, but follows the organisation's interests and introductions.
    assert _names(ORG_VIEWER) == [cooperation, market, events, mine, "home.search"]
    assert _names(ANONYMOUS) == []


def test_a_name_is_registered_once(registry):
    panels.register(_panel("market.offers"))
    panels.register(_panel("market.offers"))  # the same panel again (a module reloaded): fine
    with pytest.raises(ValueError, match=r"market\.offers"):
        panels.register(_panel("market.offers", order=1))


def test_a_panel_with_nothing_to_say_is_left_out(session: Session, registry):
    panels.register(_panel("events.none", data=lambda _s, _a: None))
    shown = [s.panel.name for s in panels.shown_to(session, ORG_VIEWER)]
    assert "events.none" not in shown and "home.search" in shown


def test_a_later_area_adds_a_panel_without_editing_the_page(session, client, registry):
    panels.register(_panel("market.offers", order=5))
    account = factories.user(session)
    session.commit()
    caller_for(session, client, account)
    page = client.get("/start?lang=en").text
    assert 'id="panel-market-offers"' in page
    main = page[page.index("<main") :]  # the menu links to "Find partners" too
    assert main.index("Opportunities for you") < main.index("Find partners")  # by order
