"""`upland weights …` over the same services (here on the test's session)."""

from __future__ import annotations

import json
from contextlib import contextmanager

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from upland.cli import app
from upland.matching import weights_cli
from upland.matching.weights import queries

runner = CliRunner()


@pytest.fixture(autouse=True)
def _on_the_test_session(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def transaction():
        yield session

    monkeypatch.setattr(weights_cli, "transaction", transaction)


def test_set_show_and_errors(session: Session):
    assert runner.invoke(app, ["weights", "set", "capability=0.5", "pkd=0.1"]).exit_code == 0
    assert queries.current_weights(session).capability == 0.5
    shown = json.loads(runner.invoke(app, ["weights", "show", "--json"]).output)
    assert shown["current"]["pkd"] == 0.1 and shown["proposal"] is None
    bad = runner.invoke(app, ["weights", "set", "capability=9"])
    assert bad.exit_code == 1
    too_few = runner.invoke(app, ["weights", "propose"])
    assert too_few.exit_code == 1 and "Too little feedback" in too_few.output
    report = runner.invoke(app, ["weights", "feedback"])
    assert report.exit_code == 0 and "0 verdicts" in report.output
