"""Matrix rows of the reports after the event: an event's report (page, CSV, XLSX, API) for its
organiser's editors and admins and staff, and read-only for the organiser's viewers; the area
report for the city officers (their own area, small cells hidden) and staff (any area, nothing
hidden).

One world: the organisation (a Lublin business support agency) runs the published brokerage day
`shown`, with two Lublin companies and one from Radom registered."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests import factories
from tests.events.matrix_rows import ORGANISERS
from tests.events.world import event, registered
from tests.matrix import ELSEWHERE, STAFF, Row, World, make_accounts, row

VARIANTS = ("",)
AREA_READERS = frozenset({"officer_here", "officer_elsewhere"}) | STAFF
REPORT_READERS = ORGANISERS | {"own_viewer"}  # the organiser's viewers: read-only


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, kind="business_support")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other.id)
    shown = event(session, organiser_id=own.id)
    registered(session, shown.id)
    registered(session, shown.id)
    registered(session, shown.id, other)
    return World(accounts, {"shown": shown.id})


def _csv(response, fields, actor, variant) -> None:
    assert response.headers["content-type"].startswith("text/csv")


def _xlsx(response, fields, actor, variant) -> None:
    assert response.content[:2] == b"PK"  # a zip: the workbook


def _area_page(response, fields, actor, variant) -> None:
    hidden = 'id="small-cells"' in response.text
    assert hidden is actor.startswith("officer")


REPORT = "/events/{shown}/report"
AREA = "/events/area-report"

ROWS: tuple[Row, ...] = (
    row("event-report", "GET", REPORT, REPORT_READERS, 200),
    row("event-report-csv", "GET", REPORT + ".csv", REPORT_READERS, 200, check=_csv),
    row("event-report-xlsx", "GET", REPORT + ".xlsx", REPORT_READERS, 200, check=_xlsx),
    row("api-event-report", "GET", "/api/v1" + REPORT, REPORT_READERS, 200),
    row("area-report", "GET", AREA, AREA_READERS, 200, check=_area_page),
    row("area-report-csv", "GET", AREA + ".csv", AREA_READERS, 200, check=_csv),
    row("area-report-xlsx", "GET", AREA + ".xlsx", AREA_READERS, 200, check=_xlsx),
    row("api-area-report", "GET", "/api/v1" + AREA, AREA_READERS, 200),
)
