"""The network's pages through the web: the figures (a page that refreshes itself while the job
computes them; small cells hidden from an anonymous visitor; brokers named to members), the
network as a table (signed-in only, filtered by tie type and window)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.network.test_relations import declare

from upland import jobs
from upland.actor import SYSTEM
from upland.network import service

RADOM = "1463011"


@pytest.fixture
def ties(session: Session) -> dict[str, Any]:
    """A Lublin firm supplying a Radom firm, and an R&D partnership of the Radom firm with a
    research unit: the Radom firm lies between the other two."""
    lublin = factories.organisation(session, short_name="Kuźnia Lubelska")
    radom = factories.organisation(
        session,
        short_name="Radomskie Osie",
        sites=[{"teryt": RADOM, "is_headquarters": True}],
    )
    lab = factories.organisation(session, short_name="Instytut Napędów", kind="research")
    supply = declare(session, lublin, radom, "supplier_of")
    service.confirm_relation(session, SYSTEM, supply.id)
    rd = declare(session, radom, lab, "rd_partner")
    service.confirm_relation(session, SYSTEM, rd.id)
    member = factories.user(session, role="viewer", org=factories.organisation(session))
    session.commit()
    return {"lublin": lublin, "radom": radom, "lab": lab, "member": member}


def test_while_the_job_computes_the_page_says_so_and_asks_again(client, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "enqueue", lambda *args, **kwargs: None)
    for lang, words in (("en", "being computed"), ("pl", "są obliczane")):
        page = client.get(f"/network/metrics?day=2024-06-01&lang={lang}")
        assert page.status_code == 200
        assert words in page.text
        assert 'hx-trigger="every 2s"' in page.text
        assert 'hx-get="/network/metrics?day=2024-06-01"' in page.text


def test_a_member_sees_every_figure_and_the_brokers(session: Session, client, ties) -> None:
    caller_for(session, client, ties["member"])
    assert "being computed" in client.get("/network/metrics?day=2024-06-01&lang=en").text
    page = client.get("/network/metrics?day=2024-06-01&lang=en").text  # the job ran meanwhile
    assert "The network on 2024-06-01" in page
    assert 'id="network-figures"' in page and "every 2s" not in page
    assert 'href="/organisations/{}">Radomskie Osie</a>'.format(ties["radom"].id) in page
    desc = re.search(r'<desc id="chart-tie-types-desc">([^<]*)</desc>', page)
    assert desc and desc.group(1) == "R&D partnership: 1; supply (supplier → customer): 1"
    assert '<desc id="trend-ties-desc">' in page and "2024-04-01" in page
    lublin = (
        '<th scope="row">Lublin</th><td data-label="Ties">2</td><td data-label="E–I index">1.00'
    )
    assert lublin in page  # the firm and the unit in Lublin are each tied to Radom
    polish = client.get("/network/metrics?day=2024-06-01&lang=pl").text
    assert "Sieć na dzień 2024-06-01" in polish


def test_an_anonymous_visitor_sees_aggregates_with_small_cells_hidden(client, ties) -> None:
    client.get("/network/metrics?day=2024-06-01")
    page = client.get("/network/metrics?day=2024-06-01&lang=en").text
    assert "Figures of 1 to 4 organisations or ties are not shown" in page
    assert "Radomskie Osie" not in page and "Brokers" not in page
    assert "<dt>Ties</dt><dd>not shown</dd>" in page
    assert "R&D partnership: not shown" in page
    lublin = '<th scope="row">Lublin</th><td data-label="Ties">{}</td><td data-label="E–I index">{}'
    assert lublin.format("not shown", "not shown") in page  # 2 ties: its index is not shown


def test_the_day_must_be_a_date(client) -> None:
    assert client.get("/network/metrics?day=soon").status_code == 422


def test_the_table_is_for_signed_in_users(session: Session, client, ties) -> None:
    response = client.get("/network/table", follow_redirects=False)
    assert response.status_code == 303
    caller_for(session, client, ties["member"])
    computing = client.get("/network/table?lang=en").text  # brokerage from the snapshot job
    assert "Betweenness and brokerage roles are being computed" in computing
    assert 'hx-get="/network/table?lang=en" hx-trigger="every 2s"' in computing
    assert '<td data-label="Betweenness">computing</td>' in computing
    page = client.get("/network/table?lang=en").text  # the job ran meanwhile
    assert "every 2s" not in page and "of every tie you may see on" in page
    assert "Organisations (3)" in page and "Ties (2)" in page
    assert "Radomskie Osie" in page and "declared by a member" in page
    # The Radom firm brokers: betweenness 1, a representative or gatekeeper role on the path.
    row = re.search(r"Radomskie Osie</a></th>(.*?)</tr>", page, re.S)
    assert row and '<td data-label="Degree">2</td>' in row.group(1)
    assert '<td data-label="Betweenness">1.0</td>' in row.group(1)


def test_the_table_filters_by_type_and_window(session: Session, client, ties) -> None:
    caller_for(session, client, ties["member"])
    page = client.get("/network/table?type=supply&start=&end=&lang=en").text
    assert "Ties (1)" in page and "Instytut Napędów" not in page
    before = client.get("/network/table?type=&end=2023-12-31&lang=en").text
    assert "Ties (0)" in before and "No tie matches these filters." in before
    assert dt.date(2024, 1, 1).isoformat() in client.get("/network/table?lang=pl").text


def test_your_network_lists_own_ties_and_confirms_withdraws_declares(
    session: Session, client, ties
) -> None:
    from upland.network.models import Relation

    radom, lab = ties["radom"], ties["lab"]
    proposed = declare(session, lab, radom, "joint_project")
    admin = factories.user(session, role="admin", org=radom)
    session.commit()
    assert client.get("/network/mine", follow_redirects=False).status_code == 303
    caller_for(session, client, admin)
    page = client.get("/network/mine?lang=en").text
    assert "Kuźnia Lubelska" in page and "Instytut Napędów" in page
    assert "waiting for confirmation" in page and "they supply us" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    token = {"csrf_token": csrf.group(1)}
    confirmed = client.post(f"/network/relations/{proposed.id}/confirm", data=token)
    assert "The relation is confirmed." in confirmed.text
    assert session.get(Relation, proposed.id).status == "confirmed"
    client.post(f"/network/relations/{proposed.id}/withdraw", data=token)
    session.expire_all()
    assert session.get(Relation, proposed.id).status == "withdrawn"
    form = {**token, "organisation_id": str(radom.id), "kind": "customer_of"}
    wrong = client.post("/network/relations", data={**form, "partner": "nobody", "starts_on": ""})
    assert wrong.status_code == 422 and 'id="e-partner"' in wrong.text
    made = client.post(
        "/network/relations",
        data={**form, "partner": str(ties["lublin"].id), "starts_on": "2025-01-01"},
    )
    assert "it counts once the other side confirms it" in made.text
    mine = factories.user(session, role="viewer", org=ties["lublin"])
    session.commit()
    caller_for(session, client, mine)  # the Lublin firm's partner works with the research unit
    assert "Who your partners work with (1)" in client.get("/network/mine?lang=en").text
