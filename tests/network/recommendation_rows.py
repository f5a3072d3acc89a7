"""Matrix rows of the missing-tie recommendations: the page and the API for the coordinator,
the platform admin and city officers (pairs of their area); a bad limit is refused for
everybody before anything is read."""

from __future__ import annotations

from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, STAFF, World, make_accounts, row

VARIANTS = ("members",)
READERS = STAFF | {"officer_here", "officer_elsewhere"}


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, visibility="public")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    return World(make_accounts(session, own.id, other.id), {"own": own.id, "other": other.id})


ROWS = (
    row("network-recommendations", "GET", "/network/recommendations", READERS, 200),
    row("api-network-recommendations", "GET", "/api/v1/network/recommendations", READERS, 200),
    row(
        "api-network-recommendations-bad-limit",
        "GET",
        "/api/v1/network/recommendations?limit=0",
        EVERYONE,
        422,
    ),
)
