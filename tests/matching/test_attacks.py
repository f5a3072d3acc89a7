"""Matching attacked: its JSON API writes (feedback, weights, proposals, examples, preview)
refuse a request that only the session cookie authenticates, without the CSRF token, like
every other write of the application, which a sweep over the route table checks."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.matrix import sample_path, served_routes

from upland.matching.feedback.models import MatchFeedback

SAFE = {"GET", "HEAD", "OPTIONS"}


def _writes(app: Any) -> list[tuple[str, str]]:
    """Every unsafe (method, path) of the application, its parameters filled with 1."""
    return sorted(
        {(r.method, sample_path(r.path)) for r in served_routes(app) if r.method not in SAFE}
    )


def test_matching_api_writes_need_the_csrf_header_with_the_session_cookie(
    session: Session, client: Any
):
    org = factories.organisation(session)
    coordinator = factories.user(session, role="coordinator")
    member = factories.user(session, role="editor", org=org)
    session.commit()
    caller_for(session, client, member)
    other = factories.organisation(session)
    session.commit()
    feedback = {"target_kind": "organisation", "target_id": other.id, "q": "cnc", "useful": True}
    answer = client.post("/api/v1/match/feedback", json=feedback)
    assert answer.status_code == 403 and answer.json()["code"] == "csrf.invalid"
    assert session.scalar(select(func.count()).select_from(MatchFeedback)) == 0
    client.cookies.clear()
    caller_for(session, client, coordinator)
    for method, path, body in [
        ("PUT", "/api/v1/match/weights", {"weights": {}}),
        ("POST", "/api/v1/match/weights/proposals", {}),
        ("POST", "/api/v1/match/weights/proposals/1/accept", {}),
        ("POST", "/api/v1/match/weights/preview", {"weights": {}}),
        ("POST", "/api/v1/match/weights/examples", {"text": "frezowanie", "kind": "offer"}),
        ("DELETE", "/api/v1/match/weights/examples/1", None),
    ]:
        answer = client.request(method, path, json=body)
        assert answer.status_code == 403, (path, answer.status_code, answer.text)
        assert answer.json()["code"] == "csrf.invalid", path


@pytest.mark.parametrize("json_body", [True, False], ids=["json", "form"])
def test_no_write_of_the_application_takes_the_session_cookie_alone(
    session: Session, client: Any, app: Any, json_body: bool
):
    """Every unsafe route, asked with a logged-in session cookie and no CSRF token, answers
    403 `csrf.invalid` before it reads, checks or writes anything."""
    staff = factories.user(session, role="coordinator")  # no permission check stops it first
    session.commit()
    caller_for(session, client, staff)
    accepted = []
    for method, path in _writes(app):
        if json_body:
            answer = client.request(method, path, json={}, follow_redirects=False)
        else:
            answer = client.request(method, path, data={"x": "1"}, follow_redirects=False)
        if answer.status_code != 403:  # csrf.invalid; an upload gate may refuse before it
            accepted.append((method, path, answer.status_code, answer.text[:80]))
    assert len(_writes(app)) > 100
    assert accepted == [], "\n".join(map(str, accepted))


def test_partners_of_an_anonymous_opportunity_do_not_betray_its_owner(session: Session):
    """Leaving the owner (and the owner's other opportunities) out of an anonymous
    opportunity's partners told a member who owns it: the one firm, or the one named
    opportunity, that never appears. Only a reader who may know the owner has it left out."""
    from tests.matching.test_engine import WELDING, refresh, suggest

    from upland.actor import SYSTEM
    from upland.matching.engine import Ask

    owner = factories.organisation(session, **WELDING)
    others = [factories.organisation(session, **WELDING) for _ in range(3)]
    asker = factories.organisation(session)
    for org in [owner, *others]:
        factories.opportunity(
            session, org, publish=True, title_pl="Spawanie ram stalowych", **WELDING
        )
    hidden = factories.opportunity(
        session, owner, publish=True, anonymous=True, title_pl="Spawanie ram", **WELDING
    )
    refresh(session)
    member = factories.actor_of(session, factories.user(session, role="viewer", org=asker))
    ask = Ask(source=("opportunity", hidden.id), limit=100)
    found = suggest(session, member, ask)
    assert ("organisation", owner.id) in found
    assert {("organisation", o.id) for o in others} <= set(found)
    owned = {hit for hit in found if hit[0] == "opportunity" and hit[1] != hidden.id}
    assert len(owned) == 4  # every named one, the owner's included
    assert ("organisation", owner.id) not in suggest(session, SYSTEM, ask)


def test_an_organisation_s_partners_do_not_betray_its_anonymous_opportunity(session: Session):
    """The other way round: an organisation's partners left out its own opportunities, so an
    anonymous one missing from one organisation's partners alone named its owner."""
    from tests.matching.test_engine import WELDING, refresh, suggest

    from upland.actor import SYSTEM
    from upland.matching.engine import Ask

    owner = factories.organisation(session, **WELDING)
    other = factories.organisation(session, **WELDING)
    asker = factories.organisation(session)
    hidden = factories.opportunity(
        session, owner, publish=True, anonymous=True, title_pl="Spawanie ram", **WELDING
    )
    named = factories.opportunity(session, owner, publish=True, title_pl="Spawanie", **WELDING)
    refresh(session)
    member = factories.actor_of(session, factories.user(session, role="viewer", org=asker))
    for org in (owner, other):
        ask = Ask(source=("organisation", org.id), kinds=("opportunity",), limit=100)
        assert ("opportunity", hidden.id) in suggest(session, member, ask), org.id
    mine = Ask(source=("organisation", owner.id), kinds=("opportunity",), limit=100)
    assert ("opportunity", named.id) not in suggest(session, member, mine)
    assert ("opportunity", hidden.id) not in suggest(session, SYSTEM, mine)
