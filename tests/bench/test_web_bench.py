"""`upland bench web` at a tiny size: both servers start, every figure is measured, and the
baseline really replays Upland's SQL. No timing assertions (speed lives in bench/)."""

from __future__ import annotations

from upland.bench import web


def test_the_web_bench_measures_every_target_against_the_bare_app() -> None:
    lines: list[str] = []

    results = web.run(rows=40, seconds=0.3, workers=(1,), quiet=True, out=lines.append)

    assert set(results) == {(label, 1) for label, _, _ in web.TARGETS}
    for ours, bare in results.values():
        assert ours.requests > 0 and bare.requests > 0
        assert ours.errors == 0 and bare.errors == 0
        assert ours.p95_ms >= ours.p50_ms > 0
    assert len(lines) == len(web.TARGETS)
    assert all("req/s" in line and "ratio" in line for line in lines)


def test_the_recorded_sql_is_what_the_list_runs(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    web.build_database(url, 30, lambda _message: None)

    recorded = web.record_sql(web.server_env(url, tmp_path))

    assert set(recorded) == set(web.RECORD)
    statements = " ".join(statement for statement, _ in recorded["api"])
    assert "FROM organisation" in statements
    assert "organisation_pkd" in statements  # the page's PKD codes, loaded with it
