"""An organisation that opts out is in no suggestion list (text, item, every variant) but is
still found by the registry's search; the flag is set in the edit form and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in
from tests.matching.web import EMBEDDER, use_hashing, welding_world

from upland.matching import engine
from upland.matching.engine import Ask
from upland.organisations import queries
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch):
    use_hashing(monkeypatch)
    return welding_world(session)


def _suggested(session: Session, actor, **ask) -> set[int]:
    found = set()
    for variant in (*engine.VARIANTS, engine.FULL):
        hits = engine.match(session, actor, Ask(**ask), embedder=EMBEDDER, variant=variant)
        found |= {h.id for h in hits if h.kind == "organisation"}
    return found


def test_an_opted_out_organisation_is_never_suggested_but_still_found(client, session, world):
    shy = world["welders"][1]
    admin = factories.user(session, role="admin", org=shy)
    log_in(client, admin.email)
    form = client.get(f"/organisations/{shy.id}/edit")
    assert 'name="not_suggested"' in form.text
    data = {"csrf_token": csrf_of(form), "legal_name": shy.legal_name, "kind": shy.kind}
    data |= {"not_suggested": "true"}
    saved = client.post(f"/organisations/{shy.id}/edit", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    session.expire_all()
    assert session.get(Organisation, shy.id).not_suggested is True
    assert client.get(f"/api/v1/organisations/{shy.id}").json()["not_suggested"] is True

    asker = factories.actor_of(session, factories.user(session, role="viewer", org=world["asker"]))
    assert shy.id not in _suggested(session, asker, text="spawanie ram stalowych", limit=50)
    partners = _suggested(session, asker, source=("organisation", world["asker"].id), limit=50)
    assert shy.id not in partners and world["welders"][0].id in partners
    found = queries.list_organisations(
        session, asker, OrganisationFilter(), today=dt.date.today(), limit=200
    )
    assert shy.id in {o.id for o in found.items}


def test_the_api_sets_and_clears_the_flag(client, session, world):
    shy = world["welders"][1]
    admin = factories.user(session, role="admin", org=shy)
    log_in(client, admin.email)
    token = csrf_of(client.get("/account"))
    headers = {"x-csrf-token": token}
    url = f"/api/v1/organisations/{shy.id}"
    assert client.patch(url, json={"not_suggested": True}, headers=headers).status_code == 200
    assert client.get(url).json()["not_suggested"] is True
    assert client.patch(url, json={"not_suggested": False}, headers=headers).status_code == 200
    assert client.get(url).json()["not_suggested"] is False
