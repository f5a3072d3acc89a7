"""Uploads waiting for confirmation expire: deleted on the next upload and by `upland uploads
clean`, and an expired token answers Gone. The clock is the files' modification time."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from upland import settings, uploads
from upland.cli import app
from upland.errors import Gone, Invalid

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def upload_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "uploads"
    monkeypatch.setenv("UPLAND_UPLOAD_DIR", str(directory))
    monkeypatch.setenv("UPLAND_UPLOAD_TTL_HOURS", "24")
    monkeypatch.setenv("UPLAND_MAX_UPLOAD_MB", "1")
    settings.get_settings.cache_clear()
    yield directory
    monkeypatch.undo()
    settings.get_settings.cache_clear()


def age(path: Path, hours: float) -> None:
    """Make the file look `hours` old at NOW."""
    stamp = (NOW - dt.timedelta(hours=hours)).timestamp()
    os.utime(path, (stamp, stamp))


def test_an_upload_is_kept_until_it_expires(upload_dir: Path):
    token = uploads.save(io.BytesIO(b"kind,legal_name\n"), now=NOW)
    path = upload_dir / token
    age(path, 23.9)
    assert uploads.path_of(token, now=NOW) == path
    age(path, 24.1)
    with pytest.raises(Gone, match="the uploaded file has expired; upload it again"):
        uploads.path_of(token, now=NOW)
    assert not path.exists()


def test_a_deleted_upload_answers_gone_and_a_malformed_token_is_unknown(upload_dir: Path):
    token = uploads.save(io.BytesIO(b"x"), now=NOW)
    uploads.discard(token)
    with pytest.raises(Gone):
        uploads.path_of(token, now=NOW)
    with pytest.raises(Invalid, match="unknown upload"):
        uploads.path_of("../../etc/passwd", now=NOW)


def test_a_new_upload_deletes_expired_ones_only(upload_dir: Path):
    old = uploads.save(io.BytesIO(b"old"), now=NOW)
    fresh = uploads.save(io.BytesIO(b"fresh"), now=NOW)
    age(upload_dir / old, 25)
    age(upload_dir / fresh, 1)
    (upload_dir / "README").write_text("not an upload")
    age(upload_dir / "README", 100)

    newest = uploads.save(io.BytesIO(b"new"), now=NOW)

    assert sorted(p.name for p in upload_dir.iterdir()) == sorted(["README", fresh, newest])


def test_a_file_over_the_limit_is_refused_and_not_kept(upload_dir: Path):
    with pytest.raises(Invalid, match="the file is larger than 1 MB"):
        uploads.save(io.BytesIO(b"x" * (1024 * 1024 + 1)), now=NOW)
    assert list(upload_dir.iterdir()) == []


def test_cli_uploads_clean(upload_dir: Path):
    kept = uploads.save(io.BytesIO(b"fresh"))
    expired = uploads.save(io.BytesIO(b"old"))
    stamp = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=30)).timestamp()
    os.utime(upload_dir / expired, (stamp, stamp))

    result = CliRunner().invoke(app, ["uploads", "clean"])

    assert result.exit_code == 0, result.output
    assert "deleted 1 expired upload from" in result.output
    assert [p.name for p in upload_dir.iterdir()] == [kept]


def test_cleaning_without_an_upload_directory_deletes_nothing(upload_dir: Path):
    assert uploads.clean(NOW) == 0
