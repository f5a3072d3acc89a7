"""The user-accounts page of an organisation, the invitation page and their JSON API."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for, csrf_of

from upland.accounts import service
from upland.accounts.actor import SYSTEM
from upland.accounts.models import Invitation, Membership, User
from upland.db import utcnow
from upland.organisations.models import Organisation
from upland.web.i18n import PL

NEW_PASSWORD = "nowe-haslo-2026"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "upland" / "templates"


def role_of(session: Session, user_id: int, org: Organisation) -> str | None:
    session.expire_all()
    return session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.organisation_id == org.id
        )
    )


def invitation_link(page: str) -> str:
    found = re.search(r'id="invitation-link">https?://[^/]+(/invitations/[^<]+)<', page)
    assert found, "no invitation link on the page"
    return found.group(1)


@pytest.fixture
def org(session: Session) -> Organisation:
    return factories.organisation(session, short_name="Rol-Mech")


@pytest.fixture
def admin(session: Session, org: Organisation) -> User:
    return factories.user(session, email="admin@rolmech.example", role="admin", org=org)


def test_the_organisation_page_links_the_accounts_page_for_its_admins_only(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    editor = factories.user(session, role="editor", org=org)
    caller_for(session, client, editor)
    assert f"/organisations/{org.id}/members" not in client.get(f"/organisations/{org.id}").text
    caller_for(session, client, admin)
    assert f"/organisations/{org.id}/members" in client.get(f"/organisations/{org.id}").text


@pytest.mark.parametrize(("lang", "title"), [("pl", "Konta użytkowników"), ("en", "User accounts")])
def test_the_page_lists_who_has_access(
    session: Session, client: TestClient, org: Organisation, admin: User, lang: str, title: str
):
    editor = factories.user(session, email="ewa@rolmech.example", role="editor", org=org)
    factories.user(
        session, email="obcy@inna.example", role="admin", org=factories.organisation(session)
    )
    caller_for(session, client, admin)  # logs in: the admin's last log-in is now

    page = client.get(f"/organisations/{org.id}/members", params={"lang": lang})

    assert page.status_code == 200
    assert title in page.text and "Rol-Mech" in page.text
    assert "admin@rolmech.example" in page.text and editor.email in page.text
    assert editor.full_name in page.text
    assert "obcy@inna.example" not in page.text
    row = page.text.split(f'id="member-{editor.id}"', 1)[1].split("</tr>", 1)[0]
    selected = "redaktor" if lang == "pl" else "editor"
    assert re.search(rf'<option value="editor" selected>{selected}</option>', row)
    assert f'action="/organisations/{org.id}/members/{editor.id}/remove"' in row
    admin_row = page.text.split(f'id="member-{admin.id}"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", admin_row), "no last log-in shown"


def test_inviting_a_new_person_end_to_end(
    session: Session, client: TestClient, app: Any, org: Organisation, admin: User
):
    caller = caller_for(session, client, admin)

    added = caller.send(
        "POST",
        f"/organisations/{org.id}/members",
        {"email": "Nowa@Rolmech.example", "full_name": "", "role": "editor"},
    )

    assert (added.status_code, added.headers["location"]) == (
        303,
        f"/organisations/{org.id}/members?saved=1",
    )
    page = client.get(added.headers["location"]).text
    link = invitation_link(page)
    assert "nowa@rolmech.example" in page and "zaproszenie; link ważny do" in page
    assert link not in client.get(f"/organisations/{org.id}/members").text  # shown once

    with TestClient(app) as invitee:  # somebody else's browser, not logged in
        opened = invitee.get(link)
        assert opened.status_code == 200
        assert "Rol-Mech" in opened.text and admin.full_name in opened.text
        assert "nowa@rolmech.example" in opened.text and "redaktor" in opened.text
        token = csrf_of(opened)
        form = {"full_name": "Ewa Nowa", "password": NEW_PASSWORD, "csrf_token": token}

        differ = invitee.post(link, data={**form, "password_repeat": NEW_PASSWORD + "x"})
        assert differ.status_code == 422
        assert 'aria-describedby="e-password_repeat"' in differ.text
        weak = invitee.post(
            link, data={**form, "password": "krotkie", "password_repeat": "krotkie"}
        )
        assert weak.status_code == 422 and "co najmniej 10 znaków" in weak.text
        assert 'value="Ewa Nowa"' in weak.text  # the name is kept, the password is not
        accepted = invitee.post(
            link, data={**form, "password_repeat": NEW_PASSWORD}, follow_redirects=False
        )
        assert (accepted.status_code, accepted.headers["location"]) == (
            303,
            f"/organisations/{org.id}",
        )
        account = invitee.get("/account")
        assert account.status_code == 200 and "nowa@rolmech.example" in account.text
        again = invitee.get(link)
        assert again.status_code == 410 and "zostało już wykorzystane" in again.text
    assert role_of(session, admin.id, org) == "admin"
    user = session.scalars(select(User).where(User.email == "nowa@rolmech.example")).one()
    assert (user.full_name, user.is_active, role_of(session, user.id, org)) == (
        "Ewa Nowa",
        True,
        "editor",
    )


def test_adding_someone_with_an_account_gives_access_without_a_link(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    existing = factories.user(session, email="jan@inna.example")
    caller = caller_for(session, client, admin)

    added = caller.send(
        "POST", f"/organisations/{org.id}/members", {"email": "jan@inna.example", "role": "viewer"}
    )

    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert 'id="invitation-link"' not in page and "jan@inna.example" in page
    assert role_of(session, existing.id, org) == "viewer"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"email": "nie-adres", "role": "viewer"}, "email", "nazwa@firma.example"),
        ({"email": "ewa@rolmech.example", "role": "owner"}, "role", "viewer"),
        ({"email": "admin@rolmech.example", "role": "viewer"}, "email", "ma już rolę"),
    ],
)
def test_adding_shows_errors_next_to_the_fields(
    session: Session,
    client: TestClient,
    org: Organisation,
    admin: User,
    form: dict[str, str],
    field: str,
    message: str,
):
    caller = caller_for(session, client, admin)

    response = caller.send("POST", f"/organisations/{org.id}/members", form)

    assert response.status_code == 422
    assert f'aria-describedby="e-{field}"' in response.text
    error = response.text.split(f'id="e-{field}"', 1)[1].split("</small>", 1)[0]
    assert message in error
    assert f'value="{form["email"]}"' in response.text  # what was typed stays
    assert session.scalars(select(User).where(User.email == "ewa@rolmech.example")).first() is None


def test_changing_and_removing_roles_from_the_list(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    editor = factories.user(session, role="editor", org=org)
    caller = caller_for(session, client, admin)
    base = f"/organisations/{org.id}/members/{editor.id}"

    changed = caller.send("POST", f"{base}/role", {"role": "admin"})
    assert changed.status_code == 303 and role_of(session, editor.id, org) == "admin"
    removed = caller.send("POST", f"{base}/remove")
    assert removed.status_code == 303 and role_of(session, editor.id, org) is None
    assert editor.email not in client.get(f"/organisations/{org.id}/members").text


def test_the_last_admin_is_told_why_they_cannot_leave(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    caller = caller_for(session, client, admin)

    for path, form in [("role", {"role": "viewer"}), ("remove", {})]:
        response = caller.send("POST", f"/organisations/{org.id}/members/{admin.id}/{path}", form)
        assert response.status_code == 422
        row = response.text.split(f'id="member-{admin.id}"', 1)[1].split("</tr>", 1)[0]
        assert "ostatnim administratorem tej organizacji" in row and 'aria-invalid="true"' in row
    assert role_of(session, admin.id, org) == "admin"

    factories.user(session, role="admin", org=org)
    left = caller.send(
        "POST", f"/organisations/{org.id}/members/{admin.id}/role", {"role": "viewer"}
    )
    assert (left.status_code, left.headers["location"]) == (303, f"/organisations/{org.id}")


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/organisations/{org}/members", {"email": "nowa@rolmech.example", "role": "admin"}),
        ("/organisations/{org}/members/{editor}/role", {"role": "admin"}),
        ("/organisations/{org}/members/{editor}/remove", {}),
    ],
)
def test_forms_need_the_csrf_token(
    session: Session,
    client: TestClient,
    org: Organisation,
    admin: User,
    path: str,
    form: dict[str, str],
):
    editor = factories.user(session, role="editor", org=org)
    caller_for(session, client, admin)

    response = client.post(path.format(org=org.id, editor=editor.id), data=form)

    assert response.status_code == 403
    assert role_of(session, editor.id, org) == "editor"
    assert session.scalars(select(User).where(User.email == "nowa@rolmech.example")).first() is None


def test_the_invitation_form_needs_the_csrf_token(
    session: Session, client: TestClient, org: Organisation
):
    invitation, token = service.invite_member(session, SYSTEM, org.id, "n@r.example", "", "viewer")
    client.get(f"/invitations/{token}")
    form = {"full_name": "Ewa", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}

    assert client.post(f"/invitations/{token}", data=form).status_code == 403
    session.expire_all()
    assert session.get(Invitation, invitation.id).accepted_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("case", "status", "message"),
    [
        ("unknown", 404, "link z zaproszeniem jest nieprawidłowy"),
        ("expired", 410, "zaproszenie wygasło"),
        ("used", 410, "zostało już wykorzystane"),
        ("withdrawn", 410, "zostało wycofane"),
        ("too long", 422, "najwyżej 200 znaków"),
    ],
)
def test_links_that_cannot_be_used_say_why(
    session: Session, client: TestClient, org: Organisation, case: str, status: int, message: str
):
    invitation, token = service.invite_member(session, SYSTEM, org.id, "n@r.example", "", "viewer")
    if case == "unknown":
        token = token[:-3] + "abc"
    elif case == "expired":
        invitation.expires_at = utcnow() - dt.timedelta(minutes=1)
    elif case == "used":
        service.accept_invitation(session, token, "Ewa", NEW_PASSWORD)
    elif case == "withdrawn":
        service.remove_member(session, SYSTEM, org.id, invitation.user_id)
    else:
        token = "x" * 201
    session.flush()

    page = client.get(f"/invitations/{token}")
    form = {"full_name": "Ewa", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
    csrf = csrf_of(client.get("/login"))
    posted = client.post(f"/invitations/{token}", data={**form, "csrf_token": csrf})

    assert (page.status_code, posted.status_code) == (status, status)
    assert message in page.text and message in posted.text
    assert client.get("/account", follow_redirects=False).status_code == 303  # nobody logged in


# --- JSON API ------------------------------------------------------------------------------------


def test_the_api_adds_lists_changes_and_removes_members(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    caller = caller_for(session, client, admin)
    client.cookies.clear()  # the API with the bearer token alone
    url = f"/api/v1/organisations/{org.id}/members"

    added = caller.send("POST", url, {"email": "nowa@rolmech.example", "full_name": "Ewa"})

    assert added.status_code == 201
    body = added.json()
    assert body["member"]["status"] == "invited" and body["member"]["role"] == "viewer"
    assert re.fullmatch(r"http://testserver/invitations/[\w-]{43}", body["invitation"]["url"])
    new_id = body["member"]["user_id"]
    listed = caller.send("GET", url).json()
    assert {m["email"]: m["status"] for m in listed} == {
        "admin@rolmech.example": "active",
        "nowa@rolmech.example": "invited",
    }
    assert body["invitation"]["url"] not in str(listed)
    existing = factories.user(session, email="jan@inna.example")
    granted = caller.send("POST", url, {"email": "jan@inna.example", "role": "editor"}).json()
    assert (granted["member"]["user_id"], granted["invitation"]) == (existing.id, None)

    patched = caller.send("PATCH", f"{url}/{new_id}", {"role": "admin"})
    assert patched.status_code == 200 and patched.json()["role"] == "admin"
    assert caller.send("DELETE", f"{url}/{new_id}").status_code == 204
    assert caller.send("DELETE", f"{url}/{new_id}").status_code == 404
    last = caller.send("DELETE", f"{url}/{admin.id}")
    assert last.status_code == 409 and "last admin" in last.json()["detail"]
    assert caller.send("PATCH", f"{url}/{admin.id}", {"role": "owner"}).status_code == 422


def test_the_api_refuses_other_organisations_members(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    other = factories.organisation(session)
    stranger = factories.user(session, role="editor", org=other)
    caller = caller_for(session, client, admin)

    theirs = f"/api/v1/organisations/{other.id}/members"
    assert caller.send("GET", theirs).status_code == 403
    assert caller.send("DELETE", f"{theirs}/{stranger.id}").status_code == 403
    assert caller.send("PATCH", f"{theirs}/{stranger.id}", {"role": "viewer"}).status_code == 403
    mine = f"/api/v1/organisations/{org.id}/members/{stranger.id}"
    assert caller.send("DELETE", mine).status_code == 404
    assert caller.send("PATCH", mine, {"role": "viewer"}).status_code == 404
    assert role_of(session, stranger.id, other) == "editor"
    assert role_of(session, stranger.id, org) is None


# --- Texts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("template", ["accounts/members.html", "accounts/invitation.html"])
def test_every_text_of_the_new_pages_is_translated(template: str):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    msgids = re.findall(r"""_\(["']([^"']+)["']\)""", text)
    assert msgids
    assert [m for m in msgids if m not in PL] == []
