"""“Suggested for you” at a brokerage day: the matching engine ranks the other participants'
organisations for the reader's, with its reasons; never the reader's own organisation, a party
already asked, a guest, or an organisation the reader may not see. Pages: a fragment loaded by
htmx after the participants page, and the JSON API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from tests.matching.web import EMBEDDER, WELDING, embed_all, use_hashing
from upland.accounts import queries as accounts
from upland.actor import ANONYMOUS, SYSTEM
from upland.errors import PermissionDenied
from upland.events import service, suggestions
from upland.events.schemas import GuestIn, RequestIn

# What each firm does is in its capabilities as well as its words: an organisation asks with
# its key phrases (capabilities, labels, activities), as the matching engine does.
WELDER = {**WELDING, "capabilities": [{"kind": "process", "term": "welding-robotic"}]}
PAINTING = {
    "description_pl": "Lakierowanie proszkowe i malowanie natryskowe elementów.",
    "capabilities": [{"kind": "process", "term": "surface-treatment"}],
}


def _world(session: Session) -> dict[str, Any]:
    day = event(session)
    me = factories.organisation(session, **WELDER)
    mine, reader = registered(session, day.id, me)
    colleague, _ = registered(session, day.id, me)
    welder, _ = registered(session, day.id, factories.organisation(session, **WELDER))
    painter, _ = registered(session, day.id, factories.organisation(session, **PAINTING))
    asked, _ = registered(session, day.id, factories.organisation(session, **WELDING))
    hidden_org = factories.organisation(session, visibility="restricted", **WELDING)
    hidden, _ = registered(session, day.id, hidden_org)
    guest = service.register_guest(
        session, ANONYMOUS, day.id, GuestIn(name="Gość", email="g@guest.example")
    )
    service.validate_registration(session, SYSTEM, guest.id)
    service.send_request(session, reader, day.id, RequestIn(receiver_id=asked.id))
    embed_all(session)
    return {
        "day": day,
        "reader": reader,
        "mine": mine,
        "welder": welder,
        "painter": painter,
        "excluded": {colleague.id, asked.id, hidden.id, guest.id, mine.id},
    }


def _suggested(session: Session, actor: Any, day: Any) -> list[int]:
    found = suggestions.suggest_participants(session, actor, day, embedder=EMBEDDER)
    return [s.participant.registration.id for s in found]


def test_the_engine_ranks_the_others_with_its_reasons(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    use_hashing(monkeypatch)
    w = _world(session)
    found = suggestions.suggest_participants(session, w["reader"], w["day"], embedder=EMBEDDER)
    ids = [s.participant.registration.id for s in found]
    assert ids[0] == w["welder"].id  # the other welder before the painter
    assert not set(ids) & w["excluded"]
    raised, _ = found[0].reasons("en")
    assert raised  # the engine says why


def test_only_participants_get_suggestions(session: Session, monkeypatch: pytest.MonkeyPatch):
    use_hashing(monkeypatch)
    w = _world(session)
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(PermissionDenied):
        suggestions.suggest_participants(session, stranger, w["day"], embedder=EMBEDDER)
    assert _suggested(session, SYSTEM, w["day"]) == []  # the organiser takes no part


def test_fragment_and_api(session: Session, client: Any, monkeypatch: pytest.MonkeyPatch):
    use_hashing(monkeypatch)
    w = _world(session)
    user = accounts.get_user(session, w["reader"].user_id)
    session.commit()
    caller = caller_for(session, client, user)
    day = w["day"].id
    page = caller.send("GET", f"/events/{day}/participants?lang=en")
    assert f'hx-get="/events/{day}/suggestions"' in page.text
    whole = caller.send("GET", f"/events/{day}/suggestions?lang=en")  # without htmx: a page
    assert whole.status_code == 200 and "<html" in whole.text
    fragment = caller.client.get(
        f"/events/{day}/suggestions?lang=en", headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Suggested for you" in fragment.text
    assert f'id="suggested-{w["welder"].id}"' in fragment.text
    assert f'id="suggested-{w["mine"].id}"' not in fragment.text
    api = caller.send("GET", f"/api/v1/events/{day}/suggestions").json()["items"]
    assert api[0]["registration_id"] == w["welder"].id and api[0]["reasons_for"]
    assert not {item["registration_id"] for item in api} & w["excluded"]
