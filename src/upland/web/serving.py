"""`upland serve --workers N`: each worker process accepts on a socket of its own.

With one socket shared by every worker, the worker that wakes first for a burst of new
connections accepts all of them (asyncio accepts in a loop), and keeps them for their whole
keep-alive life: `upland bench web` saw 16 connections land on one worker while the other
idled. With one `SO_REUSEPORT` socket per worker on the same address, the kernel (Linux) spreads
new connections over the sockets by their addresses.

The supervisor is uvicorn's `Multiprocess` (signals, health pings, SIGTERM/SIGINT stop every
worker, SIGHUP replaces them one by one) with one change: worker *i*, and every replacement of
it after a crash or a SIGHUP, serves `sockets[i]`. The supervisor keeps every socket open, so
connections the kernel hands to a dead worker's socket wait in its queue for the replacement
instead of being refused. Where the system has no `SO_REUSEPORT`, the workers share one socket
as before.
"""

from __future__ import annotations

import logging
import socket

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from upland.cli_support import listening_socket

log = logging.getLogger("uvicorn.error")


def reuse_port_available() -> bool:
    """Whether this system lets several sockets listen on one address (SO_REUSEPORT)."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        except OSError:
            return False
    return True


def worker_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    """`count` sockets on one address; with port 0 the others join the port the first got."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sockets.append(listening_socket(host, port, reuse_port=True))
            port = sockets[0].getsockname()[1]
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


class PerWorkerSockets(Multiprocess):
    """uvicorn's supervisor, where worker `i` and each of its replacements get `sockets[i]`."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets)
        self.slots = [[sock] for sock in sockets]
        self.processes_num = len(self.slots)

    def _start(self, slot: int) -> Process:
        process = Process(self.config, self.slots[slot])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(slot) for slot in range(len(self.slots))]

    def keep_subprocess_alive(self) -> None:
        """A dead or hung worker is replaced on its own socket (uvicorn's logic otherwise)."""
        if self.should_exit.is_set():
            return
        for slot, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                # It failed before serving: the app or its settings are broken, and every
                # replacement would fail the same way.
                log.error(f"Child process [{process.pid}] failed to start, stopping.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info(f"Child process [{process.pid}] died; replacing it on its socket")
            self.processes[slot] = self._start(slot)

    def restart_all(self) -> None:
        """SIGHUP: each worker replaced in turn, the new one serving before the old one stops."""
        for slot, old in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                if not self.should_exit.is_set():
                    log.error(
                        f"New child process [{new.pid}] was not ready in time; keeping "
                        f"[{old.pid}] and aborting the restart."
                    )
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def handle_ttin(self) -> None:
        log.warning("SIGTTIN ignored: the number of workers is fixed by --workers")

    def handle_ttou(self) -> None:
        log.warning("SIGTTOU ignored: the number of workers is fixed by --workers")


def serve_workers(config: Config, host: str, port: int) -> None:
    """Run `config.workers` worker processes until SIGTERM or SIGINT."""
    if reuse_port_available():
        PerWorkerSockets(config, worker_sockets(host, port, config.workers)).run()
        return
    log.warning("SO_REUSEPORT is not available: the workers share one socket")
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()
