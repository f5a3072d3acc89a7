"""Matrix rows of the missing-tie recommendations: the page, the API and the invitation of a
pair to the next brokerage day for the coordinator, the platform admin and city officers
(pairs of their area); a bad limit is refused for everybody before anything is read."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.events.world import event
from tests.matrix import ELSEWHERE, EVERYONE, STAFF, Fields, World, make_accounts, row

from upland.audit import AuditEntry

VARIANTS = ("members",)
READERS = STAFF | {"officer_here", "officer_elsewhere"}


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, visibility="public")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    event(session)  # the next brokerage day, to invite a pair to
    return World(make_accounts(session, own.id, other.id), {"own": own.id, "other": other.id})


def _invitations(session: Session, _: Fields) -> int:
    stmt = select(func.count()).where(AuditEntry.action == "network.recommendation.invite")
    return session.scalar(stmt) or 0


ROWS = (
    row(
        "network-recommendations-invite",
        "POST",
        "/network/recommendations/invite",
        READERS,
        303,
        body={"a": "{own}", "b": "{other}"},
        observe=_invitations,
    ),
    row(
        "api-network-recommendations-invite",
        "POST",
        "/api/v1/network/recommendations/invite",
        READERS,
        201,
        body={"a": "{own}", "b": "{other}"},
        observe=_invitations,
    ),
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
