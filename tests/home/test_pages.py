"""The home page and the starting page of each role, through the web as a browser sees them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for, log_in

LUBLIN, RADOM, KIELCE = "0663011", "1463011", "2661011"


def _at(teryt: str) -> dict[str, Any]:
    return {"sites": [{"teryt": teryt, "is_headquarters": True}]}


@pytest.fixture
def cluster(session: Session) -> dict[str, Any]:
    lublin = [
        factories.organisation(
            session, short_name=f"Lubelska {i}", member_since=f"2020-01-0{i}", **_at(LUBLIN)
        )
        for i in range(1, 9)
    ]
    radom = [
        factories.organisation(
            session, short_name=f"Radomska {i}", member_since="2019-05-01", **_at(RADOM)
        )
        for i in range(1, 4)
    ]
    outside = [factories.organisation(session, member_since=None, **_at(KIELCE)) for _ in range(5)]
    hidden = factories.organisation(
        session,
        short_name="Zastrzeżona",
        visibility="restricted",
        member_since="2026-06-01",
        **_at(KIELCE),
    )
    session.commit()
    return {"outside": outside, "lublin": lublin, "radom": radom, "hidden": hidden}


def _desc(html: str, chart: str) -> str:
    found = re.search(rf'<desc id="{chart}-desc">([^<]*)</desc>', html)
    assert found, f"no chart {chart}"
    return found.group(1)


def test_the_home_page_shows_figures_with_small_cells_suppressed_or_rounded(client, cluster):
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert "Lublin Automotive and Machinery Upland" in page.text
    assert "19 March 2018" in page.text
    cities = _desc(page.text, "chart-cities")
    # Radom's 3 is never shown; the 6 outside, one of them restricted, are shown rounded; the
    # members (17, 16 of them public) and the single sector would give Radom's 3 back, so they
    # are not shown.
    assert cities == "Lublin: 8; Radom: not shown; Starachowice: 0; outside the partner areas: ≈5"
    assert '<abbr title="about 5 (rounded to the nearest 5)">≈5</abbr>' in page.text
    assert 'action="/organisations"' in page.text and 'name="q"' in page.text


def test_the_home_page_in_polish(client, cluster):
    page = client.get("/?lang=pl")
    assert "Radom: nie pokazano" in _desc(page.text, "chart-cities")
    assert "19 marca 2018" in page.text


def test_newest_members_are_only_those_the_viewer_may_see(session, client, cluster):
    anonymous = client.get("/?lang=en").text
    assert "Zastrzeżona" not in anonymous
    assert "Lubelska 8" in anonymous  # joined last of the public ones
    coordinator = factories.user(session, role="coordinator")
    session.commit()
    caller_for(session, client, coordinator)
    assert "Zastrzeżona" in client.get("/?lang=en").text


def test_the_start_page_asks_the_anonymous_to_log_in(client):
    response = client.get("/start", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/start")


def test_log_in_lands_on_the_start_page(session, client):
    account = factories.user(session)
    session.commit()
    response = log_in(client, account.email)
    assert (response.status_code, response.headers["location"]) == (303, "/start")
    assert 'href="/start"' in client.get("/organisations").text  # the header leads back


def test_an_organisation_admin_sees_what_the_profile_lacks(session, client):
    org = factories.organisation(
        session, short_name="Spawalnia Braków", website=None, capabilities=[]
    )
    admin = factories.user(session, role="admin", org=org)
    session.commit()
    caller_for(session, client, admin)
    page = client.get("/start?lang=en").text
    assert "Your organisation&#39;s profile" in page or "Your organisation's profile" in page
    assert "Spawalnia Braków" in page
    # 10 parts of a company's profile; website, founded year, supply tier and capabilities lack.
    assert "Profile 60% complete" in page
    assert f'href="/organisations/{org.id}/edit#f-website"' in page
    assert f'href="/organisations/{org.id}#CapabilityIn"' in page
    assert f'href="/organisations/{org.id}/edit#f-description_en"' not in page  # it has one
    assert f'href="/organisations/{org.id}/members"' in page  # an admin invites colleagues
    assert f'href="/organisations/{org.id}/edit#f-capacity_notes"' in page  # a firm offers time
    assert "Cluster membership" not in page and "Your partner area" not in page


def test_a_city_officer_sees_the_area_unsuppressed(session, client, cluster):
    officer = factories.user(session, role="officer", teryt=RADOM)
    session.commit()
    caller_for(session, client, officer)
    page = client.get("/start?lang=en").text
    assert "Your partner area" in page
    assert re.search(r"Cluster members</dt><dd>3</dd>", page)
    assert "Radomska 1" in page and "Lubelska 1" not in page
    assert f'href="/organisations?city={RADOM}"' in page
    assert "Recent changes" not in page


def test_the_coordinator_sees_membership_and_recent_changes(session, client, cluster):
    coordinator = factories.user(session, role="coordinator")
    session.commit()
    caller_for(session, client, coordinator)
    page = client.get("/start?lang=en").text
    assert "Cluster membership" in page and "Recent changes" in page
    assert "Radom: 3" in _desc(page, "chart-staff-cities")  # staff see every row
    assert "created the organisation" in page  # the factories, worded as in the audit log
    assert "Zastrzeżona" in page  # the newest entry, restricted or not


def test_the_start_page_in_polish(session, client, cluster):
    officer = factories.user(session, role="officer", teryt=LUBLIN)
    session.commit()
    caller_for(session, client, officer)
    page = client.get("/start?lang=pl").text
    assert "Twój obszar partnerski" in page
