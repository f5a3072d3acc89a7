"""The marketplace's pages: forgiving forms (input kept, messages beside fields), safe
rendering of every text, the teaser with "request access", the owner's and the coordinator's
lists."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in

from upland.market.models import Opportunity
from upland.settings import get_settings

SCRIPT = "<script>alert('x')</script>"


def _logged_in(session: Session, client: TestClient, role: str, org=None) -> str:
    account = factories.user(session, role=role, org=org)
    log_in(client, account.email)
    return csrf_of(client.get("/market/mine"))


def test_a_form_with_errors_keeps_the_input(session: Session, client: TestClient):
    owner = factories.organisation(session)
    token = _logged_in(session, client, "editor", owner)
    form = {
        "csrf_token": token,
        "owner_id": str(owner.id),
        "kind": "business_offer",
        "title_pl": "Tłoczenie blach",
        "description_pl": "Prasy 200 t",
        "trl": "5",
        "places": "Lublin; Nibylandia",
        "capabilities_offered": "cnc-milling",
        "partnership_types": "subcontracting",
    }
    answer = client.post("/market/new", data=form)
    assert answer.status_code == 422
    page = answer.text
    assert 'value="Tłoczenie blach"' in page and "Prasy 200 t" in page
    assert re.search(r'id="e-places"[^>]*>[^<]*Nibylandia', page)
    assert 'value="cnc-milling" checked' in page and 'value="subcontracting" checked' in page
    form["places"], form["trl"] = "Lublin; 26", ""
    made = client.post("/market/new", data=form, follow_redirects=False)
    assert made.status_code == 303, made.text
    opportunity = session.scalars(select(Opportunity)).one()
    assert [p.teryt for p in opportunity.places] == ["0663011", "26"]
    assert [(c.role) for c in opportunity.capabilities] == ["offered"]
    # named on its page, not as codes (found by a user walk: "0663, 26")
    shown = client.get(f"/market/{opportunity.id}").text
    assert "<li>Lublin</li>" in shown and "<li>26</li>" not in shown
    assert re.search(r"<li>(województwo świętokrzyskie|świętokrzyskie voivodeship)</li>", shown)


def test_every_text_is_rendered_safely(session: Session, client: TestClient):
    owner = factories.organisation(session)
    texts = {
        name: f"{name} {SCRIPT}"
        for name in ("title_pl", "title_en", "description_pl", "description_en", "advantages")
    }
    made = factories.opportunity(session, owner, publish=True, visibility="public", **texts)
    session.commit()
    for path in (f"/market/{made.id}", "/market", "/market?q=advantages"):
        page = client.get(path).text
        assert SCRIPT not in page
        assert "&lt;script&gt;" in page


def test_a_restricted_one_is_a_teaser_with_request_access(session: Session, client: TestClient):
    owner, asker = factories.organisation(session), factories.organisation(session)
    made = factories.opportunity(
        session,
        owner,
        publish=True,
        visibility="restricted",
        description_pl="Poufny opis procesu",
        pkd_codes=[{"code": "25.62.Z", "version": 2007}],
    )
    session.commit()
    anonymous = client.get(f"/market/{made.id}").text
    assert "Poufny opis" not in anonymous and "Log in to request access" in anonymous.replace(
        "Zaloguj się, aby poprosić o dostęp", "Log in to request access"
    )
    token = _logged_in(session, client, "viewer", asker)
    page = client.get(f"/market/{made.id}?lang=en").text
    assert "Poufny opis" not in page and "Request access" in page and "Sector: C" in page
    asked = client.post(
        f"/market/{made.id}/access",
        data={"csrf_token": token, "organisation_id": str(asker.id), "message": "Prosimy"},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert "waiting for the owner" in client.get(f"/market/{made.id}?lang=en").text


def test_review_queue_and_steps(session: Session, client: TestClient, monkeypatch):
    monkeypatch.setattr(get_settings(), "market_review", True)
    owner = factories.organisation(session)
    editor = factories.user(session, role="editor", org=owner)
    made = factories.opportunity(session, owner, factories.actor_of(session, editor))
    session.commit()
    log_in(client, editor.email)
    token = csrf_of(client.get("/market/mine"))
    mine = client.get("/market/mine?lang=en").text
    assert "Submit for review" in mine and "Publish" not in mine
    client.post(f"/market/{made.id}/step/submit", data={"csrf_token": token})
    refused = client.post(f"/market/{made.id}/step/publish", data={"csrf_token": token})
    assert refused.status_code == 409 and "submit it for review" in refused.text.replace(
        "wyślij ją do weryfikacji", "submit it for review"
    )
    staff = factories.user(session, role="coordinator")
    session.commit()
    log_in(client, staff.email)
    token = csrf_of(client.get("/market/review"))
    assert made.title_pl in client.get("/market/review?lang=pl").text
    assert made.title_en in client.get("/market/review?lang=en").text
    client.post(f"/market/{made.id}/step/return", data={"csrf_token": token, "reason": "Dodaj PKD"})
    session.expire_all()
    assert (made.status, made.review_reason) == ("returned", "Dodaj PKD")


def test_the_queue_says_what_waits_when_review_was_turned_off_since(
    session: Session, client: TestClient, monkeypatch
):
    """Found on the coordinator's walk: with review off, opportunities sent while it was on
    sat under a line saying that sent ones are published at once (naming a setting)."""
    monkeypatch.setattr(get_settings(), "market_review", True)
    owner = factories.organisation(session)
    editor = factories.user(session, role="editor", org=owner)
    made = factories.opportunity(
        session, owner, factories.actor_of(session, editor), title_en="Gear housings wanted"
    )
    session.commit()
    log_in(client, editor.email)
    token = csrf_of(client.get("/market/mine"))
    client.post(f"/market/{made.id}/step/submit", data={"csrf_token": token})
    monkeypatch.setattr(get_settings(), "market_review", False)
    log_in(client, factories.user(session, role="coordinator").email)
    english = client.get("/market/review?lang=en").text
    assert "were sent while it was on and still wait for your decision" in english
    assert "UPLAND_MARKET_REVIEW" not in english
    assert "Gear housings wanted" in english
    polish = client.get("/market/review?lang=pl").text
    assert made.title_pl in polish and "Gear housings wanted" not in polish
    assert "czekają na Twoją decyzję" in polish


def test_the_page_leads_a_member_to_express_interest(session: Session, client: TestClient):
    owner, member = factories.organisation(session), factories.organisation(session)
    made = factories.opportunity(session, owner, publish=True, visibility="public")
    session.commit()
    link = f'href="/market/{made.id}/interests"'
    assert link not in client.get(f"/market/{made.id}").text  # a visitor is sent to log in first
    _logged_in(session, client, "editor", member)
    page = client.get(f"/market/{made.id}").text
    assert link in page
    assert client.get(f"/market/{made.id}/interests").status_code == 200


def test_only_who_may_publish_is_offered_a_new_opportunity(session: Session, client: TestClient):
    """A viewer's starting page and lists lead to no page that would refuse them (the walk)."""
    org = factories.organisation(session)
    for role, offered in (("viewer", False), ("editor", True)):
        client.cookies.clear()
        _logged_in(session, client, role, org)
        for path in ("/start", "/market", "/market/mine"):
            page = client.get(path)
            assert page.status_code == 200
            assert ('href="/market/new"' in page.text) is offered, (role, path)
