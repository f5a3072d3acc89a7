"""What a question was read to state, said back on the page, in the API and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in
from tests.matching.web import EMBEDDER, use_hashing, welding_world

from upland.i18n import Texts
from upland.matching.asks import OFFER, REQUEST, Constraints, Town
from upland.matching.explanations import Names
from upland.matching.reading import read_back

NAMES = Names(terms={"iatf-16949": Texts({"pl": "IATF 16949", "en": "IATF 16949"})})
RADOM, KIELCE = Town("1463011", "Radom"), Town("2661011", "Kielce")


@pytest.mark.parametrize(
    ("found", "english", "polish"),
    [
        (Constraints(), [], []),
        (
            Constraints(
                certifications=frozenset({"iatf-16949"}), towns=(RADOM, KIELCE), max_km=100
            ),
            ["Certificates required: IATF 16949", "Within 100 km of: Radom, Kielce"],
            ["Wymagane certyfikaty: IATF 16949", "Do 100 km od: Radom, Kielce"],
        ),
        (
            Constraints(towns=(RADOM,), min_trl=6, side=REQUEST),
            [
                "Near: Radom",
                "Technology readiness at least 6",
                "You need it: offers and firms that can do it come first",
            ],
            [
                "W pobliżu: Radom",
                "Gotowość technologiczna (TRL) co najmniej 6",
                "Potrzebujesz tego: najpierw oferty i firmy, które to potrafią",
            ],
        ),
        (Constraints(side=OFFER), ["You offer it: requests come first"], None),
        (
            Constraints(capabilities=frozenset({"tooling"}), side=OFFER),
            ["Capabilities you offer: tooling", "You offer it: requests come first"],
            ["Oferowane kompetencje: tooling", "Oferujesz to: najpierw zapytania"],
        ),
        (
            Constraints(capabilities=frozenset({"tooling"})),
            ["Capabilities sought: tooling"],
            ["Poszukiwane kompetencje: tooling"],
        ),
    ],
    ids=[
        "nothing",
        "certificate and towns within a limit",
        "near, TRL, side",
        "offering",
        "capabilities offered",
        "capabilities sought",
    ],
)
def test_constraints_are_said_back_in_the_readers_language(found, english, polish):
    said = read_back(found, NAMES)
    assert [s.render("en") for s in said] == english
    if polish is not None:
        assert [s.render("pl") for s in said] == polish


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch):
    use_hashing(monkeypatch)
    return welding_world(session)


QUESTION = "odlewy z IATF 16949, do 80 km od Radomia lub Kielc, TRL 5"


def test_the_api_reads_a_question_for_a_signed_in_user(client, session: Session, world):
    assert client.get("/api/v1/match/reading", params={"q": QUESTION}).status_code == 403
    log_in(client, factories.user(session, role="viewer", org=world["asker"]).email)
    answer = client.get("/api/v1/match/reading", params={"q": QUESTION, "lang": "pl"})
    assert answer.status_code == 200
    body = answer.json()
    assert [c["slug"] for c in body["certifications"]] == ["iatf-16949"]
    assert [t["name"] for t in body["towns"]] == ["Radom", "Kielce"]
    assert (body["max_km"], body["min_trl"]) == (80, 5)
    assert "Do 80 km od: Radom, Kielce" in body["sentences"]
    for bad in (" ", "x" * 2001):
        assert client.get("/api/v1/match/reading", params={"q": bad}).status_code == 422


def test_the_find_page_says_what_it_read(client, session: Session, world):
    log_in(client, factories.user(session, role="viewer", org=world["asker"]).email)
    page = client.get("/match", params={"q": QUESTION, "lang": "en"})
    assert page.status_code == 200
    assert "Read from your question:" in page.text
    assert "Within 80 km of: Radom, Kielce" in page.text
    plain = client.get("/match", params={"q": "robotic welding of steel frames"})
    assert "Capabilities sought: " in plain.text
    assert "Within" not in plain.text and "Certificates required" not in plain.text


def test_the_cli_says_what_it_read_before_the_suggestions(session: Session, world, monkeypatch):
    import json
    from contextlib import contextmanager

    from typer.testing import CliRunner

    from upland.cli import app
    from upland.matching import cli

    @contextmanager
    def transaction():
        yield session

    monkeypatch.setattr(cli, "transaction", transaction)
    monkeypatch.setattr(cli, "_embedder", lambda _name: EMBEDDER)  # the world's vectors
    runner = CliRunner()
    question = "robotic welding of steel frames, Radom lub Kielce"
    shown = runner.invoke(app, ["match", question])
    assert shown.exit_code == 0, shown.output
    first, *rest = shown.output.splitlines()
    assert first.startswith("read: ") and "Near: Radom, Kielce" in first
    assert any(f"organisation {world['welders'][0].id:>6}" in line for line in rest)
    listed = runner.invoke(app, ["match", question, "--json"])
    assert listed.exit_code == 0 and isinstance(json.loads(listed.output), list)
    assert runner.invoke(app, ["match", " "]).exit_code == 2
