"""`upland events report|area-report`: the figures from the shell as tables, CSV or JSON."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.databases import engine_for
from tests.events.report_world import RADOM, held_day
from upland import migrate
from upland.actor import SYSTEM
from upland.cli import app
from upland.db import transaction
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

runner = CliRunner()


def test_reports_from_the_shell(cli_database: str, monkeypatch: pytest.MonkeyPatch):
    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    with transaction() as session:
        event_id = held_day(session, monkeypatch).event.id
    plain = runner.invoke(app, ["events", "report", str(event_id)])
    assert plain.exit_code == 0, plain.output
    assert "== By partner city" in plain.output and "Meetings held\t1\t1\t1\t0\t0" in plain.output
    as_csv = runner.invoke(app, ["events", "report", str(event_id), "--csv"])
    assert as_csv.output.startswith("figure,row,column,value")
    as_json = json.loads(runner.invoke(app, ["events", "report", str(event_id), "--json"]).output)
    assert as_json["total"]["agreements_by_type"] == {"licence": 1}
    area = runner.invoke(app, ["events", "area-report", RADOM, "--json"])
    assert area.exit_code == 0, area.output
    assert json.loads(area.output)["total"]["requested"] == 2
    assert runner.invoke(app, ["events", "report", "999999"]).exit_code == 1
    assert runner.invoke(app, ["events", "area-report", "9999999"]).exit_code == 1
