"""The reports after the event through their readers: the organiser's report of one event
(page in Polish and English, CSV, XLSX, JSON API, the command line) and a partner area's report
(an officer's own area with small cells hidden, the coordinator's any area)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for, log_in
from tests.events.report_world import RADOM, HeldDay, held_day
from upland.actor import SYSTEM
from upland.errors import NotFound, PermissionDenied
from upland.events.report import queries
from upland.events.report.figures import OUTSIDE
from upland.spreadsheets import Table, csv_text, xlsx_bytes

LUBLIN = "0663011"


@pytest.fixture
def day(session: Session, monkeypatch: pytest.MonkeyPatch) -> HeldDay:
    made = held_day(session, monkeypatch)
    session.commit()
    return made


def _as(session: Session, client: Any, **grant: Any) -> Any:
    user = factories.user(session, **grant)
    session.commit()
    assert log_in(client, user.email).status_code == 303
    return client


def test_the_organisers_figures(session: Session, day: HeldDay):
    found = queries.get_event_report(session, day.editor, day.event.id)
    t = found.report.total
    assert t is not None
    assert (t.organisations, t.participants, t.requested, t.accepted, t.scheduled) == (
        3,
        3,
        3,
        3,
        3,
    )
    assert (t.held, t.missed, t.no_shows, t.checked) == (1, 2, 1, 3)
    assert (t.agreements, dict(t.by_agreement)) == (1, {"licence": 1})
    areas = {g.key: g.counts for g in found.report.by_area}
    assert areas[LUBLIN] is not None and areas[LUBLIN].requested == 3
    assert areas[RADOM] is not None and (areas[RADOM].requested, areas[RADOM].held) == (2, 1)
    assert areas[OUTSIDE] is not None and areas[OUTSIDE].organisations == 0
    types = {g.key: g.counts for g in found.report.by_type}
    assert types["research"] is not None and types["research"].missed == 2


def test_only_the_organiser_and_staff_see_the_event_report(session: Session, day: HeldDay):
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(PermissionDenied):
        queries.get_event_report(session, stranger, day.event.id)
    officer = factories.actor_of(session, factories.user(session, role="officer", teryt=LUBLIN))
    with pytest.raises(PermissionDenied):
        queries.get_event_report(session, officer, day.event.id)
    assert queries.get_event_report(session, SYSTEM, day.event.id).report.total is not None


def test_the_organisers_viewer_reads_the_report_and_changes_nothing(
    session: Session, client: Any, day: HeldDay
):
    """Read-only: the same figures as the organiser's editors, no organiser's buttons."""
    user = factories.user(session, role="viewer", org=day.organiser)
    viewer = factories.actor_of(session, user)
    found = queries.get_event_report(session, viewer, day.event.id)
    assert found.report.total is not None and found.report.total.agreements == 1
    page = caller_for(session, client, user)
    detail = page.send("GET", f"/events/{day.event.id}?lang=en")
    assert 'id="report-link"' in detail.text and 'id="organiser"' not in detail.text
    assert page.send("GET", f"/events/{day.event.id}/report.csv").status_code == 200
    assert page.send("GET", f"/events/{day.event.id}/registrations").status_code in (403, 404)


def test_the_page_in_both_languages_and_its_downloads(session: Session, client: Any, day: HeldDay):
    client = _as(session, client, role="coordinator")
    en = client.get(f"/events/{day.event.id}/report?lang=en")
    assert en.status_code == 200
    assert "Event report" in en.text and "Meetings held" in en.text and "Radom" in en.text
    assert "Agreements: licence agreement" in en.text
    pl = client.get(f"/events/{day.event.id}/report?lang=pl")
    assert pl.status_code == 200 and "Raport wydarzenia" in pl.text
    assert "Odbyte spotkania" in pl.text
    got = client.get(f"/events/{day.event.id}/report.csv?lang=en")
    assert got.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(got.text.lstrip("\ufeff"))))
    assert lines[0] == ["figure", "row", "column", "value"]
    assert ["By partner city", "Meetings held", "Radom", "1"] in lines
    book = client.get(f"/events/{day.event.id}/report.xlsx?lang=en")
    sheets = load_workbook(io.BytesIO(book.content), read_only=True)
    assert sheets.sheetnames == ["By participant type", "By partner city"]
    cells = list(sheets["By partner city"].iter_rows(values_only=True))
    assert cells[1][0] == "figure" and ("Meetings requested", 3, 3, 2, 0, 0) in cells


def test_the_api(session: Session, client: Any, day: HeldDay):
    client = _as(session, client, role="coordinator")
    got = client.get(f"/api/v1/events/{day.event.id}/report")
    assert got.status_code == 200
    data = got.json()
    assert data["total"]["held"] == 1 and data["total"]["agreements_by_type"] == {"licence": 1}
    radom = next(g for g in data["by_area"] if g["key"] == RADOM)
    assert radom["name"] == "Radom" and radom["counts"]["requested"] == 2


def test_an_officer_sees_their_area_with_small_cells_hidden(session: Session, day: HeldDay):
    officer = factories.actor_of(session, factories.user(session, role="officer", teryt=LUBLIN))
    found = queries.get_area_report(session, officer)
    assert found.area == LUBLIN and [e.id for e in found.events] == [day.event.id]
    assert found.report.hidden and found.report.total is None  # two organisations only
    with pytest.raises(PermissionDenied):
        queries.get_area_report(session, officer, RADOM)
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(PermissionDenied):
        queries.get_area_report(session, stranger)


def test_the_coordinator_sees_any_area_whole(session: Session, day: HeldDay):
    coordinator = factories.actor_of(session, factories.user(session, role="coordinator"))
    found = queries.get_area_report(session, coordinator, RADOM)
    assert not found.report.hidden and found.report.total is not None
    assert (found.report.total.requested, found.report.total.held) == (2, 1)
    assert [g.key for g in found.report.by_event] == [str(day.event.id)]
    one = queries.get_area_report(session, coordinator, LUBLIN, day.event.id)
    assert one.event is not None and one.report.by_event == []
    assert one.report.total is not None and one.report.total.organisations == 2
    with pytest.raises(NotFound):
        queries.get_area_report(session, coordinator, "1234567")
    with pytest.raises(NotFound):
        queries.get_area_report(session, coordinator, LUBLIN, 10**6)


def test_the_area_pages_and_downloads(session: Session, client: Any, day: HeldDay):
    client = _as(session, client, role="officer", teryt=LUBLIN)
    page = client.get("/events/area-report?lang=en")
    assert page.status_code == 200
    assert "Participants from the partner area of Lublin" in page.text
    assert 'id="small-cells"' in page.text and "not shown" in page.text
    assert client.get("/events/area-report?area=1463011").status_code == 403
    pl = client.get("/events/area-report?lang=pl")
    assert "Raport wydarzeń obszaru partnerskiego" in pl.text
    got = client.get("/events/area-report.csv?lang=en")
    assert ["By participant type", "Meetings held", "all from the area", "not shown"] in list(
        csv.reader(io.StringIO(got.text.lstrip("\ufeff")))
    )
    api = client.get("/api/v1/events/area-report")
    assert api.status_code == 200 and api.json()["total"] is None


def test_exports_neutralise_formulas():
    table = Table("=SUM(A1)", ["figure", "+all", "@x"], [["-1", 2, "'q"], ["ok", None, 3.5]])
    lines = list(csv.reader(io.StringIO(csv_text([table], ["figure", "row", "column", "value"]))))
    assert lines[1] == ["'=SUM(A1)", "'-1", "'+all", "2"]
    assert lines[2] == ["'=SUM(A1)", "'-1", "'@x", "''q"]
    book = load_workbook(io.BytesIO(xlsx_bytes([table])), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "'=SUM(A1)" and rows[2] == ("'-1", 2, "''q")
