"""Suggested partners on item pages (a panel loaded after the page) and the find-partners page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in
from tests.matching.web import use_hashing, welding_world


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch):
    use_hashing(monkeypatch)
    return welding_world(session)


def test_item_pages_load_the_panel_after_themselves(client, session: Session, world):
    user = factories.user(session, role="viewer", org=world["asker"])
    log_in(client, user.email)
    page = client.get(f"/organisations/{world['asker'].id}")
    assert f'hx-get="/match/organisation/{world["asker"].id}/partners"' in page.text
    page = client.get(f"/market/{world['offer'].id}")
    assert f'hx-get="/match/opportunity/{world["offer"].id}/partners"' in page.text


def test_the_panel_lists_partners_with_why_in_the_readers_language(client, session, world):
    user = factories.user(session, role="viewer", org=world["asker"])
    log_in(client, user.email)
    asker = world["asker"].id
    panel = client.get(f"/match/organisation/{asker}/partners", headers={"hx-request": "true"})
    assert panel.status_code == 200
    assert "<html" not in panel.text
    for welder in world["welders"]:
        assert f'href="/organisations/{welder.id}"' in panel.text
    assert f'href="/organisations/{asker}"' not in panel.text
    assert f'href="/market/{world["offer"].id}"' in panel.text
    polish = client.get(f"/match/organisation/{asker}/partners?lang=pl")
    assert "Sugerowani partnerzy" in polish.text and "<html" in polish.text


def test_find_partners(client, session, world):
    user = factories.user(session, role="viewer", org=world["asker"])
    log_in(client, user.email)
    page = client.get("/match", params={"q": "robotic welding of steel frames"})
    assert page.status_code == 200
    assert f'href="/organisations/{world["welders"][1].id}"' in page.text
    assert f'href="/organisations/{world["asker"].id}"' not in page.text
    for bad in ("", " ", "x" * 5000):
        answer = client.get("/match", params={"q": bad})
        assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert client.get("/match", params={"q": "spawanie", "kind": "nope"}).status_code == 422
    assert client.get("/match", params={"q": "<script>' OR 1=1 --"}).status_code == 200


def test_anonymous_visitors_go_to_the_log_in(client, world):
    assert client.get("/match", follow_redirects=False).status_code == 303


def test_an_ended_opportunity_says_so_where_it_is_suggested(session: Session, world):
    """Found walking the find page as the coordinator: staff are suggested ended opportunities
    too (they may open them), which read as live without their status."""
    from upland.market.models import Opportunity
    from upland.matching.engine import Hit
    from upland.matching.presenters import describe

    offer = session.get(Opportunity, world["offer"].id)
    hit = Hit("opportunity", offer.id, 1.0, 0.5, 1.0)
    assert "·" not in describe(session, [hit], "en")[0]["what"]  # live: its kind alone
    offer.status = "expired"
    session.flush()
    assert describe(session, [hit], "en")[0]["what"].endswith(" · expired")
    assert describe(session, [hit], "pl")[0]["what"].endswith(" · wygasła")
