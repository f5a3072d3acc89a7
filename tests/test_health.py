"""`/healthz` reuses a report for `MAX_AGE` seconds: probes cost no round trip in between, and a
failure shows once the report has aged."""

from __future__ import annotations

from sqlalchemy import Engine, event

from upland import health


def test_a_report_is_reused_until_it_ages(engine: Engine) -> None:
    now = [100.0]
    selects: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_: object) -> None:
        selects.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        probe = health.Health(None, lambda: engine, clock=lambda: now[0])
        assert probe.recent() is None  # nothing checked yet
        first = probe.report()
        now[0] += health.MAX_AGE / 2
        assert probe.recent() == first
        checked = len(selects)
        now[0] += health.MAX_AGE
        assert probe.recent() is None
        assert probe.report()[0] == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert first[0] == 200
    assert "SELECT 1" in selects[:checked]
    again = [s for s in selects[checked:] if s != "BEGIN"]  # SQLite: an explicit BEGIN
    assert again == ["SELECT 1"]  # at head: no migration stamp read again


def test_a_failure_is_reported_once_the_last_report_has_aged() -> None:
    from sqlalchemy import create_engine

    now = [0.0]
    broken = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    probe = health.Health(None, lambda: broken, clock=lambda: now[0])
    status, body = probe.report()
    assert status == 503 and body["database"] != "ok"
    now[0] += health.MAX_AGE
    assert probe.recent() is None
