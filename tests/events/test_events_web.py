"""Events through the pages and the API: the organiser creates, edits and publishes an event;
anonymous visitors see published events only; bad input answered with its code (never a
500); both languages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event
from upland.events.models import Event, EventRegistration
from upland.events.video import room_name

FORM = {
    "kind": "brokerage",
    "title_pl": "Giełda <b>Lublin</b>",
    "title_en": "Lublin brokerage day",
    "venue": "Targi Lublin",
    "languages": ["pl", "en"],
    "registration_closes": "2030-03-01",
    "sessions": "2030-03-12 09:00-12:00 20 10:20-10:40",
    "table_count": "6",
    "reserved_tables": "6",
    "table_names": "A; B",
    "participant_types": ["company", "investor"],
    "rules": ["company>investor", "investor>company"],
    "meeting_cap": "5",
    "request_mode": "acceptance",
}


def _organiser(session: Session, client: Any):
    agency = factories.organisation(session, kind="business_support")
    user = factories.user(session, role="editor", org=agency)
    session.commit()
    return agency, caller_for(session, client, user)


def test_create_edit_publish_through_the_pages(session: Session, client: Any):
    agency, caller = _organiser(session, client)
    assert 'id="new-event"' in caller.send("GET", "/events").text
    assert caller.send("GET", "/events/new").status_code == 200
    made = caller.send("POST", "/events/new", {**FORM, "organiser_id": str(agency.id)})
    assert made.status_code == 303, made.text
    found = session.query(Event).filter_by(organiser_id=agency.id).one()
    assert found.request_rules == [["company", "investor"], ["investor", "company"]]
    assert found.reserved_tables == [6] and found.table_names == ["A", "B"]
    page = caller.send("GET", made.headers["location"])
    assert "Giełda &lt;b&gt;Lublin&lt;/b&gt;" in page.text and 'id="publish"' in page.text
    assert "8 meeting slots" in caller.send("GET", f"{made.headers['location']}?lang=en").text
    edit = caller.send("GET", f"/events/{found.id}/edit")
    assert "2030-03-12 09:00-12:00 20 10:20-10:40" in edit.text
    saved = caller.send("POST", f"/events/{found.id}/edit", {**FORM, "online": "1", "venue": ""})
    assert saved.status_code == 303
    session.refresh(found)
    assert found.online and found.venue == ""
    assert (
        f"meet.jit.si/upland-{room_name(found)}" in caller.send("GET", f"/events/{found.id}").text
    )
    assert caller.send("POST", f"/events/{found.id}/publish", {}).status_code == 303
    session.refresh(found)
    assert found.status == "published"


def test_a_refused_form_says_why_and_keeps_the_input(session: Session, client: Any):
    agency, caller = _organiser(session, client)
    bad = {**FORM, "organiser_id": str(agency.id), "sessions": "tomorrow morning"}
    refused = caller.send("POST", "/events/new", bad)
    assert refused.status_code == 422 and "tomorrow morning" in refused.text
    rule = {**FORM, "organiser_id": str(agency.id), "rules": ["visitor>company"]}
    refused = caller.send("POST", "/events/new?lang=pl", rule)
    assert refused.status_code == 422 and 'id="problem"' in refused.text
    assert session.query(Event).count() == 0


def test_the_api_and_what_the_anonymous_see(session: Session, client: Any):
    draft = event(session, publish=False)
    shown = event(session)
    session.commit()
    anonymous = caller_for(session, client, None)
    listed = anonymous.send("GET", "/api/v1/events").json()["items"]
    assert [e["id"] for e in listed] == [shown.id]
    assert listed[0]["slots"][0] == {
        "id": f"{shown.sessions[0].id}-1",
        "day": "2030-03-12",
        "starts": "09:00",
        "ends": "09:30",
    }
    assert anonymous.send("GET", f"/events/{draft.id}").status_code == 404
    assert anonymous.send("GET", f"/api/v1/events/{draft.id}").status_code == 404
    assert anonymous.send("GET", f"/events/{shown.id}").status_code == 200
    _, caller = _organiser(session, client)
    body = {"kind": "fair", "title_pl": "Targi", "venue": "Radom", "organiser_id": None}
    assert caller.send("POST", "/api/v1/events", body).status_code == 403
    coordinator = factories.user(session, role="coordinator")
    session.commit()
    staff = caller_for(session, client, coordinator)
    made = staff.send("POST", "/api/v1/events", body)
    assert made.status_code == 201 and made.json()["status"] == "draft"
    wrong = staff.send("POST", "/api/v1/events", {**body, "reserved_tables": [3]})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["code"] == "event.reserved_table"
    fair = made.json()["id"]
    assert staff.send("POST", f"/api/v1/events/{fair}/publish").json()["status"] == "published"
    again = staff.send("POST", f"/api/v1/events/{fair}/publish")
    assert again.status_code == 409 and again.json()["code"] == "event.not_draft"
    put = staff.send("PUT", f"/api/v1/events/{fair}", {**body, "title_en": "Fair"})
    assert put.json()["title_en"] == "Fair"
    assert staff.send("POST", f"/api/v1/events/{fair}/cancel").json()["status"] == "cancelled"


def test_register_wait_cancel_and_the_organisers_list(session: Session, client: Any):
    agency = factories.organisation(session, kind="business_support")
    organiser = factories.user(session, role="editor", org=agency)
    day = event(session, organiser_id=agency.id, capacity=1)
    firm = factories.organisation(session, description_pl="Spawanie <robotów>")
    first = factories.user(session, role="viewer", org=firm)
    second = factories.user(session, role="viewer", org=factories.organisation(session))
    session.commit()
    one = caller_for(session, client, first)
    page = one.send("GET", f"/events/{day.id}")
    assert 'id="register-form"' in page.text and "Spawanie &lt;robotów&gt;" in page.text
    done = one.send("POST", f"/events/{day.id}/register", {"topics": "CNC; laser"})
    assert done.status_code == 303
    assert "confirmed" in one.send("GET", f"/events/{day.id}?lang=en").text
    two = caller_for(session, client, second)
    two.send("POST", f"/events/{day.id}/register", {"seek": "Odlewnie"})
    waiting = two.send("GET", f"/events/{day.id}?lang=en")
    assert "on the waiting list" in waiting.text
    again = two.send("POST", f"/events/{day.id}/register", {})
    assert again.status_code == 303
    assert "registered for this event already" in two.send("GET", f"/events/{day.id}?lang=en").text
    guest = caller_for(session, client, None)
    asked = guest.send(
        "POST", f"/events/{day.id}/guests", {"name": "Ewa", "email": "ewa@fund.example"}
    )
    assert asked.status_code == 303
    bad = guest.send("POST", f"/events/{day.id}/guests", {"name": "E", "email": "nope"})
    assert bad.status_code == 303
    boss = caller_for(session, client, organiser)
    listing = boss.send("GET", f"/events/{day.id}/registrations?lang=en")
    assert listing.text.count('id="registration-') == 3 and "ewa@fund.example" in listing.text
    api = boss.send("GET", f"/api/v1/events/{day.id}/registrations").json()["items"]
    assert [r["status"] for r in api] == ["confirmed", "waiting", "pending"]
    assert api[0]["topics"] == ["CNC", "laser"] and api[2]["guest"] is True
    cancelled = boss.send("POST", f"/api/v1/events/registrations/{api[0]['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    after = boss.send("GET", f"/api/v1/events/{day.id}/registrations").json()["items"]
    assert [r["status"] for r in after] == ["cancelled", "confirmed", "pending"]
    assert boss.send("GET", f"/events/{day.id}/registrations?lang=pl").status_code == 200


def test_the_starting_page_shows_the_next_events(session: Session, client: Any):
    shown = event(session, title_pl="Giełda wiosenna")
    event(session, publish=False, title_pl="Szkic giełdy")
    user = factories.user(session)
    session.commit()
    page = caller_for(session, client, user).send("GET", "/start?lang=pl")
    assert 'id="upcoming-events"' in page.text and f"/events/{shown.id}" in page.text
    assert "Giełda wiosenna" in page.text and "Szkic giełdy" not in page.text


def test_guest_registrations_from_one_address_are_limited(
    session: Session, client: Any, monkeypatch: Any
):
    from upland.accounts import ratelimit

    monkeypatch.setattr(ratelimit, "GUEST_REGISTRATIONS_PER_ADDRESS", "2/hour")
    day = event(session)
    session.commit()
    guest = caller_for(session, client, None)
    for n in range(2):
        asked = guest.send(
            "POST", f"/events/{day.id}/guests", {"name": "Ewa", "email": f"ewa{n}@fund.example"}
        )
        assert asked.status_code == 303
    page = guest.send(
        "POST", f"/events/{day.id}/guests?lang=en", {"name": "Ewa", "email": "ewa9@fund.example"}
    )
    assert page.status_code == 429
    assert "too many registrations from your network for now" in page.text
    # when to come back: the oldest counted sign-up leaves the hour's window
    assert 0 < int(page.headers["retry-after"]) <= 3600
    api = guest.send("POST", f"/api/v1/events/{day.id}/guests", {"name": "Jan", "email": "j@x.pl"})
    assert api.status_code == 429
    assert api.json()["code"] == "registration.rate_limited"
    assert 0 < int(api.headers["retry-after"]) <= 3600
    listed = session.scalars(
        select(EventRegistration.guest_email).where(EventRegistration.event_id == day.id)
    ).all()
    assert sorted(listed) == ["ewa0@fund.example", "ewa1@fund.example"]
