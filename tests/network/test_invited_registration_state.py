"""Attack pass on the events area (4 December), finding 3: the "Missing ties" page, its API and
CLI showed, for a pair invited to a brokerage day, whether each side has registered for the
day since, to a city officer too, who may not see the event's registrations (their event
report hides small counts). Whether each side registered is now shown only to readers who see
the event's registrations (`events.queries.sees_registrations`: staff, the organiser's editors
and admins); anybody else sees that the pair was invited, to what and when."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from tests.matrix import ELSEWHERE
from tests.network.test_recommendations import _world, coordinator
from typer.testing import CliRunner

from upland.actor import Actor
from upland.network.recommendations import queries
from upland.network.recommendations import service as invitations


def _invited(session: Session) -> dict[str, Any]:
    """The lab (Radom) and `one` (Lublin) invited to a day organised by an agency; `one` has
    registered since."""
    w = _world(session)
    agency = factories.organisation(session, kind="business_support")
    day = event(session, organiser_id=agency.id, title_en="Autumn brokerage day")
    invitations.invite_pair(session, coordinator(session), w["lab"].id, w["one"].id)
    registered(session, day.id, w["one"])
    officer = factories.user(session, role="officer", teryt=ELSEWHERE)
    organising_officer = factories.user(session, role="officer", teryt=ELSEWHERE)
    _grant(session, organising_officer.id, "editor", agency.id)
    return {
        **w,
        "day": day,
        "coordinator": factories.user(session, role="coordinator"),
        "platform admin": factories.user(session, role="platform-admin"),
        "officer": officer,
        "officer who organises the day": organising_officer,
    }


def _grant(session: Session, user_id: int, role: str, organisation_id: int) -> None:
    from upland.accounts import service as accounts
    from upland.actor import SYSTEM

    accounts.grant_role(session, SYSTEM, user_id, role, organisation_id, None)
    session.flush()


def _states(session: Session, reader: Actor) -> list[tuple[bool | None, bool | None]]:
    return [(i.a_registered, i.b_registered) for i in queries.list_invitations(session, reader)]


@pytest.mark.parametrize(
    ("reader", "sees"),
    [
        ("coordinator", True),
        ("platform admin", True),
        ("officer who organises the day", True),
        ("officer", False),
    ],
)
def test_whether_each_side_registered_is_shown_only_to_who_sees_the_registrations(
    session: Session, reader: str, sees: bool
) -> None:
    w = _invited(session)
    actor = factories.actor_of(session, w[reader])
    [state] = _states(session, actor)
    [invited] = queries.list_invitations(session, actor)
    one_is_a = invited.a.id == w["one"].id
    assert state == ((one_is_a, not one_is_a) if sees else (None, None))
    assert invited.event.id == w["day"].id and invited.invited_at  # invited: to what, when
    shown = {frozenset({s.a.id, s.b.id}): s for s in queries.list_recommendations(session, actor)}
    item = shown[frozenset({w["one"].id, w["lab"].id})]
    assert item.invited == invited


def test_the_officer_s_page_and_api_say_invited_not_registered(
    session: Session, client: Any
) -> None:
    w = _invited(session)
    session.commit()
    officer = caller_for(session, client, w["officer"])
    page = officer.send("GET", "/network/recommendations?lang=en").text
    assert "Invited to Autumn brokerage day" in page
    assert "not registered yet" not in page and ">Registered<" not in page
    assert "— registered" not in page and ": yes" not in page and ": not yet" not in page
    api = officer.send("GET", "/api/v1/network/recommendations").json()
    [invited] = api["invitations"]
    assert invited["a"]["registered"] is None and invited["b"]["registered"] is None
    assert invited["invited_at"] and invited["event"]["id"] == w["day"].id
    items = [i for i in api["items"] if i["invited"]]
    assert items and all(i["invited"]["a"]["registered"] is None for i in items)


def test_the_coordinator_s_page_and_api_say_who_registered(session: Session, client: Any) -> None:
    w = _invited(session)
    session.commit()
    boss = caller_for(session, client, w["coordinator"])
    page = boss.send("GET", "/network/recommendations?lang=en").text
    assert "not registered yet" in page and ">Registered<" in page
    api = boss.send("GET", "/api/v1/network/recommendations").json()
    [invited] = api["invitations"]
    by_id = {side["id"]: side["registered"] for side in (invited["a"], invited["b"])}
    assert by_id == {w["one"].id: True, w["lab"].id: False}


def test_the_cli_runs_as_the_platform_and_says_who_registered(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _invited(session)

    @contextmanager
    def same_session() -> Iterator[Session]:
        yield session

    monkeypatch.setattr("upland.network.cli.transaction", same_session)
    from upland.cli import app

    text = CliRunner().invoke(app, ["network", "recommend"])
    assert text.exit_code == 0, text.output
    assert "invited to" in text.output and "not registered yet" in text.output
    as_json = CliRunner().invoke(app, ["network", "recommend", "--json"])
    [item] = [i for i in json.loads(as_json.output) if i["invited"]]
    states = {item["invited"]["a"]["registered"], item["invited"]["b"]["registered"]}
    assert states == {True, False}
    assert w["one"].id in {item["a"]["id"], item["b"]["id"]}
