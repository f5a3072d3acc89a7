"""The coordinator's weights: saved versions rank (audit-logged), a proposal learnt from
feedback is shown and accepted or rejected, example asks preview a change before saving."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in
from tests.matching.web import EMBEDDER, use_hashing, welding_world

from upland.audit import AuditEntry
from upland.matching import engine
from upland.matching.engine import Ask
from upland.matching.feedback.models import MatchFeedback
from upland.matching.weights import queries

TODAY = dt.date.today()


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch, client):
    use_hashing(monkeypatch)
    found = welding_world(session)
    coordinator = factories.user(session, role="coordinator")
    log_in(client, coordinator.email)
    found["coordinator"] = coordinator
    found["token"] = csrf_of(client.get("/match/weights"))
    return found


def _scores(session: Session, account) -> list[float]:
    actor = factories.actor_of(session, account)
    ask = Ask(text="spawanie ram stalowych", kinds=("organisation",), limit=5)
    return [h.score for h in engine.match(session, actor, ask, embedder=EMBEDDER)]


def test_saved_weights_rank_and_are_audited(client, session, world):
    before = _scores(session, world["coordinator"])
    form = {"csrf_token": world["token"], "action": "save", "text": "0", "note": "bez tekstu"}
    assert client.post("/match/weights", data=form, follow_redirects=False).status_code == 303
    assert queries.current_weights(session).text == 0.0
    assert _scores(session, world["coordinator"]) != before
    assert session.scalars(
        select(AuditEntry).where(AuditEntry.action == "matching.weights.save")
    ).one()
    page = client.get("/match/weights?lang=pl")
    assert "Podobieństwo tekstu" in page.text and "bez tekstu" in page.text


def test_a_weight_out_of_range_is_a_coded_error(client, world):
    form = {"csrf_token": world["token"], "action": "save", "pkd": "9"}
    answer = client.post("/match/weights", data=form)
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    api = client.put(
        "/api/v1/match/weights",
        json={"values": {"nope": 1}},
        headers={"x-csrf-token": world["token"]},
    )
    assert api.status_code == 422


def _verdicts(session: Session, world, n: int) -> None:
    for i in range(n):
        useful = i % 2 == 0
        session.add(
            MatchFeedback(
                user_id=world["coordinator"].id,
                query_hash="x",
                target_kind="organisation",
                target_id=world["welders"][0].id,
                useful=useful,
                reason="" if useful else "wrong_field",
                features={"text": 0.7, "capability": float(useful), "pkd": (i % 3) / 3},
            )
        )
    session.flush()


def test_a_proposal_is_learnt_shown_and_accepted(client, session, world):
    headers = {"x-csrf-token": world["token"]}
    refused = client.post("/api/v1/match/weights/proposals", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "matching.weights.too_few"
    _verdicts(session, world, 12)
    proposal = client.post("/api/v1/match/weights/proposals", headers=headers).json()
    assert proposal["status"] == "proposed" and proposal["examples"] == 12
    assert queries.current_weights(session).capability == 0.35  # not used until accepted
    page = client.get("/match/weights")
    assert f'action="/match/weights/proposals/{proposal["id"]}/accept"' in page.text
    url = f"/match/weights/proposals/{proposal['id']}/accept"
    assert client.post(url, data={"csrf_token": world["token"]}).status_code == 200
    current = queries.current_weights(session)
    assert current.capability == proposal["values"]["capability"] > 0.35
    assert client.get("/api/v1/match/weights").json()["proposal"] is None


def test_the_preview_shows_how_the_examples_top_ten_moves(client, session, world):
    token = world["token"]
    added = client.post(
        "/match/weights/examples",
        data={"csrf_token": token, "text": "robotic welding of steel frames"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.post(
        "/match/weights", data={"csrf_token": token, "action": "preview", "text": "0"}
    )
    assert page.status_code == 200 and 'id="preview"' in page.text
    assert "robotic welding of steel frames" in page.text
    assert queries.current_weights(session).text == 1.0  # a preview saves nothing
    shown = client.post(
        "/api/v1/match/weights/preview",
        json={"values": {"text": 0}},
        headers={"x-csrf-token": token},
    ).json()
    assert shown[0]["rows"] and all(r["before"] is not None for r in shown[0]["rows"])
