"""`upland market interests|introductions` on a database of its own, as on the server."""

from __future__ import annotations

import json

from tests.market.interest_world import pair
from typer.testing import CliRunner

from upland.cli import app
from upland.db import transaction
from upland.market.interests import service
from upland.market.interests.schemas import InterestIn, PassIn

runner = CliRunner()


def test_listings(cli_database: str):
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    with transaction() as session:
        world = pair(session, owner_kind="research", kind="technology_offer")
        made = service.express_interest(
            session, world.other_editor, world.opportunity.id, InterestIn(message="Chętnie")
        )
        service.accept_interest(session, world.owner_editor, made.id)
        other = pair(session, owner_kind="research", kind="technology_offer")
        service.pass_on(
            session, other.other_editor, other.opportunity.id, PassIn(reason="benefit_unclear")
        )
        owner_id = world.owner.id

    listed = runner.invoke(app, ["market", "interests", "--json"])
    assert listed.exit_code == 0, listed.output
    states = sorted((i["status"], i["decline_reason"]) for i in json.loads(listed.output))
    assert states == [("accepted", None), ("passed", "benefit_unclear")]

    passed = runner.invoke(app, ["market", "interests", "--status", "passed"])
    assert passed.exit_code == 0 and "benefit_unclear" in passed.output
    assert len(passed.output.strip().splitlines()) == 1

    introduced = runner.invoke(
        app, ["market", "introductions", "--organisation", str(owner_id), "--json"]
    )
    assert introduced.exit_code == 0, introduced.output
    [only] = json.loads(introduced.output)
    assert only["owner"]["id"] == owner_id and only["agreements_counted"] == 0

    wrong = runner.invoke(app, ["market", "interests", "--direction", "sideways"])
    assert wrong.exit_code != 0
