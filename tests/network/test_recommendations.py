"""Missing-tie recommendations over the database: pairs with a shared partner that the matching
engine finds fit, never a pair that had a relation; the coordinator sees every pair, a city
officer those involving their area, with shared partners named only where they may open them;
the page, the API and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.matrix import ELSEWHERE
from typer.testing import CliRunner

from upland.actor import Actor
from upland.errors import PermissionDenied
from upland.network import service
from upland.network.models import Relation
from upland.network.recommendations import queries
from upland.network.service import Origin
from upland.network.vocab import RelationSource, RelationType
from upland.organisations.models import Organisation

RADOM = [{"teryt": ELSEWHERE, "is_headquarters": True, "locality": "Radom"}]


def tie(session: Session, a: Organisation, b: Organisation) -> None:
    key = f"test:{a.id}-{b.id}"
    origin = Origin(RelationSource.INTRODUCTION, RelationType.INTRODUCTION, key, a.id, b.id,
                    dt.date(2024, 1, 1))  # fmt: skip
    service.derive_relation(session, origin)


def _world(session: Session) -> dict[str, Organisation]:
    """A hub (members only) tied to two Lublin firms and a Radom research institute; the two
    Lublin firms were introduced once and the tie withdrawn."""
    hub = factories.organisation(session, visibility="members")
    one, two = factories.organisation(session), factories.organisation(session)
    lab = factories.organisation(session, kind="research", sites=RADOM)
    for org in (one, two, lab):
        tie(session, hub, org)
    tie(session, one, two)
    relation = session.scalars(
        select(Relation).where(Relation.origin == f"test:{one.id}-{two.id}")
    ).one()
    service.withdraw_relation(session, coordinator(session), relation.id)
    return {"hub": hub, "one": one, "two": two, "lab": lab}


def coordinator(session: Session) -> Actor:
    return factories.actor_of(session, factories.user(session, role="coordinator"))


def with_the_lab(w: dict[str, Organisation]) -> set[frozenset[int]]:
    return {frozenset({w["one"].id, w["lab"].id}), frozenset({w["two"].id, w["lab"].id})}


def pairs(shown: list[queries.Shown]) -> set[frozenset[int]]:
    return {frozenset({s.a.id, s.b.id}) for s in shown}


def test_the_coordinator_gets_pairs_with_partners_in_common(session: Session) -> None:
    w = _world(session)
    shown = queries.list_recommendations(session, coordinator(session))
    assert pairs(shown) == {
        frozenset({w["one"].id, w["lab"].id}),
        frozenset({w["two"].id, w["lab"].id}),
    }
    first = shown[0]
    assert first.cross_city and first.science_business and first.match > 0
    assert [p.id for p in first.shared] == [w["hub"].id] and first.unnamed == 0


def test_an_officer_gets_the_pairs_of_their_area_and_names_what_they_may_open(
    session: Session,
) -> None:
    w = _world(session)
    radom = factories.actor_of(session, factories.user(session, role="officer", teryt=ELSEWHERE))
    shown = queries.list_recommendations(session, radom)
    assert pairs(shown) == {
        frozenset({w["one"].id, w["lab"].id}),
        frozenset({w["two"].id, w["lab"].id}),
    }
    assert all(s.shared == () and s.unnamed == 1 for s in shown)  # the hub is members-only
    with pytest.raises(PermissionDenied):
        queries.list_recommendations(session, factories.actor_of(session, factories.user(session)))


def test_the_page_the_api_and_the_cli(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = _world(session)
    session.commit()
    boss = caller_for(session, client, factories.user(session, role="coordinator"))
    page = boss.send("GET", "/network/recommendations?lang=en")
    api = boss.send("GET", "/api/v1/network/recommendations?limit=1").json()
    [item] = api["items"]
    assert page.status_code == 200 and item["b"]["name"] in page.text
    assert "Partners in common" in page.text
    assert item["b"]["id"] == w["lab"].id and item["note"].startswith(item["a"]["name"])
    assert "Science and business together" in item["why"]

    @contextmanager
    def same_session() -> Iterator[Session]:
        yield session

    monkeypatch.setattr("upland.network.cli.transaction", same_session)
    from upland.cli import app

    result = CliRunner().invoke(app, ["network", "recommend", "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.count(" — ") == 2
    as_json = CliRunner().invoke(app, ["network", "recommend", "--json"])
    assert len(json.loads(as_json.output)) == 2


def test_inviting_a_pair_notifies_both_sides_editors_of_the_next_brokerage_day(
    session: Session, client: Any
) -> None:
    from tests.events.world import event

    from upland.audit import AuditEntry
    from upland.errors import Conflict
    from upland.network.recommendations import service as invitations
    from upland.notifications.models import Notification

    w = _world(session)
    boss = coordinator(session)
    with pytest.raises(Conflict):  # no brokerage day to invite to yet
        invitations.invite_pair(session, boss, w["one"].id, w["lab"].id)
    day = event(session)
    one_admin = factories.user(session, role="admin", org=w["one"])
    lab_editor = factories.user(session, role="editor", org=w["lab"])
    lab_viewer = factories.user(session, role="viewer", org=w["lab"])
    invited = invitations.invite_pair(session, boss, w["one"].id, w["lab"].id)
    assert invited.event_id == day.id and invited.recipients >= 2
    news = {
        n.recipient_id: n
        for n in session.scalars(
            select(Notification).where(Notification.kind == "network.brokerage_invitation")
        )
    }
    assert {one_admin.id, lab_editor.id} <= set(news) and lab_viewer.id not in news
    assert news[one_admin.id].link == f"/events/{day.id}"
    assert news[one_admin.id].params["partner"] == w["lab"].short_name
    [entry] = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "network.recommendation.invite")
    )
    assert entry.after["organisation_ids"] == sorted([w["one"].id, w["lab"].id])
    member = factories.actor_of(session, lab_viewer)
    with pytest.raises(PermissionDenied):
        invitations.invite_pair(session, member, w["one"].id, w["lab"].id)
    hidden = factories.organisation(session, visibility="restricted")
    with pytest.raises(Conflict) as refused:  # its name may not go to the other's people
        invitations.invite_pair(session, boss, w["one"].id, hidden.id)
    assert refused.value.code == "network.pair_not_visible"


def test_the_coordinator_finds_missing_ties_among_the_network_pages(
    session: Session, client: Any
) -> None:
    link = 'href="/network/recommendations"'
    member = factories.user(session, role="viewer", org=factories.organisation(session))
    boss = factories.user(session, role="coordinator")
    session.commit()
    caller_for(session, client, member)
    assert link not in client.get("/network/metrics?lang=en").text
    client.cookies.clear()
    caller_for(session, client, boss)
    page = client.get("/network/metrics?lang=en").text
    assert link in page and "Missing ties" in page
