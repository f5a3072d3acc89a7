"""A tie from an anonymous opportunity names its owner: it is seen only by those who may know
the owner (`market.permissions.may_see_owner`: the two parties, staff, another organisation
the owner was introduced to), in every view — the relations, the graph and its exports, the
table, "your network", the kept figures, the recommendations, the panels, the API — and no
count a reader gets tells it (the owner's degree, the ties of the view)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.market.interest_world import editor
from tests.matrix import ELSEWHERE, HERE
from tests.network.test_relations import declare, introduce

from upland.accounts import queries as accounts
from upland.actor import SYSTEM, Actor
from upland.market import permissions as market_permissions
from upland.market.models import Opportunity
from upland.network import exporting, graph, panels, queries, service, snapshots, table
from upland.network.recommendations import queries as recommendations
from upland.network.recommendations.scoring import pair_of
from upland.organisations.models import Organisation

ANONYMOUS = Actor(user_id=None, label="anonymous")
DAY = dt.date.today()


@dataclass
class World:
    owner: Organisation  # owns an anonymous opportunity
    interested: Organisation  # introduced to it: the tie
    second: Organisation  # also introduced to it: knows the owner
    third: Organisation  # tied to `interested` by a declared relation anyone sees
    opportunity_id: int
    tie_id: int  # owner – interested


def _world(session: Session, **opportunity: Any) -> World:
    owner, interested, second, third = (factories.organisation(session) for _ in range(4))
    introduce(session, owner, interested, anonymous=True, **opportunity)
    opp = session.query(Opportunity).filter_by(owner_id=owner.id).one()
    from upland.market.interests import service as market
    from upland.market.interests.schemas import InterestIn

    interest = market.express_interest(session, editor(session, second), opp.id, InterestIn())
    market.accept_interest(session, editor(session, owner), interest.id)
    declared = declare(session, third, interested, "rd_partner")
    service.confirm_relation(session, editor(session, interested), declared.id)
    [tie] = [
        r
        for r in queries.list_relations(session, SYSTEM)
        if {r.from_id, r.to_id} == {owner.id, interested.id}
    ]
    return World(owner, interested, second, third, opp.id, tie.id)


def _readers(session: Session, w: World) -> dict[str, tuple[Actor, bool]]:
    """Every kind of reader, and whether it may know the owner (so see the tie)."""
    user = factories.user
    return {
        "anonymous": (ANONYMOUS, False),
        "other member": (editor(session, factories.organisation(session), "viewer"), False),
        "outside the cluster": (
            editor(session, factories.organisation(session, membership_status="none"), "viewer"),
            False,
        ),
        "partner of the interested": (editor(session, w.third, "viewer"), False),
        "no organisation": (factories.actor_of(session, user(session)), False),
        "officer here": (
            factories.actor_of(session, user(session, role="officer", teryt=HERE)),
            False,
        ),
        "officer elsewhere": (
            factories.actor_of(session, user(session, role="officer", teryt=ELSEWHERE)),
            False,
        ),
        "owner viewer": (editor(session, w.owner, "viewer"), True),
        "interested viewer": (editor(session, w.interested, "viewer"), True),
        "also introduced": (editor(session, w.second, "viewer"), True),
        "coordinator": (factories.actor_of(session, user(session, role="coordinator")), True),
        "platform admin": (
            factories.actor_of(session, user(session, role="platform-admin")),
            True,
        ),
    }


def _tied(loaded: graph.Graph, a: int, b: int) -> bool:
    return any({e.source, e.target} == {str(a), str(b)} for e in loaded.edges)


def test_the_sql_rule_agrees_with_may_see_owner(session: Session) -> None:
    w = _world(session)
    opp = session.get(Opportunity, w.opportunity_id)
    assert opp is not None
    for name, (reader, knows) in _readers(session, w).items():
        assert market_permissions.may_see_owner(reader, opp) == knows, name
        known = select(Opportunity.id).where(market_permissions.owner_seen(reader))
        assert (opp.id in set(session.scalars(known))) == knows, name


def test_every_view_shows_the_tie_only_to_who_may_know_the_owner(session: Session) -> None:
    w = _world(session)
    for name, (reader, knows) in _readers(session, w).items():
        listed = {r.id for r in queries.list_relations(session, reader)}
        assert (w.tie_id in listed) == knows, name
        loaded = graph.load_graph(session, reader)
        assert _tied(loaded, w.owner.id, w.interested.id) == knows, name
        # the owner's degree in the table tells nothing more than the ties shown
        if not reader.is_anonymous:
            rows = table.tabulate(session, reader)
            degree = {n.id: n.degree for n in rows.nodes}.get(w.owner.id, 0)
            assert degree == (2 if knows else 0), name
        for format, (render, _media) in exporting.FORMATS.items():
            text = render(loaded)
            edges = text.count("<edge ") if format != "edges.csv" else text.count("\n") - 1
            if format in ("gexf", "graphml", "edges.csv"):
                assert edges == len(loaded.edges), (name, format)


def test_your_network_does_not_tell_who_your_partners_partner_works_with(
    session: Session,
) -> None:
    w = _world(session)
    third_user = editor(session, w.third, "viewer")
    further = table.partners_of_partners(session, third_user, [w.third.id], DAY)
    assert w.owner.id not in {i for i, _ in further[w.third.id]}
    everyone = table.partners_of_partners(session, SYSTEM, [w.third.id], DAY)
    assert w.owner.id in {i for i, _ in everyone[w.third.id]}


def test_the_kept_figures_of_a_reader_are_those_of_the_view_without_the_tie(
    session: Session,
) -> None:
    w = _world(session)
    outsider = editor(session, factories.organisation(session), "viewer")
    shown = graph.load_graph(session, outsider)
    assert w.tie_id not in shown.relation_ids
    assert w.tie_id not in graph.load_graph(session, ANONYMOUS).relation_ids
    assert w.tie_id in graph.load_graph(session, editor(session, w.owner, "viewer")).relation_ids
    figures = snapshots.compute(shown, DAY)
    assert str(w.owner.id) not in figures["nodes"]  # not a tied organisation in this view
    assert str(w.owner.id) in snapshots.compute(graph.load_graph(session, SYSTEM), DAY)["nodes"]


def test_recommendations_leave_out_no_pair_for_a_tie_the_reader_may_not_know(
    session: Session,
) -> None:
    w = _world(session)
    officer = factories.actor_of(session, factories.user(session, role="officer", teryt=HERE))
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    pair = pair_of(w.owner.id, w.interested.id)
    assert pair in recommendations.ever_tied(session, coordinator)
    assert pair not in recommendations.ever_tied(session, officer)
    assert pair_of(w.third.id, w.interested.id) in recommendations.ever_tied(session, officer)


def test_the_member_panel_counts_the_parties_ties(session: Session) -> None:
    w = _world(session)
    assert panels._own(session, editor(session, w.owner, "viewer"))["ties"] == 2
    assert panels._own(session, editor(session, w.third, "viewer"))["ties"] == 1


def test_the_api_hides_the_tie(session: Session, client: Any) -> None:
    w = _world(session)
    outsider = editor(session, factories.organisation(session), "viewer")
    session.commit()
    caller = caller_for(session, client, accounts.get_user(session, outsider.user_id))
    listed = caller.send("GET", "/api/v1/network/relations").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert w.tie_id not in {r["id"] for r in items}
    edges = caller.send("GET", "/api/v1/network/graph").json()["edges"]
    assert not any(
        {str(e["source"]), str(e["target"])} == {str(w.owner.id), str(w.interested.id)}
        for e in edges
    )
    csv_edges = caller.send("GET", "/api/v1/network/export.edges.csv").text
    assert csv_edges.count("\n") - 1 == len(edges)


@pytest.mark.parametrize("visibility", ["public", "restricted"])
def test_a_named_owners_tie_keeps_the_records_rule(session: Session, visibility: str) -> None:
    owner, other = factories.organisation(session), factories.organisation(session)
    extra: dict[str, Any] = {"visibility": visibility}
    if visibility == "restricted":
        extra["named"] = [other.id]
    introduce(session, owner, other, **extra)
    member = editor(session, factories.organisation(session), "viewer")
    assert len(queries.list_relations(session, member)) == (visibility == "public")


def test_the_officers_panel_counts_only_the_ties_the_officer_may_know(
    session: Session, monkeypatch: pytest.MonkeyPatch, connection: Any
) -> None:
    """The kept figures behind the officer's and the coordinator's starting-page panels."""
    from tests.jobrunner import run_jobs_within

    from upland import jobs

    found: list[tuple[Any, ...]] = []  # jobs recorded, run by hand in the test's transaction
    run_jobs_within(monkeypatch, connection)
    monkeypatch.setattr(jobs, "enqueue", lambda path, *args, **_: found.append((path, *args)))
    _world(session)
    officer = factories.actor_of(session, factories.user(session, role="officer", teryt=HERE))
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    for reader, ties in ((officer, 1), (coordinator, 3)):
        assert panels._data(session, reader) == {"figures": None}
        [(_path, key, ids, day)] = found
        snapshots.compute_job(key, ids, day)
        found.clear()
        session.expire_all()
        data = panels._data(session, reader)
        assert data is not None and data["figures"]["counts"]["ties"] == ties
