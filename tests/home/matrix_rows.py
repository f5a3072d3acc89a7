"""Matrix rows of the front door: the public home page and the starting page."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, USERS, Row, World, make_accounts, row

VARIANTS = ("",)


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session)
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    return World(make_accounts(session, own.id, other.id), {})


def _has_figures(response, fields, actor, variant) -> None:
    assert 'id="chart-cities"' in response.text


def _has_panels(response, fields, actor, variant) -> None:
    assert 'class="panel"' in response.text  # every logged-in person has at least the search


ROWS: tuple[Row, ...] = (
    row("home", "GET", "/", EVERYONE, 200, check=_has_figures),
    row("start", "GET", "/start", USERS, 200, check=_has_panels),
)
