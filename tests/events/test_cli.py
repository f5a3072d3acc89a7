"""`upland events solve|list|schedule`: a schedule from a file, with figures, a bad file in
one line each; events listed and one scheduled from the shell."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.databases import engine_for
from tests.events.test_scheduling_files import INSTANCE
from tests.events.world import event, registered
from upland import migrate
from upland.actor import SYSTEM
from upland.cli import app
from upland.db import transaction
from upland.events import service
from upland.events.schemas import RequestIn
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

runner = CliRunner()


def test_solve_writes_the_schedule_and_prints_figures(tmp_path: Path):
    source, target = tmp_path / "day.json", tmp_path / "schedule.json"
    source.write_text(json.dumps(INSTANCE), encoding="utf-8")
    result = runner.invoke(
        app, ["events", "solve", str(source), "-o", str(target), "--time-limit", "5", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "schedule: 2 meetings" in result.output and "first fit:" in result.output
    assert "proven optimal" in result.output
    written = json.loads(target.read_text(encoding="utf-8"))
    assert {m["request"] for m in written["meetings"]} == {"r2", "r3"}


def test_a_bad_file_is_refused_naming_each_problem(tmp_path: Path):
    data = json.loads(json.dumps(INSTANCE))
    data["requests"][0]["receiver"] = "anna"
    data["requests"][1]["receiver"] = "nobody"
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["events", "solve", str(source)])
    assert result.exit_code == 1
    assert "requests[0]: A participant cannot meet their own party." in result.output
    assert "requests[1].receiver: Unknown participant: nobody" in result.output
    assert "Traceback" not in result.output


def test_list_and_schedule_from_the_shell(cli_database: str):

    with engine_for(cli_database) as engine:
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    with transaction() as session:
        day = event(session, request_mode="automatic")
        _, alice = registered(session, day.id)
        b, _ = registered(session, day.id)
        service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
        event_id = day.id
    listed = runner.invoke(app, ["events", "list"])
    assert listed.exit_code == 0 and f"{event_id}\t2030-03-12\tbrokerage" in listed.output
    done = runner.invoke(app, ["events", "schedule", str(event_id)])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("1 meetings")
    assert runner.invoke(app, ["events", "schedule", "999999"]).exit_code == 1
