"""`upland bench web` at a tiny size: both servers start, every figure is measured, and the
baseline really replays Upland's SQL. No timing assertions (speed lives in bench/)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from upland.bench import web


def test_the_web_bench_measures_every_target_against_the_bare_app() -> None:
    lines: list[str] = []

    # On a thread of its own, as `upland bench web` runs: an xdist worker may have run browser
    # tests first, whose Playwright (sync API) keeps an event loop on the main thread.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(
            web.run, rows=40, seconds=0.3, workers=(1,), quiet=True, out=lines.append
        ).result()

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


class _Server:
    """A /healthz stand-in on a thread: answers every connection, or only every other one (a
    second worker still loading: its connections wait unanswered)."""

    def __init__(self, every: int) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.every = every
        self.stop = False
        self.held: list[Any] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        count = 0
        while not self.stop:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            count += 1
            if count % self.every == 0:
                connection.recv(1024)
                connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                connection.close()
            else:
                self.held.append(connection)

    def close(self) -> None:
        self.stop = True
        self.sock.close()
        for connection in self.held:
            connection.close()


class _Running:
    returncode = None

    def poll(self) -> None:
        return None


def test_the_bench_waits_until_every_worker_answers() -> None:
    ready = _Server(every=1)
    try:
        web._wait_ready(ready.port, _Running(), workers=2, timeout=5)  # type: ignore[arg-type]
    finally:
        ready.close()
    half = _Server(every=2)
    try:
        with pytest.raises(RuntimeError, match="did not answer"):
            web._wait_ready(half.port, _Running(), workers=2, timeout=2)  # type: ignore[arg-type]
    finally:
        half.close()
