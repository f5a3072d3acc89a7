"""The account page: roles by name, password change, the language of one's e-mails, and the
invitation page opened by someone logged in as another account."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in

from upland.accounts import passwords, service
from upland.accounts.models import User, UserSession
from upland.actor import SYSTEM
from upland.mail.models import MailMessage

NEW = "nowe-haslo-2026"


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    csrf = csrf_of(client.get("/login"))
    return client.post(path, data={**data, "csrf_token": csrf}, follow_redirects=True)


def test_roles_read_as_names_in_the_page_language(session: Session, client: TestClient):
    org = factories.organisation(session, short_name="Rol-Mech", legal_name="Rol-Mech sp. z o.o.")
    user = factories.user(session, role="editor", org=org)
    service.grant_role(session, SYSTEM, user.id, "officer", teryt="1463011")
    assert log_in(client, user.email).status_code == 303

    polish = client.get("/account?lang=pl").text
    assert "Rol-Mech" in polish and "redaktor" in polish and "urzędnik miasta: Radom" in polish
    assert "Organizacja #" not in polish and "#" + str(org.id) not in polish
    english = client.get("/account?lang=en").text
    assert "editor" in english and "city officer: Radom" in english


def test_changing_the_password_ends_other_sessions_and_sends_an_e_mail(
    session: Session, client: TestClient, app: object
):
    user = factories.user(session)
    session.flush()
    with TestClient(app, base_url="https://testserver") as other:  # type: ignore[arg-type]
        assert log_in(other, user.email).status_code == 303
        assert log_in(client, user.email).status_code == 303

        page = _post(
            client,
            "/account/password",
            {"current_password": factories.PASSWORD, "password": NEW, "password_repeat": NEW},
        )

        assert "Hasło zostało zmienione. Pozostałe sesje zostały zakończone." in page.text  # type: ignore[attr-defined]
        assert other.get("/account", follow_redirects=False).status_code == 303
    assert client.get("/account", follow_redirects=False).status_code == 200
    session.expire_all()
    stored = session.get(User, user.id)
    assert stored is not None and passwords.verify_password(stored.password_hash, NEW)
    assert stored.password_hash and stored.password_hash.startswith("$argon2")
    sent = session.scalars(select(MailMessage.template).where(MailMessage.recipient == user.email))
    assert "password_changed" in list(sent)
    live = session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).all()
    assert len(live) == 1


def test_a_wrong_current_password_or_a_mistyped_repeat_changes_nothing(
    session: Session, client: TestClient
):
    user = factories.user(session)
    session.flush()
    before = user.password_hash
    assert log_in(client, user.email).status_code == 303

    wrong = _post(
        client,
        "/account/password",
        {"current_password": "not-it-123", "password": NEW, "password_repeat": NEW},
    )
    differ = _post(
        client,
        "/account/password",
        {"current_password": factories.PASSWORD, "password": NEW, "password_repeat": NEW + "x"},
    )

    assert wrong.status_code == differ.status_code == 422  # type: ignore[attr-defined]
    assert "to nie jest Twoje obecne hasło" in wrong.text  # type: ignore[attr-defined]
    assert "hasła się różnią" in differ.text  # type: ignore[attr-defined]
    session.expire_all()
    assert session.get(User, user.id).password_hash == before  # type: ignore[union-attr]


def test_e_mails_follow_the_language_chosen_on_the_account_page(
    session: Session, client: TestClient
):
    user = factories.user(session)
    session.flush()
    assert log_in(client, user.email).status_code == 303

    page = _post(client, "/account/language", {"language": "en"})
    assert "Wiadomości e-mail będą pisane w języku: angielski." in page.text  # type: ignore[attr-defined]
    assert _post(client, "/account/language", {"language": "de"}).status_code == 422  # type: ignore[attr-defined]
    session.expire_all()
    assert session.get(User, user.id).language == "en"  # type: ignore[union-attr]

    service.request_password_reset(session, user.email, "10.1.1.1")
    mail = session.scalars(
        select(MailMessage).where(MailMessage.recipient == user.email).order_by(MailMessage.id)
    ).all()[-1]
    assert mail.language == "en" and "Set a new Upland password" in mail.subject


def test_accepting_an_invitation_keeps_the_page_language_for_e_mails(
    session: Session, client: TestClient
):
    org = factories.organisation(session)
    invited = service.add_member(session, SYSTEM, org.id, "new@firma.example", "viewer")
    session.flush()
    csrf = csrf_of(client.get(f"/invitations/{invited.token}?lang=en"))
    form = {"full_name": "New Person", "password": NEW, "password_repeat": NEW}
    client.post(f"/invitations/{invited.token}", data={**form, "csrf_token": csrf})
    session.expire_all()
    user = session.scalars(select(User).where(User.email == "new@firma.example")).one()
    assert user.language == "en"


def test_an_invitation_opened_as_another_account_says_so_and_offers_to_log_out(
    session: Session, client: TestClient
):
    org = factories.organisation(session)
    someone = factories.user(session)
    invited = service.add_member(session, SYSTEM, org.id, "new@firma.example", "viewer")
    session.flush()
    assert log_in(client, someone.email).status_code == 303

    page = client.get(f"/invitations/{invited.token}")
    assert page.status_code == 200
    assert "new@firma.example" in page.text and someone.email in page.text
    assert "ale jesteś zalogowany(-a) jako" in page.text
    out = _post(client, "/logout", {"next": f"/invitations/{invited.token}"})
    assert out.status_code == 200  # type: ignore[attr-defined]
    assert 'name="full_name"' in out.text  # type: ignore[attr-defined]  # the set-up form now


def test_reloading_a_refused_form_or_switching_its_language_answers_get(
    session: Session, client: TestClient
):
    user = factories.user(session)
    session.flush()
    assert log_in(client, user.email).status_code == 303
    refused = _post(client, "/account/password", {"current_password": "x", "password": "y"})
    assert refused.status_code == 422  # type: ignore[attr-defined]

    for path in ("/account/password?lang=en", "/account/language", "/users/1/roles/grant"):
        reloaded = client.get(path, follow_redirects=False)
        assert reloaded.status_code == 303, path
    assert client.get("/account/password?lang=en").status_code == 200
