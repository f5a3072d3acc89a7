"""Stored files (opportunities' attachments): put, open and delete by key, behind a small
interface so a deployment can swap the local folder for object storage.

A key is chosen by the storage (random, never a user's file name), so no key can reach outside
its folder. The default keeps each file in `settings.files_dir` (under `var/`), readable by the
server's user only (`private_files`).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from typing import IO, Protocol

from upland.errors import NotFound
from upland.settings import get_settings

_KEY = re.compile(r"[0-9a-f]{32}")
_CHUNK = 1024 * 1024


class Storage(Protocol):
    def put(self, source: IO[bytes]) -> str:
        """Store the stream's bytes; the new key."""

    def open(self, key: str) -> IO[bytes]:
        """The stored bytes to read (NotFound for an unknown key)."""

    def delete(self, key: str) -> None:
        """Forget the key; an unknown key is no error."""

    def keys(self, stored_before: dt.datetime) -> list[str]:
        """The keys of files stored before that moment (to find files nothing names)."""


class LocalStorage:
    """Files in one local folder, one per key."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise NotFound("no stored file {key}", code="storage.not_found", key=key[:40])
        return self.directory / key

    def put(self, source: IO[bytes]) -> str:
        key = secrets.token_hex(16)
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._path(key).open("wb") as handle:
            while chunk := source.read(_CHUNK):
                handle.write(chunk)
        return key

    def open(self, key: str) -> IO[bytes]:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise NotFound("no stored file {key}", code="storage.not_found", key=key) from None

    def delete(self, key: str) -> None:
        if _KEY.fullmatch(key):
            self._path(key).unlink(missing_ok=True)

    def keys(self, stored_before: dt.datetime) -> list[str]:
        if not self.directory.is_dir():
            return []
        limit = stored_before.timestamp()
        found = []
        for path in self.directory.iterdir():
            try:
                if _KEY.fullmatch(path.name) and path.stat().st_mtime < limit:
                    found.append(path.name)
            except FileNotFoundError:  # deleted meanwhile
                continue
        return sorted(found)


_override: Storage | None = None


def use(storage: Storage | None) -> None:
    """Swap the storage in (object storage, a test's folder); None: the default again."""
    global _override
    _override = storage


def get_storage() -> Storage:
    return _override or LocalStorage(get_settings().files_dir)
