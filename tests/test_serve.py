"""`upland serve --workers N`: each worker listens on a socket of its own (SO_REUSEPORT), so the
kernel spreads connections over them, and every socket is declared TCP, so asyncio turns Nagle's
algorithm off on their connections (uvicorn's own socket is not, and every keep-alive answer
then waited for the client's delayed ACK). Served for real in `test_serve_workers.py`."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from typer.testing import CliRunner

from upland import cli, cli_support
from upland.web import serving


def test_the_listening_socket_is_declared_tcp() -> None:
    sock = cli_support.listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.get_inheritable()
    finally:
        sock.close()


def _serve_recording(monkeypatch: pytest.MonkeyPatch, supervisor: str) -> dict[str, Any]:
    """`upland serve --workers 3` with the named supervisor of `web.serving` replaced by a
    recorder of what it was given."""
    started: dict[str, Any] = {}

    class Recorder:
        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            started.update(workers=config.workers, sockets=sockets)

        def run(self) -> None:
            started["ran"] = True

    monkeypatch.setattr(serving, supervisor, Recorder)
    monkeypatch.setattr(cli.startup, "check_serving", lambda *_: None)
    monkeypatch.setattr(cli, "tidy_jobs", lambda: (0, 0))  # no database here: plumbing only
    result = CliRunner().invoke(cli.app, ["serve", "--port", "0", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert started["workers"] == 3 and started["ran"]
    return started


def test_each_worker_gets_a_socket_of_its_own_on_one_port(
    monkeypatch: pytest.MonkeyPatch, cli_database: str
) -> None:
    sockets = _serve_recording(monkeypatch, "PerWorkerSockets")["sockets"]
    try:
        assert len(sockets) == 3
        assert len({s.getsockname() for s in sockets}) == 1  # port 0: all joined the first's
        for sock in sockets:
            assert sock.proto == socket.IPPROTO_TCP
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
    finally:
        for sock in sockets:
            sock.close()


def test_without_reuse_port_the_workers_share_one_socket(
    monkeypatch: pytest.MonkeyPatch, cli_database: str
) -> None:
    monkeypatch.setattr(serving, "reuse_port_available", lambda: False)
    [shared] = _serve_recording(monkeypatch, "Multiprocess")["sockets"]
    assert shared.proto == socket.IPPROTO_TCP
    assert shared.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
    shared.close()


def test_the_supervisor_hands_each_replacement_its_slots_socket(monkeypatch) -> None:
    """A dead worker is replaced on its own socket, not on every socket or another's."""
    import uvicorn

    given: list[list[socket.socket]] = []

    class FakeProcess:
        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            given.append(sockets)
            self.pid, self.exitcode, self.alive = len(given), None, True

        def start(self) -> None: ...

        def is_alive(self, timeout: float = 5) -> bool:
            return self.alive

        def kill(self) -> None: ...

        def join(self) -> None:
            self.exitcode = -9

    monkeypatch.setattr(serving, "Process", FakeProcess)
    sockets = serving.worker_sockets("127.0.0.1", 0, 2)
    try:
        config = uvicorn.Config("upland.app:create_served_app", workers=2)
        supervisor = serving.PerWorkerSockets(config, sockets)
        supervisor.init_processes()
        supervisor.processes[1].alive = False  # type: ignore[attr-defined]
        supervisor.keep_subprocess_alive()
        assert given == [[sockets[0]], [sockets[1]], [sockets[1]]]
        assert [p.pid for p in supervisor.processes] == [1, 3]
    finally:
        for sock in sockets:
            sock.close()


def test_each_served_worker_loads_the_analyser_before_its_first_request(monkeypatch) -> None:
    from upland import app as app_module

    warmed: list[bool] = []
    monkeypatch.setattr(app_module.analysis, "warm_up", lambda: warmed.append(True))
    served = app_module.create_served_app()
    assert warmed == [True]
    assert served.title == "Upland"
