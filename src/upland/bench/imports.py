"""`upland bench import`: bulk import of organisations against a raw driver baseline.

The benchmark writes N valid organisation rows (fixed seed, default 100,000; `import_data`)
to a CSV file, then measures, on fresh migrated databases with the reference data seeded:

- **upland import**: the real path, `import_file(...)` in one transaction including the
  commit (all-or-nothing: the file is read, checked and written once, inside a savepoint);
- **baseline**: the same rows, already parsed, with their derived columns and the same child
  rows, written in one transaction by the driver alone (`import_baseline`).

Same schema, indexes and search triggers on both sides. The SQLite import runs in a child
process (`harness.in_child`) that also reports its peak resident memory; `--rows 1000000`
gives the figure for a million rows. Figures go to docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from upland.actor import SYSTEM
from upland.bench.harness import (
    in_child,
    machine,
    number,
    peak_rss_kib,
    prepare_database,
    progress_bar,
    scratch_postgres,
    write_section,
)
from upland.bench.import_baseline import (
    BaselineRun,
    capability_terms,
    postgres_baseline,
    sqlite_baseline,
)
from upland.bench.import_data import SEED, write_csv
from upland.organisations.imports import ImportReport, import_file
from upland.textkit import analysis

DEFAULT_ROWS = 100_000
TARGET_RATE = 50_000  # validated rows per second
TARGET_RATIO = 0.25  # of the raw driver baseline


@dataclass
class ImportRun:
    rows: int
    seconds: float
    report: ImportReport
    cpu_seconds: float = 0.0  # of this process (on SQLite that is all the work)


def run_import(
    engine: Engine,
    csv_path: Path,
    progress: Callable[[int], None] | None = None,
    *,
    dry_run: bool = False,
) -> ImportRun:
    """The timed project path: `import_file` in one transaction, commit included.

    A dry run reads, checks and matches every row once and writes nothing: the rate at
    which rows are validated. The text analyser's dictionary is loaded first, untimed: a
    one-off start-up cost (every server worker pays it as it starts), not a cost per row.
    """
    analysis.warm_up()
    with Session(engine) as session:
        cpu = time.process_time()
        started = time.perf_counter()
        with session.begin():
            report = import_file(
                session,
                SYSTEM,
                csv_path,
                filename=csv_path.name,
                dry_run=dry_run,
                progress=progress,
            )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return ImportRun(report.rows_total, seconds, report, cpu)


# --- the import in a child process (peak memory) -------------------------------------------


def _child_import(csv_path: str, db_url: str, rows: int, quiet: bool) -> dict[str, Any]:
    """Runs in a spawned process: prepare the database, then time the import."""
    engine = prepare_database(db_url)
    before = peak_rss_kib()
    with progress_bar(quiet, "sqlite  upland import", rows, passes=2) as advance:
        run = run_import(engine, Path(csv_path), advance)
    engine.dispose()
    report = run.report
    return {
        "rows": run.rows,
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "created": report.created,
        "errors": report.error_count,
        "summary": report.summary,
        "peak_before_kib": before,
        "peak_kib": peak_rss_kib(),
    }


def import_in_child(csv_path: Path, db_path: Path, rows: int, quiet: bool) -> dict[str, Any]:
    """The SQLite import in a fresh process; its time, counts and peak RSS (KiB), measured
    by the child before the import (interpreter, migrations, reference data) and at the end."""
    return in_child(_child_import, str(csv_path), f"sqlite:///{db_path}", rows, quiet)


# --- output --------------------------------------------------------------------------------


def figure_line(
    backend: str, label: str, rows: int, seconds: float, cpu_seconds: float | None = None
) -> str:
    """`sqlite  upland import   100000 rows    1.82 s     54 945 rows/s  (cpu 1.75 s)`."""
    rate = rows / seconds if seconds > 0 else float("inf")
    line = f"{backend:<7} {label:<17} {rows:>7} rows  {seconds:6.2f} s  {number(rate):>9} rows/s"
    return line if cpu_seconds is None else f"{line}  (cpu {cpu_seconds:.2f} s)"


def ratio_line(
    backend: str,
    project: float,
    baseline: float,
    cpu_ratio: float | None = None,
    name: str = "upland/baseline",
) -> str:
    """Ratio of the rates (rows/s); on SQLite also of the CPU times, steadier on a busy box."""
    line = f"{backend:<7} ratio {name}  {project / baseline:.2f}"
    return line if cpu_ratio is None else f"{line}  (cpu {cpu_ratio:.2f})"


def memory_line(rows: int, peak_kib: int, before_kib: int) -> str:
    return (
        f"{'sqlite':<7} {'import peak RSS':<17} {rows:>7} rows  {peak_kib / 1024:6.0f} MiB  "
        f"({before_kib / 1024:.0f} MiB before the import)"
    )


def target_line(backend: str, rate: float, ratio: float, dry_run_rate: float | None = None) -> str:
    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    rates = f"import {verdict(rate >= TARGET_RATE)}"
    if dry_run_rate is not None:
        rates += f", dry run {verdict(dry_run_rate >= TARGET_RATE)}"
    return (
        f"{backend:<7} targets           ≥ {number(TARGET_RATE)} rows/s: {rates}; "
        f"≥ {TARGET_RATIO:.2f} of baseline: {verdict(ratio >= TARGET_RATIO)}"
    )


_printed: list[str] = []  # this run's figure lines, for --markdown


def _emit(line: str) -> None:
    print(line, flush=True)
    _printed.append(line)


# --- the benchmark -------------------------------------------------------------------------


def _check_import(rows: int, created: int, errors: int, summary: str) -> None:
    if errors or created != rows:
        raise RuntimeError(f"the generated rows did not all import: {summary}")


def _check_baseline(rows: int, run: BaselineRun) -> None:
    if run.rows != rows:
        raise RuntimeError(f"the baseline wrote {run.rows} organisations, not {rows}")


def bench_sqlite(
    workdir: Path, csv_path: Path, rows: int, quiet: bool, *, seed: int = SEED
) -> dict[str, Any]:
    """SQLite: the import (in a child process, with its peak RSS), then the two baselines.

    `baseline sqlite3` is the driver's `executemany` (the baseline the targets refer to);
    `baseline multirow` the same rows in multi-row INSERT statements, the fastest plain
    sqlite3 path on this schema (see `sqlite_baseline`).
    """
    result = import_in_child(csv_path, workdir / "import.db", rows, quiet)
    _check_import(rows, result["created"], result["errors"], result["summary"])
    _emit(figure_line("sqlite", "upland import", rows, result["seconds"], result["cpu_seconds"]))
    project_rate = rows / result["seconds"]
    figures: dict[str, Any] = {
        "import_seconds": result["seconds"],
        "import_cpu_seconds": result["cpu_seconds"],
        "peak_kib": result["peak_kib"],
    }
    ratios: dict[str, float] = {}
    for multirow, label, key in (
        (False, "baseline sqlite3", "baseline"),
        (True, "baseline multirow", "multirow"),
    ):
        path = workdir / f"{key}.db"
        engine = prepare_database(f"sqlite:///{path}")
        terms = capability_terms(engine)
        engine.dispose()
        with progress_bar(quiet, f"sqlite  {label}", rows) as advance:
            baseline = sqlite_baseline(
                path, rows, terms, multirow=multirow, seed=seed, progress=advance
            )
        _check_baseline(rows, baseline)
        _emit(figure_line("sqlite", label, rows, baseline.seconds, baseline.cpu_seconds))
        ratios[key] = project_rate / (rows / baseline.seconds)
        cpu_ratio = baseline.cpu_seconds / result["cpu_seconds"] if result["cpu_seconds"] else None
        name = "upland/baseline" if key == "baseline" else "upland/multirow"
        _emit(ratio_line("sqlite", project_rate, rows / baseline.seconds, cpu_ratio, name))
        figures[f"{key}_seconds"] = baseline.seconds
        figures[f"{key}_cpu_seconds"] = baseline.cpu_seconds
        path.unlink()
    _emit(memory_line(rows, result["peak_kib"], result["peak_before_kib"]))
    path = workdir / "dry-run.db"
    engine = prepare_database(f"sqlite:///{path}")
    try:
        with progress_bar(quiet, "sqlite  upland dry run", rows) as advance:
            dry = run_import(engine, csv_path, advance, dry_run=True)
    finally:
        engine.dispose()
    path.unlink()
    _check_import(rows, dry.report.created, dry.report.error_count, dry.report.summary)
    _emit(figure_line("sqlite", "upland dry run", rows, dry.seconds, dry.cpu_seconds))
    figures["dry_run_seconds"] = dry.seconds
    _emit(target_line("sqlite", project_rate, ratios["baseline"], rows / dry.seconds))
    return figures


def bench_postgres(
    database_url: str, csv_path: Path, rows: int, quiet: bool, *, seed: int = SEED
) -> dict[str, Any]:
    """PostgreSQL: the import and the COPY baseline, each in its own scratch database."""
    suffix = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with scratch_postgres(database_url, f"upland_bench_import_{suffix}") as url:
        engine = prepare_database(url)
        try:
            with progress_bar(quiet, "pg      upland import", rows, passes=2) as advance:
                run = run_import(engine, csv_path, advance)
        finally:
            engine.dispose()
    report = run.report
    _check_import(rows, report.created, report.error_count, report.summary)
    _emit(figure_line("pg", "upland import", rows, run.seconds))
    with scratch_postgres(database_url, f"upland_bench_copy_{suffix}") as url:
        engine = prepare_database(url)
        terms = capability_terms(engine)
        engine.dispose()
        with progress_bar(quiet, "pg      baseline COPY", rows) as advance:
            baseline = postgres_baseline(url, rows, terms, seed=seed, progress=advance)
    _check_baseline(rows, baseline)
    _emit(figure_line("pg", "baseline COPY", rows, baseline.seconds))
    project_rate = rows / run.seconds
    baseline_rate = rows / baseline.seconds
    _emit(ratio_line("pg", project_rate, baseline_rate))
    _emit(target_line("pg", project_rate, project_rate / baseline_rate))
    return {"import_seconds": run.seconds, "baseline_seconds": baseline.seconds}


def generate_csv(path: Path, rows: int, quiet: bool, seed: int = SEED) -> None:
    with progress_bar(quiet, "csv     generate", rows) as advance:
        started = time.perf_counter()
        size = write_csv(path, rows, seed, advance)
        seconds = time.perf_counter() - started
    _emit(f"{figure_line('csv', 'generate', rows, seconds)}  ({size / 1e6:.1f} MB)")


def main(
    rows: int | None,
    database_url: str | None,
    quiet: bool,
    memory_rows: int | None = None,
    markdown: Path | None = None,
) -> None:
    """Run the import benchmark; prints one line per figure and the ratios. With `markdown`,
    the lines also go into that file's `bench:import` section."""
    rows = rows or DEFAULT_ROWS
    if rows < 1:
        raise ValueError("rows must be at least 1")
    _printed.clear()
    with tempfile.TemporaryDirectory(prefix="upland-bench-import-") as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "organisations.csv"
        generate_csv(csv_path, rows, quiet)
        bench_sqlite(workdir, csv_path, rows, quiet)
        if database_url:
            bench_postgres(database_url, csv_path, rows, quiet)
        if memory_rows and memory_rows != rows:
            big = workdir / "memory"
            big.mkdir()
            big_csv = big / "organisations.csv"
            csv_path.unlink()
            generate_csv(big_csv, memory_rows, quiet)
            result = import_in_child(big_csv, big / "import.db", memory_rows, quiet)
            _check_import(memory_rows, result["created"], result["errors"], result["summary"])
            _emit(
                figure_line(
                    "sqlite", "upland import", memory_rows, result["seconds"], result["cpu_seconds"]
                )
            )
            _emit(memory_line(memory_rows, result["peak_kib"], result["peak_before_kib"]))
    if markdown is not None:
        when = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {machine()}"
        lines = "\n".join(_printed)
        write_section(markdown, "import", f"```text\n{lines}\n```\n\n_{when}._")
