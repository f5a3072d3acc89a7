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
from tests.mailbox import Mailbox, text_of

from upland.accounts import service
from upland.accounts.models import Invitation, Membership, User
from upland.actor import SYSTEM
from upland.db import utcnow
from upland.i18n import gettext_in
from upland.organisations.models import Organisation

NEW_PASSWORD = "nowe-haslo-2026"
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "upland" / "templates"


def role_of(session: Session, user_id: int, org: Organisation) -> str | None:
    session.expire_all()
    return session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.organisation_id == org.id
        )
    )


def invitation_link(message: Any) -> str:
    """The path of the invitation link in a received e-mail."""
    found = re.search(r"https://upland\.test(/invitations/[\w-]+)", text_of(message))
    assert found, "no invitation link in the e-mail"
    return found.group(1)


def invite(session: Session, org: Organisation, email: str = "n@r.example") -> service.Invited:
    return service.add_member(session, SYSTEM, org.id, email, "viewer")


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
    session: Session,
    client: TestClient,
    app: Any,
    org: Organisation,
    admin: User,
    mailbox: Mailbox,
):
    caller = caller_for(session, client, admin)

    added = caller.send(
        "POST",
        f"/organisations/{org.id}/members",
        {"email": "Nowa@Rolmech.example", "role": "editor"},
    )

    assert (added.status_code, added.headers["location"]) == (
        303,
        f"/organisations/{org.id}/members#done",  # at the notice of what happened
    )
    page = client.get(added.headers["location"]).text
    assert "Zaproszenie dla nowa@rolmech.example (redaktor) wysłano e-mailem" in page
    row = page.split('id="invitations"', 1)[1]
    assert "nowa@rolmech.example" in row and "redaktor" in row
    [message] = mailbox.to("nowa@rolmech.example")
    link = invitation_link(message)
    assert link not in page  # the link went to the address only

    # somebody else's browser, not logged in
    with TestClient(app, base_url="https://testserver") as invitee:
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
    user = session.scalars(select(User).where(User.email == "nowa@rolmech.example")).one()
    assert (user.full_name, user.is_active, role_of(session, user.id, org)) == (
        "Ewa Nowa",
        True,
        "editor",
    )
    members = client.get(f"/organisations/{org.id}/members").text
    assert 'id="invitations"' not in members  # accepted: a member now, no longer invited
    assert f'id="member-{user.id}"' in members


def test_an_existing_account_accepts_the_offer_on_its_account_page(
    session: Session, client: TestClient, app: Any, org: Organisation, admin: User, mailbox: Mailbox
):
    existing = factories.user(session, email="jan@inna.example")
    caller = caller_for(session, client, admin)

    added = caller.send(
        "POST", f"/organisations/{org.id}/members", {"email": "jan@inna.example", "role": "editor"}
    )

    assert added.status_code == 303
    assert role_of(session, existing.id, org) is None  # nothing without consent
    [offer] = mailbox.to("jan@inna.example")
    assert "https://upland.test/account#offers" in text_of(offer)
    with TestClient(app, base_url="https://testserver") as holder:
        caller_for(session, holder, existing)
        page = holder.get("/account")
        row = page.text.split('id="offers"', 1)[1]
        assert "Rol-Mech" in row and "redaktor" in row
        invitation_id = re.search(r"/account/offers/(\d+)/accept", row).group(1)  # type: ignore[union-attr]
        accepted = holder.post(
            f"/account/offers/{invitation_id}/accept",
            data={"csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        assert accepted.status_code == 303
    assert role_of(session, existing.id, org) == "editor"


def test_nobody_else_answers_an_offer(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    factories.user(session, email="jan@inna.example")
    invited = invite(session, org, "jan@inna.example")
    caller = caller_for(session, client, admin)

    for answer in ("accept", "decline"):
        response = caller.send("POST", f"/account/offers/{invited.invitation.id}/{answer}")
        assert response.status_code == 404
    session.expire_all()
    assert session.get(Invitation, invited.invitation.id) is not None


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"email": "nie-adres", "role": "viewer"}, "email", "nazwa@firma.example"),
        ({"email": "ewa@rolmech.example", "role": "owner"}, "role", "wybierz wartość z listy"),
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


def test_a_member_removed_on_the_page_comes_back_with_undo(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    """Issue 8 §4: every remove button's removal is restorable, members too."""
    editor = factories.user(session, role="editor", org=org)
    caller = caller_for(session, client, admin)

    removed = caller.send("POST", f"/organisations/{org.id}/members/{editor.id}/remove")
    assert removed.status_code == 303 and role_of(session, editor.id, org) is None
    location = removed.headers["location"]
    removal_id = re.search(r"\?removed=([\w-]{22})#done$", location).group(1)
    page = client.get(location)
    undo = f'action="/organisations/{org.id}/removals/{removal_id}/restore"'
    assert undo in page.text and "Cofnij" in page.text
    for typed in [
        removal_id[:-1] + ("A" if removal_id[-1] != "A" else "B"),
        "abc",
        "9" * 40,
    ]:  # nothing undoable: no button
        assert "/restore" not in client.get(f"/organisations/{org.id}/members?removed={typed}").text

    restored = caller.send("POST", f"/organisations/{org.id}/removals/{removal_id}/restore")
    assert restored.status_code == 303
    assert restored.headers["location"] == f"/organisations/{org.id}/members#done"
    assert role_of(session, editor.id, org) == "editor"
    notice = client.get(restored.headers["location"]).text.split('id="done"', 1)[1]
    assert f"{editor.full_name} ponownie ma dostęp do tej organizacji" in notice.split("</p>")[0]
    assert "/restore" not in client.get(location).text  # undone once: no second Undo


def test_another_organisations_admin_gets_no_undo_of_a_member_removal(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    editor = factories.user(session, role="editor", org=org)
    caller = caller_for(session, client, admin)
    removed = caller.send("POST", f"/organisations/{org.id}/members/{editor.id}/remove")
    removal_id = re.search(r"removed=([\w-]+)", removed.headers["location"]).group(1)
    client.cookies.clear()
    other_org = factories.organisation(session)
    other = caller_for(session, client, factories.user(session, role="admin", org=other_org))
    page = client.get(f"/organisations/{other_org.id}/members?removed={removal_id}")
    assert "/restore" not in page.text
    refused = other.send("POST", f"/organisations/{org.id}/removals/{removal_id}/restore")
    assert refused.status_code in {403, 404}
    assert role_of(session, editor.id, org) is None


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
    invited = invite(session, org)
    client.get(f"/invitations/{invited.token}")
    form = {"full_name": "Ewa", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}

    assert client.post(f"/invitations/{invited.token}", data=form).status_code == 403
    session.expire_all()
    assert session.get(Invitation, invited.invitation.id).accepted_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("case", "status", "message"),
    [
        ("unknown", 404, "link z zaproszeniem jest nieprawidłowy"),
        ("expired", 410, "zaproszenie wygasło"),
        ("used", 410, "zostało już wykorzystane"),
        ("cancelled", 410, "zaproszenie zostało wycofane przez organizację"),
        ("replaced", 410, "zaproszenie zostało wycofane przez organizację"),
        ("too long", 422, "najwyżej 200 znaków"),
    ],
)
def test_links_that_cannot_be_used_say_why(
    session: Session, client: TestClient, org: Organisation, case: str, status: int, message: str
):
    invited = invite(session, org)
    token = invited.token
    if case == "unknown":
        token = token[:-3] + "abc"
    elif case == "expired":
        invited.invitation.expires_at = utcnow() - dt.timedelta(minutes=1)
    elif case == "used":
        service.accept_invitation(session, token, "Ewa", NEW_PASSWORD)
        client.cookies.clear()
    elif case == "cancelled":
        service.cancel_invitation(session, SYSTEM, org.id, invited.invitation.id)
    elif case == "replaced":  # the same address invited again: the old link is withdrawn
        service.add_member(session, SYSTEM, org.id, invited.email, "editor")
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


def test_the_api_invites_lists_changes_and_removes_members(
    session: Session, client: TestClient, org: Organisation, admin: User, mailbox: Mailbox
):
    caller = caller_for(session, client, admin)
    client.cookies.clear()  # the API with the bearer token alone
    url = f"/api/v1/organisations/{org.id}/members"
    factories.user(session, email="jan@inna.example")
    invite(session, org, "czeka@inna.example")

    answers = [
        caller.send("POST", url, {"email": email, "role": "editor"})
        for email in ("nowa@rolmech.example", "jan@inna.example", "czeka@inna.example")
    ]

    assert [(a.status_code, a.json()) for a in answers] == [
        (202, {"email": email, "status": "invited", "url": None})
        for email in ("nowa@rolmech.example", "jan@inna.example", "czeka@inna.example")
    ]
    assert {m["To"] for m in mailbox.messages} == {
        "nowa@rolmech.example",
        "jan@inna.example",
        "czeka@inna.example",
    }
    assert caller.send("POST", url, {"email": "x@y.example", "full_name": "Ewa"}).status_code == 422
    listed = caller.send("GET", url).json()
    assert [m["email"] for m in listed] == ["admin@rolmech.example"]
    pending = caller.send("GET", f"/api/v1/organisations/{org.id}/invitations").json()
    assert [(i["email"], i["role"]) for i in pending] == [
        ("czeka@inna.example", "editor"),
        ("jan@inna.example", "editor"),
        ("nowa@rolmech.example", "editor"),
    ]
    assert set(pending[0]) == {"id", "email", "role", "created_at", "expires_at"}
    cancel = f"/api/v1/organisations/{org.id}/invitations/{pending[0]['id']}"
    assert caller.send("DELETE", cancel).status_code == 204
    assert caller.send("DELETE", cancel).status_code == 404

    editor = factories.user(session, role="editor", org=org)
    patched = caller.send("PATCH", f"{url}/{editor.id}", {"role": "admin"})
    assert patched.status_code == 200 and patched.json()["role"] == "admin"
    assert caller.send("DELETE", f"{url}/{editor.id}").status_code == 204
    assert caller.send("DELETE", f"{url}/{editor.id}").status_code == 404
    last = caller.send("DELETE", f"{url}/{admin.id}")
    assert last.status_code == 409 and "last admin" in last.json()["detail"]
    assert caller.send("PATCH", f"{url}/{admin.id}", {"role": "owner"}).status_code == 422


def test_the_api_gives_the_link_only_in_development_mode(
    session: Session, client: TestClient, org: Organisation, admin: User, monkeypatch: Any
):
    from upland import settings

    caller = caller_for(session, client, admin)
    url = f"/api/v1/organisations/{org.id}/members"
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    settings.get_settings.cache_clear()
    try:
        answer = caller.send("POST", url, {"email": "nowa@rolmech.example"}).json()
    finally:
        monkeypatch.delenv("UPLAND_DEV_MODE")
        settings.get_settings.cache_clear()
    assert re.fullmatch(r"https://upland\.test/invitations/[\w-]{43}", answer["url"])


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
    unknown = f"/api/v1/organisations/{org.id}/members/{stranger.id + 1000}"
    answers = [caller.send("DELETE", path) for path in (mine, unknown)]
    assert [a.status_code for a in answers] == [404, 404]
    assert stranger.email not in answers[0].text  # nobody's address by id
    assert answers[0].json()["detail"] == f"user {stranger.id} has no role in organisation {org.id}"
    assert caller.send("PATCH", mine, {"role": "viewer"}).status_code == 404
    assert role_of(session, stranger.id, other) == "editor"
    assert role_of(session, stranger.id, org) is None


# --- Texts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "accounts/members.html",
        "accounts/invitation.html",
        "accounts/account.html",
        "accounts/forgot.html",
        "accounts/reset.html",
        "accounts/unsubscribe.html",
        "accounts/users.html",
        "accounts/user.html",
        "accounts/audit.html",
        "accounts/history.html",
        "accounts/_entries.html",
        "mail/outbox.html",
    ],
)
def test_every_text_of_the_new_pages_is_translated(template: str):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    msgids = re.findall(r"""_\(["']([^"']+)["']\)""", text)
    assert msgids
    assert [m for m in msgids if gettext_in("pl", m) == m and m != "E-mail"] == []


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_an_old_offer_page_answers_only_the_offer_it_showed(
    session: Session, client: TestClient, org: Organisation, answer: str
):
    existing = factories.user(session, email="jan@inna.example")
    invited = invite(session, org, "jan@inna.example")
    caller_for(session, client, existing)
    page = client.get("/account")
    form = page.text.split(f'action="/account/offers/{invited.invitation.id}/{answer}"', 1)[1]
    fields = dict(re.findall(r'name="(organisation_id|role)" value="([^"]*)"', form)[:2])
    assert fields == {"organisation_id": str(org.id), "role": "viewer"}
    # On SQLite a declined offer's id comes back for the next one: here, another organisation's.
    other = factories.organisation(session)
    session.get(Invitation, invited.invitation.id).organisation_id = other.id  # type: ignore[union-attr]
    session.commit()

    response = client.post(
        f"/account/offers/{invited.invitation.id}/{answer}",
        data={**fields, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )

    assert response.status_code == 409
    assert role_of(session, existing.id, other) is None
    session.expire_all()
    assert session.get(Invitation, invited.invitation.id) is not None


def test_an_erased_account_is_named_in_the_page_s_language(
    session: Session, client: TestClient, org: Organisation, admin: User
):
    """Attack walk-through: erasure leaves "(erased)" as the name, shown untranslated."""
    erased = factories.user(session, role="viewer", org=org)
    service.erase_user(session, SYSTEM, erased.id)
    caller_for(session, client, admin)

    polish = client.get(f"/organisations/{org.id}/members?lang=pl").text
    english = client.get(f"/organisations/{org.id}/members?lang=en").text

    assert "(dane usunięte)" in polish and "(erased)" not in polish
    assert "(erased)" in english
