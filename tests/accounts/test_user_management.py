"""The users page of staff, and the refusals that keep the platform manageable."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in

from upland.accounts import queries, service
from upland.accounts.models import User
from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.mail.models import MailMessage

RADOM = "1463011"


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    csrf = csrf_of(client.get("/login"))
    return client.post(path, data={**data, "csrf_token": csrf}, follow_redirects=True)


def _staff(session: Session, client: TestClient, role: str = "coordinator") -> User:
    user = factories.user(session, role=role)
    session.flush()
    assert log_in(client, user.email).status_code == 303
    return user


def _mails_to(session: Session, address: str) -> list[MailMessage]:
    stmt = select(MailMessage).where(MailMessage.recipient == address).order_by(MailMessage.id)
    return list(session.scalars(stmt))


def test_the_coordinator_sets_up_a_city_officer_who_gets_a_polish_e_mail(
    session: Session, client: TestClient
):
    _staff(session, client)
    page = _post(
        client,
        "/users",
        {
            "full_name": "Anna Nowak",
            "email": "anna.nowak@radom.example",
            "role": "officer",
            "city": RADOM,
            "language": "pl",
        },
    )

    assert page.status_code == 200  # type: ignore[attr-defined]
    assert "Konto osoby Anna Nowak jest gotowe" in page.text  # type: ignore[attr-defined]
    anna = queries.get_user_by_email(session, "anna.nowak@radom.example")
    assert anna.officer_teryt == RADOM and anna.password_hash is None and anna.language == "pl"
    [mail] = _mails_to(session, anna.email)
    assert mail.template == "account_created" and mail.language == "pl"
    assert "urzędnik miasta (Radom)" in mail.body_text and "/password/reset/" in mail.body_text


def test_granting_a_role_names_the_person_the_role_and_the_place(
    session: Session, client: TestClient
):
    _staff(session, client)
    anna = factories.user(session)
    anna.full_name = "Anna Nowak"
    session.flush()

    page = _post(client, f"/users/{anna.id}/roles/grant", {"role": "officer", "city": RADOM})
    assert "Anna Nowak jest teraz urzędnikiem miasta Radom." in page.text  # type: ignore[attr-defined]

    org = factories.organisation(session, short_name="Rol-Mech")
    page = _post(
        client,
        f"/users/{anna.id}/roles/grant",
        {"role": "editor", "organisation": str(org.nip)},
    )
    assert "Anna Nowak ma teraz rolę redaktor w organizacji Rol-Mech" in page.text  # type: ignore[attr-defined]
    session.expire_all()
    assert queries.get_membership(session, anna.id, org.id) is not None

    page = _post(client, f"/users/{anna.id}/roles/revoke", {"role": "officer"})
    assert "Anna Nowak nie ma już roli: urzędnik miasta." in page.text  # type: ignore[attr-defined]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(anna.id))
    ).all()
    assert {"accounts.role.grant", "accounts.membership.grant", "accounts.role.revoke"} <= set(
        actions
    )


def test_only_a_platform_admin_offers_and_grants_platform_admin(
    session: Session, client: TestClient
):
    _staff(session, client, "coordinator")
    other = factories.user(session)
    page = client.get(f"/users/{other.id}")
    assert 'value="platform-admin"' not in page.text

    refused = _post(client, f"/users/{other.id}/roles/grant", {"role": "platform-admin"})
    assert refused.status_code == 403  # type: ignore[attr-defined]
    session.expire_all()
    assert not session.get(User, other.id).is_platform_admin  # type: ignore[union-attr]


def test_nobody_deactivates_themselves(session: Session, client: TestClient):
    me = _staff(session, client, "platform-admin")
    assert "Dezaktywuj" not in client.get(f"/users/{me.id}").text

    page = _post(client, f"/users/{me.id}/deactivate", {})
    assert page.status_code == 422  # type: ignore[attr-defined]
    assert "nie możesz wyłączyć ani włączyć własnego konta" in page.text  # type: ignore[attr-defined]
    session.expire_all()
    assert session.get(User, me.id).is_active  # type: ignore[union-attr]


def test_the_last_platform_admin_stays(session: Session):
    admin = factories.user(session, role="platform-admin")
    second = factories.user(session, role="platform-admin")
    acting = queries.actor_for(session, admin)

    service.revoke_global_role(session, acting, second.id, "platform-admin")
    with pytest.raises(Conflict) as refused:
        service.revoke_global_role(session, SYSTEM, admin.id, "platform-admin")
    assert refused.value.code == "user.last_platform_admin"
    assert session.get(User, admin.id).is_platform_admin  # type: ignore[union-attr]


def test_a_coordinator_cannot_switch_off_a_platform_admin(session: Session):
    coordinator = queries.actor_for(session, factories.user(session, role="coordinator"))
    admin = factories.user(session, role="platform-admin")
    factories.user(session, role="platform-admin")
    with pytest.raises(PermissionDenied):
        service.deactivate(session, coordinator, admin.id)
    assert admin.is_active


def test_deactivate_reactivate_and_send_a_reset(session: Session, client: TestClient):
    _staff(session, client)
    person = factories.user(session)
    person.full_name = "Jan Kowalski"
    session.flush()

    page = _post(client, f"/users/{person.id}/deactivate", {})
    assert "Konto osoby Jan Kowalski jest wyłączone" in page.text  # type: ignore[attr-defined]
    page = _post(client, f"/users/{person.id}/reset", {})
    assert page.status_code == 422  # type: ignore[attr-defined]  # nobody resets a dead account
    page = _post(client, f"/users/{person.id}/reactivate", {})
    assert "Konto osoby Jan Kowalski znów jest aktywne." in page.text  # type: ignore[attr-defined]
    page = _post(client, f"/users/{person.id}/reset", {})
    assert f"Link do ustawienia nowego hasła wysłano na adres {person.email}." in page.text  # type: ignore[attr-defined]
    assert _mails_to(session, person.email)[-1].template == "password_reset"
    actions = set(
        session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(person.id)))
    )
    assert {
        "accounts.user.deactivate",
        "accounts.user.reactivate",
        "accounts.password_reset.send",
    } <= actions


def test_the_list_searches_and_shows_roles_by_name(session: Session, client: TestClient):
    _staff(session, client)
    factories.user(session, email="zofia@radom.example", role="officer", teryt=RADOM)
    page = client.get("/users?q=zofia&lang=en")
    assert "zofia@radom.example" in page.text and "city officer: Radom" in page.text
    assert client.get("/users?q=nobody-like-that").text.count("user-card") == 0


def test_users_page_is_for_staff_only(session: Session, client: TestClient):
    org = factories.organisation(session)
    admin = factories.user(session, role="admin", org=org)
    assert log_in(client, admin.email).status_code == 303
    assert client.get("/users").status_code == 403
    assert _post(client, "/users", {"email": "x@y.example", "full_name": "X"}).status_code == 403  # type: ignore[attr-defined]
    assert session.scalar(select(User.id).where(User.email == "x@y.example")) is None


def test_the_members_page_says_whose_role_changed(session: Session, client: TestClient):
    org = factories.organisation(session)
    admin = factories.user(session, role="admin", org=org)
    member = factories.user(session, role="viewer", org=org)
    member.full_name = "Jan Kowalski"
    session.flush()
    assert log_in(client, admin.email).status_code == 303

    page = _post(client, f"/organisations/{org.id}/members/{member.id}/role", {"role": "editor"})
    assert "Jan Kowalski ma teraz rolę: redaktor." in page.text  # type: ignore[attr-defined]
    page = _post(client, f"/organisations/{org.id}/members/{member.id}/remove", {})
    assert "Jan Kowalski nie ma już dostępu do tej organizacji." in page.text  # type: ignore[attr-defined]


def test_a_coordinator_changes_nothing_on_a_platform_admins_account(session: Session):
    coordinator = queries.actor_for(session, factories.user(session, role="coordinator"))
    admin = factories.user(session, role="platform-admin")
    org = factories.organisation(session)
    attempts = [
        lambda: service.grant_role_on_page(session, coordinator, admin.id, "coordinator"),
        lambda: service.grant_role_on_page(session, coordinator, admin.id, "admin", org.id),
        lambda: service.revoke_global_role(session, coordinator, admin.id, "coordinator"),
        lambda: service.revoke_role_on_page(session, coordinator, admin.id, "admin", org.id),
        lambda: service.send_reset(session, coordinator, admin.id),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as refused:
            attempt()
        assert refused.value.code == "user.platform_admin_only"
    assert not admin.is_coordinator and not _mails_to(session, admin.email)


def test_nobody_takes_their_own_staff_role_away(session: Session):
    me = factories.user(session, role="coordinator")
    factories.user(session, role="coordinator")
    with pytest.raises(Conflict) as refused:
        service.revoke_global_role(session, queries.actor_for(session, me), me.id, "coordinator")
    assert refused.value.code == "user.self"
    assert me.is_coordinator


@pytest.mark.parametrize("city", ["0609072", "9999999", None])
def test_an_officer_works_for_a_partner_city_only(session: Session, city: str | None):
    coordinator = queries.actor_for(session, factories.user(session, role="coordinator"))
    someone = factories.user(session)
    with pytest.raises(Invalid) as refused:
        service.grant_role_on_page(session, coordinator, someone.id, "officer", teryt=city)
    assert [e.code for e in refused.value.errors] == ["municipality.not_partner"]
    assert "None" not in str(refused.value) and "'" not in str(refused.value)
    assert someone.officer_teryt is None
