"""Interests through the API and the pages: the whole journey (express → accept → both see
the other's consented contacts and the owner → outcome → confirmation), HTML in every text
field rendered safely, forms that keep their input, the calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.market.interests.models import Interest

SCRIPT = "<script>alert('x')</script>"
TODAY = dt.datetime.now(dt.UTC).date()


def _org(session: Session, kind: str, consent: str, name: str):
    n = name.replace(" ", "").lower()
    return factories.organisation(
        session,
        kind=kind,
        short_name=name,
        people=[
            {
                "full_name": f"Zgoda {name}",
                "email": f"{n}-yes@contact.example",
                "contact_visibility": consent,
            },
            {
                "full_name": f"Prywatny {name}",
                "email": f"{n}-no@contact.example",
                "contact_visibility": "private",
            },
        ],
    )


def test_the_whole_journey_through_the_api(session: Session, client: Any):
    owner = _org(session, "research", "members", "Politechnika Testowa")
    firm = _org(session, "company", "members", "Firma Testowa")
    owner_user = factories.user(session, role="editor", org=owner)
    firm_user = factories.user(session, role="editor", org=firm)
    made = factories.opportunity(
        session,
        owner,
        factories.actor_of(session, owner_user),
        publish=True,
        anonymous=True,
        kind="technology_offer",
        trl=4,
    )
    session.commit()
    firm_caller = caller_for(session, client, firm_user)
    answered = firm_caller.send(
        "POST", f"/api/v1/opportunities/{made.id}/interests", {"message": SCRIPT}
    )
    assert answered.status_code == 201, answered.text
    interest_id = answered.json()["id"]
    again = firm_caller.send("POST", f"/api/v1/opportunities/{made.id}/interests", {})
    assert again.status_code == 409 and again.json()["code"] == "interest.already_expressed"

    owner_caller = caller_for(session, client, owner_user)
    page = owner_caller.send("GET", f"/market/{made.id}/interests")
    assert page.status_code == 200
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text
    accepted = owner_caller.send(
        "POST", f"/api/v1/interests/{interest_id}/accept", {"message": "Zapraszamy"}
    )
    assert accepted.status_code == 200, accepted.text
    introduction = accepted.json()
    contacts = {p["email"] for side in introduction["contacts"] for p in side["people"]}
    assert contacts == {"firmatestowa-yes@contact.example"}  # consented only

    firm_caller = caller_for(session, client, firm_user)
    seen = firm_caller.send("GET", f"/api/v1/introductions/{introduction['id']}").json()
    assert seen["owner"]["name"] == "Politechnika Testowa"  # the anonymous owner, disclosed
    assert {p["email"] for s in seen["contacts"] for p in s["people"]} == {
        "politechnikatestowa-yes@contact.example"
    }
    reported = firm_caller.send(
        "POST",
        f"/api/v1/introductions/{introduction['id']}/outcomes",
        {"kind": "agreement_signed", "agreement_type": "licence", "note": SCRIPT},
    )
    assert reported.status_code == 201 and reported.json()["counts"] is False
    page = firm_caller.send("GET", "/market/introductions")
    assert page.status_code == 200 and SCRIPT not in page.text
    assert "politechnikatestowa-yes@contact.example" in page.text
    assert "politechnikatestowa-no@contact.example" not in page.text

    owner_caller = caller_for(session, client, owner_user)
    confirmed = owner_caller.send("POST", f"/api/v1/outcomes/{reported.json()['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["counts"] is True
    listed = owner_caller.send("GET", "/api/v1/introductions").json()
    assert listed["total"] == 1 and listed["items"][0]["agreements_counted"] == 1


def test_a_refused_form_keeps_its_input(session: Session, client: Any):
    owner = factories.organisation(session)
    other = factories.organisation(session)
    made = factories.opportunity(session, owner, publish=True)
    user = factories.user(session, role="editor", org=other)
    session.commit()
    caller = caller_for(session, client, user)
    too_long = "ą" * 2001
    refused = caller.send("POST", f"/market/{made.id}/interests", {"message": too_long})
    assert refused.status_code == 422
    assert too_long in refused.text and 'aria-invalid="true"' in refused.text
    sent = caller.send("POST", f"/market/{made.id}/interests", {"message": "Tak"})
    assert sent.status_code == 303
    twice = caller.send("POST", f"/market/{made.id}/interests", {"message": "x"})
    assert twice.status_code == 409
    assert session.query(Interest).filter_by(opportunity_id=made.id).count() == 1


def test_the_calendar_page(session: Session, client: Any):
    owner = factories.organisation(session, kind="research")
    other = factories.organisation(session)
    owner_actor = factories.actor_of(session, factories.user(session, role="editor", org=owner))
    made = factories.opportunity(
        session,
        owner,
        owner_actor,
        publish=True,
        kind="infrastructure_offer",
        equipment="Komora solna",
    )
    user = factories.user(session, role="editor", org=other)
    session.commit()
    caller = caller_for(session, client, user)
    start = TODAY + dt.timedelta(days=1)
    asked = caller.send(
        "POST",
        f"/api/v1/opportunities/{made.id}/bookings",
        {"starts_on": str(start), "ends_on": str(start), "purpose": SCRIPT},
    )
    assert asked.status_code == 201, asked.text
    owner_caller = caller_for(session, client, factories.user(session, role="editor", org=owner))
    session.commit()
    assert (
        owner_caller.send("POST", f"/api/v1/bookings/{asked.json()['id']}/accept").status_code
        == 200
    )
    reader = caller_for(session, client, factories.user(session, role="viewer", org=other))
    month = start.strftime("%Y-%m")
    calendar = reader.send("GET", f"/api/v1/opportunities/{made.id}/calendar?month={month}")
    assert calendar.json()["booked"] == [
        {"starts_on": str(start), "ends_on": str(start), "organisation": None}
    ]
    page = reader.send("GET", f"/market/{made.id}/bookings?month={month}")
    assert page.status_code == 200 and 'class="booked"' in page.text
    assert SCRIPT not in page.text
    bad = reader.send("GET", f"/market/{made.id}/bookings?month=2026-13")
    assert bad.status_code == 422


def test_the_starting_page_panel_names_what_waits(session: Session, client: Any):
    owner = factories.organisation(session)
    other = factories.organisation(session)
    owner_user = factories.user(session, role="editor", org=owner)
    made = factories.opportunity(
        session, owner, factories.actor_of(session, owner_user), publish=True
    )
    quiet = caller_for(session, client, owner_user)
    assert "/market/interests#received" not in quiet.send("GET", "/start").text
    from upland.market.interests import service
    from upland.market.interests.schemas import InterestIn

    editor = factories.actor_of(session, factories.user(session, role="editor", org=other))
    service.express_interest(session, editor, made.id, InterestIn(message="Tak"))
    session.commit()
    page = caller_for(session, client, owner_user).send("GET", "/start")
    assert page.status_code == 200 and "/market/interests#received" in page.text


def test_a_conflict_on_the_outcome_form_is_said_on_the_page(session: Session, client: Any):
    from upland.market.interests import service
    from upland.market.interests.schemas import InterestIn, OutcomeIn

    owner, other = factories.organisation(session), factories.organisation(session)
    owner_user = factories.user(session, role="editor", org=owner)
    owner_actor = factories.actor_of(session, owner_user)
    made = factories.opportunity(session, owner, owner_actor, publish=True)
    editor = factories.actor_of(session, factories.user(session, role="editor", org=other))
    interest = service.express_interest(session, editor, made.id, InterestIn())
    introduction = service.accept_interest(session, owner_actor, interest.id)
    report = service.record_outcome(
        session,
        editor,
        introduction.id,
        OutcomeIn(kind="agreement_signed", agreement_type="licence"),
    )
    service.confirm_outcome(session, owner_actor, report.id)
    session.commit()
    caller = caller_for(session, client, owner_user)
    again = caller.send("POST", f"/market/outcomes/{report.id}/confirm")
    assert again.status_code == 409
    assert "confirmed already" in again.text or "już potwierdzona" in again.text
    refused = caller.send(
        "POST", f"/market/introductions/{introduction.id}/outcomes", {"kind": "meeting_held"}
    )
    assert refused.status_code == 422 and 'class="error"' in refused.text


def test_the_interests_pages_speak_the_readers_language_and_lead_back(
    session: Session, client: Any
):
    """The title in the reader's language, a way back to the opportunity, and weekday names
    that fit a phone's calendar column ("niedz." broke over two lines at 390 px)."""
    owner = factories.organisation(session, kind="research")
    made = factories.opportunity(
        session,
        owner,
        publish=True,
        kind="infrastructure_offer",
        title_pl="Komora klimatyczna",
        title_en="Climate chamber",
        equipment="Komora",
    )
    reader = factories.user(session, role="editor", org=factories.organisation(session))
    session.commit()
    caller = caller_for(session, client, reader)
    back = f'href="/market/{made.id}"'
    for path in (f"/market/{made.id}/bookings", f"/market/{made.id}/interests"):
        english = caller.client.get(path, params={"lang": "en"}).text
        assert "<h1>Climate chamber</h1>" in english and back in english, path
        polish = caller.client.get(path, params={"lang": "pl"}).text
        assert "<h1>Komora klimatyczna</h1>" in polish and back in polish, path
    calendar = caller.client.get(f"/market/{made.id}/bookings", params={"lang": "pl"}).text
    assert ">nie</abbr>" in calendar and "niedz." not in calendar
    sent = caller.send("POST", f"/api/v1/opportunities/{made.id}/interests", {"message": "Tak"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["opportunity_title_en"] == "Climate chamber"
    mine = caller.client.get("/market/interests", params={"lang": "en"}).text
    assert ">Climate chamber</a>" in mine and "Komora klimatyczna" not in mine
