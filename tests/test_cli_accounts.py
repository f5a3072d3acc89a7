"""`upland user …` against its own database, as an operator runs it on the server.

The CLI opens its own transactions through `upland.db.transaction()`, so these tests point the
settings at a fresh database of the run's backend (SQLite, or PostgreSQL when
UPLAND_TEST_DATABASE_URL is set) instead of using the suite's rolled-back session.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner, Result

from tests import factories
from tests.browsing import use_fast_hashing
from tests.databases import scratch_database
from upland import db, jobs, settings
from upland.accounts import service
from upland.accounts.models import ApiToken, User
from upland.audit import AuditEntry
from upland.cli import app
from upland.cli_support import cli_actor
from upland.reference.service import seed_reference

runner = CliRunner()


def _clear_caches() -> None:
    settings.get_settings.cache_clear()
    db.get_sessionmaker.cache_clear()
    db.get_engine.cache_clear()


@contextmanager
def _database(monkeypatch: pytest.MonkeyPatch, url: str) -> Iterator[None]:
    """Point the settings (and the cached engine) at the database `url`."""
    monkeypatch.setenv("UPLAND_DATABASE_URL", url)
    _clear_caches()
    try:
        yield
    finally:
        # A job the test queued (an invitation's e-mail) must not outlive its database and run
        # in the next test's, with settings pointing elsewhere.
        jobs.background.submit(lambda: None).result(timeout=60)
        db.get_engine().dispose()
        _clear_caches()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`upland db upgrade` and the reference data, once; each test gets a copy."""
    with scratch_database("upland_cli_template", tmp_path_factory.mktemp("cli")) as url:
        with pytest.MonkeyPatch.context() as monkeypatch, _database(monkeypatch, url):
            upgraded = runner.invoke(app, ["db", "upgrade"])
            assert upgraded.exit_code == 0, upgraded.output
            with db.transaction() as session:
                seed_reference(session, cli_actor(), settings.DEFAULT_PARTNERS)
        yield url


@pytest.fixture
def cli_db(migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh copy of the migrated database, used by every `upland …` command of a test."""
    use_fast_hashing(monkeypatch)
    with (
        scratch_database("upland_cli_copy", tmp_path, copy_of=migrated) as url,
        _database(monkeypatch, url),
    ):
        yield


def upland(*args: str, input: str | None = None) -> Result:
    return runner.invoke(app, list(args), input=input)


def make_organisation() -> tuple[int, str]:
    with db.transaction() as session:
        org = factories.organisation(session)
        return org.id, str(org.nip)


def read_user(email: str) -> User:
    with db.transaction() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        session.expunge(user)
        return user


def create(email: str = "ola@test.example", password: str = factories.PASSWORD) -> Result:
    return upland("user", "create", email, "--name", "Ola Nowak", "--password", password)


def test_create_user(cli_db: None):
    result = create(" Ola@Test.example ")
    assert result.exit_code == 0, result.output
    assert "ola@test.example" in result.output
    user = read_user("ola@test.example")
    assert user.full_name == "Ola Nowak"
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    with db.transaction() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry is not None
        assert (entry.action, entry.actor_label) == (
            "accounts.user.create",
            f"cli:{getpass.getuser()}",
        )


def test_create_user_asks_for_the_password_twice(cli_db: None):
    result = upland(
        "user", "create", "ola@test.example", "--name", "Ola", input="zielony-las-77\n" * 2
    )
    assert result.exit_code == 0, result.output
    with db.transaction() as session:
        assert service.authenticate(session, "ola@test.example", "zielony-las-77", "cli")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("ola@test.example", factories.PASSWORD, "exists already"),
        ("OLA@test.example", factories.PASSWORD, "exists already"),
        ("ala@test.example", "short-1", "password: must be at least 10 characters"),
        ("ala@test.example", "onlyletterslong", "password: must mix letters"),
    ],
)
def test_create_user_refuses(cli_db: None, email: str, password: str, message: str):
    assert create().exit_code == 0
    result = create(email, password)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_grant_revoke_and_list(cli_db: None):
    org_id, nip = make_organisation()
    assert create().exit_code == 0
    email = "ola@test.example"

    for args in (
        ("editor", "--org", nip),
        ("admin", "--org", str(org_id)),
        ("officer", "--city", "0663011"),
        ("coordinator",),
        ("platform-admin",),
    ):
        result = upland("user", "grant", email, *args)
        assert result.exit_code == 0, result.output
        assert f"granted {args[0]}" in result.output

    listed = upland("user", "list", "ola")
    assert listed.exit_code == 0
    line = next(li for li in listed.output.splitlines() if email in li)
    assert line.split("\t")[-1].split() == [
        f"admin@{org_id}",
        "coordinator",
        "platform-admin",
        "officer@0663011",
    ]

    for args in (("admin", "--org", nip), ("officer",), ("coordinator",), ("platform-admin",)):
        result = upland("user", "revoke", email, *args)
        assert result.exit_code == 0, result.output
    user = read_user(email)
    assert (user.is_coordinator, user.is_platform_admin, user.officer_teryt) == (
        False,
        False,
        None,
    )
    line = next(li for li in upland("user", "list").output.splitlines() if email in li)
    assert line.split("\t")[-1] == ""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("grant", "ola@test.example", "viewer"), 1, "needs an organisation"),
        (("grant", "ola@test.example", "officer", "--city", "9999999"), 1, "partner city"),
        (("grant", "ola@test.example", "officer"), 1, "partner city"),
        (("grant", "ola@test.example", "owner"), 1, "unknown role"),
        (("grant", "ola@test.example", "viewer", "--org", "1234"), 2, "no organisation"),
        (("grant", "nobody@test.example", "coordinator"), 1, "no user with e-mail"),
        (("revoke", "ola@test.example", "viewer", "--org", "{org}"), 1, "has no role"),
        (("token", "nobody@test.example"), 1, "no user with e-mail"),
        (("export-data", "nobody@test.example"), 1, "no user with e-mail"),
        (("erase", "nobody@test.example", "--yes"), 1, "no user with e-mail"),
    ],
)
def test_user_commands_report_errors(cli_db: None, args: tuple[str, ...], code: int, message: str):
    org_id, _ = make_organisation()
    assert create().exit_code == 0
    result = upland("user", *(a.format(org=org_id) for a in args))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_token_is_printed_once_and_stored_as_a_hash(cli_db: None):
    assert create().exit_code == 0

    result = upland("user", "token", "ola@test.example", "--name", "ci")

    assert result.exit_code == 0, result.output
    plain = result.output.strip()
    assert plain.startswith("upl_")
    with db.transaction() as session:
        token = session.scalars(select(ApiToken)).one()
        assert token.name == "ci"
        assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
        assert service.touch_token(session, plain) is not None
        entries = session.scalars(select(AuditEntry)).all()
        assert all(plain not in f"{e.summary}{e.before}{e.after}" for e in entries)


def test_export_data_and_erase(cli_db: None):
    assert create().exit_code == 0
    assert upland("user", "token", "ola@test.example", "--name", "ci").exit_code == 0

    exported = upland("user", "export-data", "ola@test.example")

    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert data["account"]["email"] == "ola@test.example"
    assert [t["name"] for t in data["api_tokens"]] == ["ci"]
    assert upland("user", "erase", "ola@test.example", input="n\n").exit_code == 1
    assert read_user("ola@test.example").is_active

    erased = upland("user", "erase", "ola@test.example", input="y\n")

    assert erased.exit_code == 0 and "erased" in erased.output
    user_id = data["account"]["id"]
    assert read_user(f"erased-{user_id}@invalid").password_hash is None


@pytest.fixture
def outbox(cli_db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Development without an SMTP server: e-mails really go, into this outbox folder."""
    from tests.mailbox import _real_dispatch
    from upland.mail import service as mail_service

    folder = tmp_path / "outbox"
    monkeypatch.delenv("UPLAND_SMTP_HOST")
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    monkeypatch.setenv("UPLAND_MAIL_OUTBOX_DIR", str(folder))
    monkeypatch.setattr(mail_service, "dispatch", _real_dispatch)
    settings.get_settings.cache_clear()
    return folder


def test_invite_sends_the_link_by_e_mail_and_never_prints_it(
    outbox: Path, monkeypatch: pytest.MonkeyPatch
):
    from tests.mailbox import free_port, smtp_server, text_of

    org_id, nip = make_organisation()
    port = free_port()
    monkeypatch.delenv("UPLAND_DEV_MODE")
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_TLS": "none"}
    for name, value in smtp.items():
        monkeypatch.setenv(f"UPLAND_{name}", value)
    settings.get_settings.cache_clear()

    with smtp_server(port) as box:
        invited = upland(
            "user", "invite", "Nowa@Firma.example", "--organisation", nip, "--role", "admin"
        )
        jobs.background.submit(lambda: None).result(timeout=60)  # its send job has run

    assert invited.exit_code == 0, invited.output
    assert invited.output.strip() == "invitation sent to nowa@firma.example"
    [sent] = box.messages
    link = re.search(r"https://upland\.test/invitations/([\w-]+)", text_of(sent))
    assert link and sent["To"] == "nowa@firma.example"
    with db.transaction() as session:
        assert (
            session.scalars(select(User).where(User.email == "nowa@firma.example")).first() is None
        )
        user = service.accept_invitation(session, link.group(1), "Ewa Nowa", "nowe-haslo-2026")
        assert [(m.organisation_id, m.role) for m in user.memberships] == [(org_id, "admin")]
    assert create("jan@firma.example").exit_code == 0
    offered = upland("user", "invite", "jan@firma.example", "--org", str(org_id))
    assert offered.output.strip() == "invitation sent to jan@firma.example"
    line = next(li for li in upland("user", "list").output.splitlines() if "jan@" in li)
    assert line.split("\t")[-1] == ""  # no role before the account holder accepts
    refused = upland("user", "invite", "x@firma.example", "--org", nip, "--role", "owner")
    assert refused.exit_code == 1 and "viewer, editor or admin" in refused.output
    old_option = upland("user", "invite", "x@firma.example", "--org", nip, "--base-url", "x")
    assert old_option.exit_code == 2


def test_invite_prints_the_link_in_development_mode(outbox: Path, monkeypatch: pytest.MonkeyPatch):
    _, nip = make_organisation()
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    settings.get_settings.cache_clear()

    invited = upland("user", "invite", "nowa@firma.example", "--org", nip)

    assert re.fullmatch(r"https://upland\.test/invitations/[\w-]{43}\n", invited.output)


def test_mail_retry_sends_what_failed(outbox: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.mailbox import free_port, smtp_server

    _, nip = make_organisation()
    port = free_port()
    for name, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_TLS": "none",
    }.items():
        monkeypatch.setenv(f"UPLAND_{name}", value)
    settings.get_settings.cache_clear()
    invited = upland("user", "invite", "nowa@firma.example", "--org", nip)
    assert invited.exit_code == 0, (invited.output, invited.exception)
    jobs.background.submit(lambda: None).result(timeout=60)  # its send job has run (and failed)

    failing = upland("mail", "retry")
    assert (failing.exit_code, failing.output.strip()) == (1, "sent 0, still failing 1")
    with smtp_server(port) as box:
        retried = upland("mail", "retry")
    assert (retried.exit_code, retried.output.strip()) == (0, "sent 1, still failing 0")
    [message] = box.messages
    assert message["To"] == "nowa@firma.example"
    assert upland("mail", "retry").output.strip() == "sent 0, still failing 0"


def test_deactivate_switches_the_account_off(cli_db: None):
    assert create().exit_code == 0

    deactivated = upland("user", "deactivate", "Ola@Test.example")

    assert deactivated.exit_code == 0, deactivated.output
    assert deactivated.output == "ola@test.example: deactivated\n"
    assert not read_user("ola@test.example").is_active
    with db.transaction() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc()))
        assert actions.first() == "accounts.user.deactivate"
    unknown = upland("user", "deactivate", "nikt@test.example")
    assert unknown.exit_code == 1 and "no user with e-mail nikt@test.example" in unknown.output
