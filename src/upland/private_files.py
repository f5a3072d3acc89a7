"""Every file Upland creates is readable by its owner only: the database and its WAL hold
password hashes, outbox e-mails hold live links, uploads hold member lists. One umask, set by
the `upland` command and the app factory before anything is created, covers them all; files
that already exist are not changed behind the operator's back, only pointed out."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from upland.settings import Settings

PRIVATE_UMASK = 0o077
# SQLite's own companions of the database file.
_SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def restrict() -> None:
    """From now on this process creates files and folders for its owner only."""
    os.umask(PRIVATE_UMASK)


def exposed_files(settings: Settings) -> list[str]:
    """One warning per existing database file that others than its owner may read or write."""
    database = settings.sqlite_path()
    if database is None:
        return []
    warnings = []
    for suffix in _SQLITE_COMPANIONS:
        path = Path(f"{database}{suffix}")
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            warnings.append(
                f"{path.resolve()} is readable or writable by others (mode {mode:04o}) and holds "
                f"password hashes: run `chmod 600 {path.resolve()}`"
            )
    return warnings
