"""`notify` records news as each person chose; people mark their own read and choose per kind."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.notifications.conftest import person
from tests.notifications.testkinds import ASKED, PINGED

from upland import clock
from upland.accounts import service as account_service
from upland.actor import ANONYMOUS, SYSTEM, Actor
from upland.errors import Invalid, NotFound, PermissionDenied
from upland.mail.models import NOTICE, MailMessage
from upland.notifications import mailing, queries, service
from upland.notifications.models import ALL_KINDS, Delivery, Notification, NotificationPreference


def me(user_id: int) -> Actor:
    return Actor(user_id=user_id, label=f"user {user_id}")


def ping(session: Session, *users: int, name: str = "Ewa") -> list[Notification]:
    return service.notify(session, users, PINGED.code, {"name": name}, "/organisations")


def test_each_recipient_gets_the_kinds_default_delivery(session: Session):
    a, b = person(session), person(session)
    made = ping(session, a, b, a)  # a named twice: told once
    assert sorted(n.recipient_id for n in made) == [a, b]
    assert {n.delivery for n in made} == {Delivery.DAILY.value}
    assert all(n.mail_message_id is None and n.read_at is None for n in made)


def test_an_immediate_kind_queues_one_e_mail_per_person_in_their_language(session: Session):
    pl, en = person(session, "pl"), person(session, "en")
    made = service.notify(session, [pl, en], ASKED.code, {"who": "Rol-Mech", "how": "weekly"})
    messages = {m.id: m for m in session.scalars(select(MailMessage))}
    by_person = {n.recipient_id: messages[n.mail_message_id] for n in made}
    assert by_person[en].subject == "Upland: Rol-Mech asks about: weekly e-mail digest"
    assert (
        by_person[pl].subject == "Upland: Rol-Mech asks about: cotygodniowe podsumowanie e-mailem"
    )
    assert "Dzień dobry" in by_person[pl].body_text and "Hello" in by_person[en].body_text
    assert all(
        m.kind == NOTICE and "/notifications/unsubscribe/" in m.unsubscribe_url
        for m in by_person.values()
    )
    assert all(n.emailed_at is None for n in made)  # not until the transport took it


def test_news_of_a_replayed_past_is_listed_read_and_never_e_mailed(session: Session):
    """The demo's history is written with the clock replaying 2019: nobody gets mail of it."""
    a, b = person(session), person(session)
    moment = dt.datetime(2019, 5, 6, 10, tzinfo=dt.UTC)
    with clock.replay(moment):
        made = service.notify(session, [a, b], ASKED.code, {"who": "Rol-Mech", "how": "x"})
        made += ping(session, a)
    assert {n.delivery for n in made} == {Delivery.IN_APP.value}
    assert all(n.read_at == n.created_at == moment for n in made)
    assert all(n.mail_message_id is None for n in made)
    assert session.scalar(select(MailMessage.id)) is None


def test_off_records_nothing_and_no_e_mail_at_all_keeps_news_in_the_app(session: Session):
    off, muted = person(session), person(session)
    service.set_preferences(session, me(off), off, {ASKED.code: "off"})
    service.set_preferences(session, me(muted), muted, {ALL_KINDS: "in_app"})
    made = service.notify(session, [off, muted], ASKED.code, {"who": "X", "how": "daily"})
    assert [(n.recipient_id, n.delivery) for n in made] == [(muted, "in_app")]
    assert session.scalar(select(MailMessage.id)) is None


def test_a_chosen_delivery_beats_the_default(session: Session):
    user = person(session)
    service.set_preferences(session, me(user), user, {PINGED.code: "immediate"})
    [note] = ping(session, user)
    assert note.delivery == "immediate" and note.mail_message_id is not None


def test_inactive_accounts_are_told_nothing(session: Session):
    user = person(session)
    account_service.deactivate_user(session, SYSTEM, user)
    assert ping(session, user) == []


@pytest.mark.parametrize(
    ("kind", "link", "params"),
    [
        ("nobody.registered", None, {}),
        (PINGED.code, "https://evil.example/x", {"name": "x"}),
        (PINGED.code, "//evil.example/x", {"name": "x"}),
        (PINGED.code, None, {"name": "x" * 5000}),
    ],
)
def test_notify_refuses_unknown_kinds_foreign_links_and_big_params(session, kind, link, params):
    user = person(session)
    with pytest.raises(ValueError):
        service.notify(session, [user], kind, params, link)


def test_params_are_measured_in_characters_not_in_escapes(session: Session):
    """An emoji is one character of the limit, not the 12 of its ASCII escape."""
    user = person(session)
    name = "🦊" * (service.MAX_PARAMS - 100)
    [made] = service.notify(session, [user], PINGED.code, {"name": name})
    assert made.params == {"name": name}
    with pytest.raises(ValueError):
        service.notify(session, [user], PINGED.code, {"name": name + "🦊" * 100})


def test_people_mark_their_own_news_read_and_nobody_elses(session: Session):
    a, b = person(session), person(session)
    [mine], [theirs] = ping(session, a), ping(session, b)
    assert queries.count_unread(session, me(a)) == 1
    with pytest.raises(NotFound):
        service.mark_read(session, me(a), theirs.id)
    with pytest.raises(PermissionDenied):
        service.mark_read(session, ANONYMOUS, theirs.id)
    with pytest.raises(NotFound):  # staff do not read other people's news either
        service.mark_read(session, Actor(user_id=999_999, label="c", is_coordinator=True), mine.id)
    assert service.mark_read(session, me(a), mine.id).read_at is not None
    assert queries.count_unread(session, me(a)) == 0
    assert queries.count_unread(session, me(b)) == 1


def test_mark_all_read_marks_only_ones_own(session: Session):
    a, b = person(session), person(session)
    ping(session, a, b)
    ping(session, a, b)
    assert service.mark_all_read(session, me(a)) == 2
    assert service.mark_all_read(session, me(a)) == 0
    assert queries.count_unread(session, me(b)) == 2
    with pytest.raises(PermissionDenied):
        service.mark_all_read(session, ANONYMOUS)


def test_the_list_is_ones_own_newest_first_in_pages(session: Session):
    a, b = person(session), person(session)
    for n in range(5):
        ping(session, a, name=f"n{n}")
    ping(session, b)
    first = queries.list_notifications(session, me(a), page=1, per_page=2)
    last = queries.list_notifications(session, me(a), page=3, per_page=2)
    assert (first.total, first.pages, first.unread) == (5, 3, 5)
    assert [n.params["name"] for n in first.items] == ["n4", "n3"]
    assert [n.params["name"] for n in last.items] == ["n0"]
    assert queries.list_notifications(session, ANONYMOUS.__class__(user_id=b, label="b")).total == 1


def test_preferences_are_ones_own_and_only_offered_values(session: Session):
    a, b = person(session), person(session)
    with pytest.raises(PermissionDenied):
        service.set_preferences(session, me(a), b, {PINGED.code: "off"})
    with pytest.raises(Invalid):
        service.set_preferences(session, me(a), a, {PINGED.code: "hourly"})
    with pytest.raises(NotFound):
        service.set_preferences(session, me(a), a, {"nobody.registered": "off"})
    with pytest.raises(Invalid):  # e-mail at all is on or off, not a digest
        service.set_preferences(session, me(a), a, {ALL_KINDS: "daily"})
    assert service.set_preferences(session, me(a), a, {PINGED.code: "weekly"}) == {
        PINGED.code: "weekly"
    }
    assert service.set_preferences(session, me(a), a, {PINGED.code: "weekly"}) == {}  # no change
    prefs = queries.get_preferences(session, me(a), a)
    chosen = {c.kind.code: (c.delivery, c.chosen) for c in prefs.choices}
    assert chosen[PINGED.code] == (Delivery.WEEKLY, True)
    assert chosen[ASKED.code] == (Delivery.IMMEDIATE, False)
    assert prefs.mail is True


def test_the_unsubscribe_link_stops_e_mails_of_its_kind_or_all(session: Session):
    user = person(session)
    service.unsubscribe(session, mailing.unsubscribe_token(user, ASKED.code))
    [note] = service.notify(session, [user], ASKED.code, {"who": "X", "how": "daily"})
    assert note.delivery == "in_app"
    service.unsubscribe(session, mailing.unsubscribe_token(user, ALL_KINDS))
    assert queries.get_preferences(session, me(user), user).mail is False
    [later] = ping(session, user)
    assert later.delivery == "in_app"  # the daily digest is e-mail too


def test_an_unsubscribe_link_we_did_not_sign_is_refused(session: Session):
    with pytest.raises(NotFound):
        service.unsubscribe(session, "forged-token")
    with pytest.raises(NotFound):  # signed for another purpose
        from upland.mail import links

        service.unsubscribe(session, links.sign("notices", 1))


def test_personal_data_export_and_erasure_cover_notifications_and_choices(session: Session):
    from upland import personal_data

    user, other = person(session), person(session)
    service.set_preferences(session, me(user), user, {PINGED.code: "weekly"})
    ping(session, user, other, name="Ewa")
    exported = personal_data.exported(session, user)["notifications"]
    assert [n["params"] for n in exported["notifications"]] == [{"name": "Ewa"}]
    assert exported["preferences"] == {PINGED.code: "weekly"}

    account_service.erase_user(session, SYSTEM, user)
    assert personal_data.exported(session, user)["notifications"] == {
        "notifications": [],
        "preferences": {},
    }
    assert queries.count_unread(session, me(other)) == 1


def test_a_link_for_a_kind_no_longer_sent_still_works_and_changes_nothing(session: Session):
    user = person(session)
    token = mailing.unsubscribe_token(user, "gone.kind")
    assert service.unsubscribe_link_target(token) == (user, "gone.kind")
    service.unsubscribe(session, token)
    assert session.scalars(select(NotificationPreference)).all() == []
