"""The network attacked: the graph and its exports name no organisation whose profile the
reader may not see (restricted, or members-only to someone outside the cluster), whatever the
format; a name a spreadsheet would run as a formula is neutralised in the CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.market.interest_world import editor
from tests.network.test_relations import declare

from upland.accounts import queries as accounts
from upland.actor import SYSTEM, Actor
from upland.network import exporting, graph, service, snapshots, table
from upland.organisations.models import Organisation

HIDDEN = "Odlewnia Tajna"  # a restricted organisation's name
MEMBERS = "Kuźnia Klubowa"  # a members-only organisation's name
FORMATS = ("gexf", "graphml", "nodes.csv", "edges.csv")
ANONYMOUS = Actor(user_id=None, label="anonymous")
DAY = dt.date.today()


@dataclass
class World:
    hub: Organisation  # public, tied to both
    hidden: Organisation  # restricted profile
    members: Organisation  # members-only profile
    member_reader: Actor  # a user of another member organisation
    outside_reader: Actor  # a user of an organisation outside the cluster


def _tie(session: Session, a: Organisation, b: Organisation) -> None:
    declared = declare(session, a, b, "rd_partner")
    service.confirm_relation(session, editor(session, b), declared.id)


def _world(session: Session) -> World:
    hub = factories.organisation(session, short_name="Węzeł Publiczny")
    hidden = factories.organisation(
        session, short_name=HIDDEN, legal_name=HIDDEN, visibility="restricted"
    )
    members = factories.organisation(
        session, short_name=MEMBERS, legal_name=MEMBERS, visibility="members"
    )
    _tie(session, hub, hidden)
    _tie(session, hub, members)
    member_org = factories.organisation(session)
    outside_org = factories.organisation(session, membership_status="none")
    return World(
        hub,
        hidden,
        members,
        editor(session, member_org, "viewer"),
        editor(session, outside_org, "viewer"),
    )


def _names(loaded: graph.Graph) -> dict[str, str]:
    return {n.id: loaded.names.get(n.id, "") for n in loaded.nodes}


def test_the_graph_names_only_the_organisations_the_reader_may_see(session: Session):
    w = _world(session)
    assert graph.named_ids(session, SYSTEM, [w.hidden.id, w.members.id]) == {
        w.hidden.id,
        w.members.id,
    }
    member = graph.load_graph(session, w.member_reader)
    assert len(member.edges) == 2  # the ties still count
    names = _names(member)
    assert names[str(w.hub.id)] == "Węzeł Publiczny"
    assert names[str(w.members.id)] == MEMBERS
    assert names[str(w.hidden.id)] == ""
    outside = _names(graph.load_graph(session, w.outside_reader))
    assert outside[str(w.members.id)] == "" and outside[str(w.hidden.id)] == ""
    assert _names(graph.load_graph(session, SYSTEM))[str(w.hidden.id)] == HIDDEN
    own = _names(graph.load_graph(session, editor(session, w.hidden, "viewer")))
    assert own[str(w.hidden.id)] == HIDDEN


@pytest.mark.parametrize("format", FORMATS)
def test_no_export_names_a_hidden_organisation(session: Session, format: str):
    w = _world(session)
    text = exporting.FORMATS[format][0](graph.load_graph(session, w.outside_reader))
    assert HIDDEN not in text and MEMBERS not in text
    if format != "edges.csv":
        assert exporting.UNNAMED in text
        assert "Węzeł Publiczny" in text
    everything = exporting.FORMATS[format][0](graph.load_graph(session, SYSTEM))
    if format != "edges.csv":
        assert HIDDEN in everything and MEMBERS in everything


def test_the_api_graph_and_exports_name_no_hidden_organisation(session: Session, client: Any):
    w = _world(session)
    session.commit()
    caller = caller_for(session, client, accounts.get_user(session, w.outside_reader.user_id))
    answer = caller.send("GET", "/api/v1/network/graph")
    assert answer.status_code == 200
    nodes = {n["id"]: n for n in answer.json()["nodes"]}
    assert nodes[str(w.hidden.id)]["name"] is None
    assert nodes[str(w.members.id)]["name"] is None
    assert nodes[str(w.hub.id)]["name"] == "Węzeł Publiczny"
    for format in FORMATS:
        body = caller.send("GET", f"/api/v1/network/export.{format}").text
        assert HIDDEN not in body and MEMBERS not in body, format


def test_the_table_and_your_partners_network_name_no_hidden_organisation(
    session: Session, client: Any
):
    """The pages over the same graph: the table (nodes and ties) and the partners of one's
    partners (`table.partners_of_partners`) say "not public" instead of the name."""
    w = _world(session)
    third = factories.organisation(session, short_name="Trzeci Partner")
    _tie(session, third, w.hub)
    session.commit()
    caller = caller_for(session, client, accounts.get_user(session, w.outside_reader.user_id))
    page = caller.send("GET", "/network/table")
    assert page.status_code == 200
    assert HIDDEN not in page.text and MEMBERS not in page.text
    assert "Węzeł Publiczny" in page.text
    assert f'href="/organisations/{w.hidden.id}"' not in page.text
    further = table.partners_of_partners(session, w.outside_reader, [third.id], DAY)
    assert [name for _, name in further[third.id]] == []  # hub's other partners are hidden
    everyone = table.partners_of_partners(session, SYSTEM, [third.id], DAY)
    assert {name for _, name in everyone[third.id]} == {HIDDEN, MEMBERS}


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "'quoted", "=cmd|' /C calc'!A0"],
)
def test_a_name_that_is_a_formula_is_neutralised_in_the_csv(session: Session, name: str):
    evil = factories.organisation(session, short_name=name, legal_name="Zwykła nazwa sp. z o.o.")
    _tie(session, evil, factories.organisation(session))
    rows = list(csv.reader(io.StringIO(exporting.nodes_csv(graph.load_graph(session, SYSTEM)))))
    labels = [row[1] for row in rows[1:]]
    assert "'" + name in labels
    assert not any(label.startswith(("=", "+", "-", "@", "\t", "\r")) for label in labels)


def test_every_csv_cell_goes_through_the_neutraliser(session: Session, monkeypatch):
    w = _world(session)
    seen: list[Any] = []
    real = exporting.neutralise

    def spy(value: Any) -> Any:
        seen.append(value)
        return real(value)

    monkeypatch.setattr(exporting, "neutralise", spy)
    loaded = graph.load_graph(session, SYSTEM)
    exporting.nodes_csv(loaded)
    exporting.edges_csv(loaded)
    assert HIDDEN in seen and "rd_partnership" in seen and str(w.hub.id) in seen


def _public_ties(session: Session, count: int) -> list[Organisation]:
    """`count` public ties in a chain of `count + 1` organisations (confirmed, declared)."""
    orgs = [factories.organisation(session) for _ in range(count + 1)]
    for a, b in itertools.pairwise(orgs):
        _tie(session, a, b)
    return orgs


def _figures(session: Session, actor: Actor) -> dict[str, Any]:
    loaded = graph.load_graph(session, actor)
    return snapshots.present(session, actor, loaded, snapshots.compute(loaded, DAY), DAY)


def test_anonymous_metrics_suppress_small_cells_and_name_no_broker(session: Session):
    _public_ties(session, 3)  # four organisations, three ties: every cell is small
    shown = _figures(session, ANONYMOUS)
    counts = shown["counts"]
    assert counts["organisations"] is None and counts["active_members"] is None
    assert counts["ties"] is None and counts["density"] is None
    assert set(counts["ties_by_type"].values()) == {None}
    assert shown["brokers"] == []
    assert shown["components"]["largest"] is None
    assert all(p["ties"] is None and p["active_members"] is None for p in shown["trend"][-1:])
    assert not any(v for v in shown["brokerage_totals"].values())  # 0 or suppressed
    member = _figures(session, editor(session, factories.organisation(session), "viewer"))
    assert member["counts"]["ties"] == 3 and member["counts"]["organisations"] == 4
    assert member["brokers"]  # a signed-in reader sees the figures of the ties it sees


def test_anonymous_metrics_show_cells_large_enough(session: Session):
    _public_ties(session, 8)  # nine organisations, eight ties
    shown = _figures(session, ANONYMOUS)
    assert shown["counts"]["organisations"] == 9 and shown["counts"]["ties"] == 8
    assert shown["counts"]["ties_by_type"] == {"rd_partnership": 8}
    assert shown["brokers"] == []


def test_anonymous_metrics_through_the_api(session: Session, client: Any):
    _public_ties(session, 3)
    session.commit()
    answer = client.get("/api/v1/network/metrics")
    if answer.status_code == 202:
        answer = client.get("/api/v1/network/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.json()["counts"]["ties"] is None and answer.json()["brokers"] == []


def test_an_unnamed_organisation_shows_only_its_area_and_a_coarse_kind(
    session: Session, client: Any
) -> None:
    """Beyond its name, an unnamed node keeps what the anonymous aggregates show (partner
    area, business/science/other): no PKD division, membership or rare kind."""
    w = _world(session)
    school = factories.organisation(session, kind="school", visibility="restricted")
    _tie(session, w.hub, school)
    session.commit()
    caller = caller_for(session, client, accounts.get_user(session, w.outside_reader.user_id))
    nodes = {n["id"]: n for n in caller.send("GET", "/api/v1/network/graph").json()["nodes"]}
    assert nodes[str(school.id)] == {
        "id": str(school.id),
        "name": None,
        "city": nodes[str(school.id)]["city"],
        "kind": "other",
        "pkd_division": None,
        "member": None,
    }
    assert nodes[str(w.hidden.id)]["kind"] == "company"  # a coarse kind is kept
    rows = {r.id: r for r in table.tabulate(session, w.outside_reader).nodes}
    assert rows[school.id].kind == "other" and rows[school.id].name is None
    assert nodes[str(w.hub.id)]["pkd_division"] == "25" and nodes[str(w.hub.id)]["member"]
    rows = caller.send("GET", "/api/v1/network/export.nodes.csv").text
    csv_rows = {r["id"]: r for r in csv.DictReader(io.StringIO(rows))}
    for unnamed in (school, w.hidden, w.members):
        row = csv_rows[str(unnamed.id)]
        assert row["pkd_division"] == "" and row["member"] == "", row
    assert csv_rows[str(school.id)]["kind"] == "other"
    assert csv_rows[str(w.hub.id)]["pkd_division"] == "25"
    for format in ("gexf", "graphml"):
        body = caller.send("GET", f"/api/v1/network/export.{format}").text
        root = ET.fromstring(body)
        for element in root.iter():
            if element.tag.endswith("}node") and element.get("id") == str(school.id):
                values = {v.get("value") or v.text for v in element.iter() if v is not element}
                assert "school" not in values and "25" not in values and "true" not in values
                assert "other" in values, format
                break
        else:
            raise AssertionError(f"no node {school.id} in {format}")
