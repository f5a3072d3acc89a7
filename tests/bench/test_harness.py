"""The shared latency loop: it refuses a baseline that answers otherwise than the project, and
it reports each figure and its verdict on the p95 target (no timing assertions)."""

from __future__ import annotations

import pytest

from upland.bench.harness import LATENCY_COLUMNS, Figure, Report, compare


def _differs(project: int, baseline: int) -> None:
    if project != baseline:
        raise RuntimeError("differs")


def _figure(name: str, baseline: int) -> Figure:
    return Figure(name, lambda: 1, lambda: baseline, _differs, str)


def test_a_baseline_doing_other_work_stops_the_run():
    report = Report("tiny", LATENCY_COLUMNS, out=lambda _line: None)
    with pytest.raises(RuntimeError, match="differs"):
        compare("sqlite", report, [_figure("same", 1), _figure("other", 2)], repeat=3)


def test_each_figure_is_a_row_and_the_target_gets_a_verdict():
    lines: list[str] = []
    report = Report("tiny", LATENCY_COLUMNS, out=lines.append)
    measured = compare("sqlite", report, [_figure("a", 1), _figure("b", 1)], 3, target_p95=-1)
    assert list(measured) == ["a", "b"]
    assert [row[:2] for row in report.rows] == [("a", "1"), ("b", "1")]
    assert all(len(row) == len(LATENCY_COLUMNS) for row in report.rows)
    assert lines[-1].endswith("target p95 <= -1 ms missed")
    assert "> target" in lines[0]
