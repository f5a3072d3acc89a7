"""Files holding secrets are created for their owner only (one umask, set by the `upland`
command and the app factory): the SQLite database and its WAL, outbox e-mails, uploads; an
existing database that others may read is pointed out, not silently changed."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.databases import reset_settings_and_engine
from upland import cli, db, settings, uploads
from upland.app import create_app
from upland.mail import transport
from upland.mail.models import MailMessage
from upland.settings import Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _permissive_umask() -> Iterator[None]:
    """The usual 022 of a login shell, so the code under test has to do the restricting."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def upland(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[object]:
    """`upland(*argv)` runs the real entry point in `tmp_path`; (status, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in ("UPLAND_DATABASE_URL", "UPLAND_REDIS_URL", "UPLAND_DEV_MODE"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["upland", *argv])
        reset_settings_and_engine()
        try:
            cli.main()
            status = 0
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        return status, capsys.readouterr().err

    yield run
    reset_settings_and_engine()


def test_a_fresh_database_and_its_wal_are_private(upland, tmp_path: Path) -> None:
    status, err = upland("db", "upgrade")
    assert status == 0, err
    database = tmp_path / "var" / "upland.db"
    wal = tmp_path / "var" / "upland.db-wal"
    assert wal.exists()  # the command's pooled connection still holds it open
    assert (_mode(database), _mode(wal)) == (0o600, 0o600)
    assert _mode(tmp_path / "var") == 0o700


def test_an_exposed_database_is_pointed_out_and_left_alone(upland, tmp_path: Path) -> None:
    assert upland("db", "upgrade")[0] == 0
    database = tmp_path / "var" / "upland.db"
    database.chmod(0o644)
    status, err = upland("db", "current")
    assert status == 0, err
    assert f"{database} is readable or writable by others (mode 0644)" in err
    assert f"chmod 600 {database}" in err
    assert _mode(database) == 0o644


def test_outbox_e_mails_and_uploads_of_the_app_are_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    monkeypatch.delenv("UPLAND_SMTP_HOST")
    monkeypatch.setenv("UPLAND_MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("UPLAND_UPLOAD_DIR", str(tmp_path / "uploads"))
    settings.get_settings.cache_clear()
    try:
        create_app(Settings(_env_file=None))
        message = MailMessage(
            id=1,
            recipient="ewa@firma.example",
            subject="Set a new Upland password",
            language="en",
            body_text="https://upland.test/password/reset/abc",
            body_html="<p>https://upland.test/password/reset/abc</p>",
            created_at=db.utcnow(),
        )
        transport.deliver(message)
        token = uploads.save(io.BytesIO(b"nip;name\n"))
    finally:
        monkeypatch.undo()
        settings.get_settings.cache_clear()
    [eml] = (tmp_path / "outbox").iterdir()
    assert _mode(eml) == 0o600
    assert _mode(tmp_path / "uploads" / token) == 0o600
