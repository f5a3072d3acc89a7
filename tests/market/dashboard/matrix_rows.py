"""Matrix rows of the marketplace dashboard: its page and its exports, for the coordinator,
platform admins and every city officer (each for their own partner area), nobody else."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, STAFF, Row, World, make_accounts, row

VARIANTS = ("",)
READERS = STAFF | {"officer_here", "officer_elsewhere"}


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session)
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    factories.opportunity(session, own, publish=True)
    return World(make_accounts(session, own.id, other.id), {})


def _page(response, fields, actor, variant) -> None:
    assert 'id="chart-market-kinds"' in response.text


def _csv(response, fields, actor, variant) -> None:
    assert response.headers["content-type"].startswith("text/csv")


def _xlsx(response, fields, actor, variant) -> None:
    assert response.content[:2] == b"PK"  # a zip: the workbook


ROWS: tuple[Row, ...] = (
    row("market dashboard", "GET", "/market/dashboard", READERS, 200, check=_page),
    row("market dashboard csv", "GET", "/market/dashboard/export.csv", READERS, 200, check=_csv),
    row("market dashboard xlsx", "GET", "/market/dashboard/export.xlsx", READERS, 200, check=_xlsx),
)
