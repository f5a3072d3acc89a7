"""Uploaded files waiting for a second step (an import's confirmation), kept for a while only.

An upload is a file in `settings.upload_dir` named by a random token. It expires
`settings.upload_ttl_hours` after it arrived: expired uploads are deleted whenever a new one
arrives and by `upland uploads clean`, and an expired token answers `Gone`. Callers delete a
rejected or cancelled upload at once with `discard`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from typing import IO

import typer

from upland.errors import Gone, Invalid
from upland.i18n import N_, Message
from upland.settings import get_settings

_TOKEN = re.compile(r"[0-9a-f]{32}")
_CHUNK = 1024 * 1024


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _directory() -> Path:
    return Path(get_settings().upload_dir)


def _expires_before(now: dt.datetime) -> float:
    """Uploads last modified before this POSIX time have expired."""
    return (now - dt.timedelta(hours=get_settings().upload_ttl_hours)).timestamp()


def save(source: IO[bytes], *, now: dt.datetime | None = None) -> str:
    """Store an upload (at most `max_upload_mb`) after deleting expired ones; its token."""
    clean(now)
    limit = get_settings().max_upload_mb * 1024 * 1024
    token = secrets.token_hex(16)
    path = _directory() / token
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with path.open("wb") as handle:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                break
            handle.write(chunk)
    if size > limit:
        path.unlink()
        raise Invalid.one(
            "file", "the file is larger than {n} MB", code="file.too_large", n=limit // 1024 // 1024
        )
    return token


def path_of(token: str, *, now: dt.datetime | None = None) -> Path:
    """The file of an upload that has not expired; Gone once it has (and is then deleted)."""
    if not _TOKEN.fullmatch(token):
        raise Invalid.one("file", "unknown upload; upload the file again", code="upload.unknown")
    path = _directory() / token
    try:
        expired = path.stat().st_mtime < _expires_before(now or _now())
    except FileNotFoundError:
        expired = True
    if expired:
        path.unlink(missing_ok=True)
        raise Gone("the uploaded file has expired; upload it again", code="upload.expired")
    return path


def discard(token: str) -> None:
    """Delete an upload now (rejected, cancelled or imported); unknown tokens are ignored."""
    if _TOKEN.fullmatch(token):
        (_directory() / token).unlink(missing_ok=True)


def clean(now: dt.datetime | None = None) -> int:
    """Delete every expired upload; how many were deleted."""
    directory = _directory()
    if not directory.is_dir():
        return 0
    before = _expires_before(now or _now())
    deleted = 0
    for path in directory.iterdir():
        if not _TOKEN.fullmatch(path.name):
            continue
        try:
            if path.stat().st_mtime < before:
                path.unlink()
                deleted += 1
        except FileNotFoundError:  # deleted meanwhile by another request
            continue
    return deleted


uploads_app = typer.Typer(help="Uploaded files waiting for confirmation.", no_args_is_help=True)


@uploads_app.command("clean")
def clean_command() -> None:
    """Delete uploads older than UPLAND_UPLOAD_TTL_HOURS (also done on every new upload)."""
    deleted = clean()
    typer.echo(f"deleted {deleted} expired upload{'' if deleted == 1 else 's'} from {_directory()}")


# An XLSX is a ZIP archive: a 50 MB upload may unpack to many gigabytes (a decompression bomb)
# before the spreadsheet library sees a row. Its directory says how big each part unpacks, so
# out-of-proportion archives are refused before they are opened.
MAX_ZIP_ENTRIES = 2000
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_PART_RATIO = 250  # what one part may unpack to per byte packed (real sheets: ~5-30)


def zip_problem(handle: IO[bytes]) -> Message | None:
    """Why this ZIP archive is out of proportion to unpack, or None; the handle is rewound."""
    import zipfile

    position = handle.tell()
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a ZIP at all: the reader says so in its own words
    finally:
        handle.seek(position)
    if len(parts) > MAX_ZIP_ENTRIES:
        return Message(
            N_("the workbook has {n} parts; at most {max} are accepted"),
            {"n": len(parts), "max": MAX_ZIP_ENTRIES},
        )
    unpacked = sum(p.file_size for p in parts)
    bloated = any(
        p.file_size > 1024 * 1024 and p.file_size > MAX_PART_RATIO * max(p.compress_size, 1)
        for p in parts
    )
    if unpacked > MAX_UNPACKED_BYTES or bloated:
        return Message(
            N_("the workbook unpacks to {size} MB, out of proportion to its size; save it again"),
            {"size": unpacked // 1024 // 1024},
        )
    return None
