"""Matrix rows of matching: logged-in users ask; what they get never includes an item they
could not open, nor their own organisation (the world's organisation is public or restricted).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import (
    ELSEWHERE,
    EVERYONE,
    STAFF,
    USERS,
    Fields,
    Row,
    World,
    denial,
    make_accounts,
    row,
)

from upland.actor import SYSTEM
from upland.matching import service
from upland.matching.feedback.models import MatchFeedback

VARIANTS = ("public", "restricted")
SEES_RESTRICTED = {"own_viewer", "own_editor", "own_admin", "officer_here", "coordinator"}
SEES_RESTRICTED |= {"platform_admin"}
OWN = {"own_viewer", "own_editor", "own_admin"}


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, visibility=variant)
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    service.refresh_items(session, SYSTEM, "organisation", [own.id, other.id])
    return World(make_accounts(session, own.id, other.id), {"own": own.id, "other": other.id})


def _may_open_own(actor: str, variant: str) -> bool:
    return variant == "public" or actor in SEES_RESTRICTED


def _suggested(response, fields: Fields, actor: str, variant: str) -> None:
    ids = {s["id"] for s in response.json() if s["kind"] == "organisation"}
    if actor in OWN or not _may_open_own(actor, variant):
        assert fields["own"] not in ids
    else:
        assert fields["own"] in ids
    if actor != "other_viewer":
        assert fields["other"] in ids


def _partners_expect(path: str):
    """Partners of the world's organisation: for whoever may open it (anonymous: the denial
    of the API, or the log-in for a page)."""

    def expect(actor: str, variant: str) -> int:
        if actor == "anonymous":
            return denial("GET", path, actor)
        return 200 if _may_open_own(actor, variant) else 404

    return expect


def _partners(response, fields: Fields, actor: str, variant: str) -> None:
    ids = {s["id"] for s in response.json() if s["kind"] == "organisation"}
    assert fields["own"] not in ids


FEEDBACK = {
    "target_kind": "organisation",
    "target_id": "{other}",
    "q": "spawanie ram",
    "reason": "wrong_field",
}


def _feedback_count(session: Session, _fields: Fields) -> int:
    return session.scalar(select(func.count()).select_from(MatchFeedback)) or 0


# Validation answers before the permission check: a malformed query is 422 for everyone.
ROWS: tuple[Row, ...] = (
    row(
        "api-match",
        "GET",
        "/api/v1/match?q=spawanie+ram+przyczep&kind=organisations&limit=50",
        USERS,
        200,
        check=_suggested,
    ),
    Row(
        "api-match-organisation",
        "GET",
        "/api/v1/match/organisation/{own}",
        _partners_expect("/api/v1/match/organisation/{own}"),
        200,
        check=_partners,
    ),
    row("match-page", "GET", "/match?q=spawanie+ram+przyczep", USERS, 200),
    Row(
        "match-partners-page",
        "GET",
        "/match/organisation/{own}/partners",
        _partners_expect("/match/organisation/{own}/partners"),
        200,
    ),
    row(
        "match-feedback",
        "POST",
        "/match/feedback",
        USERS,
        303,
        body=FEEDBACK | {"verdict": "not_relevant"},
        observe=_feedback_count,
        variants=("public",),
    ),
    row(
        "api-match-feedback",
        "POST",
        "/api/v1/match/feedback",
        USERS,
        201,
        body=FEEDBACK | {"useful": False},
        observe=_feedback_count,
        variants=("public",),
    ),
    row("match-feedback-report", "GET", "/match/feedback", STAFF, 200),
    row("api-match-feedback-report", "GET", "/api/v1/match/feedback/report", STAFF, 200),
    row("api-match-blank", "GET", "/api/v1/match?q=+", EVERYONE, 422),
    row("api-match-long", "GET", "/api/v1/match?q=" + "x" * 2001, EVERYONE, 422),
)
