"""Brokerage-day invitations of recommended pairs are recorded (pair, event, who, when): the
recommendations page and API show which pairs were invited to what and whether each side has
registered since; an invited pair is shown as invited, not offered again; inviting it twice to
the same day is a Conflict; once both registered, each is suggested to the other at the day
("the cluster invited you to meet"); the inviter's id is in the personal-data export and
erased."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from tests.matching.web import EMBEDDER, embed_all, use_hashing
from tests.matrix import ELSEWHERE
from tests.network.test_recommendations import _world, coordinator
from typer.testing import CliRunner

from upland.errors import Conflict
from upland.events import suggestions
from upland.network import personal
from upland.network.models import BrokerageInvitation
from upland.network.recommendations import queries
from upland.network.recommendations import service as invitations


def test_an_invitation_is_recorded_shown_and_not_repeated(session: Session) -> None:
    w = _world(session)
    boss = coordinator(session)
    day = event(session)
    invited = invitations.invite_pair(session, boss, w["lab"].id, w["one"].id)
    [kept] = session.scalars(select(BrokerageInvitation))
    assert (kept.id, kept.event_id, kept.invited_by_id) == (
        invited.invitation_id,
        day.id,
        boss.user_id,
    )
    assert (kept.a_id, kept.b_id) == tuple(sorted([w["one"].id, w["lab"].id]))
    with pytest.raises(Conflict) as twice:
        invitations.invite_pair(session, boss, w["one"].id, w["lab"].id)
    assert twice.value.code == "network.already_invited"
    [listed] = queries.list_invitations(session, boss)
    assert listed.event.id == day.id and not listed.a_registered and not listed.b_registered
    registered(session, day.id, w["one"])
    [listed] = queries.list_invitations(session, boss)
    one_is_a = listed.a.id == w["one"].id
    assert (listed.a_registered, listed.b_registered) == (one_is_a, not one_is_a)
    shown = {frozenset({s.a.id, s.b.id}): s for s in queries.list_recommendations(session, boss)}
    assert shown[frozenset({w["one"].id, w["lab"].id})].invited == listed
    assert shown[frozenset({w["two"].id, w["lab"].id})].invited is None
    radom = factories.actor_of(session, factories.user(session, role="officer", teryt=ELSEWHERE))
    assert [i.id for i in queries.list_invitations(session, radom)] == [listed.id]


def test_the_page_the_api_and_the_cli(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _world(session)
    day = event(session, title_en="Autumn brokerage day")
    user = factories.user(session, role="coordinator")
    session.commit()
    boss = caller_for(session, client, user)
    made = boss.send(
        "POST", "/api/v1/network/recommendations/invite", {"a": w["one"].id, "b": w["lab"].id}
    )
    assert made.status_code == 201, made.text
    assert made.json()["event_id"] == day.id
    again = boss.send(
        "POST", "/api/v1/network/recommendations/invite", {"a": w["lab"].id, "b": w["one"].id}
    )
    assert again.status_code == 409 and again.json()["code"] == "network.already_invited"
    api = boss.send("GET", "/api/v1/network/recommendations").json()
    [invited] = api["invitations"]
    assert invited["event"]["id"] == day.id and invited["a"]["registered"] is False
    by_pair = {frozenset({i["a"]["id"], i["b"]["id"]}): i for i in api["items"]}
    assert by_pair[frozenset({w["one"].id, w["lab"].id})]["invited"]["id"] == invited["id"]
    assert by_pair[frozenset({w["two"].id, w["lab"].id})]["invited"] is None
    form = boss.send(
        "POST", "/network/recommendations/invite", {"a": w["one"].id, "b": w["lab"].id}
    )
    assert form.status_code == 303  # refused, and said so on the page it returns to
    page = boss.send("GET", "/network/recommendations?lang=en").text
    assert 'id="done"' in page and "are invited to “" in page  # the refusal, said once
    assert 'id="invitations"' in page and "Invited to Autumn brokerage day" in page
    assert page.count('action="/network/recommendations/invite"') == 1  # the other pair only

    @contextmanager
    def same_session() -> Iterator[Session]:
        yield session

    monkeypatch.setattr("upland.network.cli.transaction", same_session)
    from upland.cli import app

    result = CliRunner().invoke(app, ["network", "invite", str(w["two"].id), str(w["lab"].id)])
    assert result.exit_code == 0, result.output
    assert f"event {day.id}" in result.output
    as_json = CliRunner().invoke(app, ["network", "recommend", "--json"])
    assert all(item["invited"] for item in json.loads(as_json.output))


def test_both_registered_are_suggested_to_each_other(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hashing(monkeypatch)
    w = _world(session)
    day = event(session)
    invitations.invite_pair(session, coordinator(session), w["one"].id, w["lab"].id)
    one_reg, one_user = registered(session, day.id, w["one"])
    other_reg, _ = registered(session, day.id, w["two"])
    found = suggestions.suggest_participants(session, one_user, day, embedder=EMBEDDER)
    assert all(s.participant.registration.id != other_reg.id or not s.introduced for s in found)
    lab_reg, lab_user = registered(session, day.id, w["lab"])
    embed_all(session)
    for reader, other in ((one_user, lab_reg), (lab_user, one_reg)):
        found = suggestions.suggest_participants(session, reader, day, embedder=EMBEDDER)
        assert found[0].participant.registration.id == other.id
        assert found[0].reasons("en")[0][0] == "The cluster invited you to meet"
        assert found[0].reasons("pl")[0][0] == "Klaster zaprasza was do spotkania"


def test_the_inviter_is_personal_data(session: Session) -> None:
    w = _world(session)
    boss = coordinator(session)
    day = event(session)
    invitations.invite_pair(session, boss, w["one"].id, w["lab"].id)
    assert boss.user_id is not None
    [held] = personal.export_invitations(session, boss.user_id)
    assert held["event_id"] == day.id
    assert held["organisation_ids"] == sorted([w["one"].id, w["lab"].id])
    personal.erase_invitations(session, boss.user_id)
    [kept] = session.scalars(select(BrokerageInvitation))
    assert kept.invited_by_id is None  # the record stays, naming nobody
    assert personal.export_invitations(session, boss.user_id) == []


def test_two_invitations_at_the_same_moment_make_one_and_a_conflict(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second request passed the check before the first committed: the unique key
    answers, as the same Conflict, and the transaction goes on."""
    w = _world(session)
    boss = coordinator(session)
    event(session)
    invitations.invite_pair(session, boss, w["one"].id, w["lab"].id)
    scalar = session.scalar

    def not_seen(statement: Any, *args: Any, **kwargs: Any) -> Any:
        if "brokerage_invitation" in str(statement):
            return None
        return scalar(statement, *args, **kwargs)

    monkeypatch.setattr(session, "scalar", not_seen)
    with pytest.raises(Conflict) as twice:
        invitations.invite_pair(session, boss, w["one"].id, w["lab"].id)
    assert twice.value.code == "network.already_invited"
    assert len(list(session.scalars(select(BrokerageInvitation)))) == 1


def test_the_recommendations_api_is_in_the_openapi_schema() -> None:
    from upland.app import create_app

    paths = create_app().openapi()["paths"]
    assert "get" in paths["/api/v1/network/recommendations"]
    assert "post" in paths["/api/v1/network/recommendations/invite"]
    assert "/network/recommendations" not in paths
