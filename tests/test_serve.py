"""`upland serve --workers N`: the processes share one socket declared TCP, so asyncio turns
Nagle's algorithm off on their connections (uvicorn's own socket is not, and every keep-alive
answer then waited for the client's delayed ACK)."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from typer.testing import CliRunner

from upland import cli


def test_the_shared_socket_is_declared_tcp() -> None:
    sock = cli.listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.get_inheritable()
    finally:
        sock.close()


def test_several_workers_share_that_socket(
    monkeypatch: pytest.MonkeyPatch, cli_database: str
) -> None:
    from uvicorn import supervisors

    started: dict[str, Any] = {}

    class Recorder:
        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            started.update(workers=config.workers, sockets=sockets)

        def run(self) -> None:
            started["ran"] = True

    monkeypatch.setattr(supervisors, "Multiprocess", Recorder)
    monkeypatch.setattr(cli.startup, "check_serving", lambda *_: None)
    monkeypatch.setattr(cli, "tidy_jobs", lambda: (0, 0))  # no database here: plumbing only
    result = CliRunner().invoke(cli.app, ["serve", "--port", "0", "--workers", "3"])

    assert result.exit_code == 0, result.output
    assert started["workers"] == 3 and started["ran"]
    [shared] = started["sockets"]
    assert shared.proto == socket.IPPROTO_TCP
    shared.close()


def test_each_served_worker_loads_the_analyser_before_its_first_request(monkeypatch) -> None:
    from upland import app as app_module

    warmed: list[bool] = []
    monkeypatch.setattr(app_module.analysis, "warm_up", lambda: warmed.append(True))
    served = app_module.create_served_app()
    assert warmed == [True]
    assert served.title == "Upland"
