"""Outbound e-mail: rendered and stored in the caller's transaction, sent after commit over a
real SMTP server, kept as failed and retried when the server is away, written to the outbox
folder without SMTP; links only from the configured public address."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.mailbox import Mailbox, free_port, html_of, smtp_server, text_of

from upland import settings
from upland.mail import links, outbox, service
from upland.mail.models import ABANDONED, FAILED, NOTICE, QUEUED, SECURITY, SENT, MailMessage

RESET = {"url": "https://upland.test/password/reset/abc", "minutes": 60}
CHANGED = {"organisation": "Rol-Mech", "role": "editor"}


def queue(session: Session, kind: str = SECURITY, **kw) -> MailMessage:
    if kind == NOTICE:
        return service.queue_message(
            session,
            to=kw.get("to", "ewa@firma.example"),
            language=kw.get("language", "en"),
            kind=NOTICE,
            template="role_changed",
            context=CHANGED,
            unsubscribe_url="https://upland.test/notices/t",
        )
    return service.queue_message(
        session,
        to=kw.get("to", "ewa@firma.example"),
        language=kw.get("language", "en"),
        kind=SECURITY,
        template="password_reset",
        context=RESET,
    )


def test_a_message_goes_out_only_after_commit(session: Session, mailbox: Mailbox):
    message = queue(session, language="pl")
    session.flush()
    assert mailbox.messages == [] and message.status == QUEUED

    session.commit()

    [received] = mailbox.messages
    assert received["To"] == "ewa@firma.example"
    assert received["Subject"] == "Ustaw nowe hasło w Upland"
    assert "https://upland.test/password/reset/abc" in text_of(received)
    assert 'href="https://upland.test/password/reset/abc"' in html_of(received)
    session.refresh(message)
    assert (message.status, message.attempts, message.sent_at is not None) == (SENT, 1, True)
    assert "/password/reset/abc" not in message.body_text + message.body_html  # link not kept


def test_a_rolled_back_message_is_never_sent(session: Session, mailbox: Mailbox):
    queue(session)
    session.rollback()
    session.commit()
    assert mailbox.messages == []


def test_notices_carry_the_unsubscribe_link_and_security_messages_do_not(
    session: Session, mailbox: Mailbox
):
    queue(session, kind=NOTICE, to="a@firma.example")
    queue(session, kind=SECURITY, to="b@firma.example")
    session.commit()

    [notice] = mailbox.to("a@firma.example")
    [security] = mailbox.to("b@firma.example")
    assert notice["List-Unsubscribe"] == "<https://upland.test/notices/t>"
    assert "https://upland.test/notices/t" in text_of(notice)
    assert 'href="https://upland.test/notices/t"' in html_of(notice)
    assert security["List-Unsubscribe"] is None
    assert "/notices/" not in text_of(security) + html_of(security)


def test_a_notice_without_its_link_or_a_security_message_with_one_is_refused(session: Session):
    with pytest.raises(ValueError, match="unsubscribe"):
        service.queue_message(
            session, to="a@b.example", language="en", kind=NOTICE, template="role_changed",
            context=CHANGED,
        )  # fmt: skip
    with pytest.raises(ValueError, match="unsubscribe"):
        service.queue_message(
            session, to="a@b.example", language="en", kind=SECURITY, template="password_reset",
            context=RESET, unsubscribe_url="https://upland.test/notices/t",
        )  # fmt: skip


def test_html_bodies_escape_what_users_typed(session: Session):
    message = service.queue_message(
        session,
        to="a@b.example",
        language="en",
        kind=NOTICE,
        template="role_changed",
        context={"organisation": "<script>x</script>", "role": "viewer"},
        unsubscribe_url="https://upland.test/notices/t",
    )
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html


def test_a_failed_send_stays_failed_and_is_retried(
    session: Session, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
):
    port = free_port()  # nobody listens here yet
    monkeypatch.setenv("UPLAND_SMTP_PORT", str(port))
    settings.get_settings.cache_clear()
    message = queue(session)
    session.commit()

    session.refresh(message)
    assert (message.status, message.attempts) == (FAILED, 1)
    assert message.last_error
    assert service.list_unsent(session) == [message.id]
    with pytest.raises(service.MailNotSent):  # raising is what makes RQ retry the job
        service.send_message(message.id)

    with smtp_server(port) as box:
        assert service.retry_unsent(service.list_unsent(session)) == {"sent": 1, "failed": 0}
    [received] = box.messages
    assert received["Subject"] == "Set a new Upland password"
    session.refresh(message)
    assert (message.status, message.attempts, message.last_error) == (SENT, 3, None)
    assert service.list_unsent(session) == []
    service.send_message(message.id)  # a late retry sends nothing twice
    assert len(box.messages) == 1


def test_a_security_e_mail_whose_last_try_fails_drops_its_link(
    session: Session, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("UPLAND_SMTP_PORT", str(free_port()))  # nobody listens
    settings.get_settings.cache_clear()
    security, notice = queue(session), queue(session, kind=NOTICE)
    session.commit()
    for _ in range(service.MAX_ATTEMPTS - 1):
        for message_id in (security.id, notice.id):
            with pytest.raises(service.MailNotSent):
                service.send_message(message_id)

    session.refresh(security)
    session.refresh(notice)
    assert (security.status, security.attempts) == (ABANDONED, service.MAX_ATTEMPTS)
    assert security.body_text == security.body_html == ""  # the link is gone with it
    assert notice.status == FAILED and notice.body_text  # a notice has no link to lose
    assert service.list_unsent(session) == [notice.id]
    assert service.send_message(security.id) == "nothing to send"


def test_a_message_goes_to_its_one_recipient_only(session: Session, mailbox: Mailbox):
    message = queue(session, to="ewa@firma.example")
    message.recipient = "ewa@firma.example, zly@evil.example"  # as if it slipped through
    session.commit()
    [envelope] = mailbox.envelopes
    assert len(envelope) == 1  # not one RCPT per address the To header seems to hold


def test_without_smtp_messages_go_to_the_outbox_folder_in_development(
    session: Session, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.delenv("UPLAND_SMTP_HOST")
    monkeypatch.setenv("UPLAND_MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    settings.get_settings.cache_clear()
    queue(session, language="en")
    session.commit()

    assert mailbox.messages == []
    [entry] = outbox.list_outbox()
    assert (entry.to, entry.subject) == ("ewa@firma.example", "Set a new Upland password")
    assert "https://upland.test/password/reset/abc" in entry.text
    status = session.scalar(select(MailMessage.status).order_by(MailMessage.id.desc()))
    assert status == SENT


def test_outside_development_no_e_mail_is_written_to_the_outbox(
    session: Session, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    """Production without SMTP: the message stays failed, its link never reaches the disk."""
    monkeypatch.delenv("UPLAND_SMTP_HOST")
    monkeypatch.setenv("UPLAND_MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    settings.get_settings.cache_clear()
    queue(session, language="en")
    session.commit()

    assert not (tmp_path / "outbox").exists()
    message = session.scalars(select(MailMessage).order_by(MailMessage.id.desc())).first()
    assert message is not None
    assert message.status == FAILED
    assert "UPLAND_SMTP_HOST" in (message.last_error or "")


def test_the_outbox_command_refuses_outside_development(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    from typer.testing import CliRunner

    from upland.cli import app as cli_app

    folder = tmp_path / "outbox"
    folder.mkdir()
    (folder / "20260101T000000-00000001.eml").write_text("To: a@b.example\n\nlink\n")
    monkeypatch.setenv("UPLAND_MAIL_OUTBOX_DIR", str(folder))
    settings.get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["mail", "outbox"])
    finally:
        monkeypatch.undo()
        settings.get_settings.cache_clear()
    assert result.exit_code == 1
    assert "development only" in result.output
    assert "a@b.example" not in result.output


def test_links_use_the_public_address_only(monkeypatch: pytest.MonkeyPatch):
    assert links.absolute("/invitations/x") == "https://upland.test/invitations/x"
    with pytest.raises(ValueError):
        links.absolute("//evil.example/x")
    monkeypatch.delenv("UPLAND_PUBLIC_URL")
    settings.get_settings.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="UPLAND_PUBLIC_URL"):
            links.absolute("/x")
        monkeypatch.setenv("UPLAND_DEV_MODE", "true")
        settings.get_settings.cache_clear()
        assert links.absolute("/x") == "http://127.0.0.1:8000/x"
    finally:
        monkeypatch.undo()
        settings.get_settings.cache_clear()


def test_signed_tokens_are_bound_to_their_purpose():
    token = links.sign("notices", 42)
    assert links.unsign("notices", token) == 42
    assert links.unsign("other", token) is None
    assert links.unsign("notices", token[:-2] + "xx") is None
