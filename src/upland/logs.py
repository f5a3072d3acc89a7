"""Structured JSON logs carrying the id of the request (or CLI run) they belong to."""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import secrets
import sys
from contextvars import ContextVar

import orjson

request_id: ContextVar[str | None] = ContextVar("upland_request_id", default=None)

_CLIENT_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Paths whose next segment is a secret: links sent by e-mail (invitation, password reset, the
# unsubscribe links, which never expire, and a guest's "no more e-mails" link of an event) and a
# person's calendar-feed address, which calendar apps poll without logging in. Whoever reads the
# logs must not be able to use them.
SECRET_PATH_PREFIXES = (
    "/invitations/",
    "/password/reset/",
    "/api/v1/invitations/",
    "/notices/",
    "/notifications/unsubscribe/",
    "/events/mail-off/",
    "/events/feed/",
)
_SECRET_SEGMENT = re.compile(
    "^(" + "|".join(re.escape(prefix) for prefix in SECRET_PATH_PREFIXES) + ")[^/]+"
)


class _RequestIds:
    """Fresh request ids: 32 hex digits, a random prefix drawn once per process (again in a
    forked child) and a counter, so an id costs no system call (`uuid4` reads the kernel's
    random source on every request, measurable in `upland bench web`)."""

    def __init__(self) -> None:
        self.restart()
        os.register_at_fork(after_in_child=self.restart)

    def restart(self) -> None:
        self.prefix = secrets.token_hex(10)
        self.counter = itertools.count(1)

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter) % 16**12:012x}"


_fresh_ids = _RequestIds()


def accepted_request_id(given: str | None) -> str:
    """A client's X-Request-ID if it is short and plain (safe to log and echo), else a new id."""
    if given and _CLIENT_REQUEST_ID.fullmatch(given):
        return given
    return _fresh_ids.next()


def redact_path(path: str) -> str:
    """The path as it may be logged: secret segments replaced by `***`."""
    if not path.startswith(SECRET_PATH_PREFIXES):
        return path
    return _SECRET_SEGMENT.sub(r"\1***", path)


_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
            # Which server process: with `upland serve --workers N`, which worker answered.
            "pid": record.process,
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        try:  # orjson: every request writes a line; several times faster than json.dumps
            return orjson.dumps(payload, default=str).decode()
        except (orjson.JSONEncodeError, TypeError):  # e.g. an integer past 64 bits
            return json.dumps(payload, default=str, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Every request is logged once by the app's middleware, with its request id.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


_security = logging.getLogger("upland.security")


def security_event(event: str, **fields: object) -> None:
    """One line for the security log: log-ins, sessions, roles, tokens (issue #6, item 19).

    `fields` become JSON keys; callers pass ids, prefixes and addresses, never a password or a
    token. A key that clashes with a log-record attribute is prefixed, so no event is lost.
    """
    extra = {
        ("field_" + k if k in _STANDARD or k == "message" else k): v for k, v in fields.items()
    }
    _security.info(event, extra={"event": event, **extra})
