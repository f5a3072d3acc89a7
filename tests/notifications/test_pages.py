"""The notification pages and API as people use them: the unread count in the navigation, the
list with unread ones marked, marking read by HTMX, the preferences page, the unsubscribe link,
in Polish and English."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in
from tests.notifications.testkinds import ASKED, PINGED

from upland.notifications import mailing, service
from upland.notifications.models import Notification, NotificationPreference


def logged_in(session: Session, client: TestClient) -> int:
    user = factories.user(session)
    assert log_in(client, user.email).status_code == 303
    return user.id


def ping(session: Session, user: int, name: str = "Ewa") -> Notification:
    [note] = service.notify(session, [user], PINGED.code, {"name": name}, "/organisations")
    return note


def test_the_navigation_counts_unread_news(session: Session, client: TestClient):
    user = logged_in(session, client)
    assert "badge" not in client.get("/start").text
    ping(session, user)
    ping(session, user)
    page = client.get("/start?lang=pl").text
    assert '<span class="badge" aria-hidden="true">2</span>' in page
    assert "Powiadomienia: 2 nieprzeczytane" in page
    assert "Notifications: 2 unread" in client.get("/start?lang=en").text


def test_the_list_marks_unread_news_and_htmx_marks_one_read(session: Session, client: TestClient):
    user = logged_in(session, client)
    old, new = ping(session, user, "Ewa"), ping(session, user, "Jan")
    page = client.get("/notifications?lang=en")
    assert page.status_code == 200
    assert page.text.index("Jan pinged you") < page.text.index("Ewa pinged you")  # newest first
    assert f'id="notification-{old.id}" class="notification unread"' in page.text
    assert '<a href="/organisations">Ewa pinged you</a>' in page.text

    csrf = csrf_of(page)
    fragment = client.post(
        f"/notifications/{old.id}/read",
        headers={"hx-request": "true", "x-csrf-token": csrf},
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith(
        f'<li id="notification-{old.id}" class="notification">'
    )
    assert "Mark read" not in fragment.text
    # The count in the menu follows, out of band.
    assert 'id="nav-notifications" hx-swap-oob="true"' in fragment.text
    assert '<span class="badge" aria-hidden="true">1</span>' in fragment.text
    session.refresh(old)
    assert old.read_at is not None
    assert "1 unread" in client.get("/notifications?lang=en").text

    done = client.post("/notifications/read-all", data={"csrf_token": csrf})
    assert done.status_code == 200 and "Nothing unread" in done.text
    session.refresh(new)
    assert new.read_at is not None


def test_the_list_goes_in_pages_and_in_polish(session: Session, client: TestClient):
    user = logged_in(session, client)
    for n in range(25):
        ping(session, user, f"n{n}")
    first = client.get("/notifications?lang=pl").text
    assert "25 nieprzeczytanych" in first and "Oznacz wszystkie jako przeczytane" in first
    assert 'href="/notifications?page=2"' in first and "1 / 2" in first
    second = client.get("/notifications?page=2").text
    assert "n0 pinged you" in second and "n5 pinged you" not in second
    assert client.get("/notifications?page=0").status_code == 422


def test_nobody_marks_anothers_news_read(session: Session, client: TestClient):
    logged_in(session, client)
    other = factories.user(session)
    theirs = ping(session, other.id)
    csrf = csrf_of(client.get("/notifications"))
    assert (
        client.post(f"/notifications/{theirs.id}/read", data={"csrf_token": csrf}).status_code
        == 404
    )
    assert client.post(f"/notifications/{theirs.id}/read", data={}).status_code == 403  # no CSRF
    session.refresh(theirs)
    assert theirs.read_at is None


def test_the_preferences_page_saves_each_kind_and_the_e_mail_switch(
    session: Session, client: TestClient
):
    user = logged_in(session, client)
    page = client.get("/account/notifications?lang=pl")
    assert page.status_code == 200
    assert "codzienne podsumowanie e-mailem" in page.text and "Ping" in page.text
    assert f'name="kind:{PINGED.code}"' in page.text
    saved = client.post(
        "/account/notifications",
        data={
            "csrf_token": csrf_of(page),
            f"kind:{PINGED.code}": "off",
            f"kind:{ASKED.code}": "weekly",
        },
    )
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    chosen = dict(
        session.execute(
            select(NotificationPreference.kind, NotificationPreference.delivery).where(
                NotificationPreference.user_id == user
            )
        ).all()
    )
    assert chosen == {PINGED.code: "off", ASKED.code: "weekly", "*": "in_app"}  # mail unticked
    assert 'id="f-mail" name="mail" value="1" >' in client.get("/account/notifications").text
    bad = client.post(
        "/account/notifications", data={"csrf_token": csrf_of(page), f"kind:{PINGED.code}": "x"}
    )
    assert bad.status_code == 422


def test_the_unsubscribe_link_works_without_a_log_in(session: Session, client: TestClient):
    other = factories.user(session)
    token = mailing.unsubscribe_token(other.id, ASKED.code)
    page = client.get(f"/notifications/unsubscribe/{token}?lang=en")
    assert page.status_code == 200 and "Stop e-mails about: Someone asks?" in page.text
    done = client.post(f"/notifications/unsubscribe/{token}", data={"csrf_token": csrf_of(page)})
    assert done.status_code == 200 and 'id="unsubscribed"' in done.text
    [note] = service.notify(session, [other.id], ASKED.code, {"who": "X", "how": "daily"})
    assert note.delivery == "in_app"
    assert client.get("/notifications/unsubscribe/forged").status_code == 404
    gone = mailing.unsubscribe_token(other.id, "gone.kind")
    assert "no longer sends" in client.get(f"/notifications/unsubscribe/{gone}?lang=en").text


def test_the_api_lists_marks_and_sets_up(session: Session, client: TestClient):
    user = logged_in(session, client)
    csrf = {"x-csrf-token": csrf_of(client.get("/notifications"))}
    notes = [ping(session, user, name) for name in ("Ewa", "Jan", "Ola")]
    listed = client.get("/api/v1/notifications?per_page=2").json()
    assert (listed["total"], listed["unread"], len(listed["items"])) == (3, 3, 2)
    first = listed["items"][0]
    assert first["text"] == "Ola pinged you"
    assert first["link"] == "https://upland.test/organisations"
    assert first["read_at"] is None and first["delivery"] == "daily"

    marked = client.post(f"/api/v1/notifications/{notes[0].id}/read", headers=csrf)
    assert marked.status_code == 200 and marked.json()["read_at"]
    assert client.get("/api/v1/notifications?unread=true").json()["total"] == 2
    assert client.post("/api/v1/notifications/read-all", headers=csrf).json() == {"marked": 2}

    prefs = client.get("/api/v1/notifications/preferences").json()
    assert prefs["mail"] is True
    pinged = next(k for k in prefs["kinds"] if k["kind"] == PINGED.code)
    assert pinged == {
        "kind": PINGED.code,
        "category": "Testing",
        "label": "Ping",
        "delivery": "daily",
        "default": "daily",
        "chosen": False,
    }
    changed = client.put(
        "/api/v1/notifications/preferences",
        json={"mail": False, "kinds": {PINGED.code: "weekly"}},
        headers=csrf,
    ).json()
    assert changed["mail"] is False
    assert next(k for k in changed["kinds"] if k["kind"] == PINGED.code)["delivery"] == "weekly"
    wrong = client.put(
        "/api/v1/notifications/preferences", json={"kinds": {PINGED.code: "hourly"}}, headers=csrf
    )
    assert wrong.status_code == 422
    unknown = client.put(
        "/api/v1/notifications/preferences", json={"kinds": {"no.such": "off"}}, headers=csrf
    )
    assert unknown.status_code == 404
    assert unknown.json()["code"] == "notification.kind.not_found"
    malformed = client.put(
        "/api/v1/notifications/preferences", json={"kinds": {"No Such": "off"}}, headers=csrf
    )
    assert malformed.status_code == 422
