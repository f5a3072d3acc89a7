"""A real SMTP server (aiosmtpd) on a free local port, and the e-mails it received.

`mailbox` points the settings at it and makes the send job (which opens its own transaction)
work inside the test's rolled-back connection, so queued e-mails really go out after commit.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from upland import jobs, settings
from upland.mail import service as mail_service

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the SMTP server received, oldest first."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)  # RCPT TO of each message

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        self.messages.clear()


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def html_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert isinstance(body, EmailMessage)
    return str(body.get_content())


def links_in(message: EmailMessage) -> list[str]:
    return LINK.findall(text_of(message))


def use_smtp(monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setenv("UPLAND_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("UPLAND_SMTP_PORT", str(port))
    monkeypatch.setenv("UPLAND_SMTP_TLS", "none")
    settings.get_settings.cache_clear()


def send_within(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    """The send job's transaction becomes a savepoint of the test's connection."""

    @contextmanager
    def transaction() -> Iterator[Session]:
        with (
            Session(bind=connection, join_transaction_mode="create_savepoint") as session,
            session.begin(),
        ):
            yield session

    monkeypatch.setattr(mail_service, "transaction", transaction)
    monkeypatch.setattr(mail_service, "dispatch", _real_dispatch)
    monkeypatch.setattr(jobs, "background", Inline())


class Inline(Executor):
    """Runs each job at once in the caller's thread: the test's connection is not shared
    between threads, and a test reads the mailbox right after the request."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


_real_dispatch = mail_service.dispatch


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Mailbox]:
    box = Mailbox(port or free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
