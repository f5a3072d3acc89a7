"""`upland bench web`: requests/s and p50/p95 of the main pages under concurrency, against a bare
Starlette app running the same SQL, in the same run, with one and with several worker processes.

A scratch SQLite database gets the registry benchmark's organisations (fixed seed). The SQL of
each measured request is recorded from Upland itself (in this process, before the servers
start), so the baseline (`upland.bench.web_bare`) does exactly the database work Upland does
and nothing else. Both are served by `upland serve` / uvicorn as subprocesses on loopback, and
driven by an asyncio HTTP/1.1 client in this process: 16 keep-alive connections, each sending
its next request when the previous answer is complete, for a fixed time.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upland.settings import get_settings
from upland.startup import node_modules_dir

SEED_NOTE = "registry benchmark data, seed 20261127"
ROWS = 5_000
CONNECTIONS = 16
DURATION = 10.0  # seconds per figure
WARM_UP = 1.0
PROBES_PER_WORKER = 12  # connections that must all be answered before measuring
# (label, Upland path, the bare app's path for the same SQL)
TARGETS = (
    ("/healthz", "/healthz", "/healthz"),
    ("GET /api/v1/organisations?limit=25", "/api/v1/organisations?limit=25", "/sql/api"),
    ("/organisations (HTML)", "/organisations", "/sql/html"),
)
RECORD = {"api": "/api/v1/organisations?limit=25", "html": "/organisations"}


@dataclass(frozen=True)
class Figure:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- the load generator -------------------------------------------------------------------------


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked); its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _connection(
    port: int, path: str, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: upland-bench\r\n\r\n"
    payload = request.encode()
    try:
        while True:  # at least one request each, even if connecting took past `until`
            started = time.perf_counter()
            writer.write(payload)
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
            if time.perf_counter() >= until:
                break
    finally:
        writer.close()


async def _load(port: int, path: str, seconds: float, connections: int) -> Figure:
    latencies: list[float] = []
    errors: list[int] = []
    started = time.perf_counter()
    until = started + seconds
    await asyncio.gather(
        *(_connection(port, path, until, latencies, errors) for _ in range(connections))
    )
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return Figure(
        len(latencies), elapsed, statistics.median(ordered) * 1000, p95 * 1000, len(errors)
    )


def drive(port: int, path: str, seconds: float, connections: int = CONNECTIONS) -> Figure:
    """Warm up, then measure `path` for `seconds` with `connections` concurrent clients."""
    asyncio.run(_load(port, path, min(WARM_UP, seconds), connections))
    return asyncio.run(_load(port, path, seconds, connections))


# --- the servers --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.settimeout(0.5)
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            return connection.recv(32).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def _wait_ready(
    port: int, process: subprocess.Popen[bytes], workers: int = 1, timeout: float = 180.0
) -> None:
    """Until every worker answers /healthz: each Upland worker loads the search analyser's
    dictionary before it takes requests (2–3 s, far more with several workers on a loaded
    machine). The kernel spreads connections over the workers' sockets by address, so
    `PROBES_PER_WORKER` connections in a row all answered means every worker serves (a worker
    still loading would leave about 1/N of them unanswered); before, the measurement could
    start while the second worker was still loading, on a CPU it took from the first."""
    deadline = time.monotonic() + timeout
    probes = PROBES_PER_WORKER * workers
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        if all(_answers(port) for _ in range(probes)):
            return
        time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not answer /healthz in {timeout:.0f} s")


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, workers: int = 1) -> Iterator[None]:
    """Run a server subprocess until the block ends; its output is discarded."""
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_ready(port, process, workers)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def upland_command(port: int, workers: int) -> list[str]:
    serve = ["serve", "--port", str(port), "--workers", str(workers)]
    return [sys.executable, "-c", "from upland.cli import main; main()", *serve]


def bare_command(port: int, workers: int) -> list[str]:
    run = f"from upland.bench.web_bare import serve; serve({port}, {workers})"
    return [sys.executable, "-c", run]


# --- the database and its SQL -------------------------------------------------------------------


def server_env(database_url: str, scratch: Path) -> dict[str, str]:
    """What `upland serve` needs outside development mode, pointing at the scratch database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPLAND_")}
    env.update(
        UPLAND_DATABASE_URL=database_url,
        UPLAND_SECRET_KEY=secrets.token_urlsafe(48),
        UPLAND_PUBLIC_URL="http://127.0.0.1",
        UPLAND_SMTP_HOST="127.0.0.1",
        UPLAND_CACHE_DIR=str(scratch / "cache"),
        UPLAND_UPLOAD_DIR=str(scratch / "uploads"),
        UPLAND_BENCH_DATABASE_URL=database_url,
        UPLAND_BENCH_SQL=str(scratch / "sql.pickle"),
    )
    env["UPLAND_NODE_MODULES"] = str(node_modules_dir(get_settings()).resolve())
    return env


def record_sql(env: dict[str, str]) -> dict[str, list[tuple[str, Any]]]:
    """The statements Upland runs for each page of RECORD, as an anonymous visitor (the second
    request of each, so what is cached after the first is left out, as it is when serving)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from upland import db, settings
    from upland.app import create_app

    saved = dict(os.environ)
    os.environ.update(env)
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    db.get_sessionmaker.cache_clear()
    recorded: dict[str, list[tuple[str, Any]]] = {}
    try:
        engine = db.get_engine()
        statements: list[tuple[str, Any]] = []

        def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", keep)
        with TestClient(create_app(), base_url="http://127.0.0.1") as client:
            for name, path in RECORD.items():
                client.get(path)
                statements.clear()
                if client.get(path).status_code != 200:
                    raise RuntimeError(f"{path} did not answer 200")
                recorded[name] = list(statements)
        event.remove(engine, "before_cursor_execute", keep)
        engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
        settings.get_settings.cache_clear()
        db.get_engine.cache_clear()
        db.get_sessionmaker.cache_clear()
    return recorded


def build_database(database_url: str, rows: int, progress: Callable[[str], None]) -> None:
    from upland.bench import registry_data
    from upland.db import make_engine

    engine = make_engine(database_url)
    try:
        registry_data.build(engine, rows, progress)
    finally:
        engine.dispose()


# --- the run ------------------------------------------------------------------------------------


def _line(label: str, workers: int, ours: Figure, bare: Figure) -> str:
    ratio = ours.rate / bare.rate if bare.rate else 0.0
    errors = f"  ERRORS {ours.errors}/{bare.errors}" if ours.errors or bare.errors else ""
    return (
        f"{label:<38} workers={workers}  upland {ours.rate:7.0f} req/s "
        f"p50 {ours.p50_ms:6.1f} ms p95 {ours.p95_ms:6.1f} ms | bare {bare.rate:7.0f} req/s "
        f"p50 {bare.p50_ms:6.1f} ms p95 {bare.p95_ms:6.1f} ms | ratio {ratio:.2f}{errors}"
    )


def run(
    rows: int = ROWS,
    seconds: float = DURATION,
    workers: tuple[int, ...] = (1, 2),
    quiet: bool = False,
    out: Callable[[str], None] = print,
) -> dict[tuple[str, int], tuple[Figure, Figure]]:
    """Measure every target with each worker count; {(label, workers): (upland, bare)}."""

    def progress(message: str) -> None:
        if not quiet:
            print(message, file=sys.stderr, flush=True)

    results: dict[tuple[str, int], tuple[Figure, Figure]] = {}
    with tempfile.TemporaryDirectory(prefix="upland-bench-web-") as folder:
        scratch = Path(folder)
        database_url = f"sqlite:///{scratch / 'web.db'}"
        build_database(database_url, rows, progress)
        env = server_env(database_url, scratch)
        (scratch / "sql.pickle").write_bytes(pickle.dumps(record_sql(env)))
        for count in workers:
            ours_port, bare_port = _free_port(), _free_port()
            progress(f"  starting upland serve and the bare app with {count} worker(s)")
            with (
                serving(upland_command(ours_port, count), env, ours_port, count),
                serving(bare_command(bare_port, count), env, bare_port, count),
            ):
                for label, path, bare_path in TARGETS:
                    ours = drive(ours_port, path, seconds)
                    bare = drive(bare_port, bare_path, seconds)
                    results[(label, count)] = (ours, bare)
                    out(_line(label, count, ours, bare))
    return results


def main(rows: int | None = None, database_url: str | None = None, quiet: bool = False) -> None:
    """`upland bench web`; SQLite only (a PostgreSQL URL is not used by this benchmark)."""
    size = rows or ROWS
    counts = (1, max(2, min(4, os.cpu_count() or 2)))
    print(
        f"web: {size} organisations ({SEED_NOTE}), {CONNECTIONS} connections, "
        f"{DURATION:.0f} s per figure, anonymous visitor; ratio = upland req/s / bare req/s "
        "on the same SQL"
    )
    if database_url:
        print("(--database-url is ignored: this benchmark runs on a scratch SQLite file)")
    run(size, DURATION, counts, quiet)
    print("load average (1, 5, 15 min) at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
