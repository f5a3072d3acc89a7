"""The dashboard through the web: its page with charts and tables, the starting-page panel, and
the CSV and XLSX exports in the reader's language."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in
from tests.market.dashboard.world import LUBLIN, build


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    made = build(session, monkeypatch)
    session.commit()
    return made


def _as(session: Session, client: Any, **grant: Any) -> Any:
    user = factories.user(session, **grant)
    session.commit()
    assert log_in(client, user.email).status_code == 303
    return client


def _desc(html: str, chart: str) -> str:
    found = re.search(rf'<desc id="{chart}-desc">([^<]*)</desc>', html)
    assert found, f"no chart {chart}"
    return found.group(1)


def test_the_coordinator_page_shows_charts_with_their_numbers(session, client, world):
    page = _as(session, client, role="coordinator").get("/market/dashboard?lang=en")
    assert page.status_code == 200
    assert "Marketplace dashboard" in page.text
    assert "technology offer: 3" in _desc(page.text, "chart-market-kinds")
    assert "Lublin: 6" in _desc(page.text, "chart-market-cities")
    assert "withdrawn: 1" in _desc(page.text, "chart-market-statuses")
    assert "2024-Q2: 3" in _desc(page.text, "chart-market-put-forward")
    assert 'id="table-market-status"' in page.text  # the breakdowns over time
    monthly = client.get("/market/dashboard?by=month&lang=en")
    assert "2024-04: 3" in _desc(monthly.text, "chart-market-put-forward")
    yearly = client.get("/market/dashboard?by=year&lang=en")
    assert "2024: " in _desc(yearly.text, "chart-market-put-forward")
    assert "per year" in yearly.text
    assert '<option value="year" selected>years</option>' in yearly.text
    assert client.get("/market/dashboard/export.csv?by=year&lang=en").status_code == 200


def test_the_page_speaks_polish(session, client, world):
    page = _as(session, client, role="coordinator").get("/market/dashboard?lang=pl")
    assert page.status_code == 200
    assert "oferta technologiczna: 3" in _desc(page.text, "chart-market-kinds")
    assert "Pulpit giełdy ofert" in page.text


def test_an_officer_page_hides_small_cells_and_the_breakdowns(session, client, world):
    page = _as(session, client, role="officer", teryt=LUBLIN).get("/market/dashboard?lang=en")
    assert page.status_code == 200
    assert "withdrawn: not shown" in _desc(page.text, "chart-market-statuses")
    assert 'id="table-market-status"' not in page.text
    assert "groups of fewer than 5 organisations are not shown" in page.text


def test_a_bad_period_is_refused(session, client, world):
    answer = _as(session, client, role="coordinator").get("/market/dashboard?by=week")
    assert answer.status_code == 422


def test_the_panel_on_the_starting_page(session, client, world):
    page = _as(session, client, role="officer", teryt=LUBLIN).get("/start?lang=en")
    assert 'id="panel-market-dashboard"' in page.text
    assert 'href="/market/dashboard"' in page.text
    member = factories.user(session, role="editor", org=world["lublin"][0])
    session.commit()
    client.cookies.clear()
    log_in(client, member.email)
    assert 'id="panel-market-dashboard"' not in client.get("/start").text


def test_the_csv_export_holds_every_figure_in_the_readers_language(session, client, world):
    client = _as(session, client, role="coordinator")
    answer = client.get("/market/dashboard/export.csv?lang=en")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert rows[0] == ["figure", "row", "column", "value"]
    figures = {r[0] for r in rows[1:]}
    assert {"Key numbers", "Opportunities by kind", "Opportunities by status"} <= figures
    assert ["Opportunities by kind", "technology offer", "opportunities", "3"] in rows
    assert [
        "Opportunities put forward per period, by kind",
        "2024-Q2",
        "technology offer",
        "3",
    ] in rows
    polish = client.get("/market/dashboard/export.csv?lang=pl").text
    assert "oferta technologiczna" in polish and "Opportunities by kind" not in polish


def test_the_xlsx_export_has_a_sheet_per_figure_with_numbers(session, client, world):
    client = _as(session, client, role="coordinator")
    answer = client.get("/market/dashboard/export.xlsx?by=month&lang=en")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content), read_only=True)
    assert "Opportunities by kind" in book.sheetnames
    sheet = list(book["Opportunities by kind"].iter_rows(values_only=True))
    assert sheet[0] == ("Opportunities by kind",)
    assert ("technology offer", 3) in sheet
    assert len(book.sheetnames) == len(set(book.sheetnames))


def test_an_officer_export_hides_what_the_page_hides(session, client, world):
    client = _as(session, client, role="officer", teryt=LUBLIN)
    text = client.get("/market/dashboard/export.csv?lang=en").text
    assert "Opportunities by status,withdrawn,opportunities,not shown" in text
