"""Matrix rows of matching: logged-in users ask; what they get never includes an item they
could not open, nor their own organisation (the world's organisation is public or restricted).
"""

from __future__ import annotations

import re

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
from upland.matching.weights.models import MatchExample, MatchWeights

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
    proposal = MatchWeights(status="proposed", values={"pkd": 0.3}, examples=12)
    example = MatchExample(text="spawanie ram")
    session.add_all([proposal, example])
    session.flush()
    shared = {"own": own.id, "other": other.id, "proposal": proposal.id, "example": example.id}
    return World(make_accounts(session, own.id, other.id), shared)


def _may_open_own(actor: str, variant: str) -> bool:
    return variant == "public" or actor in SEES_RESTRICTED


def _organisations(response) -> set[int]:
    """The suggested organisations of an API answer, or of a page (its suggestions' links)."""
    if response.headers["content-type"].startswith("application/json"):
        return {s["id"] for s in response.json() if s["kind"] == "organisation"}
    found = re.findall(r'<li class="suggestion">\s*<a href="/organisations/(\d+)"', response.text)
    return {int(i) for i in found}


def _suggested(response, fields: Fields, actor: str, variant: str) -> None:
    ids = _organisations(response)
    if actor in OWN or not _may_open_own(actor, variant):
        assert fields["own"] not in ids
    else:
        assert fields["own"] in ids
    if actor != "other_viewer":
        assert fields["other"] in ids


def _left_out(response, fields: Fields, actor: str, variant: str) -> None:
    """Left out for lacking IATF 16949 (no firm of the world has it): never the asker's own,
    never one the reader may not open."""
    listed = response.json()
    assert all(row["why"]["against"] for row in listed)
    if actor in OWN or not _may_open_own(actor, variant):
        assert fields["own"] not in _organisations(response)


def _partners_expect(path: str):
    """Partners of the world's organisation: for whoever may open it (anonymous: the denial
    of the API, or the log-in for a page)."""

    def expect(actor: str, variant: str) -> int:
        if actor == "anonymous":
            return denial("GET", path, actor)
        return 200 if _may_open_own(actor, variant) else 404

    return expect


def _partners(response, fields: Fields, actor: str, variant: str) -> None:
    ids = _organisations(response)
    assert fields["own"] not in ids


FEEDBACK = {
    "target_kind": "organisation",
    "target_id": "{other}",
    "q": "spawanie ram",
    "reason": "wrong_field",
}


def _feedback_count(session: Session, _fields: Fields) -> int:
    return session.scalar(select(func.count()).select_from(MatchFeedback)) or 0


def _weights(session: Session, _fields: Fields) -> list[tuple[int, str]]:
    return [(w.id, w.status) for w in session.scalars(select(MatchWeights))]


def _examples(session: Session, _fields: Fields) -> int:
    return session.scalar(select(func.count()).select_from(MatchExample)) or 0


def _too_little_feedback(path: str):
    """Staff may ask for a proposal, but the world has no feedback to learn from: 422."""

    def expect(actor: str, _variant: str) -> int:
        return 422 if actor in STAFF else denial("POST", path, actor)

    return expect


WEIGHTS = "/match/weights"
API_WEIGHTS = "/api/v1/match/weights"
STAFF_ONLY = {"variants": ("public",)}

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
    row(
        "api-match-left-out",
        "GET",
        "/api/v1/match/left-out?q=spawanie+ram+przyczep+z+IATF+16949&kind=organisations",
        USERS,
        200,
        check=_left_out,
    ),
    row(
        "api-match-reading",
        "GET",
        "/api/v1/match/reading?q=odlewy+z+IATF+16949%2C+do+80+km+od+Radomia",
        USERS,
        200,
    ),
    Row(
        "api-match-organisation",
        "GET",
        "/api/v1/match/organisation/{own}",
        _partners_expect("/api/v1/match/organisation/{own}"),
        200,
        check=_partners,
    ),
    row(
        "match-page",
        "GET",
        "/match?q=spawanie+ram+przyczep&kind=organisations",
        USERS,
        200,
        check=_suggested,
    ),
    Row(
        "match-partners-page",
        "GET",
        "/match/organisation/{own}/partners",
        _partners_expect("/match/organisation/{own}/partners"),
        200,
        check=_partners,
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
    row("match-weights", "GET", WEIGHTS, STAFF, 200),
    row(
        "match-weights-save",
        "POST",
        WEIGHTS,
        STAFF,
        303,
        body={"action": "save", "pkd": "0.3"},
        observe=_weights,
        **STAFF_ONLY,
    ),
    Row(
        "match-weights-propose",
        "POST",
        WEIGHTS + "/proposals",
        _too_little_feedback(WEIGHTS + "/proposals"),
        303,
        observe=_weights,
        **STAFF_ONLY,
    ),
    row(
        "match-weights-decide",
        "POST",
        WEIGHTS + "/proposals/{proposal}/accept",
        STAFF,
        303,
        observe=_weights,
        **STAFF_ONLY,
    ),
    row(
        "match-example-add",
        "POST",
        WEIGHTS + "/examples",
        STAFF,
        303,
        body={"text": "odlewy aluminiowe"},
        observe=_examples,
        **STAFF_ONLY,
    ),
    row(
        "match-example-remove",
        "POST",
        WEIGHTS + "/examples/{example}/delete",
        STAFF,
        303,
        observe=_examples,
        **STAFF_ONLY,
    ),
    row("api-match-weights", "GET", API_WEIGHTS, STAFF, 200),
    row(
        "api-match-weights-save",
        "PUT",
        API_WEIGHTS,
        STAFF,
        200,
        body={"values": {"pkd": 0.3}},
        observe=_weights,
        **STAFF_ONLY,
    ),
    Row(
        "api-match-weights-propose",
        "POST",
        API_WEIGHTS + "/proposals",
        _too_little_feedback(API_WEIGHTS + "/proposals"),
        201,
        observe=_weights,
        **STAFF_ONLY,
    ),
    row(
        "api-match-weights-decide",
        "POST",
        API_WEIGHTS + "/proposals/{proposal}/reject",
        STAFF,
        200,
        observe=_weights,
        **STAFF_ONLY,
    ),
    row(
        "api-match-weights-preview",
        "POST",
        API_WEIGHTS + "/preview",
        STAFF,
        200,
        body={"values": {"text": 0.5}},
        **STAFF_ONLY,
    ),
    row(
        "api-match-example-add",
        "POST",
        API_WEIGHTS + "/examples",
        STAFF,
        201,
        body={"text": "odlewy aluminiowe"},
        observe=_examples,
        **STAFF_ONLY,
    ),
    row(
        "api-match-example-remove",
        "DELETE",
        API_WEIGHTS + "/examples/{example}",
        STAFF,
        204,
        observe=_examples,
        **STAFF_ONLY,
    ),
    row("api-match-blank", "GET", "/api/v1/match?q=+", EVERYONE, 422),
    row("api-match-long", "GET", "/api/v1/match?q=" + "x" * 2001, EVERYONE, 422),
    row("api-match-reading-blank", "GET", "/api/v1/match/reading?q=+", EVERYONE, 422),
    row("api-match-left-out-blank", "GET", "/api/v1/match/left-out?q=+", EVERYONE, 422),
)
