"""What every benchmark shares: databases to measure in, identifiers for generated rows, a
memory probe, latency figures, progress bars and the report (one line per figure with its
baseline and ratio, and the same figures as a Markdown table for docs/performance.md).

A new area's benchmark (`upland bench NAME`) generates its data with a fixed seed, builds it
in `sqlite_database()` / `scratch_postgres()` with `prepare_database`, measures the project
and a named baseline in the same run, and reports both through a `Report`. A latency benchmark
(one request's worth of work against the same work in hand-written SQL) names its `Figure`s
and hands them to `latency_benchmark`, which builds the data on each backend, checks every
baseline answers what the project answers, measures both and writes the tables.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

from upland import migrate
from upland.actor import SYSTEM
from upland.db import make_engine
from upland.organisations.identifiers import complete_nip, complete_regon
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

# --- databases --------------------------------------------------------------------------------


def prepare_database(url: str) -> Engine:
    """An engine on a migrated database with the shipped reference data."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    return engine


@contextmanager
def sqlite_database(name: str) -> Iterator[str]:
    """The URL of a fresh SQLite file in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="upland-bench-") as tmp:
        yield f"sqlite:///{Path(tmp) / name}"


@contextmanager
def scratch_postgres(url: str, name: str) -> Iterator[str]:
    """Create database `name` on the server of `url` (via its maintenance DB); drop it after."""
    server = make_url(url)
    maintenance = make_engine(
        server.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        with maintenance.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with maintenance.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        maintenance.dispose()


# --- generated identifiers -------------------------------------------------------------------

# Bijections of counters onto 9- and 8-digit numbers, so identifiers never repeat and do not
# look sequential (multipliers coprime with 900,000,000 and 90,000,000).
_NIP_MULTIPLIER, _NIP_OFFSET = 7_654_321, 123_456_789
_REGON_MULTIPLIER, _REGON_OFFSET = 7_777_777, 31_415_926


class Identifiers:
    """Unique valid NIPs and REGONs for generated organisations (check digits by stdnum)."""

    def __init__(self) -> None:
        self._nips = 0

    def nip(self) -> str:
        """The next NIP (bodies whose check digit would be 10 are skipped)."""
        while True:
            body = 100_000_000 + (_NIP_MULTIPLIER * self._nips + _NIP_OFFSET) % 900_000_000
            self._nips += 1
            if (nip := complete_nip(str(body))) is not None:
                return nip

    @staticmethod
    def regon(index: int, local_unit: int | None = None) -> str:
        """The REGON of the index-th organisation; 14 digits for one of its local units."""
        body = str(10_000_000 + (_REGON_MULTIPLIER * index + _REGON_OFFSET) % 90_000_000)
        regon = complete_regon(body)
        return regon if local_unit is None else complete_regon(f"{regon}{local_unit:04d}")


# --- measuring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    p50: float  # milliseconds
    p95: float


def measure(call: Callable[[], object], repeat: int, warm_up: int = 10) -> Latency:
    """Median and 95th percentile of `repeat` calls after `warm_up` unmeasured ones."""
    for _ in range(warm_up):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return Latency(statistics.median(samples), cuts[94])


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (VmHWM on Linux).

    Not `ru_maxrss`: Linux carries the high-water mark of the memory a process had before
    `exec` into it, so a spawned child's `ru_maxrss` starts at the parent's RSS at fork time.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _in_child(target: Callable[..., dict[str, Any]], args: tuple[Any, ...], conn: Any) -> None:
    try:
        conn.send(target(*args))
    except BaseException as exc:
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        conn.close()


def in_child(target: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """`target(*args)` in a fresh (spawned) process, so its peak memory is its own; `target`
    must be a module-level function returning a picklable dict."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_in_child, args=(target, args, send), name="upland-bench")
    process.start()
    send.close()
    try:
        result: dict[str, Any] = receive.recv()
    except EOFError:
        result = {"error": "the benchmark process ended without a result"}
    process.join()
    if "error" in result:
        raise RuntimeError(f"the benchmark process failed: {result['error']}")
    return result


@contextmanager
def progress_bar(
    quiet: bool, description: str, total: int, passes: int = 1
) -> Iterator[Callable[[int], None] | None]:
    """A transient rich bar; the callback takes units done (restarting at 0 on a new pass)."""
    if quiet:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total * passes)
        state = {"offset": 0, "last": 0}

        def advance(done: int) -> None:
            if done < state["last"]:
                state["offset"] += state["last"]
            state["last"] = done
            bar.update(task, completed=state["offset"] + done)

        yield advance


# --- the report ---------------------------------------------------------------------------------


def number(value: float) -> str:
    """`54 945`: thousands grouped by a space, as the Polish and the SI styles write them."""
    return f"{value:,.0f}".replace(",", " ")


@dataclass
class Report:
    """The figures of one benchmark: printed as they come, kept for a Markdown table."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    out: Callable[[str], None] = print

    def line(self, text: str, *cells: str) -> None:
        """Print `text` now; `cells` (one per column) go into the Markdown table."""
        self.out(text)
        if cells:
            self.rows.append(cells)

    def markdown(self) -> str:
        head = "| " + " | ".join(self.columns) + " |"
        rule = "|" + "|".join("---" for _ in self.columns) + "|"
        body = ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join([f"**{self.title}**", "", head, rule, *body])


def machine() -> str:
    """The machine a run measured on, for the heading of its figures."""
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average (1, 5, 15 min) {load}"
    )


def write_section(path: Path, name: str, text: str) -> None:
    """Put `text` between the `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` lines of a
    Markdown file (appending a marked section when there is none)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    document = path.read_text(encoding="utf-8") if path.exists() else ""
    block = f"{start}\n{text.rstrip()}\n{end}"
    # Markers count only on lines of their own, so prose may quote them.
    marked = re.compile(f"^{re.escape(start)}$.*?^{re.escape(end)}$", re.DOTALL | re.MULTILINE)
    if marked.search(document):
        document = marked.sub(lambda _: block, document)
    else:
        document = document.rstrip() + "\n\n" + block + "\n"
    path.write_text(document, encoding="utf-8")


# --- latency against a hand-written baseline ----------------------------------------------------

LATENCY_COLUMNS = (
    "figure",
    "rows",
    "p50 ms",
    "p95 ms",
    "baseline p50 ms",
    "baseline p95 ms",
    "x baseline",
)


@dataclass(frozen=True)
class Figure:
    """One figure: a request's worth of the project's work and the same work by hand.

    `same(project_result, baseline_result)` raises when the two answers differ (a figure whose
    baseline does other work means nothing); `rows(project_result)` is its rows cell.
    """

    name: str
    project: Callable[[], Any]
    baseline: Callable[[], Any]
    same: Callable[[Any, Any], None]
    rows: Callable[[Any], str]


def compare(
    dialect: str,
    report: Report,
    figures: Iterable[Figure],
    repeat: int,
    target_p95: float | None = None,
) -> dict[str, tuple[Latency, Latency]]:
    """Check and measure each figure against its baseline: (project, baseline) by name, one
    report line each, and a verdict on `target_p95` (ms) when there is one."""
    measured: dict[str, tuple[Latency, Latency]] = {}
    for figure in figures:
        result = figure.project()
        figure.same(result, figure.baseline())
        mine, theirs = measure(figure.project, repeat), measure(figure.baseline, repeat)
        measured[figure.name] = (mine, theirs)
        ratio = mine.p50 / theirs.p50
        rows = figure.rows(result)
        flag = "  > target" if target_p95 is not None and mine.p95 > target_p95 else ""
        report.line(
            f"[{dialect}] {figure.name:<50} p50 {mine.p50:7.2f} ms  p95 {mine.p95:7.2f} ms"
            f"  baseline p50 {theirs.p50:7.2f} p95 {theirs.p95:7.2f} ms  x{ratio:5.1f}"
            f"  {rows:>7}{flag}",
            figure.name,
            rows,
            f"{mine.p50:.2f}",
            f"{mine.p95:.2f}",
            f"{theirs.p50:.2f}",
            f"{theirs.p95:.2f}",
            f"{ratio:.1f}",
        )
    if target_p95 is not None and measured:
        worst = max(mine.p95 for mine, _ in measured.values())
        verdict = "met" if worst <= target_p95 else "missed"
        report.out(
            f"[{dialect}] worst p95 {worst:.2f} ms: target p95 <= {target_p95:.0f} ms {verdict}"
        )
    return measured


@dataclass(frozen=True)
class LatencyBenchmark:
    """What one latency benchmark measures: `build(engine, size, progress)` fills a fresh
    database with `size` `noun` (seed `seed`); `figures(engine)` names what to measure in it."""

    name: str
    noun: str
    seed: int
    build: Callable[[Engine, int, Callable[[str], None]], None]
    figures: Callable[[Engine], Iterable[Figure]]
    target_p95: float | None = None


def _measure_in(
    bench: LatencyBenchmark,
    url: str,
    title: str,
    size: int,
    repeat: int,
    progress: Callable[[str], None],
) -> Report:
    report = Report(f"{title}, {number(size)} {bench.noun}", LATENCY_COLUMNS)
    engine = make_engine(url)
    try:
        progress(f"{title}: generating {size} {bench.noun} (seed {bench.seed})")
        bench.build(engine, size, progress)
        compare(engine.dialect.name, report, bench.figures(engine), repeat, bench.target_p95)
    finally:
        engine.dispose()
    return report


def latency_benchmark(
    bench: LatencyBenchmark,
    size: int,
    database_url: str | None,
    quiet: bool,
    repeat: int,
    markdown: Path | None,
    postgresql_only: bool = False,
) -> dict[str, Report]:
    """Run `bench` on SQLite, and on PostgreSQL (a scratch database beside `database_url`,
    dropped afterwards) when a URL is given; with `markdown`, write each backend's table into
    that file's `bench:<name>-<backend>` section. `postgresql_only` leaves SQLite out (a
    quiet window too short for both)."""
    if postgresql_only and not database_url:
        raise SystemExit("--postgresql-only needs --database-url")

    def progress(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    reports: dict[str, Report] = {}
    if not postgresql_only:
        with sqlite_database(f"{bench.name}.db") as url:
            reports["sqlite"] = _measure_in(bench, url, "SQLite", size, repeat, progress)
    if database_url:
        with scratch_postgres(database_url, f"upland_bench_{bench.name}_{os.getpid()}") as url:
            reports["postgresql"] = _measure_in(bench, url, "PostgreSQL", size, repeat, progress)
    where = machine()
    print(where)
    if markdown is not None:
        for backend, report in reports.items():
            when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
            note = f"_{when} UTC, {where}, {repeat} calls._"
            write_section(markdown, f"{bench.name}-{backend}", f"{report.markdown()}\n\n{note}")
    return reports
