"""Feedback on suggestions: stored with the features then, a rejected pair suppressed for the
asker's organisation in that ask, useful verdicts and the marketplace's introductions raise,
the coordinator's report, export and erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import csrf_of, log_in
from tests.market.interest_world import pair
from tests.matching.web import EMBEDDER, embed_all, use_hashing, welding_world

from upland import personal_data
from upland.errors import Invalid, NotFound
from upland.market.interests import service as interests
from upland.market.interests.schemas import InterestIn
from upland.matching import engine
from upland.matching.engine import Ask
from upland.matching.feedback import queries, service
from upland.matching.feedback.models import MatchFeedback
from upland.matching.feedback.schemas import FeedbackIn

TODAY = dt.date.today()


@pytest.fixture
def world(session: Session, monkeypatch: pytest.MonkeyPatch):
    use_hashing(monkeypatch)
    found = welding_world(session)
    found["member"] = factories.user(session, role="viewer", org=found["asker"])
    found["colleague"] = factories.user(session, role="editor", org=found["asker"])
    return found


def _partners(session: Session, account, source) -> list[int]:
    actor = factories.actor_of(session, account)
    ask = Ask(source=source, kinds=("organisation",), limit=10)
    return [h.id for h in engine.match(session, actor, ask, embedder=EMBEDDER)]


def test_not_relevant_is_stored_and_suppresses_the_pair_for_the_organisation(
    client, session, world
):
    source = ("organisation", world["asker"].id)
    target = world["welders"][0]
    assert target.id in _partners(session, world["colleague"], source)
    log_in(client, world["member"].email)
    page = client.get(f"/match/organisation/{world['asker'].id}/partners")
    assert 'action="/match/feedback"' in page.text
    form = {
        "csrf_token": csrf_of(page),
        "target_kind": "organisation",
        "target_id": str(target.id),
        "source_kind": "organisation",
        "source_id": str(world["asker"].id),
        "text": "0.8",
        "verdict": "not_relevant",
        "reason": "wrong_field",
        "comment": "Robimy co innego",
    }
    answer = client.post("/match/feedback", data=form, headers={"hx-request": "true"})
    assert answer.status_code == 200 and 'role="status"' in answer.text
    row = session.scalars(select(MatchFeedback)).one()
    assert (row.user_id, row.organisation_id) == (world["member"].id, world["asker"].id)
    assert row.useful is False and row.reason == "wrong_field"
    # the features recomputed by the service (a firm like the asker's is a rival: no shared
    # capability counts, `scoring._rival`), beside the text the page showed
    assert row.features["text"] == 0.8 and "cross_city" in row.features
    # The whole organisation, in this ask; another ask still gets it.
    assert target.id not in _partners(session, world["colleague"], source)
    actor = factories.actor_of(session, world["colleague"])
    text = Ask(text="spawanie ram stalowych", kinds=("organisation",), limit=10)
    assert target.id in {h.id for h in engine.match(session, actor, text, embedder=EMBEDDER)}


def test_a_reason_is_required_and_the_target_must_be_visible(session, world):
    actor = factories.actor_of(session, world["member"])
    welder = world["welders"][0].id
    with pytest.raises(Invalid) as refused:
        service.give_feedback(
            session,
            actor,
            FeedbackIn(target_kind="organisation", target_id=welder, q="spaw", useful=False),
            TODAY,
        )
    assert refused.value.errors[0].code == "matching.feedback.no_reason"
    hidden = factories.organisation(session, visibility="restricted")
    with pytest.raises(NotFound):
        service.give_feedback(
            session,
            actor,
            FeedbackIn(target_kind="organisation", target_id=hidden.id, q="spaw", useful=True),
            TODAY,
        )


def test_useful_raises_with_a_reason_shown(session, world):
    actor = factories.actor_of(session, world["member"])
    welder = world["welders"][1].id
    data = FeedbackIn(target_kind="organisation", target_id=welder, q="ramy", useful=True)
    service.give_feedback(session, actor, data, TODAY)
    values = queries.feedback_values(session, actor, None, "other ask", [("organisation", welder)])
    assert values == {("organisation", welder): queries.USEFUL_STEP}
    ask = Ask(text="spawanie ram stalowych", kinds=("organisation",), limit=10)
    (hit,) = [h for h in engine.match(session, actor, ask, embedder=EMBEDDER) if h.id == welder]
    assert hit.why is not None
    assert "Marked useful or introduced before" in [m.render("en") for m in hit.why.raised]


def test_feedback_on_a_pair_a_requirement_excludes_teaches_the_weights_nothing(session, world):
    """Found by the attack pass: its stored parts would be the text alone, every other
    feature 0, and weight learning would take it as an example."""
    actor = factories.actor_of(session, world["member"])
    welder = world["welders"][1].id
    asked = "spawanie ram z IATF 16949"  # the welders hold no IATF: excluded
    data = FeedbackIn(target_kind="organisation", target_id=welder, q=asked, useful=True)
    service.give_feedback(session, actor, data, TODAY)
    row = session.scalars(select(MatchFeedback)).one()
    assert row.features == {}
    assert queries.list_examples(session) == []


def test_introductions_count_as_positive_evidence(session: Session):
    world = pair(session)
    introduced = interests.express_interest(
        session, world.other_editor, world.opportunity.id, InterestIn(message="Spotkajmy się")
    )
    interests.accept_interest(session, world.owner_editor, introduced.id)
    owner_side = world.owner_editor
    keys = [("organisation", world.other.id), ("opportunity", world.opportunity.id)]
    values = queries.feedback_values(session, owner_side, None, "x", keys)
    assert values[("organisation", world.other.id)] > 0
    assert values[("opportunity", world.opportunity.id)] > 0


def test_report_export_and_erasure(client, session, world):
    actor = factories.actor_of(session, world["member"])
    welder = world["welders"][0].id
    data = FeedbackIn(
        target_kind="organisation",
        target_id=welder,
        q="ramy",
        useful=False,
        reason="too_far",
        comment="Za daleko od nas",
    )
    service.give_feedback(session, actor, data, TODAY)
    exported = personal_data.exported(session, world["member"].id)["match_feedback"]
    assert exported[0]["comment"] == "Za daleko od nas"
    coordinator = factories.user(session, role="coordinator")
    log_in(client, coordinator.email)
    report = client.get("/api/v1/match/feedback/report").json()
    assert report["not_relevant"] == 1 and report["comments"][0]["comment"] == "Za daleko od nas"
    page = client.get("/match/feedback?lang=pl")
    assert "Za daleko od nas" in page.text and "Zbyt daleko" in page.text
    personal_data.erase(session, world["member"].id)
    session.expire_all()
    row = session.scalars(select(MatchFeedback)).one()
    assert (row.user_id, row.comment, row.reason) == (None, "", "too_far")
    embed_all(session)
