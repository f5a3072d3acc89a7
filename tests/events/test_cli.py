"""`upland events solve`: a schedule from a file, with figures; a bad file in one line each."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.events.test_scheduling_files import INSTANCE
from upland.cli import app

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
