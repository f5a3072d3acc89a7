"""Saved searches and follows through the pages and the API: saving from the browse list,
listing, renaming, deleting, following; bad input and the limit answered clearly (never a 500);
names rendered safely; both languages."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.market.saved import service
from upland.market.saved.models import SavedSearch

SCRIPT = "<script>alert('x')</script>"


def _me(session: Session, client: Any):
    org = factories.organisation(session)
    user = factories.user(session, role="viewer", org=org)
    session.commit()
    return user, caller_for(session, client, user)


def test_save_from_the_browse_list_then_rename_and_delete(session: Session, client: Any):
    user, caller = _me(session, client)
    listing = caller.send("GET", "/market?q=frezowanie&city=Lublin")
    assert 'id="save-search"' in listing.text and 'name="city" value="Lublin"' in listing.text
    saved = caller.send(
        "POST", "/market/saved", {"name": SCRIPT, "q": "frezowanie", "city": "Lublin"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/market/saved"
    search = session.query(SavedSearch).filter_by(user_id=user.id).one()
    page = caller.send("GET", "/market/saved")
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
    assert "/market?q=frezowanie&amp;city=Lublin" in page.text
    renamed = caller.send("POST", f"/market/saved/{search.id}/rename", {"name": "Frezowanie"})
    assert renamed.status_code == 303
    session.refresh(search)
    assert search.name == "Frezowanie"
    gone = caller.send("POST", f"/market/saved/{search.id}/delete", {})
    assert gone.status_code == 303
    assert session.query(SavedSearch).filter_by(user_id=user.id).count() == 0


def test_a_refused_save_says_why_and_keeps_the_filter(session: Session, client: Any):
    _, caller = _me(session, client)
    refused = caller.send("POST", "/market/saved", {"name": "Zła", "city": "Atlantyda"})
    assert refused.status_code == 422
    assert 'id="problem"' in refused.text and "Atlantyda" in refused.text
    empty = caller.send("POST", "/market/saved", {"name": "Pusta"})
    assert empty.status_code == 422
    nameless = caller.send("POST", "/market/saved", {"name": "", "q": "laser"})
    assert nameless.status_code == 422
    long_name = caller.send("POST", "/market/saved", {"name": "x" * 81, "q": "laser"})
    assert long_name.status_code == 422


def test_the_api_lists_saves_renames_deletes_and_refuses_clearly(session: Session, client: Any):
    _, caller = _me(session, client)
    made = caller.send(
        "POST", "/api/v1/saved-searches", {"name": "Laser", "q": "laser", "kind": "capacity_offer"}
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["url"] == "/market?q=laser&kind=capacity_offer" and body["kind"] == "capacity_offer"
    listed = caller.send("GET", "/api/v1/saved-searches").json()
    assert [s["name"] for s in listed["items"]] == ["Laser"] and listed["limit"] == service.LIMIT
    again = caller.send("POST", "/api/v1/saved-searches", {"name": "laser", "q": "x"})
    assert again.status_code == 409 and again.json()["code"] == "saved_search.name_taken"
    bad = caller.send("POST", "/api/v1/saved-searches", {"name": "A", "pkd": "X1"})
    assert bad.status_code == 422
    unknown = caller.send("POST", "/api/v1/saved-searches", {"name": "A", "colour": "red"})
    assert unknown.status_code == 422
    renamed = caller.send("PATCH", f"/api/v1/saved-searches/{body['id']}", {"name": "Cięcie"})
    assert renamed.json()["name"] == "Cięcie"
    for n in range(service.LIMIT - 1):
        assert (
            caller.send(
                "POST", "/api/v1/saved-searches", {"name": f"S{n}", "q": f"słowo{n}"}
            ).status_code
            == 201
        )
    over = caller.send("POST", "/api/v1/saved-searches", {"name": "Za dużo", "q": "x"})
    assert over.status_code == 409 and over.json()["code"] == "saved_search.limit"
    assert caller.send("DELETE", f"/api/v1/saved-searches/{body['id']}").status_code == 204
    assert caller.send("GET", f"/api/v1/saved-searches/{body['id']}").status_code == 404


def test_follow_and_unfollow_from_the_opportunity_page(session: Session, client: Any):
    owner = factories.organisation(session)
    made = factories.opportunity(session, owner, publish=True, visibility="public")
    _, caller = _me(session, client)
    page = caller.send("GET", f"/market/{made.id}")
    assert f'action="/market/{made.id}/follow"' in page.text
    followed = caller.send("POST", f"/market/{made.id}/follow", {})
    assert followed.status_code == 303
    page = caller.send("GET", followed.headers["location"])
    assert f'action="/market/{made.id}/unfollow"' in page.text
    assert [f["opportunity_id"] for f in caller.send("GET", "/api/v1/follows").json()["items"]] == [
        made.id
    ]
    listed = caller.send("GET", "/market/saved")
    assert f'id="follow-{made.id}"' in listed.text
    caller.send("POST", f"/market/{made.id}/unfollow", {"back": "saved"})
    assert caller.send("GET", "/api/v1/follows").json()["items"] == []


def test_the_page_in_both_languages(session: Session, client: Any):
    _, caller = _me(session, client)
    polish = caller.send("GET", "/market/saved")
    assert "Zapisane wyszukiwania i obserwowane" in polish.text
    client.cookies.set("lang", "en")
    english = caller.send("GET", "/market/saved")
    assert english.status_code == 200 and "Saved searches and follows" in english.text
    assert "Zapisane" not in english.text


def test_the_anonymous_are_sent_to_log_in(client: Any):
    assert client.get("/market/saved", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/saved-searches").status_code == 403
