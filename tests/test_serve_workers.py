"""`upland serve --workers 2` for real: a burst of new connections is answered by both workers
(the kernel spreads them over the workers' own sockets: each worker holds a different listening
socket), a killed worker is replaced on the socket it had and serves again, and SIGTERM stops
the supervisor and every worker.

Which worker answered is read from the JSON log: every line carries the `pid` of the process
that wrote it; nothing is added to the responses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from upland.bench import web

WAIT = 240.0  # seconds: each worker loads the search analyser before it serves


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _fresh_request(port: int) -> int:
    """GET /healthz on a new connection; the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(4096):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def _burst(port: int, count: int = 16) -> list[int]:
    """`count` connections opened at once (as a client pool or the bench opens them), then one
    GET /healthz on each; the statuses. With one socket shared by the workers, the worker that
    woke first accepted such a burst whole."""
    connections = [
        socket.create_connection(("127.0.0.1", port), timeout=WAIT) for _ in range(count)
    ]
    statuses = []
    try:
        for connection in connections:
            connection.sendall(
                b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
        for connection in connections:
            answer = b""
            while chunk := connection.recv(4096):
                answer += chunk
            statuses.append(int(answer.split(b" ", 2)[1]))
    finally:
        for connection in connections:
            connection.close()
    return statuses


def _listening_sockets(pid: int, port: int) -> set[int]:
    """The inodes of the sockets listening on `port` that process `pid` holds (Linux /proc):
    one socket shared by every worker has one inode; a socket per worker, one each."""
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                listening.add(int(fields[9]))
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(int(target[8:-1]))
    return held & listening


def _answered(port: int) -> bool:
    """One fresh request answered 200 (False while nothing listens yet)."""
    try:
        return _fresh_request(port) == 200
    except OSError:
        return False


def _answering_pids(log: Path) -> list[int]:
    """The pid of each request log line so far, in order."""
    pids = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("message") == "request" and record.get("path") == "/healthz":
                pids.append(record["pid"])
    return pids


def _wait_until(condition: Callable[[], bool], what: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert server.poll() is None, f"upland serve exited with {server.returncode}"
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_two_workers_share_fresh_connections_and_a_killed_one_is_replaced(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    web.build_database(url, 20, lambda _message: None)
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            web.upland_command(port, 2),
            env=web.server_env(url, tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    try:
        # Both workers are up when both have answered a request (connections queued on the
        # socket of a worker still starting wait for it).
        _wait_until(
            lambda: _answered(port) and len(set(_answering_pids(log))) == 2,
            "both workers never answered",
            server,
        )
        before = len(_answering_pids(log))
        assert _burst(port) == [200] * 16
        spread = _answering_pids(log)[before:]
        first, second = sorted(set(spread))  # 16 connections at once: both workers answer
        assert server.pid not in (first, second)
        [first_socket] = _listening_sockets(first, port)
        [second_socket] = _listening_sockets(second, port)
        assert first_socket != second_socket

        os.kill(first, signal.SIGKILL)
        _wait_until(
            lambda: _answered(port) and bool(set(_answering_pids(log)) - {first, second}),
            "the killed worker was never replaced",
            server,
        )
        [replacement] = set(_answering_pids(log)) - {first, second}
        assert _listening_sockets(replacement, port) == {first_socket}  # the dead one's socket

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        for pid in (second, replacement):
            deadline = time.monotonic() + 30
            while _running(pid):
                assert time.monotonic() < deadline, f"worker {pid} outlived SIGTERM"
                time.sleep(0.2)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
