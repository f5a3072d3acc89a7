"""What every area's CLI commands share, below the areas: the `upland` root imports the areas'
command modules, never the other way round."""

from __future__ import annotations

import getpass
import socket

from upland.actor import Actor


def cli_actor() -> Actor:
    """Shell access to the server is platform-admin access; the audit log names the OS user."""
    return Actor(user_id=None, label=f"cli:{getpass.getuser()}", is_admin=True)


def listening_socket(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A socket for server processes, bound as uvicorn binds it but declared TCP: asyncio sets
    TCP_NODELAY only on sockets that say so, and without it every answer on a keep-alive
    connection waited ~40 ms (Nagle's algorithm meeting the client's delayed ACK).

    `reuse_port`: one of several sockets on the same address, one per worker, among which the
    kernel spreads new connections (SO_REUSEPORT; `web.serving`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock
