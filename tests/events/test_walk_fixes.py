"""What the role walk over the demo world (bench/events_walk.py, docs/events.md) found a user
stumbling on, each kept fixed:

- a participant's agenda repeated their own organisation, offer and needs in full on every
  meeting card, the partner not told apart: now their own side is one small line ("Your side")
  and the partner is named under "You meet" (the organiser, who takes no part, sees both);
- on a phone each request card showed the heading "Message" over nothing when the request had
  no message: an empty cell of a stacked table is left out;
- the organiser's table plan moved a meeting with a bare "1" box beside the time: the fields
  of the move form have visible labels;
- the Polish guest form asked for "Nazwa" (a thing's name) where it wants the person's.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from upland.accounts import queries as accounts
from upland.actor import SYSTEM
from upland.events import queries, service
from upland.events.instance import build_instance
from upland.events.scheduling import solve
from upland.events.schemas import RequestIn


def _day(session: Session, monkeypatch: pytest.MonkeyPatch):
    agency = factories.organisation(session, kind="business_support")
    boss = factories.user(session, role="editor", org=agency)
    day = event(session, organiser_id=agency.id, request_mode="automatic")
    _, alice = registered(session, day.id, offer="Odlewy aluminiowe ALU-OWN")
    b, _ = registered(session, day.id, offer="Frezowanie CNC PARTNER-CNC")
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    session.commit()
    return day, boss, accounts.get_user(session, alice.user_id)


def test_the_agenda_names_the_partner_and_keeps_ones_own_side_short(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch
):
    day, boss, alice = _day(session, monkeypatch)
    mine = caller_for(session, client, alice).send("GET", f"/events/{day.id}/agenda?lang=en")
    assert mine.status_code == 200
    assert "You meet:" in mine.text and "PARTNER-CNC" in mine.text
    assert "Your side:" in mine.text and "ALU-OWN" not in mine.text
    client.cookies.clear()
    organiser = caller_for(session, client, boss).send("GET", f"/events/{day.id}/agenda?lang=pl")
    assert "ALU-OWN" in organiser.text and "PARTNER-CNC" in organiser.text
    assert "Twoja strona:" not in organiser.text


def test_an_empty_cell_of_a_card_row_shows_no_heading(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch
):
    day, _, alice = _day(session, monkeypatch)
    page = caller_for(session, client, alice).send("GET", f"/events/{day.id}/requests?lang=en")
    assert '<td data-label="Message"></td>' in page.text  # empty, so `td:empty` matches
    css = client.get("/static/upland.css").text
    phone = css[css.index("@media (max-width: 600px)") :]
    assert re.search(r"table\.stacked td:empty \{ display: none; \}", phone)


def test_the_move_form_of_the_table_plan_has_visible_labels(
    session: Session, client: Any, monkeypatch: pytest.MonkeyPatch
):
    day, boss, _ = _day(session, monkeypatch)
    [meeting] = queries.list_meetings(session, SYSTEM, day)
    page = caller_for(session, client, boss).send("GET", f"/events/{day.id}/schedule?lang=en")
    form = page.text[page.text.index(f'action="/events/meetings/{meeting.id}/move"') :]
    form = form[: form.index("</form>")]
    assert '<label class="move-field"><small>Move to</small> <select name="slot">' in form
    assert '<label class="move-field"><small>at table</small> <input name="table"' in form


def test_the_guest_form_asks_for_a_persons_name_in_polish(session: Session, client: Any):
    """The field said "Nazwa", the name of a thing (an organisation's): a guest was left
    wondering whether to type their company's there. It asks for "Imię i nazwisko"."""
    day = event(session)
    session.commit()
    page = client.get(f"/events/{day.id}?lang=pl").text
    assert '<label for="g-name">Imię i nazwisko *<input id="g-name"' in page
    assert '<label for="g-name">Full name *' in client.get(f"/events/{day.id}?lang=en").text


def test_the_area_reports_event_chooser_is_wide_enough_for_a_title(session: Session, client: Any):
    """At 1280 px the chooser cut "2026-06-18 Giełda kooperacyjna…" after its first word."""
    officer = factories.user(session, role="officer", teryt="0663011")
    session.commit()
    page = caller_for(session, client, officer).send("GET", "/events/area-report?lang=en")
    assert '<label for="f-event" class="wide">' in page.text
    assert ".inline-form label.wide { flex-basis: 32rem; }" in client.get("/static/upland.css").text
